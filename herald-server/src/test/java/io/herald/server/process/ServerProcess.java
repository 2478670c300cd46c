package io.herald.server.process;

import io.herald.testkit.TestPostgres;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Herald server in a child JVM, for tests that kill processes. Starts
 * {@code java -cp <this JVM's class path minus test classes> io.herald.server.HeraldServer} with the JDK of the
 * current JVM, on a free port, against a schema of the machine's PostgreSQL, with the sandbox provider and fast
 * poll / lease settings. Output goes to {@code target/process-logs/<instance>.log}.
 *
 * <p>Every started process is also registered with a JVM shutdown hook that kills it, so a crashed or
 * interrupted test run leaves no orphan servers behind; tests still {@link #close()} them in their own
 * {@code @AfterEach}/{@code @AfterAll}.
 */
public final class ServerProcess implements AutoCloseable {

    public static final String APP_KEY = "process-test-app";
    public static final String APP_SECRET = "process-test-secret-0123456789";

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final Path TARGET = Path.of(System.getProperty("user.dir"), "target");

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "kill-server-processes"));
    }

    /** By name: the test JVM must not depend on target/classes staying put while others rebuild it. */
    static final String MAIN_CLASS = "io.herald.server.HeraldServer";
    private static final String MAIN_CLASS_FILE = MAIN_CLASS.replace('.', '/') + ".class";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String instanceId;
    private final int port;
    private final Process process;
    private final Path log;
    private final long startedNanos = System.nanoTime();

    private ServerProcess(String instanceId, int port, Process process, Path log) {
        this.instanceId = instanceId;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    public static Builder builder(String schema, String instanceId) {
        return new Builder(schema, instanceId);
    }

    /** What to start. Every setting becomes a {@code --key=value} argument of the child. */
    public static final class Builder {
        private final String schema;
        private final String instanceId;
        private final Map<String, String> props = new LinkedHashMap<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private String dbUrl = TestPostgres.URL;
        private int port;
        private Path embeddedDataDir;

        private Builder(String schema, String instanceId) {
            this.schema = schema;
            this.instanceId = instanceId;
            props.put("herald.roles", "all");
            props.put("herald.bootstrap.app", APP_KEY + ":" + APP_SECRET);
            props.put("herald.db.pool-size", "4"); // the shared PostgreSQL has max_connections 100
            props.put("herald.dispatch.defaults.lease", "5s");
            props.put("herald.dispatch.defaults.poll-interval", "50ms");
            props.put("herald.dispatch.defaults.initial-backoff", "200ms");
            props.put("herald.dispatch.scheduler-interval", "200ms");
            props.put("herald.providers.sandbox.latency", "0ms");
            props.put("logging.level.root", "INFO");
        }

        public Builder roles(String roles) {
            return set("herald.roles", roles);
        }

        public Builder sandboxLatency(Duration latency) {
            return set("herald.providers.sandbox.latency", latency.toMillis() + "ms");
        }

        public Builder lease(Duration lease) {
            return set("herald.dispatch.defaults.lease", lease.toMillis() + "ms");
        }

        public Builder concurrency(int perLane) {
            return set("herald.dispatch.defaults.concurrency", Integer.toString(perLane));
        }

        /** The JDBC URL of the database, e.g. a proxy in front of it; default {@link TestPostgres#URL}. */
        public Builder dbUrl(String url) {
            this.dbUrl = url;
            return this;
        }

        /** A fixed port, e.g. to restart a process where its clients reconnect; default a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The zero-setup default instead of the machine's PostgreSQL: an embedded one in {@code dataDir}/postgres. */
        public Builder embedded(Path dataDir) {
            this.embeddedDataDir = dataDir;
            return this;
        }

        public Builder set(String key, String value) {
            props.put(key, value);
            return this;
        }

        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /** Starts the process and returns at once; see {@link #awaitReady(Duration)}. */
        public ServerProcess start() {
            int port = this.port > 0 ? this.port : freePort();
            // the application name tags this process's database sessions, so tests can see when a killed one's are gone
            String url = dbUrl + (dbUrl.contains("?") ? "&" : "?") + "ApplicationName=" + instanceId;
            List<String> cmd = new ArrayList<>();
            cmd.add(javaExecutable());
            cmd.addAll(List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                    "-Djava.awt.headless=true", "-cp", serverClassPath(), MAIN_CLASS));
            Map<String, String> all = new LinkedHashMap<>(props);
            all.put("server.port", Integer.toString(port));
            all.put("herald.instance-id", instanceId);
            if (embeddedDataDir != null) {
                all.put("herald.data-dir", embeddedDataDir.toString());
            } else {
                all.put("herald.db.url", url);
                all.put("herald.db.username", TestPostgres.USER);
                all.put("herald.db.schema", schema);
                all.put("herald.data-dir", TARGET.resolve("process-data").resolve(instanceId).toString());
            }
            all.forEach((k, v) -> cmd.add("--" + k + "=" + v));
            try {
                Path logs = Files.createDirectories(TARGET.resolve("process-logs"));
                Path log = logs.resolve(instanceId + ".log");
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().keySet().removeIf(k -> k.startsWith("HERALD_") || k.startsWith("SPRING_") || k.equals("SERVER_PORT"));
                pb.environment().putAll(env);
                Process p = pb.start();
                LIVE.add(p);
                p.onExit().thenRun(() -> LIVE.remove(p));
                return new ServerProcess(instanceId, port, p, log);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + instanceId, e);
            }
        }
    }

    /** The JDK running this test: the child runs on the same Java. */
    static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .filter(c -> Files.isExecutable(Path.of(c)))
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    }

    /**
     * This JVM's class path without test classes: the child is the production server with its dependencies,
     * and must not component-scan test configuration living under io.herald.server.
     */
    static synchronized String serverClassPath() {
        if (classPath == null) {
            classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                    .filter(e -> !e.isBlank())
                    .filter(e -> !Path.of(e).endsWith("test-classes"))
                    .map(e -> Files.isDirectory(Path.of(e)) ? snapshot(Path.of(e)).toString() : e)
                    .collect(Collectors.joining(File.pathSeparator));
        }
        return classPath;
    }

    private static String classPath;

    /**
     * A private copy of a class directory (target/classes), taken once per test JVM: others may rebuild the
     * module while these tests run, and a server must not load half of one build and half of another.
     * The copy is retried while the directory changes under it.
     */
    private static Path snapshot(Path dir) {
        try {
            Path root = Files.createDirectories(TARGET.resolve("process-classpath"));
            for (int attempt = 0; attempt < 60; attempt++) {
                try {
                    String before = fingerprint(dir);
                    Path copy = Files.createTempDirectory(root, dir.getFileName() + "-");
                    try (var files = Files.walk(dir)) {
                        for (Path f : (Iterable<Path>) files::iterator) {
                            Path to = copy.resolve(dir.relativize(f).toString());
                            if (Files.isDirectory(f)) Files.createDirectories(to);
                            else
                                Files.copy(f, to);
                        }
                    }
                    // the server's own class directory, while someone else rebuilds it, can be stable but half empty
                    boolean serverClasses = dir.endsWith(Path.of("herald-server", "target", "classes"));
                    boolean incomplete = serverClasses && !(Files.exists(copy.resolve(MAIN_CLASS_FILE))
                            && Files.exists(copy.resolve("application.yml")));
                    if (before.equals(fingerprint(dir)) && !incomplete) return copy;
                } catch (IOException | UncheckedIOException e) {
                    // a file vanished under a concurrent build: try again
                }
                pause(Duration.ofSeconds(2));
            }
            throw new IllegalStateException(dir + " keeps changing; cannot take a consistent copy");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + dir, e);
        }
    }

    private static String fingerprint(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).sorted().map(f -> {
                try {
                    return f + ":" + Files.size(f) + ":" + Files.getLastModifiedTime(f).toMillis();
                } catch (IOException e) {
                    return f + ":gone";
                }
            }).collect(Collectors.joining("\n"));
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until /actuator/health/readiness answers 200; fails at once if the process dies, with its log. */
    public ServerProcess awaitReady(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(instanceId + " exited with " + process.exitValue() + " before it was ready:\n" + logTail(60));
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri("/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return this;
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            pause(Duration.ofMillis(250));
        }
        throw new AssertionError(instanceId + " not ready within " + max + ":\n" + logTail(60));
    }

    public Duration uptime() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    public String instanceId() {
        return instanceId;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /**
     * SIGKILL: {@link Process#destroyForcibly()} on Linux sends signal 9, so no shutdown hook, no graceful
     * shutdown, no last flush runs. Waits for the process to be gone. @return its exit code (137 = 128 + 9)
     */
    public int kill9() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError(instanceId + " survived SIGKILL");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return process.exitValue();
    }

    /** SIGTERM (graceful shutdown), then SIGKILL after a bounded wait. */
    public void stop() {
        if (!process.isAlive()) return;
        process.destroy();
        try {
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Kills the process if it still runs; safe to call twice. */
    @Override
    public void close() {
        if (process.isAlive()) kill9();
    }

    public HttpResponse<String> post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        String basic = Base64.getEncoder().encodeToString((APP_KEY + ":" + APP_SECRET).getBytes(StandardCharsets.UTF_8));
        try {
            return HTTP.send(b.header("Authorization", "Basic " + basic).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(instanceId + ": request failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The Prometheus scrape of this process. */
    public String prometheus() {
        HttpResponse<String> r = get("/actuator/prometheus");
        if (r.statusCode() != 200) throw new AssertionError("prometheus answered " + r.statusCode() + ": " + r.body());
        return r.body();
    }

    /**
     * Sum of one metric's samples in a Prometheus scrape whose labels include all given ones, e.g.
     * {@code metric(scrape, "herald_notifications_outcome_total", "status=\"SENT\"")}.
     */
    public static double metric(String scrape, String name, String... labels) {
        double sum = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) continue;
            boolean all = true;
            for (String l : labels) all &= line.contains(l);
            if (!all) continue;
            String value = line.substring(line.lastIndexOf(' ') + 1);
            sum += Double.parseDouble(value);
        }
        return sum;
    }

    public Path log() {
        return log;
    }

    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e + ")";
        }
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return instanceId + "(pid " + process.pid() + ", port " + port + ")";
    }
}
