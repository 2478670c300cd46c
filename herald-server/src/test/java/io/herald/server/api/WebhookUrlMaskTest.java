package io.herald.server.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookUrlMaskTest {

    @Test
    void aStoredPasswordIsNeverListedAndOtherUrlsAreUnchanged() {
        assertThat(WebhooksController.withoutCredentials("https://ops:s3cret@hooks.example.com:8443/x?a=1#f"))
                .isEqualTo("https://***@hooks.example.com:8443/x?a=1#f");
        assertThat(WebhooksController.withoutCredentials("https://o%40k:p@hooks.example.com/a%2Fb"))
                .isEqualTo("https://***@hooks.example.com/a%2Fb");
        assertThat(WebhooksController.withoutCredentials("https://hooks.example.com/x?sig=a%2Fb"))
                .isEqualTo("https://hooks.example.com/x?sig=a%2Fb");
    }
}
