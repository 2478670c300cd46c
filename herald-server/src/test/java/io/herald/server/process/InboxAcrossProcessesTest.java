package io.herald.server.process;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.WaitForSelectorState;
import io.herald.server.inbox.Browsers;
import io.herald.testkit.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inbox across real processes on one schema. The browser's stream is held by an API-only process; the message is
 * accepted and written by another process, so it can only reach the stream through PostgreSQL LISTEN/NOTIFY. Then
 * the stream's process is killed with SIGKILL, messages arrive while it is down, and after a restart on the same
 * port the component's EventSource reconnects with Last-Event-ID and gets them as stream events.
 */
@Tag("process")
class InboxAcrossProcessesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final String schema = TestPostgres.newSchema("inbox");
    private final List<ServerProcess> processes = new ArrayList<>();
    private Playwright playwright;

    @AfterEach
    void cleanUp() {
        try {
            if (playwright != null) playwright.close();
            processes.forEach(ServerProcess::close);
        } finally {
            TestPostgres.dropSchema(schema);
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aMessageWrittenByOneProcessReachesAStreamHeldByAnotherAndSurvivesItsRestart() throws Exception {
        ServerProcess writer = start(ServerProcess.builder(schema, "inbox-writer").roles("all"));
        ServerProcess streamer = start(ServerProcess.builder(schema, "inbox-streamer").roles("api"));
        writer.awaitReady(Duration.ofSeconds(120));
        streamer.awaitReady(Duration.ofSeconds(120));

        assertThat(put(writer, "/v1/users/ada", "{}").statusCode()).isIn(200, 201);
        // minted by one process, accepted by the other: the token key is shared through the database
        String token = JSON.readTree(writer.post("/v1/users/ada/inbox-token", "{}").body()).get("token").asString();

        playwright = Browsers.playwright();
        Browser browser = Browsers.chromium(playwright);
        Page page = browser.newPage();
        String base = "http://127.0.0.1:" + streamer.port();
        page.navigate(base + "/sdk/inbox-demo.html?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                + "&base-url=" + URLEncoder.encode(base, StandardCharsets.UTF_8));
        page.evaluate("() => { window.streamed = []; document.getElementById('inbox')"
                + ".addEventListener('herald-inbox-message', e => window.streamed.push(e.detail.title)); }");
        page.locator("herald-inbox[live]").waitFor(new Locator.WaitForOptions().setTimeout(30_000));

        send(writer, "across-1", "Written by the other process");
        item(page, "Written by the other process").waitFor(attached(5_000));
        page.locator("herald-inbox .badge").filter(new Locator.FilterOptions().setHasText("1")).waitFor(attached(5_000));

        int port = streamer.port();
        streamer.kill9();
        page.locator("herald-inbox:not([live])").waitFor(attached(10_000));
        send(writer, "across-2", "Sent while the stream's server was down");
        send(writer, "across-3", "Also sent while it was down");

        ServerProcess restarted = start(ServerProcess.builder(schema, "inbox-streamer-2").roles("api").port(port));
        restarted.awaitReady(Duration.ofSeconds(120));
        item(page, "Sent while the stream's server was down").waitFor(attached(30_000));
        item(page, "Also sent while it was down").waitFor(attached(5_000));
        @SuppressWarnings("unchecked")
        List<String> streamed = (List<String>) page.evaluate("() => window.streamed");
        // they came as stream events (replayed after Last-Event-ID), in order, each once
        assertThat(streamed).containsExactly("Written by the other process", "Sent while the stream's server was down",
                "Also sent while it was down");
        page.locator("herald-inbox .badge").filter(new Locator.FilterOptions().setHasText("3")).waitFor(attached(5_000));
    }

    private ServerProcess start(ServerProcess.Builder b) {
        ServerProcess p = b.start();
        processes.add(p);
        return p;
    }

    private static void send(ServerProcess via, String eventId, String title) {
        var r = via.post("/v1/notifications", """
                {"eventId":"%s","userId":"ada","channels":["IN_APP"],"content":{"title":"%s","body":"b"}}""".formatted(eventId, title));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    private static Locator item(Page page, String title) {
        return page.locator("herald-inbox li[part=item]").filter(new Locator.FilterOptions().setHasText(title));
    }

    private static Locator.WaitForOptions attached(double ms) {
        return new Locator.WaitForOptions().setState(WaitForSelectorState.ATTACHED).setTimeout(ms);
    }

    private static HttpResponse<String> put(ServerProcess p, String path, String json) throws Exception {
        String basic = Base64.getEncoder()
                .encodeToString((ServerProcess.APP_KEY + ":" + ServerProcess.APP_SECRET).getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.port() + path))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
