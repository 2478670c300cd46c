package io.herald.server.templates;

import io.herald.testkit.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
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
 * The template management API as the contract describes it (Management > Templates, Audit), over real HTTP, on a
 * schema of its own in the machine's PostgreSQL: roles, versions, publish and rollback, sends that use templates,
 * previews, validation and the audit trail.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TemplateApiTest {

    static final String SCHEMA = TestPostgres.newSchema("templateapi");
    static final String APP = "app1:app1-secret-123";
    static final String ADMIN = "admin:admin-password-1";
    static final String VIEWER = "viewer1:viewer-password-1";
    static final String EDITOR = "editor1:editor-password-1";
    static final String PUBLISHER = "publisher1:publisher-password-1";
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("herald.db.url", () -> "jdbc:postgresql://127.0.0.1:5432/test");
        r.add("herald.db.username", () -> "postgres");
        r.add("herald.db.schema", () -> SCHEMA);
        r.add("herald.bootstrap.admin", () -> ADMIN);
        r.add("herald.bootstrap.app", () -> APP);
        // the role matrix below makes dozens of deliberately wrong operator logins from one address
        r.add("herald.security.login.failures-per-address", () -> "1000");
        r.add("herald.security.login.failures-per-account", () -> "1000");
    }

    // the Spring context is cached until the JVM exits, so the schema goes in a shutdown hook after it
    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                TestPostgres.dropSchema(SCHEMA);
            } catch (RuntimeException ignored) {
                // best effort
            }
        }));
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    String user;

    @BeforeAll
    void accountsAndUser() {
        for (String[] account : List.of(new String[]{VIEWER, "VIEWER"}, new String[]{EDITOR, "EDITOR"},
                new String[]{PUBLISHER, "PUBLISHER"})) {
            String[] up = account[0].split(":");
            Reply r = call("POST", "/v1/accounts", ADMIN, json(Map.of("username", up[0], "password", up[1], "role", account[1])));
            assertThat(r.status()).as(r.raw()).isEqualTo(201);
        }
        user = "u-" + UUID.randomUUID().toString().substring(0, 8);
        Reply u = call("PUT", "/v1/users/" + user, APP, """
                {"email": "ada@example.com", "phone": "+82 10-1234-5678", "timezone": "Asia/Seoul"}""");
        assertThat(u.status()).as(u.raw()).isEqualTo(201);
    }

    // ------------------------------------------------------------------ roles

    @Test
    void everyEndpointEnforcesItsRole() {
        String key = "roles_" + suffix();
        assertThat(call("POST", "/v1/templates", ADMIN, template(key, "Hello {{item_name}}")).status()).isEqualTo(201);
        assertThat(call("POST", "/v1/templates/" + key + "/versions/1/publish", ADMIN, null).status()).isEqualTo(200);

        Map<String, String> roles = new LinkedHashMap<>();
        roles.put("VIEWER", VIEWER);
        roles.put("EDITOR", EDITOR);
        roles.put("PUBLISHER", PUBLISHER);
        roles.put("ADMIN", ADMIN);
        List<String> minimumRoles = List.of("VIEWER", "EDITOR", "PUBLISHER", "ADMIN");
        List<String> mismatches = new ArrayList<>();
        int counter = 0;
        for (var role : roles.entrySet()) {
            int rank = minimumRoles.indexOf(role.getKey());
            String created = "made_by_" + role.getKey().toLowerCase() + "_" + suffix();
            record Case(String method, String path, String body, String needs, int ok) {
            }
            List<Case> cases = List.of(
                    new Case("GET", "/v1/templates", null, "VIEWER", 200),
                    new Case("GET", "/v1/templates/" + key, null, "VIEWER", 200),
                    new Case("GET", "/v1/templates/" + key + "/versions", null, "VIEWER", 200),
                    new Case("GET", "/v1/templates/" + key + "/versions/1", null, "VIEWER", 200),
                    new Case("POST", "/v1/templates/" + key + "/render", "{\"data\": {\"item_name\": \"Latte\"}}", "VIEWER", 200),
                    new Case("POST", "/v1/templates", template(created, "Hi {{item_name}}"), "EDITOR", 201),
                    new Case("PUT", "/v1/templates/" + key, template(key, "Edit " + (++counter) + " {{item_name}}"), "EDITOR", 200),
                    new Case("POST", "/v1/templates/" + key + "/versions/1/publish", null, "PUBLISHER", 200));
            for (Case c : cases) {
                int expected = rank >= minimumRoles.indexOf(c.needs()) ? c.ok() : 403;
                Reply r = call(c.method(), c.path(), role.getValue(), c.body());
                if (r.status() != expected)
                    mismatches.add(role.getKey() + " " + c.method() + " " + c.path() + " -> " + r.status() + ", expected " + expected);
                if (expected == 403) assertThat(r.contentType()).startsWith("application/problem+json");
                Reply anonymous = call(c.method(), c.path(), null, c.body());
                if (anonymous.status() != 401)
                    mismatches.add("no credentials " + c.method() + " " + c.path() + " -> " + anonymous.status());
                Reply wrong = call(c.method(), c.path(), "admin:wrong-password-9", c.body());
                if (wrong.status() != 401) mismatches.add("wrong password " + c.method() + " " + c.path() + " -> " + wrong.status());
                Reply app = call(c.method(), c.path(), APP, c.body());
                if (app.status() != 401) mismatches.add("app credentials " + c.method() + " " + c.path() + " -> " + app.status());
            }
            // a refused create left nothing behind
            int expectedCreate = rank >= 1 ? 200 : 404;
            assertThat(call("GET", "/v1/templates/" + created, ADMIN, null).status()).as(role.getKey() + " create")
                    .isEqualTo(expectedCreate);
        }
        assertThat(mismatches).isEmpty();
        // the viewer's PUT made no version: EDITOR, PUBLISHER and ADMIN each saved one after v1
        Reply versions = call("GET", "/v1/templates/" + key + "/versions", VIEWER, null);
        assertThat(versions.body().get("items")).hasSize(4);
        assertThat(versions.body().get("items").get(0).get("createdBy").asString()).isEqualTo("admin");
        assertThat(versions.body().get("items").get(2).get("createdBy").asString()).isEqualTo("editor1");
    }

    // ------------------------------------------------------------------ sends

    @Test
    void publishedTemplateRendersSendsWithLocaleFallback() {
        String key = "order_ready_" + suffix();
        Reply created = call("POST", "/v1/templates", EDITOR,
                """
                        {"key": "%s", "name": "Order ready", "defaultChannels": ["SMS", "EMAIL"],
                         "variables": [{"name": "item_name", "type": "STRING", "required": true}],
                         "content": {
                           "default": {"PUSH": {"title": "Ready", "body": "{{item_name}} is ready"},
                                       "SMS": {"text": "{{item_name}} is ready"},
                                       "EMAIL": {"subject": "Your {{item_name}}", "html": "<p>{{item_name}} is ready</p>", "text": "{{item_name}} is ready"}},
                           "ko": {"SMS": {"text": "{{item_name}} 준비됐어요"}},
                           "ko-KR": {"EMAIL": {"subject": "{{item_name}} 준비 완료", "html": "<p>{{item_name}} 나왔습니다</p>"}}}}"""
                        .formatted(key));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).contains("/v1/templates/" + key);
        assertThat(created.body().get("latest").get("version").asInt()).isEqualTo(1);
        assertThat(created.body().get("latest").get("state").asString()).isEqualTo("DRAFT");
        assertThat(created.body().get("published").isNull()).isTrue();

        // a draft is not what sends use
        String early = event();
        Reply draftSend = send(early, key, "{\"item_name\": \"Latte\"}", "ko-KR", null);
        assertThat(draftSend.status()).as(draftSend.raw()).isEqualTo(422);
        assertThat(notificationsOf(early)).isZero();

        Reply published = call("POST", "/v1/templates/" + key + "/versions/1/publish", PUBLISHER, null);
        assertThat(published.status()).as(published.raw()).isEqualTo(200);
        assertThat(published.body().get("published").get("version").asInt()).isEqualTo(1);

        String korean = event();
        Reply sent = send(korean, key, "{\"item_name\": \"Latte & <Cream>\"}", "ko-KR", null);
        assertThat(sent.status()).as(sent.raw()).isEqualTo(202);
        assertThat(sent.body().get("notifications")).hasSize(2); // the template's default channels
        Map<String, JsonNode> content = contentOf(korean);
        assertThat(content.get("EMAIL").get("subject").asString()).as("ko-KR exact").isEqualTo("Latte & <Cream> 준비 완료");
        assertThat(content.get("EMAIL").get("html").asString()).as("html escapes values")
                .isEqualTo("<p>Latte &amp; &lt;Cream&gt; 나왔습니다</p>");
        assertThat(content.get("SMS").get("text").asString()).as("ko-KR falls back to ko").isEqualTo("Latte & <Cream> 준비됐어요");
        assertThat(jdbc.queryForObject("SELECT DISTINCT template_key || '@' || template_version FROM notifications WHERE event_id = ?",
                String.class, korean)).isEqualTo(key + "@1");

        String english = event();
        assertThat(send(english, key, "{\"item_name\": \"Latte\"}", "en-US", List.of("SMS")).status()).isEqualTo(202);
        Map<String, JsonNode> fallback = contentOf(english);
        assertThat(fallback.keySet()).containsExactly("SMS");
        assertThat(fallback.get("SMS").get("text").asString()).as("en-US falls back to default").isEqualTo("Latte is ready");
    }

    @Test
    void sendsThatDoNotFitTheTemplateAreRefusedAndStoreNothing() {
        String key = "strict_" + suffix();
        assertThat(call("POST", "/v1/templates", EDITOR, template(key, "Code {{item_name}}")).status()).isEqualTo(201);
        assertThat(call("POST", "/v1/templates/" + key + "/versions/1/publish", PUBLISHER, null).status()).isEqualTo(200);

        String missing = event();
        Reply r = send(missing, key, "{\"other\": 1}", null, List.of("SMS"));
        assertThat(r.status()).as(r.raw()).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body().get("detail").asString()).contains("item_name");
        assertThat(notificationsOf(missing)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM send_requests WHERE event_id = ?", Long.class, missing)).isZero();

        String unknown = event();
        Reply u = send(unknown, "no_such_template_" + suffix(), "{\"item_name\": \"x\"}", null, List.of("SMS"));
        assertThat(u.status()).as(u.raw()).isEqualTo(422);
        assertThat(u.body().get("errors").get(0).get("field").asString()).isEqualTo("template");
        assertThat(notificationsOf(unknown)).isZero();

        // the same eventId, corrected, is then accepted: the refusal did not record it
        assertThat(send(missing, key, "{\"item_name\": \"4711\"}", null, List.of("SMS")).status()).isEqualTo(202);
        assertThat(contentOf(missing).get("SMS").get("text").asString()).isEqualTo("Code 4711");
    }

    @Test
    void newVersionsAreDraftsAndPublishingAnOlderOneRollsBack() {
        String key = "promo_" + suffix();
        assertThat(call("POST", "/v1/templates", EDITOR, template(key, "First {{item_name}}")).status()).isEqualTo(201);
        assertThat(call("POST", "/v1/templates/" + key + "/versions/1/publish", PUBLISHER, null).status()).isEqualTo(200);

        Reply put = call("PUT", "/v1/templates/" + key, EDITOR, template(key, "Second {{item_name}}"));
        assertThat(put.status()).as(put.raw()).isEqualTo(200);
        assertThat(put.body().get("latestVersion").asInt()).isEqualTo(2);
        assertThat(put.body().get("publishedVersion").asInt()).isEqualTo(1);
        Reply detail = call("GET", "/v1/templates/" + key, VIEWER, null);
        assertThat(detail.body().get("published").get("version").asInt()).isEqualTo(1);
        assertThat(detail.body().get("published").get("state").asString()).isEqualTo("PUBLISHED");
        assertThat(detail.body().get("latest").get("version").asInt()).isEqualTo(2);
        assertThat(detail.body().get("latest").get("state").asString()).isEqualTo("DRAFT");
        assertThat(detail.body().get("latest").get("content").get("default").get("SMS").get("text").asString())
                .isEqualTo("Second {{item_name}}");
        assertThat(smsOfSend(key)).as("v1 still what sends use").isEqualTo("First Latte");

        // the same body again is not a new version
        Reply same = call("PUT", "/v1/templates/" + key, EDITOR, template(key, "Second {{item_name}}"));
        assertThat(same.status()).isEqualTo(200);
        assertThat(same.body().get("created").asBoolean()).isFalse();
        assertThat(same.body().get("latestVersion").asInt()).isEqualTo(2);

        assertThat(call("POST", "/v1/templates/" + key + "/versions/2/publish", PUBLISHER, null).status()).isEqualTo(200);
        assertThat(smsOfSend(key)).as("the publish shows at once").isEqualTo("Second Latte");
        assertThat(states(key)).containsExactly("2:PUBLISHED", "1:ARCHIVED");

        Reply rollback = call("POST", "/v1/templates/" + key + "/versions/1/publish", PUBLISHER, null);
        assertThat(rollback.status()).isEqualTo(200);
        assertThat(rollback.body().get("previousVersion").asInt()).isEqualTo(2);
        assertThat(rollback.body().get("publishedVersion").asInt()).isEqualTo(1);
        assertThat(smsOfSend(key)).as("rolled back").isEqualTo("First Latte");
        assertThat(states(key)).containsExactly("2:ARCHIVED", "1:PUBLISHED");

        // an explicit version of a send still reaches an archived one
        String pinned = event();
        assertThat(call("POST", "/v1/notifications", APP,
                """
                        {"eventId": "%s", "userId": "%s", "channels": ["SMS"], "template": "%s", "templateVersion": 2, "data": {"item_name": "Tea"}}"""
                        .formatted(pinned, user, key))
                .status()).isEqualTo(202);
        assertThat(contentOf(pinned).get("SMS").get("text").asString()).isEqualTo("Second Tea");

        assertThat(call("POST", "/v1/templates/" + key + "/versions/9/publish", PUBLISHER, null).status()).isEqualTo(404);
        assertThat(call("POST", "/v1/templates/nope_" + suffix() + "/versions/1/publish", PUBLISHER, null).status()).isEqualTo(404);
        String absent = "nope_" + suffix();
        assertThat(call("PUT", "/v1/templates/" + absent, EDITOR, template(absent, "y {{item_name}}")).status()).isEqualTo(404);
        assertThat(call("GET", "/v1/templates/" + absent, VIEWER, null).status()).isEqualTo(404);
        assertThat(call("GET", "/v1/templates/" + absent + "/versions", VIEWER, null).status()).isEqualTo(404);
    }

    @Test
    void listIsPagedByKey() {
        String prefix = "list_" + suffix() + "_";
        for (String k : List.of("c", "a", "b")) {
            assertThat(call("POST", "/v1/templates", EDITOR, template(prefix + k, "x {{item_name}}")).status()).isEqualTo(201);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Reply page = call("GET",
                    "/v1/templates?limit=2" + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)),
                    VIEWER, null);
            assertThat(page.status()).as(page.raw()).isEqualTo(200);
            assertThat(page.body().get("items").size()).isLessThanOrEqualTo(2);
            page.body().get("items").forEach(i -> seen.add(i.get("key").asString()));
            cursor = page.body().get("nextCursor").isNull() ? null : page.body().get("nextCursor").asString();
        } while (cursor != null && ++pages < 100);
        assertThat(seen).isSorted().doesNotHaveDuplicates().contains(prefix + "a", prefix + "b", prefix + "c");
        assertThat(call("GET", "/v1/templates?limit=0", VIEWER, null).status()).isEqualTo(400);
        assertThat(call("GET", "/v1/templates?limit=501", VIEWER, null).status()).isEqualTo(400);
    }

    // ------------------------------------------------------------------ preview, legacy form, validation

    @Test
    void renderPreviewsAnyVersionOrRefusesWith422() {
        String key = "preview_" + suffix();
        assertThat(call("POST", "/v1/templates", EDITOR,
                """
                        {"key": "%s", "name": "Preview", "defaultChannels": ["PUSH"],
                         "variables": [{"name": "item_name", "type": "STRING", "required": true}, {"name": "count", "type": "NUMBER", "required": false}],
                         "content": {"default": {"PUSH": {"title": "{{item_name}}", "body": "{{count}} left", "url": "https://shop.example/{{item_name}}"},
                                                 "EMAIL": {"subject": "S {{item_name}}", "html": "<b>{{item_name}}</b>"}},
                                     "ko": {"PUSH": {"title": "{{item_name}} 왔어요"}}}}"""
                        .formatted(key))
                .status()).isEqualTo(201);

        // never published: the preview shows the latest draft
        Reply r = call("POST", "/v1/templates/" + key + "/render", VIEWER,
                "{\"data\": {\"item_name\": \"Latte\", \"count\": 3}, \"locale\": \"ko-KR\"}");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().get("version").asInt()).isEqualTo(1);
        assertThat(r.body().get("state").asString()).isEqualTo("DRAFT");
        assertThat(r.body().get("locale").asString()).isEqualTo("ko");
        assertThat(r.body().get("content").get("PUSH").get("title").asString()).isEqualTo("Latte 왔어요");
        assertThat(r.body().get("content").get("PUSH").has("body")).as("ko PUSH has only a title").isFalse();
        assertThat(r.body().get("content").get("EMAIL").get("html").asString()).isEqualTo("<b>Latte</b>");
        assertThat(r.body().get("content").get("EMAIL").get("subject").asString()).isEqualTo("S Latte");

        Reply missing = call("POST", "/v1/templates/" + key + "/render", VIEWER, "{\"data\": {\"count\": 3}}");
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.body().get("errors").get(0).get("field").asString()).isEqualTo("data");
        assertThat(missing.body().get("errors").get(0).get("message").asString()).contains("item_name");

        Reply mistyped = call("POST", "/v1/templates/" + key + "/render", VIEWER,
                "{\"data\": {\"item_name\": \"x\", \"count\": \"three\"}}");
        assertThat(mistyped.status()).isEqualTo(422);
        assertThat(mistyped.body().get("errors").get(0).get("message").asString()).contains("count");

        assertThat(call("POST", "/v1/templates/" + key + "/render", VIEWER, "{\"data\": {\"item_name\": \"x\"}, \"version\": 7}").status())
                .isEqualTo(422);
        assertThat(call("POST", "/v1/templates/" + key + "/render", VIEWER,
                "{\"data\": {\"item_name\": \"x\"}, \"locale\": \"not a locale!\"}").status()).isEqualTo(422);
        assertThat(call("POST", "/v1/templates/nope_" + suffix() + "/render", VIEWER, "{\"data\": {}}").status()).isEqualTo(404);

        // after a publish and a new draft: no version previews the published one, version 2 the draft
        assertThat(call("POST", "/v1/templates/" + key + "/versions/1/publish", PUBLISHER, null).status()).isEqualTo(200);
        String v2 = """
                {"name": "Preview", "variables": [{"name": "item_name", "type": "STRING", "required": true}],
                 "content": {"default": {"PUSH": {"title": "New {{item_name}}"}}}}""";
        assertThat(call("PUT", "/v1/templates/" + key, EDITOR, v2).status()).isEqualTo(200);
        Reply published = call("POST", "/v1/templates/" + key + "/render", VIEWER, "{\"data\": {\"item_name\": \"A\"}}");
        assertThat(published.body().get("version").asInt()).isEqualTo(1);
        assertThat(published.body().get("content").get("PUSH").get("title").asString()).isEqualTo("A");
        Reply draft = call("POST", "/v1/templates/" + key + "/render", VIEWER, "{\"data\": {\"item_name\": \"A\"}, \"version\": 2}");
        assertThat(draft.body().get("version").asInt()).isEqualTo(2);
        assertThat(draft.body().get("state").asString()).isEqualTo("DRAFT");
        assertThat(draft.body().get("content").get("PUSH").get("title").asString()).isEqualTo("New A");
    }

    @Test
    void legacyBracketPlaceholdersAreAcceptedAndStoredAsMustache() {
        String key = "legacy_" + suffix();
        Reply created = call("POST", "/v1/templates", EDITOR, """
                {"key": "%s", "name": "Legacy", "defaultChannels": ["SMS"],
                 "variables": [{"name": "item_name", "type": "STRING", "required": true}],
                 "content": {"default": {"SMS": {"text": "[item_name] is ready [note]"}}}}""".formatted(key));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(created.body().get("latest").get("content").get("default").get("SMS").get("text").asString())
                .as("declared names convert, other brackets stay text").isEqualTo("{{item_name}} is ready [note]");
        assertThat(call("POST", "/v1/templates/" + key + "/versions/1/publish", PUBLISHER, null).status()).isEqualTo(200);
        assertThat(smsOfSend(key)).isEqualTo("Latte is ready [note]");
    }

    @Test
    void invalidDefinitionsAre422WithEveryProblemAndStoreNothing() {
        String key = "invalid_" + suffix();
        Reply noDefault = call("POST", "/v1/templates", EDITOR, """
                {"key": "%s", "name": "x", "variables": [],
                 "content": {"ko": {"SMS": {"text": "{{undeclared}}"}}, "not a locale!": {"SMS": {"text": "x"}}}}""".formatted(key));
        assertThat(noDefault.status()).as(noDefault.raw()).isEqualTo(422);
        assertThat(noDefault.contentType()).startsWith("application/problem+json");
        assertThat(fields(noDefault)).contains("content", "content.ko.SMS.text", "content.not a locale!");

        Reply shape = call("POST", "/v1/templates", EDITOR, """
                {"key": "%s", "defaultChannels": ["FAX"], "variables": [{"name": "a", "type": "COLOUR"}],
                 "content": {"default": {"PIGEON": {"text": "x"}}}}""".formatted(key));
        assertThat(shape.status()).isEqualTo(422);
        assertThat(fields(shape)).contains("defaultChannels[0]", "variables[0].type", "content.default.PIGEON");

        assertThat(fields(call("POST", "/v1/templates", EDITOR, "{\"name\": \"no key\"}"))).contains("key");
        assertThat(fields(call("POST", "/v1/templates", EDITOR, template("bad key!", "x")))).contains("key");
        assertThat(call("POST", "/v1/templates", EDITOR, "{not json").status()).isEqualTo(400);
        assertThat(call("GET", "/v1/templates/" + key, VIEWER, null).status()).isEqualTo(404);

        assertThat(call("POST", "/v1/templates", EDITOR, template(key, "ok {{item_name}}")).status()).isEqualTo(201);
        Reply duplicate = call("POST", "/v1/templates", EDITOR, template(key, "again {{item_name}}"));
        assertThat(duplicate.status()).isEqualTo(409);
        Reply mismatch = call("PUT", "/v1/templates/" + key, EDITOR, template("other_" + suffix(), "x {{item_name}}"));
        assertThat(mismatch.status()).isEqualTo(422);
        assertThat(fields(mismatch)).contains("key");
        Reply badUpdate = call("PUT", "/v1/templates/" + key, EDITOR, template(key, "{{#broken}}"));
        assertThat(badUpdate.status()).isEqualTo(422);
        assertThat(call("GET", "/v1/templates/" + key + "/versions", VIEWER, null).body().get("items")).hasSize(1);
        assertThat(auditOf(key)).hasSize(1);
    }

    @Test
    void openApiDocumentDescribesTheTemplateEndpointsAndBody() {
        Reply docs = call("GET", "/v3/api-docs", null, null);
        assertThat(docs.status()).as(docs.raw()).isEqualTo(200);
        JsonNode paths = docs.body().get("paths");
        assertThat(paths.has("/v1/templates")).isTrue();
        assertThat(paths.get("/v1/templates").has("post")).isTrue();
        assertThat(paths.get("/v1/templates/{key}").has("put")).isTrue();
        assertThat(paths.has("/v1/templates/{key}/versions")).isTrue();
        assertThat(paths.has("/v1/templates/{key}/versions/{version}/publish")).isTrue();
        assertThat(paths.has("/v1/templates/{key}/render")).isTrue();
        JsonNode body = docs.body().get("components").get("schemas").get("TemplateBody");
        assertThat(body).as("the template body schema").isNotNull();
        assertThat(body.get("properties").has("defaultChannels")).isTrue();
        assertThat(body.get("properties").has("content")).isTrue();
    }

    // ------------------------------------------------------------------ audit

    @Test
    void everyChangeIsAuditedWithActorAndDiffAndTheTrailCannotBeChanged() {
        String key = "audited_" + suffix();
        assertThat(call("POST", "/v1/templates", EDITOR, template(key, "One {{item_name}}")).status()).isEqualTo(201);
        assertThat(call("POST", "/v1/templates/" + key + "/versions/1/publish", PUBLISHER, null).status()).isEqualTo(200);
        String v2 = """
                {"key": "%s", "name": "Renamed", "defaultChannels": ["SMS"],
                 "variables": [{"name": "item_name", "type": "STRING", "required": true}, {"name": "extra", "type": "STRING", "required": false}],
                 "content": {"default": {"SMS": {"text": "Two {{item_name}}{{extra}}"}}, "ko": {"SMS": {"text": "둘 {{item_name}}"}}}}"""
                .formatted(key);
        assertThat(call("PUT", "/v1/templates/" + key, EDITOR, v2).status()).isEqualTo(200);
        assertThat(call("POST", "/v1/templates/" + key + "/versions/2/publish", PUBLISHER, null).status()).isEqualTo(200);
        assertThat(call("POST", "/v1/templates/" + key + "/versions/1/publish", ADMIN, null).status()).isEqualTo(200);
        // refused and unchanged requests leave no entry
        assertThat(call("POST", "/v1/templates/" + key + "/versions/2/publish", EDITOR, null).status()).isEqualTo(403);
        assertThat(call("POST", "/v1/templates/" + key + "/versions/1/publish", PUBLISHER, null).status()).isEqualTo(200);

        List<JsonNode> entries = auditOf(key);
        assertThat(entries).extracting(e -> e.get("action").asString() + " by " + e.get("actor").asString()).containsExactly(
                "CREATE by editor1", "PUBLISH by publisher1", "UPDATE by editor1", "PUBLISH by publisher1", "PUBLISH by admin");
        for (JsonNode e : entries) {
            assertThat(e.get("entityType").asString()).isEqualTo("template");
            assertThat(e.get("entityId").asString()).isEqualTo(key);
            assertThat(e.get("at").asString()).isNotBlank();
        }
        JsonNode create = entries.get(0).get("diff");
        assertThat(create.get("version").asInt()).isEqualTo(1);
        assertThat(create.get("content").get("default").toString()).isEqualTo("[\"SMS\"]");

        JsonNode update = entries.get(2).get("diff");
        assertThat(update.get("fromVersion").asInt()).isEqualTo(1);
        assertThat(update.get("toVersion").asInt()).isEqualTo(2);
        JsonNode changes = update.get("changes");
        assertThat(changes.get("name").get("to").asString()).isEqualTo("Renamed");
        assertThat(changes.get("variables").get("added").toString()).isEqualTo("[\"extra\"]");
        assertThat(changes.get("content").get("default").get("SMS").toString()).isEqualTo("[\"text\"]");
        assertThat(changes.get("content").get("ko").asString()).isEqualTo("added");
        assertThat(changes.has("defaultChannels")).as("unchanged fields are left out").isFalse();

        assertThat(entries.get(3).get("diff").get("previousVersion").asInt()).isEqualTo(1);
        assertThat(entries.get(3).get("diff").get("rollback").asBoolean()).isFalse();
        assertThat(entries.get(4).get("diff").get("version").asInt()).isEqualTo(1);
        assertThat(entries.get(4).get("diff").get("rollback").asBoolean()).isTrue();

        // no API changes or deletes entries
        for (String method : List.of("PUT", "DELETE", "PATCH", "POST")) {
            Reply r = call(method, "/v1/audit", ADMIN, method.equals("DELETE") ? null : "{}");
            assertThat(r.status()).as(method + " /v1/audit").isEqualTo(405);
        }
        assertThat(call("DELETE", "/v1/audit?entityType=template&entityId=" + key, ADMIN, null).status()).isEqualTo(405);
        assertThat(auditOf(key)).hasSize(5);
        assertThat(call("GET", "/v1/audit?entityType=template&entityId=" + key, null, null).status()).isEqualTo(401);
    }

    // ------------------------------------------------------------------ helpers

    static String template(String key, String smsText) {
        return json(Map.of("key", key, "name", "Template " + key, "defaultChannels", List.of("SMS"),
                "variables", List.of(Map.of("name", "item_name", "type", "STRING", "required", true)),
                "content", Map.of("default", Map.of("SMS", Map.of("text", smsText)))));
    }

    Reply send(String eventId, String template, String data, String locale, List<String> channels) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", eventId);
        body.put("userId", user);
        body.put("template", template);
        body.put("data", JSON.readTree(data));
        if (locale != null) body.put("locale", locale);
        if (channels != null) body.put("channels", channels);
        return call("POST", "/v1/notifications", APP, json(body));
    }

    /** Sends the published version of a one-SMS template with item_name=Latte and returns the SMS text stored. */
    String smsOfSend(String key) {
        String e = event();
        Reply r = send(e, key, "{\"item_name\": \"Latte\"}", null, List.of("SMS"));
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        return contentOf(e).get("SMS").get("text").asString();
    }

    Map<String, JsonNode> contentOf(String eventId) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        jdbc.query("SELECT channel, content::text FROM notifications WHERE event_id = ? ORDER BY channel",
                rs -> {
                    m.put(rs.getString(1), JSON.readTree(rs.getString(2)));
                }, eventId);
        return m;
    }

    long notificationsOf(String eventId) {
        Long n = jdbc.queryForObject("SELECT count(*) FROM notifications WHERE event_id = ?", Long.class, eventId);
        return n == null ? 0 : n;
    }

    List<String> states(String key) {
        List<String> s = new ArrayList<>();
        call("GET", "/v1/templates/" + key + "/versions", VIEWER, null).body().get("items")
                .forEach(v -> s.add(v.get("version").asInt() + ":" + v.get("state").asString()));
        return s;
    }

    List<JsonNode> auditOf(String key) {
        Reply r = call("GET", "/v1/audit?entityType=template&entityId=" + key, VIEWER, null);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        List<JsonNode> entries = new ArrayList<>();
        r.body().get("items").forEach(entries::add);
        return entries;
    }

    static List<String> fields(Reply r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(422);
        List<String> f = new ArrayList<>();
        r.body().get("errors").forEach(e -> f.add(e.get("field").asString()));
        return f;
    }

    static String event() {
        return "evt-" + UUID.randomUUID();
    }

    static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    static String json(Object o) {
        return JSON.writeValueAsString(o);
    }

    record Reply(int status, String contentType, JsonNode body, String raw, java.net.http.HttpHeaders headers) {
    }

    private io.herald.server.OpenApiResponses openApi;

    Reply call(String method, String path, String credentials, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(30));
        if (credentials != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        if (body != null) b.header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            String ct = r.headers().firstValue("Content-Type").orElse("");
            JsonNode node = ct.contains("json") && !r.body().isEmpty() ? JSON.readTree(r.body()) : null;
            if (openApi == null) openApi = io.herald.server.OpenApiResponses.of(port);
            openApi.assertAgrees(method, path, r.statusCode(), ct, node); // every reply agrees with the published schema
            return new Reply(r.statusCode(), ct, node, r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
