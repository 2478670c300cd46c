package io.herald.bench.console;

import org.HdrHistogram.Histogram;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The operator console on a production-sized database: fills the server's schema by SQL ({@link ConsoleData}) unless
 * it is filled already, signs in to the console like a browser (login form, CSRF double-submit cookie, session
 * cookie) and times every page: {@code --warmup} requests not counted, then {@code --requests} one after another.
 * The time is from sending the request to the last byte of the page over loopback, so it bounds the server's
 * render time from above. Prints a Markdown table (stdout) and one JSON line per page to {@code --out}.
 *
 * <pre>java -cp herald-bench.jar io.herald.bench.console.ConsoleBench --url http://127.0.0.1:8080
 *      --db jdbc:postgresql://127.0.0.1:5432/test?currentSchema=console_bench --operator admin:password
 *      --lookup-key KEY [--notifications 1000000] [--users 5000] [--requests 20] [--label before] [--out file.jsonl]</pre>
 */
public final class ConsoleBench {

    static final long GOAL_MS = 200;

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>(
                Map.of("url", "http://127.0.0.1:8080", "db-user", "postgres", "notifications", "1000000",
                        "users", "5000", "audit", "20000", "requests", "20", "warmup", "3", "label", "run"));
        for (int i = 0; i + 1 < args.length; i += 2) a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        if (!a.containsKey("db") || !a.containsKey("operator") || !a.containsKey("lookup-key")) {
            System.err.println("usage: ConsoleBench --url URL --db JDBC_URL --operator user:password --lookup-key KEY [--notifications N] "
                    + "[--users U] [--audit A] [--requests R] [--warmup W] [--label L] [--out results.jsonl]");
            System.exit(2);
        }
        new ConsoleBench(a).run();
    }

    private final Map<String, String> a;
    private final String url;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient http;

    private ConsoleBench(Map<String, String> a) {
        this.a = a;
        this.url = a.get("url").replaceAll("/+$", "");
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    }

    record Page(String name, String path) {
    }

    record Result(String name, String path, long p50, long p95, long max, int requests, int bytes) {
    }

    private void run() throws Exception {
        String[] operator = a.get("operator").split(":", 2);
        String app = ConsoleData.APPS[0];
        List<Page> pages;
        try (Connection con = DriverManager.getConnection(a.get("db"), a.get("db-user"), System.getenv().getOrDefault("PGPASSWORD", ""))) {
            ConsoleData data = new ConsoleData(con, a.get("lookup-key"));
            if (!data.filled()) {
                data.fill(Integer.parseInt(a.get("notifications")), Integer.parseInt(a.get("users")), Integer.parseInt(a.get("audit")));
                templates(operator);
                try (var st = con.createStatement()) {
                    st.execute("ANALYZE templates; ANALYZE template_versions; ANALYZE audit_log");
                }
            }
            pages = pages(con, app);
        }
        login(operator[0], operator[1]);
        int warmup = Integer.parseInt(a.get("warmup")), requests = Integer.parseInt(a.get("requests"));
        List<Result> results = new ArrayList<>();
        for (Page p : pages) results.add(time(p, warmup, requests));
        report(results);
    }

    /** The pages and the searches support runs, with values that exist in the data. */
    private List<Page> pages(Connection con, String app) throws SQLException {
        String q = "?app=" + enc(app);
        String detail = single(con,
                "SELECT n.id::text FROM notifications n JOIN apps a ON a.id = n.app_id WHERE a.app_key = ? AND n.status = 'FAILED' "
                        + "ORDER BY n.created_at DESC LIMIT 1",
                app);
        String heavy = single(con, "SELECT user_id FROM users u JOIN apps a ON a.id = u.app_id WHERE a.app_key = ? AND user_id = 'u-0'",
                app);
        String email = single(con, "SELECT email FROM users u JOIN apps a ON a.id = u.app_id WHERE a.app_key = ? AND user_id = 'u-1234'",
                app);
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
        String week = "&from=" + now.minusDays(7) + "&to=" + now.plusMinutes(1) + "&tz=UTC";
        return List.of(
                new Page("overview", "/console"),
                new Page("overview live fragment", "/console/overview/live"),
                new Page("notifications, latest (no filter)", "/console/notifications" + q),
                new Page("notifications by userId (heaviest user)", "/console/notifications" + q + "&userId=" + enc(heavy)),
                new Page("notifications by userId (typical user)", "/console/notifications" + q + "&userId=u-2500"),
                new Page("notifications by eventId", "/console/notifications" + q + "&eventId=evt-123456"),
                new Page("notifications by email", "/console/notifications" + q + "&address=" + enc(email)),
                new Page("notifications FAILED + SMS, last 7 days", "/console/notifications" + q + "&status=FAILED&channel=SMS" + week),
                new Page("notifications EXPIRED + IN_APP, last 7 days",
                        "/console/notifications" + q + "&status=EXPIRED&channel=IN_APP" + week),
                new Page("notifications SCHEDULED (rare status), any time", "/console/notifications" + q + "&status=SCHEDULED"),
                new Page("notification detail", "/console/notifications/" + enc(app) + "/" + detail),
                new Page("templates list", "/console/templates"),
                new Page("template page", "/console/templates/tpl-7"),
                new Page("audit, latest", "/console/audit"),
                new Page("audit by actor + entity type", "/console/audit?actor=bob&entityType=template"),
                new Page("audit by entity id + last 7 days", "/console/audit?entityType=template&entityId=entity-5" + week),
                new Page("dead letters", "/console/dead-letters"),
                new Page("dead letters by channel + reason", "/console/dead-letters?channel=EMAIL&reason=RETRIES_EXHAUSTED"),
                new Page("user page (heaviest user)", "/console/users" + q + "&userId=" + enc(heavy)),
                new Page("apps & accounts", "/console/admin"));
    }

    /** Templates go through the management API, so versions and audit entries are the server's own. */
    private void templates(String[] operator) throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString((operator[0] + ":" + operator[1]).getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 40; i++) {
            String body = """
                    {"key":"tpl-%d","name":"Template %d","defaultChannels":["EMAIL","PUSH"],"variables":[{"name":"name","type":"STRING","required":true}],
                     "content":{"default":{"EMAIL":{"subject":"Hello {{name}} (%d)","html":"<p>Hello {{name}}</p>","text":"Hello {{name}}"},
                                           "PUSH":{"title":"Hello","body":"Hi {{name}}"}}}}"""
                    .formatted(i, i, i);
            send(basic, "POST", "/v1/templates", body, 201);
            send(basic, "POST", "/v1/templates/tpl-" + i + "/versions/1/publish", "{}", 200);
            if (i % 4 == 0) send(basic, "PUT", "/v1/templates/tpl-" + i, body.replace("Hello {{name}} (", "Hi again {{name}} ("), 200);
        }
    }

    private void send(String basic, String method, String path, String body, int expected) throws Exception {
        var res = http.send(
                HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", basic).header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != expected && !(expected == 201 && res.statusCode() == 200)) {
            throw new IllegalStateException(method + " " + path + " answered " + res.statusCode() + ": " + res.body());
        }
    }

    /** Signs in like the browser: the form sets the double-submit cookie; the form field must carry the same value. */
    private void login(String user, String password) throws Exception {
        var form = http.send(HttpRequest.newBuilder(URI.create(url + "/console/login")).build(), HttpResponse.BodyHandlers.ofString());
        if (form.statusCode() != 200) throw new IllegalStateException("login form answered " + form.statusCode());
        String token = cookies.getCookieStore().get(URI.create(url + "/console/login")).stream()
                .filter(c -> c.getName().equals("HERALD_CONSOLE_LOGIN")).map(HttpCookie::getValue).findFirst()
                .orElseThrow(() -> new IllegalStateException("no login cookie"));
        String body = "username=" + enc(user) + "&password=" + enc(password) + "&_csrf=" + enc(token);
        var res = http
                .send(HttpRequest.newBuilder(URI.create(url + "/console/login")).header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 302 && res.statusCode() != 303) throw new IllegalStateException("sign-in answered " + res.statusCode());
    }

    private Result time(Page p, int warmup, int requests) throws Exception {
        Histogram h = new Histogram(60_000_000L, 3);
        int bytes = 0;
        for (int i = 0; i < warmup + requests; i++) {
            long t0 = System.nanoTime();
            var res = http.send(HttpRequest.newBuilder(URI.create(url + p.path())).build(), HttpResponse.BodyHandlers.ofString());
            long micros = (System.nanoTime() - t0) / 1000;
            // a redirect to the login page or an error page would time the wrong thing
            if (res.statusCode() != 200) throw new IllegalStateException(p.path() + " answered " + res.statusCode() + ": " + res.body());
            if (i >= warmup) h.recordValue(Math.min(micros, h.getHighestTrackableValue()));
            bytes = res.body().length();
        }
        var r = new Result(p.name(), p.path(), h.getValueAtPercentile(50), h.getValueAtPercentile(95), h.getMaxValue(), requests, bytes);
        System.err.printf(Locale.ROOT, "  %-50s p50 %6.1f  p95 %6.1f  max %6.1f ms%n", p.name(), r.p50 / 1000.0, r.p95 / 1000.0,
                r.max / 1000.0);
        return r;
    }

    private void report(List<Result> results) throws Exception {
        StringBuilder md = new StringBuilder("| page | p50 ms | p95 ms | max ms | < 200 ms (max) |\n|---|---|---|---|---|\n");
        StringBuilder json = new StringBuilder();
        for (Result r : results) {
            md.append(
                    String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %s |%n", r.name, r.p50 / 1000.0, r.p95 / 1000.0, r.max / 1000.0,
                            r.max / 1000 < GOAL_MS ? "met" : "**missed**"));
            json.append(String.format(Locale.ROOT,
                    "{\"label\":\"%s\",\"page\":\"%s\",\"path\":\"%s\",\"p50Ms\":%.2f,\"p95Ms\":%.2f,\"maxMs\":%.2f,\"requests\":%d,\"bytes\":%d}%n",
                    a.get("label"), r.name, r.path.replace("\"", "\\\""), r.p50 / 1000.0, r.p95 / 1000.0, r.max / 1000.0, r.requests,
                    r.bytes));
        }
        System.out.print(md);
        if (a.containsKey("out")) {
            java.nio.file.Files.writeString(java.nio.file.Path.of(a.get("out")), json, StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
    }

    private static String single(Connection con, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = con.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new SQLException("no row for " + sql);
                return rs.getString(1);
            }
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
