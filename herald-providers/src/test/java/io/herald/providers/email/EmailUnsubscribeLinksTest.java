package io.herald.providers.email;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmailUnsubscribeLinksTest {

    private final HmacUnsubscribeLinks links = new HmacUnsubscribeLinks(EmailTestMessages.secret(), "https://notify.example.com/");

    @Test
    void tokensRoundTripForUsersAndAddressesWithOrWithoutCategory() {
        for (UnsubscribeScope scope : new UnsubscribeScope[]{
                UnsubscribeScope.ofUser(42, "u-42", "marketing"),
                UnsubscribeScope.ofUser(42, "user with spaces/and.dots", null),
                UnsubscribeScope.ofAddress(7, "ann+tag@example.com", "digest"),
                UnsubscribeScope.ofAddress(7, "ümlaut@exämple.com", "news.weekly")}) {
            String token = links.sign(scope);
            assertThat(token).matches("[A-Za-z0-9_.-]+");
            assertThat(links.verify(token)).contains(scope);
        }
    }

    @Test
    void theLinkIsTheHttpsUnsubscribeEndpointWithTheToken() {
        UnsubscribeScope scope = UnsubscribeScope.ofAddress(7, "ann@example.com", "marketing");
        URI url = links.oneClickUrl(scope).orElseThrow();
        assertThat(url.toString()).isEqualTo("https://notify.example.com/v1/unsubscribe/" + links.sign(scope));
    }

    @Test
    void alteredForgedOrForeignTokensAreRefused() {
        String token = links.sign(UnsubscribeScope.ofUser(42, "u-42", "marketing"));
        String otherApp = token.replaceFirst("^1\\.42\\.", "1.43.");
        assertThat(otherApp).isNotEqualTo(token);
        assertThat(links.verify(otherApp)).isEmpty();
        String lastCharChanged = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
        assertThat(links.verify(lastCharChanged)).isEmpty();
        assertThat(links.verify(token.substring(0, token.lastIndexOf('.')))).isEmpty();
        assertThat(links.verify("garbage")).isEmpty();
        assertThat(links.verify("")).isEmpty();
        assertThat(links.verify(null)).isEmpty();
        HmacUnsubscribeLinks otherSecret = new HmacUnsubscribeLinks("another-secret-of-at-least-32-bytes!!".getBytes(),
                "https://x.example");
        assertThat(otherSecret.verify(token)).isEmpty();
    }

    @Test
    void refusesWeakSecretsAndPlainHttpOutsideLoopback() {
        assertThatThrownBy(() -> new HmacUnsubscribeLinks("short".getBytes(), "https://x.example"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HmacUnsubscribeLinks(EmailTestMessages.secret(), "http://x.example"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new HmacUnsubscribeLinks(EmailTestMessages.secret(), "http://localhost:8080")
                .oneClickUrl(UnsubscribeScope.ofUser(1, "u", null)).orElseThrow().toString())
                .startsWith("http://localhost:8080/v1/unsubscribe/");
    }
}
