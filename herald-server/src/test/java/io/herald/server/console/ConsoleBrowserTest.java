package io.herald.server.console;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import io.herald.server.ServerTestBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.UUID;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** The operator console in a real browser (Debian's Chromium driven by Playwright) against a whole Herald server. */
class ConsoleBrowserTest extends ServerTestBase {

    private static Playwright playwright;
    private static Browser browser;

    @BeforeAll
    static void startBrowser() {
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(java.util.Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(Paths.get("/usr/bin/chromium"))
                .setHeadless(true).setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage")));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) browser.close();
        if (playwright != null) playwright.close();
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    /** A fresh browser session signed in as {@code credentials} (user:password). */
    private Page signIn(String credentials) {
        BrowserContext ctx = browser.newContext(new Browser.NewContextOptions().setViewportSize(1366, 860).setTimezoneId("Asia/Seoul"));
        Page page = ctx.newPage();
        page.navigate(url("/console"));
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/console/login.*"));
        int colon = credentials.indexOf(':');
        page.getByLabel("Username").fill(credentials.substring(0, colon));
        page.getByLabel("Password").fill(credentials.substring(colon + 1));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Overview"))).isVisible();
        return page;
    }

    private String account(String role) {
        String name = role.toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 6);
        Reply r = call("POST", "/v1/accounts", ADMIN,
                "{\"username\":\"%s\",\"password\":\"long-enough-password\",\"role\":\"%s\"}".formatted(name, role));
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return name + ":long-enough-password";
    }

    private static String csrfOf(Page page) {
        return page.locator("meta[name=csrf-token]").getAttribute("content");
    }

    /** A POST from the browser's own session (its cookie), with or without the form token. */
    private static int post(Page page, String path, String form) {
        return page.request().post(path, com.microsoft.playwright.options.RequestOptions.create()
                .setHeader("Content-Type", "application/x-www-form-urlencoded").setData(form).setMaxRedirects(0)).status();
    }

    @Test
    void wrongPasswordIsRefusedAndLogoutEndsTheSession() {
        BrowserContext ctx = browser.newContext();
        Page page = ctx.newPage();
        page.navigate(url("/console/login"));
        page.getByLabel("Username").fill("admin");
        page.getByLabel("Password").fill("not-the-password");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("Wrong username or password");
        ctx.close();

        Page admin = signIn(ADMIN);
        assertThat(admin.locator("table:has(caption)")).containsText("EMAIL");
        assertThat(admin.locator(".chart .u-legend")).containsText("sent");
        admin.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
        assertThat(admin).hasURL(java.util.regex.Pattern.compile(".*/console/login.*"));
        admin.navigate(url("/console/audit"));
        assertThat(admin).hasURL(java.util.regex.Pattern.compile(".*/console/login\\?next=.*audit.*"));
        admin.context().close();
    }

    @Test
    void formsWithoutTheirTokenAreRefused() {
        Page admin = signIn(ADMIN);
        String base = url("");
        assertThat(post(admin, base + "/console/logout", "")).isEqualTo(403);
        assertThat(post(admin, base + "/console/logout", "_csrf=wrong")).isEqualTo(403);
        // still signed in: the refused logout did nothing
        admin.navigate(url("/console"));
        assertThat(admin.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Overview"))).isVisible();
        assertThat(post(admin, base + "/console/logout", "_csrf=" + csrfOf(admin))).isEqualTo(302);
        admin.context().close();
    }

    /** Sends through the API and waits until the sandbox has sent it; returns the notification id. */
    private String sendAndWait(String eventId, String email) {
        call("PUT", "/v1/users/u-" + eventId, APP, "{\"email\":\"" + email + "\"}");
        Reply r = call("POST", "/v1/notifications", APP,
                """
                        {"eventId":"%s","userId":"u-%s","channels":["EMAIL"],"content":{"subject":"Your order","text":"Latte ready","html":"<p>Latte <b>ready</b></p>"}}"""
                        .formatted(eventId, eventId));
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        String id = r.body().get("notifications").get(0).get("id").asString();
        Reply done = await("/v1/notifications/" + id, APP, x -> x.body() != null && "SENT".equals(x.body().get("status").asString()));
        assertThat(done.body().get("status").asString()).isEqualTo("SENT");
        return id;
    }

    @Test
    void supportFindsASentNotificationByEventIdAndByEmailAndReadsItsTimeline() {
        String eventId = "order-" + UUID.randomUUID();
        sendAndWait(eventId, "Ada." + eventId + "@Example.com");
        Page viewer = signIn(account("VIEWER"));
        viewer.navigate(url("/console/notifications"));
        viewer.getByLabel("Event id").fill(eventId);
        viewer.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Search")).click();
        assertThat(viewer.locator("tbody tr")).hasCount(1);
        assertThat(viewer.locator("tbody tr")).containsText("A***@Example.com"); // masked as stored, never the full address
        assertThat(viewer.locator("tbody tr")).containsText("SENT");

        // by address, typed with other capitalisation and spaces: the keyed hash of the normalised address matches
        viewer.navigate(url("/console/notifications"));
        viewer.getByLabel("Email or phone").fill("  ada." + eventId + "@example.COM ");
        viewer.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Search")).click();
        assertThat(viewer.locator("tbody tr")).hasCount(1);
        viewer.locator("tbody tr a").first().click();
        assertThat(viewer.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Timeline"))).isVisible();
        assertThat(viewer.locator("table").last()).containsText("QUEUED");
        assertThat(viewer.locator("table").last()).containsText("SENDING");
        assertThat(viewer.locator("table").last()).containsText("SENT");
        assertThat(viewer.locator("table").last()).containsText("sandbox");
        assertThat(viewer.frameLocator("iframe.email").locator("b")).hasText("ready");
        // the timeline shows browser-local times (the context runs in Asia/Seoul), not raw UTC
        assertThat(viewer.locator("time").first()).not().containsText("Z");
        // a VIEWER gets neither the cancel nor the requeue button
        assertThat(viewer.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Requeue"))).hasCount(0);

        viewer.navigate(url("/console/notifications?address=not-an-address"));
        assertThat(viewer.getByRole(AriaRole.ALERT)).containsText("enter an email address or a phone number");
        viewer.context().close();
    }

    @org.springframework.beans.factory.annotation.Autowired
    io.herald.core.queue.DeliveryQueue queue;

    /** A dead letter made the way a dispatcher makes one: its last attempt failed with retries exhausted. */
    private String deadLetter(String eventId) {
        Reply r = call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","to":{"email":"dead@example.com"},"content":{"subject":"s","text":"t"},"sendAt":"2099-01-01T00:00:00Z"}"""
                .formatted(eventId));
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        String id = r.body().get("notifications").get(0).get("id").asString();
        // a worker's lease on the entry (as a claim leaves it), so the outcome passes the fence
        try (var c = java.sql.DriverManager.getConnection(io.herald.testkit.TestPostgres.urlFor(schema()),
                io.herald.testkit.TestPostgres.USER, null);
                var st = c.prepareStatement("UPDATE queue_entries SET lease_owner = 'console-test' WHERE notification_id = ?")) {
            st.setObject(1, UUID.fromString(id));
            assertThat(st.executeUpdate()).isEqualTo(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        var fenced = queue.apply(List.of(new io.herald.core.queue.Transition(UUID.fromString(id), io.herald.core.model.Status.FAILED,
                io.herald.core.model.Reason.RETRIES_EXHAUSTED, "smtp 421 busy", "smtp", null, false, 5, null, true, java.time.Instant.now(),
                new io.herald.core.queue.Lease("console-test", 0))));
        assertThat(fenced).isEmpty();
        return id;
    }

    @Test
    void anAdminRequeuesADeadLetterFromItsPage() {
        String eventId = "dead-" + UUID.randomUUID();
        String id = deadLetter(eventId);
        Page admin = signIn(ADMIN);
        admin.navigate(url("/console/notifications?eventId=" + eventId));
        admin.locator("tbody tr a").first().click();
        assertThat(admin.locator("table").first()).containsText("RETRIES_EXHAUSTED");
        admin.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Requeue")).click();
        assertThat(admin.getByRole(AriaRole.STATUS)).containsText("Requeued");
        assertThat(admin.locator("table").last()).containsText("requeued from the dead letters by an operator");
        Reply audit = call("GET", "/v1/audit?entityType=dead-letters", ADMIN, null);
        assertThat(audit.raw()).contains(id);
        admin.context().close();
    }

    private static Page.GetByRoleOptions named(String name) {
        return new Page.GetByRoleOptions().setName(name).setExact(true);
    }

    @Test
    void aTemplateIsCreatedPreviewedPublishedEditedRolledBackAndAudited() {
        String key = "order_ready_" + UUID.randomUUID().toString().substring(0, 8);
        Page p = signIn(account("PUBLISHER"));
        p.navigate(url("/console/templates"));
        p.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New template")).click();
        p.getByLabel("Key", new Page.GetByLabelOptions().setExact(true)).fill(key);
        p.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("Order ready");
        p.getByLabel("PUSH", new Page.GetByLabelOptions().setExact(true)).check();
        p.getByLabel("SMS", new Page.GetByLabelOptions().setExact(true)).check();
        p.getByLabel("Variables").fill("item_name STRING required");
        p.getByLabel("PUSH title").first().fill("Order ready");
        p.getByLabel("PUSH body").first().fill("Your {{item_name}} is ready");
        p.getByLabel("SMS text").first().fill("Your {{item_name}} is ready");
        p.getByLabel("EMAIL subject").first().fill("Your {{item_name}}");
        p.getByLabel("EMAIL html").first().fill("<p>Your <b>{{item_name}}</b> is ready</p>");
        p.getByLabel("Sample data").fill("{\"item_name\": \"Latte\"}");
        // the live preview (htmx) renders the unsaved form: a push card, the SMS with its encoding and segments, the email
        assertThat(p.locator("[data-preview=push]")).containsText("Your Latte is ready");
        assertThat(p.locator("[data-preview=sms-length]")).containsText("GSM7");
        assertThat(p.locator("[data-preview=sms-length]")).containsText("1 segment");
        assertThat(p.frameLocator("#preview iframe.email").locator("b")).hasText("Latte");
        p.getByLabel("SMS text").first().fill("Your {{item_name}} is ready ☕");
        assertThat(p.locator("[data-preview=sms-length]")).containsText("UCS2");
        p.getByRole(AriaRole.BUTTON, named("Create template")).click();
        assertThat(p.getByRole(AriaRole.STATUS)).containsText("Saved as a new draft version");

        p.getByRole(AriaRole.BUTTON, named("Publish v1")).click();
        assertThat(p.getByRole(AriaRole.STATUS)).containsText("Version 1 is now published");

        // an invalid edit: the error shows inline and nothing is saved
        p.getByRole(AriaRole.LINK, named("Edit (saves a new version)")).click();
        p.getByLabel("PUSH title").first().fill("Order {{#item_name}} is ready"); // a section never closed
        p.getByRole(AriaRole.BUTTON, named("Save new version")).click();
        assertThat(p.getByRole(AriaRole.ALERT).first()).containsText("PUSH");
        assertThat(call("GET", "/v1/templates/" + key, ADMIN, null).body().get("latestVersion").asInt()).isEqualTo(1);

        p.getByLabel("PUSH title").first().fill("Order is ready");
        p.getByRole(AriaRole.BUTTON, named("Save new version")).click();
        assertThat(p.getByRole(AriaRole.STATUS)).containsText("Saved as a new draft version");
        // the diff between v1 and v2 names the field and both values
        assertThat(p.locator("#diff")).containsText("content.default.PUSH.title");
        assertThat(p.locator("#diff del")).hasText("Order ready");
        assertThat(p.locator("#diff ins")).hasText("Order is ready");
        p.getByRole(AriaRole.BUTTON, named("Publish v2")).click();
        assertThat(p.getByRole(AriaRole.STATUS)).containsText("Version 2 is now published");
        p.getByRole(AriaRole.BUTTON, named("Roll back to v1")).click();
        assertThat(p.getByRole(AriaRole.STATUS)).containsText("Version 1 is now published");
        assertThat(call("GET", "/v1/templates/" + key, ADMIN, null).body().get("publishedVersion").asInt()).isEqualTo(1);

        p.navigate(url("/console/audit?entityType=template&entityId=" + key));
        assertThat(p.locator("#audit tbody tr")).hasCount(5);
        assertThat(p.locator("#audit tbody tr").first()).containsText("PUBLISH");
        assertThat(p.locator("#audit tbody tr").last()).containsText("CREATE");
        assertThat(p.locator("#audit")).containsText("UPDATE");
        assertThat(p.locator("#audit")).containsText("toVersion");
        p.context().close();

        // a VIEWER sees no publish button, and a direct POST with a valid form token is refused on the server
        Page viewer = signIn(account("VIEWER"));
        viewer.navigate(url("/console/templates/" + key));
        assertThat(viewer.getByRole(AriaRole.HEADING, named("Versions"))).isVisible();
        assertThat(viewer.getByRole(AriaRole.BUTTON, named("Publish v2"))).hasCount(0);
        assertThat(viewer.getByRole(AriaRole.LINK, named("Edit (saves a new version)"))).hasCount(0);
        assertThat(post(viewer, url("/console/templates/" + key + "/versions/2/publish"), "_csrf=" + csrfOf(viewer))).isEqualTo(403);
        assertThat(post(viewer, url("/console/admin/apps"), "name=sneaky&_csrf=" + csrfOf(viewer))).isEqualTo(403);
        viewer.navigate(url("/console/admin"));
        assertThat(viewer.getByRole(AriaRole.HEADING, named("Forbidden"))).isVisible();
        assertThat(call("GET", "/v1/templates/" + key, ADMIN, null).body().get("publishedVersion").asInt()).isEqualTo(1);
        viewer.context().close();

        // an EDITOR sends a test of the template to a user and lands on its trace
        String user = "tester-" + UUID.randomUUID().toString().substring(0, 6);
        call("PUT", "/v1/users/" + user, APP, "{\"email\":\"" + user + "@example.com\",\"phone\":\"+14155550100\"}");
        Page editor = signIn(account("EDITOR"));
        editor.navigate(url("/console/templates/" + key));
        assertThat(editor.getByRole(AriaRole.BUTTON, named("Publish v1"))).hasCount(0);
        editor.locator("select[name=app]").selectOption(APP.substring(0, APP.indexOf(':')));
        editor.getByLabel("To user id").fill(user);
        editor.getByLabel("Data (JSON)").fill("{\"item_name\": \"Flat white\"}");
        editor.getByRole(AriaRole.BUTTON, named("Send test")).click();
        assertThat(editor.getByRole(AriaRole.HEADING, named("Notifications"))).isVisible();
        assertThat(editor.locator("tbody")).containsText("SMS"); // the template's default channels: SMS, and PUSH
        editor.context().close();
    }

    @Test
    void anAdminCreatesAnAppAndSeesItsSecretOnce() {
        Page admin = signIn(ADMIN);
        admin.navigate(url("/console/admin"));
        admin.getByLabel("App name").fill("Checkout service");
        admin.getByRole(AriaRole.BUTTON, named("Create app")).click();
        assertThat(admin.locator("#created-app")).containsText("shown only this once");
        String key = admin.locator("#app-key").textContent().strip(), secret = admin.locator("#app-secret").textContent().strip();
        assertThat(secret).startsWith("sk_");
        assertThat(call("GET", "/v1/notifications?eventId=none", key + ":" + secret, null).status()).isEqualTo(200);
        admin.navigate(url("/console/admin"));
        assertThat(admin.locator("#created-app")).hasCount(0);
        assertThat(admin.content()).doesNotContain(secret);
        assertThat(admin.locator("table").first()).containsText(key);

        // the overview with some traffic, for the README
        sendAndWait("shot-" + UUID.randomUUID(), "shot@example.com");
        deadLetter("shot-dead-" + UUID.randomUUID());
        admin.navigate(url("/console"));
        assertThat(admin.locator(".chart .u-legend")).containsText("sent");
        Path shot = Path.of("target", "console.png");
        admin.screenshot(new Page.ScreenshotOptions().setPath(shot).setFullPage(true));
        assertThat(shot.toFile().length()).isGreaterThan(10_000);

        // the overview refreshes itself (htmx polling): a new send shows up without a reload
        var sent = admin.locator(".card:has-text('Sent, last hour') .big");
        String before = sent.textContent().strip();
        sendAndWait("live-" + UUID.randomUUID(), "live@example.com");
        assertThat(sent).not().hasText(before,
                new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(20_000));
        assertThat(admin).hasURL(url("/console"));

        admin.navigate(url("/console/dead-letters"));
        assertThat(admin.locator("table").first()).containsText("RETRIES_EXHAUSTED");
        admin.getByRole(AriaRole.BUTTON, named("Requeue all dead letters")).click();
        assertThat(admin.getByRole(AriaRole.STATUS)).containsText("Requeued");
        admin.context().close();
    }

    @Test
    void theUsersPageShowsContactsDevicesPreferencesAndRecentNotifications() {
        String eventId = "user-" + UUID.randomUUID();
        sendAndWait(eventId, "grace@example.com");
        call("POST", "/v1/users/u-" + eventId + "/devices", APP, "{\"platform\":\"ANDROID\",\"token\":\"fcm-token-1234567890\"}");
        Page viewer = signIn(account("VIEWER"));
        viewer.navigate(url("/console/users"));
        viewer.getByLabel("User id").fill("u-" + eventId);
        viewer.getByRole(AriaRole.BUTTON, named("Look up")).click();
        assertThat(viewer.locator("main")).containsText("grace@example.com");
        assertThat(viewer.locator("main")).containsText("ANDROID");
        assertThat(viewer.locator("main")).containsText("active");
        assertThat(viewer.locator("main")).containsText(eventId);
        viewer.getByLabel("User id").fill("nobody-" + eventId);
        viewer.getByRole(AriaRole.BUTTON, named("Look up")).click();
        assertThat(viewer.locator(".empty").first()).containsText("has no user");
        viewer.context().close();
    }

    @Test
    void anEditorCancelsAScheduledNotificationAndAnAdminManagesAccountsByKeyboard() {
        String eventId = "later-" + UUID.randomUUID();
        Reply r = call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","to":{"email":"later@example.com"},"content":{"subject":"s","text":"t"},"sendAt":"2099-01-01T00:00:00Z"}"""
                .formatted(eventId));
        String id = r.body().get("notifications").get(0).get("id").asString();
        Page editor = signIn(account("EDITOR"));
        editor.navigate(url("/console/notifications?eventId=" + eventId));
        editor.locator("tbody tr a").first().click();
        editor.getByRole(AriaRole.BUTTON, named("Cancel")).click();
        assertThat(editor.getByRole(AriaRole.STATUS)).containsText("Cancelled");
        assertThat(editor.locator("table").last()).containsText("CANCELLED");
        assertThat(call("GET", "/v1/notifications/" + id, APP, null).body().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(call("GET", "/v1/audit?entityType=notification&entityId=" + id, ADMIN, null).raw()).contains("CANCEL");
        editor.context().close();

        // sign in with the keyboard alone: type, Tab, type, Enter
        BrowserContext ctx = browser.newContext();
        Page admin = ctx.newPage();
        admin.navigate(url("/console/admin"));
        admin.keyboard().type("admin");
        admin.keyboard().press("Tab");
        admin.keyboard().type("admin-password-1");
        admin.keyboard().press("Enter");
        assertThat(admin.getByRole(AriaRole.HEADING, named("Apps and accounts"))).isVisible();

        String name = "ops-" + UUID.randomUUID().toString().substring(0, 6);
        // the browser checks the password length itself; the server's own rules answer inline
        admin.getByLabel("New username").fill("has spaces in it");
        admin.getByLabel("Initial password").fill("a-long-enough-password");
        admin.getByRole(AriaRole.BUTTON, named("Create account")).click();
        assertThat(admin.getByRole(AriaRole.ALERT)).containsText("username");
        admin.getByLabel("New username").fill(name);
        admin.getByLabel("Initial password").fill("a-long-enough-password");
        admin.locator("form:has(input[name=password]) select[name=role]").selectOption("EDITOR");
        admin.getByRole(AriaRole.BUTTON, named("Create account")).click();
        assertThat(admin.getByRole(AriaRole.STATUS)).containsText("Account created");
        admin.getByLabel("Role of " + name).selectOption("PUBLISHER");
        admin.locator("form:has([aria-label='Role of " + name + "'])")
                .getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Change")).click();
        assertThat(admin.getByRole(AriaRole.STATUS)).containsText("Role changed");
        assertThat(call("GET", "/v1/accounts", ADMIN, null).raw()).contains("\"username\":\"" + name + "\",\"role\":\"PUBLISHER\"");
        ctx.close();
    }
}
