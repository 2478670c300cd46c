package io.herald.postgres.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The embedded PostgreSQL of one Herald data directory ({@code <dataDir>/postgres}), made to survive the way
 * Herald ends: a kill -9 of the server leaves a running postmaster (pg_ctl starts it in a session of its own),
 * a power loss leaves a postmaster.pid whose pid may since belong to an unrelated process. Either would stop the
 * next start with "lock file postmaster.pid already exists". So a start
 * <ol>
 *   <li>takes the data directory's {@link DataDirectoryLock}: no other live Herald uses it;</li>
 *   <li>stops an orphaned postmaster that still serves the directory (fast shutdown, as pg_ctl would), and removes a
 *       postmaster.pid that names a live process which is not that postmaster; a dead pid is PostgreSQL's own
 *       business (it checks that no backend still uses the shared memory, then replaces the file);</li>
 *   <li>starts PostgreSQL, which replays its write-ahead log after a crash, and a {@link PostmasterWatchdog} that
 *       stops it if this JVM dies without doing so.</li>
 * </ol>
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    /** A fast shutdown writes a checkpoint; with fsync on, a large one takes a while on a slow disk. */
    private static final Duration FAST_SHUTDOWN = Duration.ofSeconds(60);
    private static final Duration IMMEDIATE_SHUTDOWN = Duration.ofSeconds(15);
    private static final Duration LEFTOVER_BACKENDS = Duration.ofSeconds(10);

    private final Path directory;
    private final DataDirectoryLock lock;
    private final EmbeddedPostgres postgres;
    private final long postmasterPid;
    private final PostmasterWatchdog watchdog;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedPostgresServer(Path directory, DataDirectoryLock lock, EmbeddedPostgres postgres, long postmasterPid,
                                   PostmasterWatchdog watchdog) {
        this.directory = directory;
        this.lock = lock;
        this.postgres = postgres;
        this.postmasterPid = postmasterPid;
        this.watchdog = watchdog;
    }

    /**
     * Starts (initialising on first use) the PostgreSQL of a Herald data directory.
     *
     * @param port 0 for a free one
     * @throws IllegalStateException when another live Herald uses the directory, or PostgreSQL cannot start
     */
    public static EmbeddedPostgresServer start(Path heraldDataDir, int port) {
        Path directory = heraldDataDir.resolve("postgres").toAbsolutePath().normalize();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
        DataDirectoryLock lock = DataDirectoryLock.acquire(directory.getParent());
        try {
            clearLeftovers(directory);
            log.info("starting embedded PostgreSQL in {}", directory);
            EmbeddedPostgres postgres = startPostgres(directory, port);
            deferLibraryShutdownHook(postgres, true);
            long pid = PostmasterPidFile.read(directory).map(PostmasterPidFile::pid).orElse(-1L);
            PostmasterWatchdog watchdog = pid > 0 ? PostmasterWatchdog.start(pid, directory).orElse(null) : null;
            return new EmbeddedPostgresServer(directory, lock, postgres, pid, watchdog);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static EmbeddedPostgres startPostgres(Path directory, int port) {
        try {
            return EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200")
                    // the library's defaults are made for throwaway test databases (fsync off): Herald's embedded
                    // database is its production store, and a 202 promises the notification survives a crash
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    // TCP on loopback only: no socket lock file in /tmp that a crash could leave behind
                    .setServerConfig("unix_socket_directories", "''")
                    .start();
        } catch (IOException | RuntimeException e) {
            // pg_ctl may have started a postmaster that never answered: do not leave it behind
            stopOrphan(directory);
            throw new IllegalStateException("cannot start the embedded PostgreSQL in " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * The library stops PostgreSQL from a JVM shutdown hook of its own, which runs at the same time as Spring's
     * graceful shutdown: on SIGTERM the database went away under in-flight requests and sends. Marked closed, the
     * library's hook does nothing; {@link #close()} unmarks it and stops PostgreSQL in order, after the application,
     * and the watchdog stops it when the JVM ends without that. If the library changes, its hook simply stays.
     */
    private static void deferLibraryShutdownHook(EmbeddedPostgres postgres, boolean defer) {
        try {
            Field closed = EmbeddedPostgres.class.getDeclaredField("closed");
            closed.setAccessible(true);
            ((AtomicBoolean) closed.get(postgres)).set(defer);
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (defer) log.warn("cannot defer the embedded PostgreSQL's own shutdown hook ({}); it may stop before Herald has", e.toString());
        }
    }

    /** With the directory lock held: whatever still claims the directory is left over from a dead Herald. */
    static void clearLeftovers(Path directory) {
        Optional<PostmasterPidFile> pidFile = PostmasterPidFile.read(directory);
        if (pidFile.isEmpty()) return;
        PostmasterPidFile found = pidFile.get();
        Optional<ProcessHandle> process = found.pid() > 0 ? ProcessHandle.of(found.pid()) : Optional.empty();
        if (process.filter(EmbeddedPostgresServer::running).filter(p -> isPostmasterOf(p, directory)).isPresent()) {
            log.warn("an embedded PostgreSQL (pid {}) still runs in {} although no Herald owns it (was Herald killed?): stopping it",
                    found.pid(), directory);
            stopOrphan(directory);
            return;
        }
        // the postmaster died with its owner (power loss, kill -9 of the whole tree); its backends notice and exit
        stopLeftoverBackends(directory);
        if (process.isPresent() || found.pid() < 0) {
            // PostgreSQL would refuse the file: a live pid (an unrelated process now, or an unreaped zombie) or garbage
            log.warn("removing a stale {} (pid {}: {}) left by a crash", PostmasterPidFile.NAME, found.pid(),
                    found.pid() < 0 ? "unreadable" : "no longer a PostgreSQL of this directory");
            try {
                Files.deleteIfExists(found.file());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the stale " + found.file(), e);
            }
        }
        // a pid that is gone: PostgreSQL checks that no old backend still holds the shared memory and takes over the file
    }

    /**
     * Backends of a postmaster that died are still attached to its shared memory until they notice; a new postmaster
     * must not start beside them. Every PostgreSQL process works in the data directory, which finds them (Linux).
     */
    private static void stopLeftoverBackends(Path directory) {
        if (!Files.isDirectory(Path.of("/proc/self"))) return;
        List<ProcessHandle> backends = ProcessHandle.allProcesses().filter(EmbeddedPostgresServer::running)
                .filter(p -> p.pid() != ProcessHandle.current().pid() && isPostmasterOf(p, directory)).toList();
        if (backends.isEmpty()) return;
        log.warn("{} PostgreSQL processes of a dead postmaster still run in {}; waiting for them to exit", backends.size(), directory);
        for (ProcessHandle p : backends) {
            if (!awaitExit(p, LEFTOVER_BACKENDS)) {
                signal(p, "KILL");
                awaitExit(p, IMMEDIATE_SHUTDOWN);
            }
        }
    }

    /** Stops the postmaster that postmaster.pid names, if it serves this directory; waits until it is gone. */
    private static void stopOrphan(Path directory) {
        Optional<PostmasterPidFile> pidFile = PostmasterPidFile.read(directory);
        Optional<ProcessHandle> postmaster = pidFile.filter(f -> f.pid() > 0).flatMap(f -> ProcessHandle.of(f.pid()))
                .filter(EmbeddedPostgresServer::running).filter(p -> isPostmasterOf(p, directory));
        if (postmaster.isEmpty()) return;
        ProcessHandle p = postmaster.get();
        long t0 = System.nanoTime();
        if (!signal(p, "INT") || !awaitExit(p, FAST_SHUTDOWN)) {
            log.warn("PostgreSQL (pid {}) did not finish a fast shutdown within {}; asking for an immediate one", p.pid(), FAST_SHUTDOWN);
            if (!signal(p, "QUIT") || !awaitExit(p, IMMEDIATE_SHUTDOWN)) {
                throw new IllegalStateException("cannot stop the PostgreSQL (pid " + p.pid() + ") that still runs in " + directory
                        + "; stop it (kill " + p.pid() + ") and start again");
            }
        }
        log.info("stopped the orphaned PostgreSQL (pid {}) in {} ms", p.pid(), Duration.ofNanos(System.nanoTime() - t0).toMillis());
    }

    /**
     * Whether a live process is a PostgreSQL process (the postmaster, or one of its backends) of this data directory:
     * PostgreSQL changes into its data directory, so on Linux its working directory says so; elsewhere the
     * postmaster's command line (postgres -D directory) does.
     */
    static boolean isPostmasterOf(ProcessHandle process, Path directory) {
        Path cwd = Path.of("/proc", Long.toString(process.pid()), "cwd");
        if (Files.isDirectory(Path.of("/proc/self"))) {
            try {
                return Files.isSameFile(cwd, directory);
            } catch (IOException e) {
                return false; // gone, or another user's process: not a postmaster we could have started
            }
        }
        ProcessHandle.Info info = process.info();
        boolean postgres = info.command().map(c -> Path.of(c).getFileName().toString().startsWith("postgres")).orElse(false);
        return postgres && info.arguments().map(a -> Arrays.asList(a).contains(directory.toString())).orElse(false);
    }

    private static boolean signal(ProcessHandle p, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return kill.waitFor() == 0 || !p.isAlive();
        } catch (IOException e) {
            log.warn("cannot signal pid {}: {}", p.pid(), e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Polls (the process is not our child, so nothing notifies us); a zombie nobody reaps counts as gone. */
    static boolean awaitExit(ProcessHandle p, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (running(p)) {
            if (System.nanoTime() > deadline) return false;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !running(p);
            }
        }
        return true;
    }

    static boolean running(ProcessHandle p) {
        if (!p.isAlive()) return false;
        try {
            // /proc/<pid>/stat: "pid (comm) state ..."; comm may hold spaces, the state follows the last ')'
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return p.isAlive();
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public Path directory() {
        return directory;
    }

    long postmasterPid() {
        return postmasterPid;
    }

    /** -1 where none could start. */
    long watchdogPid() {
        return watchdog == null ? -1 : watchdog.pid();
    }

    /** Stops PostgreSQL (fast shutdown, waiting for its checkpoint), then the watchdog, then frees the directory. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) return;
        try {
            deferLibraryShutdownHook(postgres, false);
            postgres.close();
            // pg_ctl gives up after 5 s; the postmaster carries on with its checkpoint, and Herald waits for it
            if (postmasterPid > 0) ProcessHandle.of(postmasterPid).ifPresent(p -> {
                if (!awaitExit(p, FAST_SHUTDOWN)) log.warn("embedded PostgreSQL (pid {}) still running after {}", p.pid(), FAST_SHUTDOWN);
            });
        } catch (IOException e) {
            log.warn("embedded PostgreSQL did not stop cleanly: {}", e.toString());
        } finally {
            if (watchdog != null) watchdog.close();
            lock.close();
        }
    }
}
