package io.herald.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * A published template for sends that name one instead of carrying inline content (`--template on`): most clients send
 * that way, and intake renders it (variables checked, a locale chosen, Mustache for subject, text and HTML).
 */
final class BenchTemplate {

    private BenchTemplate() {
    }

    /** Creates and publishes a template with three variables and two locales as {@code operator} (USER:PASSWORD); returns its key. */
    static String publish(String url, String operator, int timeoutMillis) throws IOException {
        String key = "bench-order-" + UUID.randomUUID().toString().substring(0, 8);
        String auth = "Authorization: Basic " + Base64.getEncoder().encodeToString(operator.getBytes(StandardCharsets.UTF_8));
        LeanHttp http = new LeanHttp(URI.create(url), timeoutMillis, auth, "Accept: application/json");
        try {
            LeanHttp.Answer created = http.exchange("POST", "/v1/templates",
                    """
                            {"key":"%s","name":"Order ready (herald-bench)","defaultChannels":["EMAIL"],
                             "variables":[{"name":"item_name","type":"STRING","required":true},
                                          {"name":"order_id","type":"STRING","required":true},
                                          {"name":"total","type":"NUMBER","required":false}],
                             "content":{"default":{"EMAIL":{"subject":"Your {{item_name}} is ready",
                                          "text":"Order {{order_id}}: your {{item_name}} is ready{{#total}}, total {{total}}{{/total}}. Thank you.",
                                          "html":"<p>Order <b>{{order_id}}</b>: your {{item_name}} is ready{{#total}}, total {{total}}{{/total}}.</p><p>Thank you.</p>"}},
                                        "ko-KR":{"EMAIL":{"subject":"{{item_name}} 준비 완료",
                                          "text":"주문 {{order_id}}: {{item_name}} 준비가 끝났습니다."}}}}"""
                            .formatted(key));
            if (created.status() != 201) throw new IOException("POST /v1/templates answered " + created.status() + ": " + created.body());
            LeanHttp.Answer published = http.exchange("POST", "/v1/templates/" + key + "/versions/1/publish", null);
            if (published.status() != 200) {
                throw new IOException("publishing template " + key + " answered " + published.status() + ": " + published.body());
            }
            return key;
        } finally {
            http.close();
        }
    }

    /** The content part of a send that names the template: its data differ per send, as an order's would. */
    static String content(String key, String eventId) {
        return "\"template\":\"" + key + "\",\"data\":{\"item_name\":\"Latte\",\"order_id\":\"" + eventId + "\",\"total\":4.5}";
    }
}
