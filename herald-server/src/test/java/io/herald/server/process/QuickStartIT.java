package io.herald.server.process;

import io.herald.postgres.embedded.PostmasterPidFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's quick start, as written: its {@code ./herald.sh} line (bootstrap variables included) on a fresh data
 * directory and a free port, then its curl commands, taken from README.md itself so that this test breaks when the
 * README drifts (only the port is substituted), then SIGTERM: nothing may run on for that data directory.
 *
 * <p>A failsafe integration test: it runs after {@code package}, so the jar herald.sh starts is the one just built;
 * it refuses to run when herald.sh would rebuild the jar (a nested Maven build inside the test run).
 */
@Tag("process")
class QuickStartIT {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path JAR = ROOT.resolve("herald-server/target/herald-server.jar");
    private static final String DOCUMENTED_ORIGIN = "localhost:8080";

    @TempDir
    Path dataDir;

    @TempDir
    Path curlHome;

    private Process server;

    @AfterEach
    void cleanUp() {
        if (server != null && server.isAlive()) server.destroyForcibly();
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void readmeQuickStartWorksAsWrittenAndLeavesNothingRunning() throws Exception {
        assertJarIsFresh();
        List<ShellCommands.Command> commands = ShellCommands.parse(
                ShellCommands.bashBlock(Files.readString(ROOT.resolve("README.md")), "./herald.sh"));
        ShellCommands.Command start = commands.getFirst();
        List<ShellCommands.Command> curls = commands.subList(1, commands.size());
        assertThat(start.words().getLast()).as("the block starts the server: %s", start.text()).isEqualTo("./herald.sh");
        assertThat(curls).as("the block then calls the API").isNotEmpty()
                .allSatisfy(c -> assertThat(c.words().getFirst()).isEqualTo("curl"))
                .allSatisfy(c -> assertThat(c.text()).contains(DOCUMENTED_ORIGIN));

        // ./herald.sh with the README's variables, a fresh data directory and a free port
        Map<String, String> env = new LinkedHashMap<>();
        for (String w : start.words().subList(0, start.words().size() - 1)) {
            assertThat(w).as("only variable assignments before ./herald.sh").matches("[A-Z_][A-Z0-9_]*=.*");
            env.put(w.substring(0, w.indexOf('=')), w.substring(w.indexOf('=') + 1));
        }
        assertThat(env).containsKeys("HERALD_BOOTSTRAP_APP", "HERALD_BOOTSTRAP_ADMIN");
        int port = ServerProcess.freePort();
        Path log = Files.createDirectories(ROOT.resolve("herald-server/target/process-logs")).resolve("quickstart.log");
        ProcessBuilder pb = new ProcessBuilder("./herald.sh").directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("HERALD_") || k.startsWith("SPRING_") || k.equals("SERVER_PORT"));
        pb.environment().putAll(env);
        pb.environment().put("HERALD_DATA_DIR", dataDir.toString());
        pb.environment().put("SERVER_PORT", Integer.toString(port));
        long t0 = System.nanoTime();
        server = pb.start();
        awaitReady(port, log);
        Duration startup = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(Files.readString(log)).as("herald.sh used the packaged jar").doesNotContain("building Herald");
        PostmasterPidFile postmaster = ProcessTree.postmaster(dataDir);
        long watchdog = ProcessTree.watchdogOf(server.pid());

        // the README's curl commands, in order, with their answers checked by what they do
        int checked = 0;
        for (ShellCommands.Command curl : curls) {
            String text = curl.text().replace(DOCUMENTED_ORIGIN, "localhost:" + port);
            String url = curl.words().stream().filter(w -> w.contains(DOCUMENTED_ORIGIN)).findFirst().orElseThrow();
            String path = url.substring(url.indexOf(DOCUMENTED_ORIGIN) + DOCUMENTED_ORIGIN.length());
            boolean put = curl.words().contains("PUT");
            boolean post = !put && (curl.words().contains("-d") || curl.words().contains("POST"));
            Answer a = run(text);
            if (put && path.startsWith("/v1/users/")) {
                assertThat(a.status()).as("%s -> %s", curl.text(), a.body()).isEqualTo(201); // a fresh data directory: a new user
                assertThat(a.json().get("userId").asString()).isEqualTo(path.substring("/v1/users/".length()));
            } else if (post && path.equals("/v1/notifications")) {
                assertThat(a.status()).as("%s -> %s", curl.text(), a.body()).isEqualTo(202);
                assertThat(a.json().get("notifications").size()).isPositive();
                for (JsonNode n : a.json().get("notifications")) assertThat(n.get("status").asString()).isEqualTo("QUEUED");
            } else if (!put && !post && path.startsWith("/v1/notifications?eventId=")) {
                String eventId = path.substring("/v1/notifications?eventId=".length());
                // the sandbox providers send within moments: poll the same command until all are SENT
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (true) {
                    assertThat(a.status()).as("%s -> %s", curl.text(), a.body()).isEqualTo(200);
                    assertThat(a.json().get("items").size()).as(a.body()).isPositive();
                    boolean allSent = true;
                    for (JsonNode n : a.json().get("items")) {
                        assertThat(n.get("eventId").asString()).isEqualTo(eventId);
                        allSent &= "SENT".equals(n.get("status").asString());
                    }
                    if (allSent) break;
                    assertThat(System.nanoTime()).as("all SENT in time: %s", a.body()).isLessThan(deadline);
                    ServerProcess.pause(Duration.ofMillis(200));
                    a = run(text);
                }
            } else {
                throw new AssertionError("the README has a command this test does not know how to check: " + curl.text());
            }
            checked++;
        }
        assertThat(checked).isEqualTo(curls.size());
        assertAdminBootstrapped(port, env.get("HERALD_BOOTSTRAP_ADMIN"));

        // SIGTERM (herald.sh execs java): a clean stop takes PostgreSQL and the watchdog with it
        server.destroy();
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
        assertThat(ProcessTree.awaitGone(postmaster.pid(), Duration.ofSeconds(10))).as("postmaster stopped").isTrue();
        assertThat(ProcessTree.awaitGone(watchdog, Duration.ofSeconds(10))).as("watchdog gone").isTrue();
        assertThat(ProcessTree.leftovers(dataDir)).as("processes left for %s", dataDir).isEmpty();
        assertThat(dataDir.resolve("postgres").resolve(PostmasterPidFile.NAME)).as("PostgreSQL shut down cleanly").doesNotExist();
        String output = Files.readString(log);
        assertThat(output).contains("Commencing graceful shutdown", "shut down postmaster in");
        assertThat(output.indexOf("Commencing graceful shutdown")).as("the database stops after the application, not beside it")
                .isLessThan(output.indexOf("shut down postmaster in"));
        System.out.printf("QuickStartIT: %d README commands replayed; ./herald.sh ready in %d ms; exit after SIGTERM %d%n",
                curls.size(), startup.toMillis(), server.exitValue());
    }

