package io.herald.providers.email;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SealedUnsubscribeLinksTest {

    private final SealedUnsubscribeLinks links = new SealedUnsubscribeLinks(EmailTestMessages.secret(), "https://notify.example.com/",
            true);

    @Test
    void tokensRoundTripAndCarryNothingReadable() {
        for (UnsubscribeScope scope : new UnsubscribeScope[]{
                UnsubscribeScope.ofUser(42, "u-42", "marketing"),
                UnsubscribeScope.ofUser(42, "user with spaces/and.dots", null),
                UnsubscribeScope.ofAddress(7, "ann+tag@example.com", "digest"),
                UnsubscribeScope.ofAddress(7, "ümlaut@exämple.com", "news.weekly")}) {
            String token = links.seal(scope);
            assertThat(token).matches("2\\.[A-Za-z0-9_-]+");
            assertThat(links.open(token)).contains(scope);
            String decoded = new String(Base64.getUrlDecoder().decode(token.substring(2)), StandardCharsets.ISO_8859_1);
            assertThat(decoded).doesNotContain("ann", "example", "u-42", "marketing", "digest", "weekly");
            assertThat(token).doesNotContain("example", "marketing");
        }
        // two links for the same scope differ (random nonce), and lengths do not track the address byte for byte
        UnsubscribeScope scope = UnsubscribeScope.ofAddress(7, "a@example.com", null);
        assertThat(links.seal(scope)).isNotEqualTo(links.seal(scope));
        assertThat(links.seal(UnsubscribeScope.ofAddress(7, "ab@example.com", null))).hasSameSizeAs(links.seal(scope));
    }

    @Test
    void theLinkIsTheHttpsUnsubscribeEndpoint() {
        UnsubscribeScope scope = UnsubscribeScope.ofAddress(7, "ann@example.com", "marketing");
        String url = links.oneClickUrl(scope).orElseThrow().toString();
        assertThat(url).startsWith("https://notify.example.com/v1/unsubscribe/2.").doesNotContain("ann");
        assertThat(links.open(url.substring(url.lastIndexOf('/') + 1))).contains(scope);
    }

    @Test
    void alteredForgedOrForeignTokensAreRefused() {
        String token = links.seal(UnsubscribeScope.ofUser(42, "u-42", "marketing"));
        for (int i = 2; i < token.length() - 1; i += 7) { // the last character may hold unused bits
            char c = token.charAt(i);
            String altered = token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);
            assertThat(links.open(altered)).as("changed at " + i).isEmpty();
        }
        assertThat(links.open(token.substring(0, token.length() - 4))).isEmpty();
        assertThat(links.open("2.")).isEmpty();
        assertThat(links.open("2.!!!")).isEmpty();
        assertThat(links.open("garbage")).isEmpty();
        assertThat(links.open("")).isEmpty();
        assertThat(links.open(null)).isEmpty();
        var otherKey = new SealedUnsubscribeLinks("another-secret-of-at-least-32-bytes!!".getBytes(), "https://x.example", true);
        assertThat(otherKey.open(token)).isEmpty();
    }

    @Test
    void legacyTokensAreHonouredOnlyWhileAccepted() {
        UnsubscribeScope scope = UnsubscribeScope.ofAddress(7, "ann@example.com", "marketing");
        String old = new HmacUnsubscribeLinks(EmailTestMessages.secret(), "https://notify.example.com").sign(scope);
        assertThat(links.open(old)).contains(scope);
        assertThat(new SealedUnsubscribeLinks(EmailTestMessages.secret(), "https://notify.example.com", false).open(old)).isEmpty();
    }

    @Test
    void refusesWeakSecretsAndPlainHttpOutsideLoopback() {
        assertThatThrownBy(() -> new SealedUnsubscribeLinks("short".getBytes(), "https://x.example", true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SealedUnsubscribeLinks(EmailTestMessages.secret(), "http://x.example", true))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
