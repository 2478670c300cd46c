package io.herald.server.console;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.RequestOptions;
import io.herald.core.intake.AppZones;
import io.herald.server.ServerTestBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** Console pages for topics and campaigns, and the app's default timezone, in Debian's Chromium through Playwright. */
class AudienceConsoleBrowserTest extends ServerTestBase {

    private static Chromium chromium;
    private static Browser browser;

    @Autowired
    AppZones zones;
    @Autowired
    JdbcTemplate jdbc;

    @BeforeAll
    static void startBrowser() {
        chromium = new Chromium();
        browser = chromium.browser;
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) chromium.close();
    }

    /** Other test classes expect app1 without a zone of its own. */
    @AfterEach
    void clearZone() {
        zones.setDefaultZone(app1(), null, Instant.now());
    }

    private long app1() {
        return jdbc.queryForObject("SELECT id FROM apps WHERE app_key = 'app1'", Long.class);
    }

    /** A new operator with this role, signed in in a fresh browser context whose every confirm() is accepted. */
    private Page operator(String role) {
        String name = role.toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 6);
        Reply r = call("POST", "/v1/accounts", ADMIN,
                "{\"username\":\"%s\",\"password\":\"long-enough-password\",\"role\":\"%s\"}".formatted(name, role));
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        Page page = browser.newContext(new Browser.NewContextOptions().setTimezoneId("Europe/Berlin")).newPage();
        page.onDialog(d -> d.accept());
        page.navigate("http://localhost:" + port + "/console/login");
        page.getByLabel("Username").fill(name);
        page.getByLabel("Password").fill("long-enough-password");
        page.getByRole(AriaRole.BUTTON, named("Sign in")).click();
        assertThat(page.getByRole(AriaRole.HEADING, named("Overview"))).isVisible();
        return page;
    }

    private void open(Page page, String path) {
        page.navigate("http://localhost:" + port + path);
    }

    private static Page.GetByRoleOptions named(String name) {
        return new Page.GetByRoleOptions().setName(name).setExact(true);
    }

    private static int postWithoutToken(Page page, String path) {
        return page.request().post(path, RequestOptions.create().setHeader("Content-Type", "application/x-www-form-urlencoded")
                .setData("app=app1").setMaxRedirects(0)).status();
    }

    private List<String> users(String prefix, int n, String topic, int optedOut) {
        List<String> items = new ArrayList<>(), ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("%s-%03d".formatted(prefix, i));
            items.add("{\"userId\":\"%s\",\"email\":\"u%d@example.com\"%s}".formatted(ids.getLast(), i,
                    topic == null ? "" : ",\"topics\":[\"" + topic + "\"]"));
        }
        Reply r = call("POST", "/v1/users/batch", APP, "{\"users\":[" + String.join(",", items) + "]}");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        if (optedOut >= 0) {
            assertThat(call("PUT", "/v1/users/" + ids.get(optedOut) + "/preferences", APP, "{\"channels\":{\"EMAIL\":false}}").status())
                    .isEqualTo(200);
        }
        return ids;
    }

    @Test
    void topicsAreCreatedCountedPagedAndDeletedByRole() {
        String key = "0console-" + UUID.randomUUID().toString().substring(0, 8); // sorts onto the first page
        // an app whose name holds a form's label must not make the app selector answer to that label
        assertThat(call("POST", "/v1/apps", ADMIN, "{\"name\":\"Key rotation Name\"}").status()).isEqualTo(201);
        Page editor = operator("EDITOR");
        open(editor, "/console/topics?app=app1");
        editor.getByLabel("Key").fill(key);
        editor.getByLabel("Name").fill("Weekly news");
        editor.getByRole(AriaRole.BUTTON, named("Create topic")).click();
        assertThat(editor.getByRole(AriaRole.STATUS)).containsText("Topic created");
        assertThat(call("GET", "/v1/topics/" + key, APP, null).body().get("name").asString()).isEqualTo("Weekly news");

        List<String> ids = users("tsub-" + UUID.randomUUID().toString().substring(0, 6), 55, null, -1);
        assertThat(call("POST", "/v1/topics/" + key + "/subscribers", APP, JSON.writeValueAsString(Map.of("userIds", ids))).status())
                .isEqualTo(200);
        editor.reload();
        var row = editor.locator("tr", new Page.LocatorOptions().setHas(editor.getByRole(AriaRole.LINK, named(key))));
        assertThat(row.locator("td.num")).hasText("55");

        // subscribers come 50 to a page, the next page through the cursor link
        editor.getByRole(AriaRole.LINK, named(key)).click();
        assertThat(editor.locator("#subscriber-count")).hasText("55");
        assertThat(editor.locator("#subscribers li")).hasCount(50);
        assertThat(editor.locator("#subscribers li").first()).hasText(ids.getFirst());
        editor.getByRole(AriaRole.LINK, named("Next subscribers")).click();
        assertThat(editor.locator("#subscribers li")).hasCount(5);
        assertThat(editor.locator("#subscribers li").last()).hasText(ids.getLast());

        // a bad key is refused and creates nothing; a form without its token is refused
        open(editor, "/console/topics?app=app1");
        editor.locator("input[name=key]").evaluate("e => e.removeAttribute('pattern')");
        editor.getByLabel("Key").fill("has spaces");
        editor.getByLabel("Name").fill("Bad");
        editor.getByRole(AriaRole.BUTTON, named("Create topic")).click();
        assertThat(editor.getByRole(AriaRole.ALERT)).containsText("key");
        assertThat(call("GET", "/v1/topics/has%20spaces", APP, null).status()).isNotEqualTo(200);
        assertThat(postWithoutToken(editor, "http://localhost:" + port + "/console/topics/app1/" + key + "/delete")).isEqualTo(403);

        // a viewer reads but has no create or delete controls, and the server refuses the delete too
        Page viewer = operator("VIEWER");
        open(viewer, "/console/topics?app=app1");
        assertThat(viewer.getByRole(AriaRole.LINK, named(key))).isVisible();
        assertThat(viewer.getByRole(AriaRole.BUTTON, named("Create topic"))).hasCount(0);
        assertThat(viewer.getByRole(AriaRole.BUTTON, named("Delete " + key))).hasCount(0);
        String csrf = viewer.locator("meta[name=csrf-token]").getAttribute("content");
        assertThat(viewer.request().post("http://localhost:" + port + "/console/topics/app1/" + key + "/delete", RequestOptions.create()
                .setHeader("Content-Type", "application/x-www-form-urlencoded").setData("_csrf=" + csrf).setMaxRedirects(0)).status())
                .isEqualTo(403);
        viewer.context().close();

        open(editor, "/console/topics?app=app1");
        editor.getByRole(AriaRole.BUTTON, named("Delete " + key)).click();
        assertThat(editor.getByRole(AriaRole.STATUS)).containsText("deleted");
        assertThat(call("GET", "/v1/topics/" + key, APP, null).status()).isEqualTo(404);
        assertThat(call("GET", "/v1/users/" + ids.getFirst(), APP, null).status()).as("the users stay").isEqualTo(200);
        assertThat(call("GET", "/v1/audit?entityType=topic&entityId=app1/" + key, ADMIN, null).raw()).contains("CREATE").contains("DELETE");
        editor.context().close();
    }

    private String publishedTemplate() {
        return io.herald.server.audience.CampaignFixtures.publishedEmailTemplate((method, path, body) -> call(method, path, ADMIN, body));
    }

    private void fillDraft(Page p, String name, String topic, String template) {
        open(p, "/console/campaigns");
        p.locator("form[action='/console/campaigns'] select[name=app]").selectOption("app1");
        p.getByLabel("Name").fill(name);
        p.getByLabel("Topic (empty: every user of the app)").fill(topic);
        p.getByLabel("Template key").fill(template);
        p.getByLabel("Category").fill("promo"); // marketing is opt-in by default: everyone would be suppressed
        p.getByLabel("Throttle, notifications per second (optional)").fill("2");
        p.getByRole(AriaRole.BUTTON, named("Save draft")).click();
    }

    private String campaignStatus(String id) {
        return call("GET", "/v1/campaigns/" + id, ADMIN, null).body().get("status").asString();
    }

    @Test
    void aCampaignIsDraftedScheduledPausedResumedAndCancelledWithItsCounts() {
        String topic = "ct-" + UUID.randomUUID().toString().substring(0, 8), template = publishedTemplate();
        List<String> ids = users(topic, 30, topic, 0); // the first recipient (planned first) opted out of email

        Page editor = operator("EDITOR");
        fillDraft(editor, "Spring sale", topic, "no-such-template-" + UUID.randomUUID());
        assertThat(editor.getByRole(AriaRole.ALERT)).containsText("template");
        assertThat(editor.getByLabel("Name")).hasValue("Spring sale"); // what was typed stays
        fillDraft(editor, "Spring sale", topic, template);
        assertThat(editor).hasURL(Pattern.compile(".*/console/campaigns/[0-9a-f-]{36}$"));
        String id = editor.url().substring(editor.url().lastIndexOf('/') + 1);
        assertThat(editor.locator("#campaign-status")).hasText("DRAFT");
        assertThat(editor.getByRole(AriaRole.BUTTON, named("Schedule"))).hasCount(0); // scheduling is for publishers
        editor.context().close();

        Page publisher = operator("PUBLISHER");
        open(publisher, "/console/campaigns/" + id);
        publisher.getByRole(AriaRole.BUTTON, named("Schedule")).click();
        assertThat(publisher.locator("#campaign-status")).hasText(Pattern.compile("SCHEDULED|RUNNING"));
        Reply started = await("/v1/campaigns/" + id, ADMIN, r -> r.body().get("progress").get("suppressed").asLong() >= 1);
        assertThat(started.body().get("progress").get("suppressed").asLong()).as(started.raw()).isEqualTo(1);
        assertThat(started.body().get("suppressedByReason").get("OPTED_OUT").asLong()).as("the API shows reasons too").isEqualTo(1);
        publisher.getByRole(AriaRole.BUTTON, named("Pause")).click();
        assertThat(publisher.locator("#campaign-status")).hasText("PAUSED");
        assertThat(campaignStatus(id)).isEqualTo("PAUSED");
        assertThat(publisher.locator("#suppressed")).containsText("OPTED_OUT");

        // the funnel counts engagement recorded for the campaign's notifications
        String opened = call("GET", "/v1/notifications?eventId=campaign-" + id, APP, null).body().get("items").valueStream()
                .filter(n -> !n.get("status").asString().equals("SUPPRESSED")).findFirst().orElseThrow().get("id").asString();
        Reply event = call("POST", "/v1/notifications/" + opened + "/events", APP, "{\"type\":\"OPENED\"}");
        assertThat(event.status()).as(event.raw()).isBetween(200, 299);
        publisher.reload();
        assertThat(publisher.locator("#funnel tr", new Page.LocatorOptions().setHasText("OPENED")).locator("td")).hasText("1");
        long audience = Long.parseLong(publisher.locator("#campaign-counts tr", new Page.LocatorOptions().setHasText("Audience"))
                .locator("td").textContent().strip());
        assertThat(audience).as("throttled at 2 a second: paused before all 30").isBetween(1L, 29L);

        publisher.getByRole(AriaRole.BUTTON, named("Resume")).click();
        assertThat(publisher.locator("#campaign-status")).hasText(Pattern.compile("RUNNING|COMPLETED"));
        publisher.getByRole(AriaRole.BUTTON, named("Cancel campaign")).click();
        assertThat(publisher.locator("#campaign-status")).hasText(Pattern.compile("CANCELLED|COMPLETED"));
        // a second cancel has nothing left to stop: the page says why, with 409
        assertThat(publisher.request().post("http://localhost:" + port + "/console/campaigns/" + id + "/resume", RequestOptions.create()
                .setHeader("Content-Type", "application/x-www-form-urlencoded")
                .setData("_csrf=" + publisher.locator("meta[name=csrf-token]").getAttribute("content")).setMaxRedirects(0)).status())
                .isEqualTo(409);

        open(publisher, "/console/campaigns");
        var row = publisher.locator("#campaigns tr",
                new Page.LocatorOptions().setHas(publisher.getByRole(AriaRole.LINK, named("Spring sale"))));
        assertThat(row.first()).containsText(campaignStatus(id));
        assertThat(call("GET", "/v1/audit?entityType=campaign&entityId=" + id, ADMIN, null).raw())
                .contains("CREATE").contains("SCHEDULE").contains("PAUSE").contains("RESUME").contains("CANCEL");
        assertThat(ids).hasSize(30);
        publisher.context().close();
    }

    @Test
    void anAdminSetsTheAppsDefaultZoneWhichLocalTimeDeliveryUsesForUsersWithoutOne() {
        Page admin = operator("ADMIN");
        open(admin, "/console/campaigns");
        var zoneForm = admin.locator("form[action='/console/campaigns/zone']");
        zoneForm.locator("select[name=app]").selectOption("app1");
        zoneForm.getByLabel("Timezone (IANA; empty: server default)").fill("Not/AZone");
        zoneForm.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Save timezone")).click();
        assertThat(admin.getByRole(AriaRole.ALERT)).containsText("IANA");
        assertThat(zones.defaultZone(app1())).isEmpty();

        open(admin, "/console/campaigns");
        zoneForm.locator("select[name=app]").selectOption("app1");
        zoneForm.getByLabel("Timezone (IANA; empty: server default)").fill("Asia/Tokyo");
        zoneForm.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Save timezone")).click();
        assertThat(admin.getByRole(AriaRole.STATUS)).containsText("Default timezone saved");
        assertThat(admin.locator("#app-zones tr", new Page.LocatorOptions().setHasText("app1"))).containsText("Asia/Tokyo");
        assertThat(call("GET", "/v1/audit?entityType=app&entityId=app1", ADMIN, null).raw()).contains("SET_DEFAULT_ZONE");

        String user = "zone-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(call("PUT", "/v1/users/" + user, APP, "{\"email\":\"z@example.com\"}").status()).isEqualTo(201);
        LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(10);
        Reply sent = call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","userId":"%s","channels":["EMAIL"],"content":{"subject":"s","text":"t"},
                 "deliverAt":{"localTime":"09:00","date":"%s"}}""".formatted(user, user, day));
        assertThat(sent.status()).as(sent.raw()).isEqualTo(202);
        String nid = sent.body().get("notifications").get(0).get("id").asString();
        assertThat(Instant.parse(call("GET", "/v1/notifications/" + nid, APP, null).body().get("sendAt").asString()))
                .isEqualTo(ZonedDateTime.of(day, LocalTime.of(9, 0), ZoneId.of("Asia/Tokyo")).toInstant());
        admin.context().close();
    }
}