    /** herald.sh builds the jar when a source is newer than it: that must not happen inside a test run. */
    private static void assertJarIsFresh() throws IOException, InterruptedException {
        assertThat(JAR).as("package runs before this test").exists();
        // herald.sh's own test
        Process check = new ProcessBuilder("bin/stale-jar.sh").directory(ROOT.toFile()).redirectErrorStream(true).start();
        String newer = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(check.waitFor()).isZero();
        assertThat(newer).as("a source newer than the jar would make herald.sh rebuild it inside the test; run package first").isEmpty();
    }

    private record Answer(int status, String body) {
        JsonNode json() {
            return Payloads.JSON.readTree(body);
        }
    }

    /** Runs a command through bash; a curlrc (CURL_HOME) adds the status code to its output, the command is unchanged. */
    private Answer run(String command) throws IOException, InterruptedException {
        Path rc = curlHome.resolve(".curlrc");
        if (!Files.exists(rc)) Files.writeString(rc, "silent\nshow-error\nmax-time = 30\nwrite-out = \"\\n%{http_code}\"\n");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(ROOT.toFile()).redirectErrorStream(true);
        pb.environment().put("CURL_HOME", curlHome.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s\n%s", command, out).isZero();
        int nl = out.lastIndexOf('\n');
        return new Answer(Integer.parseInt(out.substring(nl + 1).strip()), out.substring(0, nl));
    }

    private void awaitReady(int port, Path log) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        while (true) {
            if (!server.isAlive()) throw new AssertionError("herald.sh exited with " + server.exitValue() + ":\n" + tail(log));
            try {
                HttpResponse<String> r = http
                        .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) throw new AssertionError("not ready in time:\n" + tail(log));
            ServerProcess.pause(Duration.ofMillis(250));
        }
    }

    /** The README promises an admin as well: its credentials open the ADMIN-only account list. */
    private static void assertAdminBootstrapped(int port, String credentials) throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/accounts"))
                        .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"username\":\"" + credentials.substring(0, credentials.indexOf(':')) + "\"").contains("ADMIN");
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
