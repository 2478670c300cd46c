package io.herald.server.api;

/** Example bodies for the OpenAPI document (shown in Swagger UI beside each schema). */
final class ApiExamples {

    private ApiExamples() {
    }

    static final String SEND = """
            {"eventId": "order-123-ready", "userId": "u-42", "channels": ["PUSH", "SMS", "EMAIL"],
             "template": "order_ready", "data": {"item_name": "Latte"}, "locale": "ko-KR",
             "category": "transactional", "priority": "HIGH", "expiresAt": "2026-11-23T12:00:00+09:00"}""";

    static final String RECEIPT = """
            {"eventId": "order-123-ready", "notifications": [
              {"id": "0193a5c4-7c1e-7b36-9d4e-2f1a6c0b9e01", "channel": "PUSH", "target": "IOS:a1b2…", "status": "QUEUED"},
              {"id": "0193a5c4-7c1e-7b36-9d4e-2f1a6c0b9e02", "channel": "SMS", "status": "SUPPRESSED", "reason": "OPTED_OUT"}]}""";

    static final String TRACKING = """
            {"type": "OPENED", "at": "2026-11-23T09:01:00+09:00"}""";

    static final String USER = """
            {"email": "kim@example.com", "phone": "+82 10-1234-5678", "locale": "ko-KR", "timezone": "Asia/Seoul",
             "attributes": {"plan": "pro"}}""";

    static final String DEVICE = """
            {"platform": "WEB", "subscription": {"endpoint": "https://push.example.net/send/abc",
             "keys": {"p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM", "auth": "tBHItJI5svbpez7KI4CCXg"}}}""";

    static final String PREFERENCES = """
            {"channels": {"SMS": false}, "categories": {"marketing": {"EMAIL": false}},
             "quietHours": {"start": "22:00", "end": "08:00"}}""";

    static final String APP = """
            {"name": "orders-service", "scopes": ["send", "users", "read"]}""";
}
