package io.herald.core.engagement;

import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.model.Priority;
import io.herald.core.model.Target;
import io.herald.core.provider.OutboundMessage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class TrackedLinksTest {

    private static final String BASE = "https://herald.example.com";
    private final TrackingTokens tokens = new TrackingTokens("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    private final TrackedLinks links = new TrackedLinks(tokens, BASE);
    private final UUID id = UUID.randomUUID();

    @Test
    void everyRewrittenLinkLeadsBackToItsOwnUrlAndNothingElse() {
        String html = "<html><body><a href=\"https://a.example.com/x?p=1&amp;q=2\">A</a><A HREF='http://b.example.com/'>B</A>"
                + "<a href=\"" + BASE + "/v1/unsubscribe/tok\">unsubscribe</a><a href=\"mailto:x@example.com\">m</a></body></html>";
        Content stored = new Content(null, null, "s", html, null, null, Map.of());
        Content sent = links.rewrite(Channel.EMAIL, id, stored);
        Matcher m = Pattern.compile("/t/c/([A-Za-z0-9_-]+)").matcher(sent.html());
        int found = 0;
        while (m.find()) {
            var link = tokens.open(m.group(1)).orElseThrow();
            assertThat(link.notificationId()).isEqualTo(id);
            found++;
            String target = links.target(Channel.EMAIL, stored, link.index()).orElseThrow();
            assertThat(target).isIn("https://a.example.com/x?p=1&q=2", "http://b.example.com/");
        }
        assertThat(found).isEqualTo(2);
        assertThat(sent.html()).contains(BASE + "/v1/unsubscribe/tok").contains("mailto:x@example.com")
                .containsPattern("<img src=\"" + BASE + "/t/o/[A-Za-z0-9_-]+\"[^>]*></body>");
        // index 3 is Herald's own unsubscribe link: never a redirect target
        assertThat(links.target(Channel.EMAIL, stored, 99)).isEmpty();
        assertThat(links.target(Channel.EMAIL, stored, 0)).isEmpty();
    }

    @Test
    void pushUrlIsLinkZero() {
        Content stored = new Content("t", "b", null, null, null, "https://app.example.com/open", Map.of());
        Content sent = links.rewrite(Channel.PUSH, id, stored);
        assertThat(sent.url()).startsWith(BASE + "/t/c/");
        var link = tokens.open(sent.url().substring((BASE + "/t/c/").length())).orElseThrow();
        assertThat(links.target(Channel.PUSH, stored, link.index())).hasValue("https://app.example.com/open");
        // an app deep link is not web: left as it is
        Content deep = new Content("t", "b", null, null, null, "myapp://orders/1", Map.of());
        assertThat(links.rewrite(Channel.PUSH, id, deep).url()).isEqualTo("myapp://orders/1");
    }

    @Test
    void tokensRefuseAnyChange() {
        String t = tokens.sign(new TrackingTokens.Link(TrackingTokens.Kind.CLICK, id, 7));
        assertThat(tokens.open(t)).hasValue(new TrackingTokens.Link(TrackingTokens.Kind.CLICK, id, 7));
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i) == 'A' ? 'B' : 'A';
            assertThat(tokens.open(t.substring(0, i) + c + t.substring(i + 1))).as("changed at " + i).isEmpty();
        }
        // every other spelling of the last character (some differ only in bits the decoder ignores) is refused too
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        String head = t.substring(0, t.length() - 1);
        for (char c : alphabet.toCharArray()) {
            if (c != t.charAt(t.length() - 1)) assertThat(tokens.open(head + c)).as("last character " + c).isEmpty();
        }
        assertThat(new TrackingTokens("another key, thirty-two bytes!!!".getBytes(StandardCharsets.UTF_8)).open(t)).isEmpty();
        assertThat(tokens.open("")).isEmpty();
        assertThat(tokens.open("%%%")).isEmpty();
    }

    @Test
    void trackingOffForTheAppOrTheTemplateLeavesTheMessageAlone() {
        Content c = new Content(null, null, "s", "<a href=\"https://a.example.com/\">A</a>", null, null, Map.of());
        OutboundMessage m = new OutboundMessage(id, 7, "e", Channel.EMAIL, new Target.Email("x@example.com"), Priority.NORMAL, c, null,
                null, 1);
        assertThat(shaper(new TrackingSettings.Settings(false, Set.of()), "welcome").shape(m)).isSameAs(m);
        assertThat(shaper(new TrackingSettings.Settings(true, Set.of("password_reset")), "password_reset").shape(m)).isSameAs(m);
        assertThat(shaper(new TrackingSettings.Settings(true, Set.of("password_reset")), "welcome").shape(m).content().html())
                .contains("/t/c/");
        assertThat(shaper(TrackingSettings.Settings.DEFAULT, null).shape(m).content().html()).contains("/t/o/");
    }

    private LinkTracking shaper(TrackingSettings.Settings s, String template) {
        return new LinkTracking(links, new TrackingSettings() {
            @Override
            public Settings forApp(long appId) {
                return s;
            }

            @Override
            public Optional<String> templateOf(UUID notificationId) {
                return Optional.ofNullable(template);
            }
        });
    }
}
