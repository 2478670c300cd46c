package io.herald.postgres.embedded;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded PostgreSQL after the ways a Herald server ends, with real processes: the owner is a child JVM
 * ({@link EmbeddedPostgresOwner}) killed with SIGKILL, alone, together with its watchdog, or together with the
 * whole PostgreSQL process tree (as a power loss would). Each time a committed row must be there at the next start.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedPostgresServerTest {

    private static final Duration BOUND = Duration.ofSeconds(20);

    /** initdb takes seconds on a busy machine: once per class, and each test starts from a copy. */
    @TempDir
    static Path template;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void initdbOnce() {
        EmbeddedPostgresServer.start(template, 0).close();
    }

    @BeforeEach
    void copyTemplate() throws IOException {
        Path from = template.resolve("postgres");
        try (var files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = dataDir.resolve("postgres").resolve(from.relativize(f).toString());
                // attributes too: PostgreSQL refuses a data directory others may read
                Files.copy(f, to, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private final List<Process> children = new ArrayList<>();
    private final List<EmbeddedPostgresServer> servers = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        servers.forEach(EmbeddedPostgresServer::close);
        children.forEach(Process::destroyForcibly);
        // whatever a failed test left: no postmaster may outlive it
        PostmasterPidFile.read(dataDir.resolve("postgres")).flatMap(f -> ProcessHandle.of(f.pid()))
                .filter(p -> OrphanedPostgres.isPostgresOf(p, dataDir.resolve("postgres")))
                .ifPresent(p -> {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                });
    }

    private record Owner(Process jvm, int port, long postmasterPid, long watchdogPid) {
    }

    /** A child JVM that owns the data directory's PostgreSQL, with a committed row in it. */
    private Owner owner() throws Exception {
        Path out = dataDir.resolveSibling(dataDir.getFileName() + "-owner-" + children.size() + ".log");
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        Process p = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), EmbeddedPostgresOwner.class.getName(), dataDir.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        children.add(p);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Optional<String> ready = Files.readAllLines(out, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("READY "))
                    .findFirst();
            if (ready.isPresent()) {
                String[] f = ready.get().split(" ");
                Owner o = new Owner(p, Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
                assertThat(o.postmasterPid()).isPositive();
                assertThat(o.watchdogPid()).as("a watchdog runs beside the postmaster").isPositive();
                try (Connection c = connect(o.port()); Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE IF NOT EXISTS accepted (n int)");
                    s.execute("INSERT INTO accepted VALUES (" + children.size() + ")");
                }
                return o;
            }
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("owner did not start:\n" + Files.readString(out));
            }
            Thread.sleep(100);
        }
    }

    private EmbeddedPostgresServer start() {
        EmbeddedPostgresServer s = EmbeddedPostgresServer.start(dataDir, 0);
        servers.add(s);
        return s;
    }

    private static Connection connect(int port) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", null);
    }

    private static long rows(EmbeddedPostgresServer s) throws SQLException {
        try (Connection c = connect(s.port());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM accepted")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void kill9(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        assertThat(gone(pid, BOUND)).as("pid %d gone after SIGKILL", pid).isTrue();
    }

    private static boolean gone(long pid, Duration max) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        return p.isEmpty() || OrphanedPostgres.awaitExit(p.get(), max);
    }

    /** A zombie counts as gone: this machine's init reaps orphans only now and then. */
    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(OrphanedPostgres::running).orElse(false);
    }

    @Test
    void closeStopsPostgresAndItsWatchdogAndFreesTheDirectory() throws Exception {
        EmbeddedPostgresServer first = start();
        long postmaster = first.postmasterPid();
        long watchdog = first.watchdogPid();
        assertThat(alive(postmaster)).isTrue();
        assertThat(alive(watchdog)).isTrue();
        try (Connection c = connect(first.port()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE accepted (n int)");
            s.execute("INSERT INTO accepted VALUES (1)");
        }
        first.close();
        servers.remove(first);
        assertThat(alive(postmaster)).as("postmaster stopped by close").isFalse();
        assertThat(alive(watchdog)).as("watchdog gone after close").isFalse();
        assertThat(dataDir.resolve("postgres").resolve(PostmasterPidFile.NAME)).doesNotExist();

        assertThat(rows(start())).isEqualTo(1);
    }

    @Test
    void everyCommitIsDurable() throws Exception {
        EmbeddedPostgresServer server = start();
        try (Connection c = connect(server.port());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("""
                        SELECT current_setting('fsync'), current_setting('synchronous_commit'), current_setting('full_page_writes')""")) {
            assertThat(rs.next()).isTrue();
            // the library's defaults are a throwaway test database's (fsync off); a 202 promises the notification
            // survives a crash of the machine, not only of Herald
            assertThat(List.of(rs.getString(1), rs.getString(2), rs.getString(3))).containsExactly("on", "on", "on");
        }
    }

    @Test
    void itsPageCacheIsTheConfiguredSizeAt512MbByDefault() throws Exception {
        for (String size : List.of(EmbeddedPostgresServer.SHARED_BUFFERS, "64MB")) {
            EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0, size);
            servers.add(server);
            try (Connection c = connect(server.port());
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SHOW shared_buffers")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(size);
            }
            server.close();
        }
    }

    @Test
    void aSecondOwnerOfTheSameDirectoryIsRefusedAndTheFirstCarriesOn() throws Exception {
        EmbeddedPostgresServer first = start();
        assertThatThrownBy(this::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in use by another running Herald").hasMessageContaining("HERALD_DATA_DIR");
        // another process is refused the same way, and leaves the running PostgreSQL alone
        Path out = dataDir.resolveSibling(dataDir.getFileName() + "-second.log");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                EmbeddedPostgresOwner.class.getName(), dataDir.toString()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        children.add(p);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        assertThat(Files.readString(out)).contains("in use by another running Herald (pid " + ProcessHandle.current().pid() + ")");
        assertThat(alive(first.postmasterPid())).isTrue();
        try (Connection c = connect(first.port()); Statement s = c.createStatement()) {
            assertThat(s.execute("SELECT 1")).isTrue();
        }
    }

    @Test
    void theWatchdogStopsThePostmasterOfAKilledOwner() throws Exception {
        Owner o = owner();
        long t0 = System.nanoTime();
        o.jvm().destroyForcibly().waitFor();
        assertThat(gone(o.postmasterPid(), BOUND)).as("orphaned postmaster stopped by the watchdog within %s", BOUND).isTrue();
        long stoppedMs = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        assertThat(gone(o.watchdogPid(), BOUND)).as("watchdog exits after its work").isTrue();

        long t1 = System.nanoTime();
        EmbeddedPostgresServer restarted = start();
        long restartMs = Duration.ofNanos(System.nanoTime() - t1).toMillis();
        assertThat(rows(restarted)).isEqualTo(1);
        System.out.printf("EmbeddedPostgresServerTest: orphan stopped %d ms after kill -9; restart %d ms%n", stoppedMs, restartMs);
    }

    @Test
    void anOrphanWithoutWatchdogIsStoppedByTheNextStart() throws Exception {
        Owner o = owner();
        // the process group killed at once (kill -9 -pgid): the JVM and its watchdog; pg_ctl's own session survives
        kill9(o.watchdogPid());
        o.jvm().destroyForcibly().waitFor();
        assertThat(alive(o.postmasterPid())).as("the postmaster runs on without its owner").isTrue();

        long t0 = System.nanoTime();
        EmbeddedPostgresServer restarted = start();
        long restartMs = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        assertThat(alive(o.postmasterPid())).as("the orphan was stopped").isFalse();
        assertThat(restarted.postmasterPid()).isNotEqualTo(o.postmasterPid());
        assertThat(rows(restarted)).isEqualTo(1);
        System.out.printf("EmbeddedPostgresServerTest: restart with an orphan to stop %d ms%n", restartMs);
    }

    @Test
    void aStaleLockFileAfterAPowerLossDoesNotBlockTheStart() throws Exception {
        powerLoss(owner());
        // an operator's shell in the data directory is not a PostgreSQL backend to wait for or kill
        Process shell = new ProcessBuilder("sleep", "300").directory(dataDir.resolve("postgres").toFile()).start();
        children.add(shell);
        assertThat(rows(start())).as("crash recovery keeps the committed row").isEqualTo(1);
        assertThat(shell.isAlive()).isTrue();
    }

    @Test
    void aStaleLockFileNamingAnUnrelatedLiveProcessOrNothingReadableIsReplaced() throws Exception {
        powerLoss(owner());
        // after a reboot the pid in the file may belong to anything: here a sleep of ours
        Process unrelated = new ProcessBuilder("sleep", "300").start();
        children.add(unrelated);
        Path pidFile = dataDir.resolve("postgres").resolve(PostmasterPidFile.NAME);
        List<String> lines = new ArrayList<>(Files.readAllLines(pidFile));
        lines.set(0, Long.toString(unrelated.pid()));
        Files.write(pidFile, lines);

        EmbeddedPostgresServer s = start();
        assertThat(rows(s)).isEqualTo(1);
        assertThat(unrelated.isAlive()).as("the unrelated process is left alone").isTrue();
        s.close();
        servers.remove(s);

        // a lock file torn by the crash (empty): PostgreSQL itself would refuse it as bogus
        Files.writeString(pidFile, "");
        assertThat(rows(start())).isEqualTo(1);
    }

    /** Everything dies at once: the owner, its watchdog, the postmaster and its backends; postmaster.pid stays. */
    private void powerLoss(Owner o) throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(ProcessHandle.of(o.postmasterPid()).orElseThrow().descendants().toList());
        tree.add(ProcessHandle.of(o.postmasterPid()).orElseThrow());
        ProcessHandle.of(o.watchdogPid()).ifPresent(tree::add);
        tree.forEach(ProcessHandle::destroyForcibly);
        o.jvm().destroyForcibly().waitFor();
        for (ProcessHandle p : tree) assertThat(gone(p.pid(), BOUND)).as("pid %d gone", p.pid()).isTrue();
        assertThat(dataDir.resolve("postgres").resolve(PostmasterPidFile.NAME)).exists();
    }
}
