package io.herald.core.inbox;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class InboxTokensTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private final Map<String, InboxTokens.App> apps = new HashMap<>(Map.of("app1", new InboxTokens.App(7, "app1", "sha256:aa")));
    private Instant now = Instant.parse("2026-12-01T10:00:00Z");
    private final Clock clock = new Clock() {
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        public Instant instant() {
            return now;
        }
    };
    private final InboxTokens tokens = new InboxTokens(KEY, k -> Optional.ofNullable(apps.get(k)), clock);

    @Test
    void aMintedTokenNamesItsAppAndUserUntilItExpires() {
        InboxTokens.Minted m = tokens.mint("app1", "u-42", Duration.ofMinutes(15)).orElseThrow();
        assertThat(m.expiresAt()).isEqualTo(Instant.parse("2026-12-01T10:15:00Z"));
        assertThat(tokens.verify(m.token())).isEqualTo(new InboxTokens.Verdict.Valid(new InboxUser(7, "u-42")));

        now = now.plus(Duration.ofMinutes(15));
        assertThat(tokens.verify(m.token())).isInstanceOfSatisfying(InboxTokens.Verdict.Invalid.class,
                i -> assertThat(i.why()).contains("expired"));
    }

    @Test
    void rotatingTheSecretOrRevokingTheAppEndsItsTokens() {
        String t = tokens.mint("app1", "u-42", Duration.ofHours(1)).orElseThrow().token();
        apps.put("app1", new InboxTokens.App(7, "app1", "sha256:bb"));
        assertThat(tokens.verify(t)).isInstanceOf(InboxTokens.Verdict.Invalid.class);

        String fresh = tokens.mint("app1", "u-42", Duration.ofHours(1)).orElseThrow().token();
        assertThat(tokens.verify(fresh)).isInstanceOf(InboxTokens.Verdict.Valid.class);
        apps.remove("app1");
        assertThat(tokens.verify(fresh)).isInstanceOf(InboxTokens.Verdict.Invalid.class);
        assertThat(tokens.mint("app1", "u-42", Duration.ofHours(1))).isEmpty();
    }

    @Test
    void anotherServerKeyOrAnEditedPayloadIsRefused() {
        String t = tokens.mint("app1", "u-42", Duration.ofHours(1)).orElseThrow().token();
        InboxTokens otherServer = new InboxTokens("another-key-of-32-bytes-........".getBytes(StandardCharsets.UTF_8),
                k -> Optional.ofNullable(apps.get(k)), clock);
        assertThat(otherServer.verify(t)).isInstanceOf(InboxTokens.Verdict.Invalid.class);

        String[] parts = t.split("\\.");
        String edited = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("app1\nu-43\n" + now.plusSeconds(3600).getEpochSecond()).getBytes(StandardCharsets.UTF_8));
        assertThat(tokens.verify(parts[0] + "." + edited + "." + parts[2])).isInstanceOf(InboxTokens.Verdict.Invalid.class);
        for (String junk : new String[]{null, "", "hin1.", "hin1..", "hin1.!!!.???", "Bearer x", t + "x", "x".repeat(5000)}) {
            assertThat(tokens.verify(junk)).as(String.valueOf(junk)).isInstanceOf(InboxTokens.Verdict.Invalid.class);
        }
    }
}
