package io.herald.server.audience;

import io.herald.server.ServerTestBase;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What campaign tests (API and console) set up alike. */
public final class CampaignFixtures {

    /** How a test calls the API as an admin: method, path, JSON body (or null). */
    @FunctionalInterface
    public interface AdminCall {
        ServerTestBase.Reply call(String method, String path, String body);
    }

    private CampaignFixtures() {
    }

    /** A published template with EMAIL content and no variables; returns its key. */
    public static String publishedEmailTemplate(AdminCall admin) {
        String key = "camp-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(admin.call("POST", "/v1/templates", """
                {"key":"%s","name":"Sale","defaultChannels":["EMAIL"],"variables":[],
                 "content":{"default":{"EMAIL":{"subject":"Sale","text":"Everything must go"}}}}""".formatted(key)).status())
                .isEqualTo(201);
        assertThat(admin.call("POST", "/v1/templates/" + key + "/versions/1/publish", null).status()).isEqualTo(200);
        return key;
    }
}
