package io.herald.server.api;

import io.herald.server.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hundreds of hostile requests over every public endpoint, generated from valid bodies by mutation: no 5xx, every
 * 4xx a problem+json with type, title and status, no row created by any of them, and the server ready afterwards.
 */
class HostileCorpusTest extends ServerTestBase {

    private static final List<String> TABLES = List.of("apps", "operator_accounts", "users", "devices", "send_requests", "notifications",
            "templates", "template_versions", "audit_log", "topics", "topic_subscribers", "broadcasts", "digests", "campaigns",
            "webhook_subscriptions", "tracking_settings", "suppressions", "notification_events");
    private static final String NUL = "bad\u0000value";
    private static final String LONE_HIGH = "bad\ud800value";
    private static final String LONE_LOW = "\udc00";

    @Autowired
    JdbcTemplate jdbc;

    record Hostile(String method, String target, String credentials, String contentType, byte[] body, boolean chunked) {
        String label() {
            String b = body == null ? "" : new String(body, 0, Math.min(body.length, 160), StandardCharsets.UTF_8);
            return method + " " + (target.length() > 120 ? target.substring(0, 120) + "…" : target) + " " + contentType + " " + b;
        }
    }

    private final List<Hostile> corpus = new ArrayList<>();

    private void add(String method, String target, String creds, String json) {
        corpus.add(
                new Hostile(method, target, creds, "application/json", json == null ? null : RawHttp.utf8(escapeSurrogates(json)), false));
    }

    /** A lone surrogate cannot travel as UTF-8 (it would arrive as '?'); as a JSON escape it can, and that is the attack. */
    private static String escapeSurrogates(String json) {
        StringBuilder b = new StringBuilder(json.length());
        for (char c : json.toCharArray()) {
            if (Character.isSurrogate(c)) b.append(String.format("\\u%04x", (int) c));
            else
                b.append(c);
        }
        return b.toString();
    }

    /** A valid body with one field replaced by each value of the wrong type or shape. */
    private void mutateFields(String method, String target, String creds, ObjectNode valid, Map<String, List<Object>> extraBad) {
        List<Object> wrong = List.of(true, 0, 1.5, "1e999999", List.of(), Map.of(), NUL, LONE_HIGH, LONE_LOW);
        for (String field : valid.propertyNames()) {
            JsonNode original = valid.get(field);
            List<Object> values = new ArrayList<>();
            for (Object w : wrong) {
                // only values that are wrong for this field's type
                if (original.isString() && w instanceof String s && !s.equals("1e999999")) values.add(w);
                else if (original.isString() && !(w instanceof String)) values.add(w);
                else if (original.isObject() && !(w instanceof Map)) values.add(w);
                else if (original.isArray() && !(w instanceof List)) values.add(w);
            }
            if (original.isObject()) values.add(Map.of(NUL, "x"));
            if (original.isArray()) values.add(List.of(LONE_HIGH));
            values.addAll(extraBad.getOrDefault(field, List.of()));
            for (Object v : values) {
                ObjectNode copy = valid.deepCopy();
                if ("1e999999".equals(v)) {
                    String raw = JSON.writeValueAsString(copy).replaceFirst("\"" + field + "\":[^,}]+", "\"" + field + "\":1e999999");
                    add(method, target, creds, raw);
                    continue;
                }
                copy.set(field, JSON.valueToTree(v));
                add(method, target, creds, JSON.writeValueAsString(copy));
            }
        }
    }

