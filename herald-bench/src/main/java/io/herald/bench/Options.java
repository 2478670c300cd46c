package io.herald.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Command-line options: {@code <scenario> [--name value]...}. Every option has a default so that a bare
 * {@code single} against a local server works.
 */
record Options(String scenario, String url, String appKey, String appSecret, String userId, int users, String engine,
               int concurrency, int size, double rate, Duration duration, Duration warmup,
               String dbUrl, String dbUser, String dbPassword, long serverPid,
               Duration drainTimeout, Duration e2eWait, Duration requestTimeout, int maxInFlight, String out,
               double highRate, Duration highAfter, String operator) {

    static final String USAGE = """
            usage: java -jar herald-bench.jar <single|batch|steady|audience> [options]
              --url URL              Herald base URL (default http://127.0.0.1:8080; loopback only)
              --app KEY:SECRET       app credentials (default: env HERALD_BENCH_APP, then HERALD_BOOTSTRAP_APP)
              --user ID              recipient user id prefix (default bench-user)
              --users N              recipients: ID-0 .. ID-(N-1), each with an email address, created (PUT) before
                                     the run and used in turn (default 1). Many users keep per-user state (rate-limit
                                     buckets) from becoming one hot row.
              --engine LABEL         label written into the JSON line (default unknown)
              --duration 30s         measured time, after --warmup 5s that is not counted
              --concurrency N        closed-loop workers (single: 32, batch: 4)
              --size N               batch size (batch: 500)
              --rate N               requests per second, open loop (steady: 1000)
              --db-url JDBC          the server's database: end-to-end latency, commits, drain (optional)
              --db-user U --db-password P   (default postgres, none)
              --server-pid PID       server JVM, for CPU accounting (optional)
              --drain-timeout 20s    before a scenario, wait at most this long for the server's queue to empty
              --e2e-wait 20s         steady: wait at most this long for the run's notifications to finish
              --max-in-flight 1024   steady: bound on outstanding requests (latency still counts from the intended time)
              --out FILE             also append the JSON line to FILE
              --template on          single, batch, steady: sends name a published template (three variables, two
                                     locales) that the bench creates first, instead of inline content; needs an
                                     operator who may publish: --operator USER:PASS (default: env HERALD_BOOTSTRAP_ADMIN)
            audience: imports --users N users (POST /v1/users/batch, 1000 per call) into a topic of their own, sends one
                      broadcast to that topic and reports users imported per second and recipients fanned out per second
                      (--users up to 1000000), with the server's RSS every 5 s
              --high-rate 0          audience: HIGH single sends per second to the imported users while the broadcast
                                     fans out and --high-after 30s longer (it drains); their accepted -> SENT p99;
                                     single, steady: HIGH sends per second beside the others, their request -> 202 latency
            """;

    static Options parse(String[] args) {
        if (args.length == 0 || args[0].startsWith("-")) throw new IllegalArgumentException("no scenario given");
        String scenario = args[0];
        if (!scenario.equals("single") && !scenario.equals("batch") && !scenario.equals("steady") && !scenario.equals("audience")) {
            throw new IllegalArgumentException("unknown scenario " + scenario);
        }
        Map<String, String> m = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument " + a);
            String name = a.substring(2), value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else {
                if (i + 1 >= args.length) throw new IllegalArgumentException("--" + name + " needs a value");
                value = args[++i];
            }
            m.put(name, value);
        }
        String app = m.getOrDefault("app", firstNonBlank(System.getenv("HERALD_BENCH_APP"), System.getenv("HERALD_BOOTSTRAP_APP")));
        if (app == null || app.indexOf(':') <= 0) throw new IllegalArgumentException("--app KEY:SECRET is required (or HERALD_BENCH_APP)");
        String url = m.getOrDefault("url", "http://127.0.0.1:8080").replaceAll("/+$", "");
        String host = java.net.URI.create(url).getHost();
        if (!("127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host) || "::1".equals(host))) {
            throw new IllegalArgumentException("the bench only targets loopback; got host " + host);
        }
        int defConcurrency = scenario.equals("batch") ? 4 : 32;
        Options o = new Options(scenario, url, app.substring(0, app.indexOf(':')), app.substring(app.indexOf(':') + 1),
                m.getOrDefault("user", "bench-user"), Integer.parseInt(m.getOrDefault("users", "1")), m.getOrDefault("engine", "unknown"),
                Integer.parseInt(m.getOrDefault("concurrency", String.valueOf(defConcurrency))),
                Integer.parseInt(m.getOrDefault("size", "500")),
                Double.parseDouble(m.getOrDefault("rate", "1000")),
                duration(m.getOrDefault("duration", "30s")), duration(m.getOrDefault("warmup", "5s")),
                m.get("db-url"), m.getOrDefault("db-user", "postgres"), m.get("db-password"),
                Long.parseLong(m.getOrDefault("server-pid", "0")),
                duration(m.getOrDefault("drain-timeout", "20s")), duration(m.getOrDefault("e2e-wait", "20s")),
                duration(m.getOrDefault("request-timeout", "30s")),
                Integer.parseInt(m.getOrDefault("max-in-flight", "1024")), m.get("out"),
                Double.parseDouble(m.getOrDefault("high-rate", "0")), duration(m.getOrDefault("high-after", "30s")),
                templateOperator(m));
        if (o.concurrency < 1 || o.concurrency > 1024) throw new IllegalArgumentException("--concurrency must be 1..1024");
        int maxUsers = scenario.equals("audience") ? 1_000_000 : 100_000; // the audience scenario imports them in bulk
        if (o.users < 1 || o.users > maxUsers) throw new IllegalArgumentException("--users must be 1.." + maxUsers);
        if (o.operator != null && scenario.equals("audience"))
            throw new IllegalArgumentException("--template applies to single, batch and steady");
        if (o.highRate < 0 || o.highRate > 1000) throw new IllegalArgumentException("--high-rate must be in [0, 1000]");
        if (!o.userId.matches("[a-z0-9-]+")) throw new IllegalArgumentException("--user must be [a-z0-9-]+");
        if (o.size < 1 || o.size > 10_000) throw new IllegalArgumentException("--size must be 1..10000");
        if (o.rate <= 0 || o.rate > 100_000) throw new IllegalArgumentException("--rate must be in (0, 100000]");
        if (o.duration.isZero() || o.duration.compareTo(Duration.ofHours(1)) > 0)
            throw new IllegalArgumentException("--duration must be in (0, 1h]");
        if (o.warmup.isNegative() || o.warmup.compareTo(Duration.ofMinutes(10)) > 0)
            throw new IllegalArgumentException("--warmup must be in [0, 10m]");
        return o;
    }

    /** The operator that publishes the bench's template, or null when sends carry inline content. */
    private static String templateOperator(Map<String, String> m) {
        String template = m.getOrDefault("template", "off");
        if (template.equals("off")) return null;
        if (!template.equals("on")) throw new IllegalArgumentException("--template must be on or off");
        String operator = m.getOrDefault("operator", System.getenv("HERALD_BOOTSTRAP_ADMIN"));
        if (operator == null || operator.indexOf(':') <= 0) {
            throw new IllegalArgumentException("--template on needs --operator USER:PASS (or HERALD_BOOTSTRAP_ADMIN)");
        }
        return operator;
    }

    /** "30s", "500ms", "2m", or a bare number of seconds. */
    static Duration duration(String s) {
        s = s.trim();
        if (s.endsWith("ms")) return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        if (s.endsWith("s")) return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
        if (s.endsWith("m")) return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 60_000));
        return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) if (v != null && !v.isBlank()) return v;
        return null;
    }
}