    /** Whole-body hostility that every JSON endpoint must survive. */
    private void mangleBodies(String method, String target, String creds, String valid) {
        add(method, target, creds, "");
        add(method, target, creds, "null");
        add(method, target, creds, "[]");
        add(method, target, creds, "\"just a string\"");
        add(method, target, creds, valid.substring(0, valid.length() / 2));
        add(method, target, creds, valid + " trailing");
        add(method, target, creds, "[".repeat(10_000) + "]".repeat(10_000));
        add(method, target, creds, "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000));
        add(method, target, creds, valid.replaceFirst("\\{", "{\"x\":" + "9".repeat(5000) + ","));
        corpus.add(new Hostile(method, target, creds, "application/json",
                new byte[]{'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}, false));
        corpus.add(new Hostile(method, target, creds, "application/json",
                new byte[]{'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'}, false));
        corpus.add(new Hostile(method, target, creds, "text/plain", RawHttp.utf8(valid), false));
        corpus.add(new Hostile(method, target, creds, "application/xml", RawHttp.utf8("<a/>"), false));
        corpus.add(new Hostile(method, target, creds, "multipart/form-data; boundary=x", RawHttp.utf8("--x--"), false));
        corpus.add(new Hostile(method, target, creds, null, RawHttp.utf8(valid), false));
        String huge = valid.replaceFirst("\\{", "{\"pad\":\"" + "x".repeat(2 * 1024 * 1024 + 16) + "\",");
        corpus.add(new Hostile(method, target, creds, "application/json", RawHttp.utf8(huge), true));
    }

    private ObjectNode json(String s) {
        return (ObjectNode) JSON.readTree(s);
    }

    private void build() {
        String keys = "{\"p256dh\":\"" + "B".repeat(87) + "\",\"auth\":\"" + "a".repeat(22) + "\"}";
        // sends: every field wrong, including too long
        String validSend = "{\"eventId\":\"corpus-1\",\"userId\":\"corpus-nobody\",\"channels\":[\"EMAIL\"],\"template\":\"t1\",\"data\":{\"a\":1},"
                + "\"locale\":\"en\",\"category\":\"marketing\",\"priority\":\"HIGH\",\"sendAt\":\"2030-01-01T00:00:00Z\",\"expiresAt\":\"2030-01-02T00:00:00Z\"}";
        mutateFields("POST", "/v1/notifications", APP, json(validSend), Map.of(
                "eventId", List.of("e".repeat(256), " "),
                "userId", List.of("u".repeat(256), "no spaces allowed"),
                "channels", List.of(List.of("FAX"), List.of(), List.of(0)),
                "template", List.of("t".repeat(129), "bad key!"),
                "locale", List.of("x".repeat(36), "not_a_locale!!"),
                "category", List.of("c".repeat(65), "UPPER"),
                "priority", List.of("URGENT", "p".repeat(100)),
                "sendAt", List.of("tomorrow", "2030-13-45T99:00:00Z", "9".repeat(100)),
                "expiresAt", List.of("yesterday")));
        mangleBodies("POST", "/v1/notifications", APP, validSend);
        String validOneOff = "{\"eventId\":\"corpus-2\",\"to\":{\"email\":\"ada@example.com\"},\"content\":{\"title\":\"t\",\"text\":\"x\",\"url\":\"https://example.com\"}}";
        mutateFields("POST", "/v1/notifications", APP, json(validOneOff), Map.of(
                "to", List.of(Map.of("email", "not-an-email"), Map.of("phone", "12"), Map.of("email", "e".repeat(300) + "@x.com"),
                        Map.of("device",
                                Map.of("platform", "WEB", "subscription",
                                        Map.of("endpoint", "https://169.254.169.254/", "keys", Map.of()))),
                        Map.of("device", Map.of("platform", "IOS", "token", "zz")), Map.of()),
                "content", List.of(Map.of("title", "t".repeat(1001)), Map.of("url", "javascript:alert(1)"), Map.of("text", NUL),
                        Map.of("subject", "s".repeat(999)), Map.of("body", "b".repeat(10_001)))));
        mutateFields("POST", "/v1/notifications/batch", APP, json("{\"notifications\":[" + validSend + "]}"), Map.of(
                "notifications", List.of(List.of(Map.of("eventId", NUL)), List.of(Map.of("eventId", true)), List.of("str"), List.of(1))));
        mangleBodies("POST", "/v1/notifications/batch", APP, "{\"notifications\":[]}");

        // users, devices, preferences
        String validUser = "{\"email\":\"ada@example.com\",\"phone\":\"+14155550100\",\"locale\":\"en\",\"timezone\":\"Asia/Seoul\",\"attributes\":{\"plan\":\"pro\"}}";
        mutateFields("PUT", "/v1/users/corpus-user", APP, json(validUser), Map.of(
                "email", List.of("x@", "a".repeat(250) + "@example.com"), "phone", List.of("555", "+1".repeat(40)),
                "timezone", List.of("Mars/Olympus", "Z".repeat(100)), "locale", List.of("!!"),
                "attributes", List.of(Map.of("k", "v".repeat(200_001)), Map.of("k".repeat(300), 1))));
        mangleBodies("PUT", "/v1/users/corpus-user", APP, validUser);
        String validDevice = "{\"platform\":\"WEB\",\"subscription\":{\"endpoint\":\"https://push.example.com/x\",\"keys\":" + keys + "}}";
        mutateFields("POST", "/v1/users/corpus-user/devices", APP, json(validDevice), Map.of(
                "platform", List.of("BLACKBERRY"),
                "subscription", List.of(Map.of("endpoint", "https://127.0.0.1/x", "keys", JSON.readTree(keys)),
                        Map.of("endpoint", "http://push.example.com/x", "keys", JSON.readTree(keys)),
                        Map.of("endpoint", "https://[fd00:ec2::254]/", "keys", JSON.readTree(keys)),
                        Map.of("endpoint", "https://metadata.google.internal/", "keys", JSON.readTree(keys)),
                        Map.of("endpoint", "https://push.example.com/" + "p".repeat(2100), "keys", JSON.readTree(keys)),
                        Map.of("endpoint", "gopher://x", "keys", JSON.readTree(keys)))));
        mangleBodies("POST", "/v1/users/corpus-user/devices", APP, validDevice);
        mutateFields("PUT", "/v1/users/corpus-user/preferences", APP,
                json("{\"channels\":{\"EMAIL\":true},\"quietHours\":{\"start\":\"22:00\",\"end\":\"08:00\"}}"),
                Map.of("quietHours", List.of(Map.of("start", "25:99", "end", "08:00"))));
        mangleBodies("PUT", "/v1/users/corpus-user/preferences", APP, "{\"channels\":{\"EMAIL\":true}}");
        mutateFields("POST", "/v1/notifications/" + UUID.randomUUID() + "/events", APP,
                json("{\"type\":\"OPENED\",\"at\":\"2026-01-01T00:00:00Z\",\"detail\":\"d\"}"),
                Map.of("type", List.of("EXPLODED"), "at", List.of("noon"), "detail", List.of("d".repeat(1001))));

        // audiences: bulk users, topics, audience sends
        mutateFields("POST", "/v1/users/batch", APP, json("{\"users\":[{\"userId\":\"corpus-batch-user\",\"topics\":[\"corpus-topic\"]}]}"),
                Map.of("users", List.of(List.of("str"), List.of(1), List.of(List.of()))));
        mangleBodies("POST", "/v1/users/batch", APP, "{\"users\":[]}");
        mutateFields("PUT", "/v1/topics/corpus-topic", APP, json("{\"name\":\"Corpus\"}"),
                Map.of("name", List.of("n".repeat(201), "", " ")));
        mangleBodies("PUT", "/v1/topics/corpus-topic", APP, "{\"name\":\"Corpus\"}");
        add("PUT", "/v1/topics/" + "k".repeat(129), APP, "{\"name\":\"x\"}");
        add("PUT", "/v1/topics/bad%20key", APP, "{\"name\":\"x\"}");
        mutateFields("POST", "/v1/topics/corpus-topic/subscribers", APP, json("{\"userIds\":[\"corpus-sub\"]}"),
                Map.of("userIds", List.of(List.of("bad id"), List.of(1), List.of("u".repeat(256)))));
        mangleBodies("POST", "/v1/topics/corpus-topic/subscribers", APP, "{\"userIds\":[]}");
        String validTopicSend = "{\"eventId\":\"corpus-3\",\"topic\":\"corpus-topic\",\"channels\":[\"EMAIL\"],\"template\":\"nope\"}";
        mutateFields("POST", "/v1/notifications", APP, json(validTopicSend), Map.of(
                "topic", List.of("bad key!", "t".repeat(129))));
        String validAudienceSend = "{\"eventId\":\"corpus-4\",\"audience\":{\"filter\":{\"locale\":\"en\"}},\"channels\":[\"EMAIL\"],\"template\":\"nope\"}";
        mutateFields("POST", "/v1/notifications", APP, json(validAudienceSend), Map.of(
                "audience",
                List.of(Map.of("all", false), Map.of("all", "yes"), Map.of("filter", Map.of()),
                        Map.of("filter", Map.of("timezone", "Mars/Olympus")),
                        Map.of("all", true, "filter", Map.of("locale", "en")), Map.of("filter", Map.of("attributes", "x")))));
        mangleBodies("POST", "/v1/notifications", APP, validAudienceSend);
        for (String q : List.of("cursor=%25%25%25", "cursor=AAAA", "cursor=%00", "limit=-5", "limit=1e3", "limit=x",
                "cursor=" + "A".repeat(5000))) {
            add("GET", "/v1/topics?" + q, APP, null);
            add("GET", "/v1/topics/corpus-topic/subscribers?" + q, APP, null);
        }
        for (String p : List.of("/v1/broadcasts/not-a-uuid", "/v1/broadcasts/%00", "/v1/broadcasts/" + UUID.randomUUID(), "/v1/topics/%00",
                "/v1/topics/nope-topic", "/v1/topics/nope-topic/subscribers")) {
            add("GET", p, APP, null);
            add("DELETE", p, APP, null);
        }
        add("DELETE", "/v1/topics/nope-topic/subscribers/%00", APP, null);
        String validDigest = "{\"eventId\":\"corpus-5\",\"userId\":\"corpus-nobody\",\"channels\":[\"EMAIL\"],\"template\":\"nope\","
                + "\"digest\":{\"key\":\"comments\",\"window\":\"PT10M\"}}";
        mutateFields("POST", "/v1/notifications", APP, json(validDigest), Map.of(
                "digest", List.of(Map.of("key", "bad key!", "window", "PT10M"), Map.of("key", "k", "window", "ten minutes"),
                        Map.of("key", "k", "window", "PT0S"), Map.of("key", "k", "window", "P30D"), Map.of("window", "PT1M"))));
        String validCampaign = "{\"name\":\"c\",\"appKey\":\"app1\",\"audience\":{\"all\":true},\"template\":\"nope\",\"category\":\"promo\","
                + "\"throttlePerSecond\":10,\"deliverAt\":{\"localTime\":\"09:00\"}}";
        mutateFields("POST", "/v1/campaigns", ADMIN, json(validCampaign), Map.of(
                "appKey", List.of("no-such-app"), "throttlePerSecond", List.of(0, -1, "fast"),
                "audience", List.of(Map.of("all", true, "topic", "t"), Map.of("topic", "bad key!")),
                "deliverAt", List.of(Map.of("localTime", "9am"), Map.of("localTime", "09:00", "date", "tomorrow"))));
        mangleBodies("POST", "/v1/campaigns", ADMIN, validCampaign);
        for (String action : List.of("schedule", "pause", "resume", "cancel")) {
            add("POST", "/v1/campaigns/" + UUID.randomUUID() + "/" + action, ADMIN, null);
            add("POST", "/v1/campaigns/not-a-uuid/" + action, ADMIN, null);
        }
        for (String q : List.of("cursor=%25%25%25", "cursor=AAAA", "limit=0", "limit=x")) add("GET", "/v1/campaigns?" + q, ADMIN, null);
        add("GET", "/v1/campaigns/not-a-uuid", ADMIN, null);
        // engagement: webhooks, tracking settings, conversions, analytics, suppressions, tracking links
        mutateFields("POST", "/v1/webhooks", APP, json("{\"url\":\"https://hooks.example.com/h\",\"events\":[\"notification.sent\"]}"),
                Map.of(
                        "url", List.of("http://10.0.0.1/h", "https://169.254.169.254/", "gopher://x", "u".repeat(3000)),
                        "events", List.of(List.of("notification.exploded"), List.of())));
        mangleBodies("POST", "/v1/webhooks", APP, "{\"url\":\"https://hooks.example.com/h\",\"events\":[\"notification.sent\"]}");
        mutateFields("POST", "/v1/webhooks/" + UUID.randomUUID() + "/replay", APP, json("{\"since\":\"2026-01-01T00:00:00Z\"}"), Map.of(
                "since", List.of("noon")));
        mutateFields("PUT", "/v1/tracking", APP, json("{\"enabled\":true,\"disabledTemplates\":[\"a\"]}"), Map.of(
                "disabledTemplates", List.of(List.of("t".repeat(200)), java.util.Collections.nCopies(501, "t"))));
        add("PUT", "/v1/tracking", APP, "{\"enabled\":\"yes\"}");
        add("PUT", "/v1/tracking", APP, "{\"enabled\":1}");
        mangleBodies("PUT", "/v1/tracking", APP, "{\"enabled\":true}");
        mutateFields("POST", "/v1/conversions", APP,
                json("{\"eventId\":\"corpus-never-sent\",\"at\":\"2026-01-01T00:00:00Z\",\"detail\":\"d\"}"), Map.of(
                        "eventId", List.of("e".repeat(256)), "at", List.of("noon"), "detail", List.of("d".repeat(1001))));
        mangleBodies("POST", "/v1/conversions", APP, "{\"eventId\":\"corpus-never-sent\"}");
        for (String q : List.of("from=yesterday", "to=2026-13-01T00:00:00Z", "interval=PT30M", "interval=banana",
                "interval=" + "P".repeat(100),
                "interval=-PT1H", "channel=FAX", "channel=%00", "from=2026-01-01T00:00:00Z&to=2025-01-01T00:00:00Z",
                "from=2000-01-01T00:00:00Z&interval=PT1H", "template=" + "t".repeat(300), "category=%ED%A0%80", "campaign=a%00b")) {
            add("GET", "/v1/analytics?" + q, APP, null);
        }
        for (String q : List.of("cursor=%25%25%25", "cursor=!!", "cursor=%00", "cursor=" + "A".repeat(5000), "limit=0", "limit=abc",
                "limit=501")) {
            add("GET", "/v1/suppressions?" + q, APP, null);
        }
        for (String p : List.of("/t/c/forged-token", "/t/o/forged-token", "/t/c/%00", "/t/c/" + "A".repeat(3000), "/t/o/" + "A".repeat(47),
                "/v1/webhooks/not-a-uuid", "/v1/webhooks/" + UUID.randomUUID())) {
            add("GET", p, p.startsWith("/t/") ? null : APP, null);
        }
        add("DELETE", "/v1/webhooks/not-a-uuid", APP, null);
        add("DELETE", "/v1/suppressions/%00", APP, null);
        add("DELETE", "/v1/suppressions/nobody@example.com", APP, null);
        corpus.add(new Hostile("POST", "/v1/webhooks/sendgrid/events", null, "application/json", RawHttp.utf8("[{\"event\":\"bounce\"}]"),
                false));
        corpus.add(new Hostile("POST", "/v1/webhooks/sendgrid/events", null, "application/json", RawHttp.utf8("%%%"), false));

        // queries: cursors, dates, enums, numbers, NUL, bad encodings
        for (String q : List.of("cursor=%25%25%25", "cursor=AAAA", "cursor=" + Base64.getUrlEncoder().encodeToString("x|y".getBytes()),
                "cursor=%00",
                "cursor=" + "A".repeat(5000), "from=yesterday", "to=2026-13-01T00:00:00Z", "from=" + "9".repeat(80), "status=LOST",
                "channel=FAX", "channel=%00", "limit=0", "limit=501", "limit=-1", "limit=abc", "limit=1.5", "limit=99999999999999999999",
                "userId=a%00b", "eventId=%ED%A0%80", "userId=" + "u".repeat(300), "eventId=%C3%28", "%00=1")) {
            add("GET", "/v1/notifications?" + q, APP, null);
        }
        for (String raw : List.of("cursor=%%%", "cursor=%G1", "userId=%")) add("GET", "/v1/notifications?" + raw, APP, null);
        for (String q : List.of("cursor=%%%", "cursor=abc", "cursor=%00", "from=nope", "limit=0", "limit=x", "entityId=%00",
                "actor=%ED%A0%80")) {
            add("GET", "/v1/audit?" + q, ADMIN, null);
        }
        for (String q : List.of("cursor=AA", "cursor=%%%", "cursor=!!", "limit=-5", "limit=1e3"))
            add("GET", "/v1/templates?" + q, ADMIN, null);

        // paths
        for (String p : List.of("/v1/notifications/not-a-uuid", "/v1/notifications/%00", "/v1/notifications/" + "f".repeat(3000),
                "/v1/users/%00", "/v1/users/a%00b/devices", "/v1/users/" + "u".repeat(256), "/v1/users/%ED%A0%80",
                "/v1/users/x/devices/not-a-uuid",
                "/v1/templates/%00", "/v1/templates/" + "k".repeat(300), "/v1/unsubscribe/%00", "/v1/unsubscribe/forged-token",
                "/v1/unsubscribe/" + "A".repeat(3000), "/v1/nothing-here", "/v1/users/%%%")) {
            String creds = p.startsWith("/v1/templates") ? ADMIN : APP;
            add("GET", p, creds, null);
            add("DELETE", p, creds, null);
        }
        add("PUT", "/v1/users/" + "u".repeat(256), APP, "{}");
        add("PUT", "/v1/users/a%00b", APP, "{}");
        add("PUT", "/v1/users/bad%20id", APP, "{}");
        add("POST", "/v1/users/" + "u".repeat(256) + "/devices", APP, validDevice);
        add("POST", "/v1/unsubscribe/forged-token", null, null);
        add("DELETE", "/v1/apps/%00", ADMIN, null);
        add("DELETE", "/v1/accounts/%00", ADMIN, null);
        add("PUT", "/v1/accounts/%00", ADMIN, "{\"role\":\"VIEWER\"}");

        // management
        mutateFields("POST", "/v1/apps", ADMIN, json("{\"name\":\"corpus-app\",\"scopes\":[\"send\"]}"), Map.of(
                "name", List.of("n".repeat(201), ""), "scopes",
                List.of(List.of("admin"), List.of(), List.of("send,read"), List.of("send}"), List.of(1))));
        mangleBodies("POST", "/v1/apps", ADMIN, "{\"name\":\"corpus-app\"}");
        mutateFields("POST", "/v1/accounts", ADMIN,
                json("{\"username\":\"corpus-op\",\"password\":\"long-enough-password\",\"role\":\"VIEWER\"}"), Map.of(
                        "username", List.of("u".repeat(65), "a b"), "password", List.of("short", "p".repeat(73), "é".repeat(40)), "role",
                        List.of("GOD")));
        mangleBodies("POST", "/v1/accounts", ADMIN,
                "{\"username\":\"corpus-op\",\"password\":\"long-enough-password\",\"role\":\"VIEWER\"}");
        mutateFields("PUT", "/v1/accounts/admin", ADMIN, json("{\"role\":\"ADMIN\"}"), Map.of("role", List.of("ROOT")));
        mutateFields("POST", "/v1/dead-letters/requeue", ADMIN, json("{\"ids\":[\"" + UUID.randomUUID() + "\"]}"), Map.of(
                "ids", List.of(List.of("not-a-uuid"), List.of(), List.of(1))));
        String validTemplate = "{\"key\":\"corpus_t\",\"name\":\"Corpus\",\"defaultChannels\":[\"EMAIL\"],\"variables\":[],"
                + "\"content\":{\"default\":{\"EMAIL\":{\"subject\":\"s\",\"text\":\"t\"}}}}";
        mutateFields("POST", "/v1/templates", ADMIN, json(validTemplate), Map.of(
                "key", List.of("bad key!", "k".repeat(129)), "defaultChannels", List.of(List.of("FAX")),
                "content", List.of(Map.of("default", Map.of("EMAIL", Map.of("subject", "{{#unclosed}}"))))));
        mangleBodies("POST", "/v1/templates", ADMIN, validTemplate);
        mutateFields("POST", "/v1/templates/nope/render", ADMIN, json("{\"data\":{\"a\":1},\"locale\":\"en\",\"version\":1}"), Map.of(
                "version", List.of(-1, "1")));

        // callbacks: Twilio is not configured here, so every one is refused; junk must still be a clean 4xx
        corpus.add(new Hostile("POST", "/v1/webhooks/twilio/status", null, "application/x-www-form-urlencoded",
                RawHttp.utf8("MessageSid=%00&MessageStatus=delivered"), false));
        corpus.add(new Hostile("POST", "/v1/webhooks/twilio/status", null, "application/json", RawHttp.utf8("{}"), false));
        corpus.add(
                new Hostile("POST", "/v1/webhooks/twilio/status", null, "application/x-www-form-urlencoded", RawHttp.utf8("a=%%%"), false));
        add("GET", "/v1/webpush/vapid-public-key?x=%00", null, null);

        // credentials: NUL, overlong and undecodable, on app and operator paths
        for (String creds : List.of("app1\u0000:x", "app1:app1-secret-123\u0000", "a".repeat(5000) + ":x", "admin\u0000:admin-password-1",
                ":", "x")) {
            add("GET", "/v1/notifications", creds, null);
            add("GET", "/v1/apps", creds, null);
        }
    }

    @Test
    void hostileRequestsAreAllCleanClientErrorsAndChangeNothing() throws Exception {
        build();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(500);
        System.out.println("hostile corpus: " + corpus.size() + " requests");
        Map<String, Long> before = counts();
        List<String> failures = new ArrayList<>();
        for (Hostile h : corpus) {
            Answer a = h.chunked()
                    ? chunked(h)
                    : toAnswer(RawHttp.send(port, h.method(), h.target(), h.credentials(), h.contentType(), h.body()));
            if (a.status() >= 500 || a.status() < 400) {
                failures.add(a.status() + " for " + h.label() + " -> " + a.body());
                continue;
            }
            if (!a.contentType().startsWith("application/problem+json")) {
                failures.add("not problem+json (" + a.contentType() + ") for " + h.label() + " -> " + a.body());
                continue;
            }
            JsonNode p = JSON.readTree(a.body());
            if (!p.hasNonNull("type") || !p.hasNonNull("title") || p.path("status").asInt() != a.status()) {
                failures.add("incomplete problem for " + h.label() + " -> " + a.body());
            }
            // a client is told what to fix in the API's own terms, never Herald's class names
            if (a.body().contains("io.herald") || a.body().contains("java.") || a.body().contains("tools.jackson")) {
                failures.add("internals in the problem for " + h.label() + " -> " + a.body());
            }
        }
        assertThat(failures).as(failures.size() + " of " + corpus.size()).isEmpty();
        assertThat(counts()).isEqualTo(before);
        Reply ready = call("GET", "/actuator/health/readiness", null, null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().get("status").asString()).isEqualTo("UP");
    }

    record Answer(int status, String contentType, String body) {
    }

    private static Answer toAnswer(RawHttp.Answer a) {
        return new Answer(a.status(), a.contentType(), a.body());
    }

    private Answer chunked(Hostile h) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + h.target()))
                .version(HttpClient.Version.HTTP_1_1).timeout(Duration.ofSeconds(30)).header("Content-Type", h.contentType())
                .method(h.method(), HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(h.body())));
        if (h.credentials() != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(h.credentials().getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }

    private Map<String, Long> counts() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String t : TABLES) m.put(t, jdbc.queryForObject("SELECT count(*) FROM " + t, Long.class));
        return m;
    }
}
