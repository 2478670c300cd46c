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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The embedded PostgreSQL of one Herald data directory ({@code <dataDir>/postgres}), made to survive the way
 * Herald ends: a kill -9 of the server leaves a running postmaster (pg_ctl starts it in a session of its own),
 * a power loss leaves a postmaster.pid whose pid may since belong to an unrelated process. Either would stop the
 * next start with "lock file postmaster.pid already exists". So a start
 * <ol>
 *   <li>takes the data directory's {@link DataDirectoryLock}: no other live Herald uses it;</li>
 *   <li>clears what a dead Herald left ({@link OrphanedPostgres}): a postmaster still serving the directory, or a stale
 *       postmaster.pid that PostgreSQL would refuse;</li>
 *   <li>starts PostgreSQL, which replays its write-ahead log after a crash, and a {@link PostmasterWatchdog} that
 *       stops it if this JVM dies without doing so.</li>
 * </ol>
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final DataDirectoryLock lock;
    private final EmbeddedPostgres postgres;
    private final long postmasterPid;
    private final PostmasterWatchdog watchdog;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedPostgresServer(DataDirectoryLock lock, EmbeddedPostgres postgres, long postmasterPid,
                                   PostmasterWatchdog watchdog) {
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
        return start(heraldDataDir, port, SHARED_BUFFERS);
    }

    /** The default size of PostgreSQL's own page cache ({@code herald.db.embedded-shared-buffers}). */
    public static final String SHARED_BUFFERS = "512MB";

    /**
     * @param sharedBuffers PostgreSQL's {@code shared_buffers}, e.g. "512MB" or "4GB" (a machine with memory to spare
     *                      keeps a large broadcast's pages in it instead of the kernel's page cache)
     * @see #start(Path, int)
     */
    public static EmbeddedPostgresServer start(Path heraldDataDir, int port, String sharedBuffers) {
        Path directory = heraldDataDir.resolve("postgres").toAbsolutePath().normalize();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
        DataDirectoryLock lock = DataDirectoryLock.acquire(directory.getParent());
        try {
            OrphanedPostgres.clearLeftovers(directory);
            log.info("starting embedded PostgreSQL in {}", directory);
            KernelWriteback.advice(Path.of("/proc/sys/vm"), Path.of("/proc/meminfo")).ifPresent(log::info);
            EmbeddedPostgres postgres = startPostgres(directory, port, sharedBuffers);
            deferLibraryShutdownHook(postgres, true);
            long pid = PostmasterPidFile.read(directory).map(PostmasterPidFile::pid).orElse(-1L);
            PostmasterWatchdog watchdog = pid > 0 ? PostmasterWatchdog.start(pid, directory).orElse(null) : null;
            return new EmbeddedPostgresServer(lock, postgres, pid, watchdog);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static EmbeddedPostgres startPostgres(Path directory, int port, String sharedBuffers) {
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
                    // checkpoints by size every 1 GB of WAL (the default) came every ~30 s of a 1M broadcast, each
                    // followed by a burst of full-page images: 9 checkpoints and 5.0 GB of WAL, 1 and 4.0 GB with these
                    // (docs/benchmarks.md); crash recovery replays at most about this much WAL
                    .setServerConfig("max_wal_size", "4GB")
                    .setServerConfig("checkpoint_timeout", "15min")
                    // a broadcast page's transaction writes megabytes of WAL; with the default buffers (1/32 of
                    // shared_buffers: 4 MB) the writing backend flushed them itself under the WAL write lock, and HIGH
                    // commits queued behind it (LWLock:WALWrite in pg_stat_activity; docs/benchmarks.md)
                    // 128 MB (the default) is smaller than a 1M broadcast's hot pages: backends evicted dirty pages
                    // themselves, and each such write first flushes the WAL up to that page (IO:DataFileWrite and
                    // LWLock:WALWrite in the samples of a 1M broadcast; docs/benchmarks.md)
                    .setServerConfig("shared_buffers", sharedBuffers)
                    .setServerConfig("wal_buffers", "64MB")
                    // a new WAL segment was written full of zeros first (and synced) before any record went in:
                    // IO:WalInitWrite in the samples of a 1M broadcast. PostgreSQL finds the end of WAL by record
                    // checksums, so the zeros bought nothing (safe on any file system since PostgreSQL 12)
                    .setServerConfig("wal_init_zero", "off")
                    // the default (4) prices a random read as a spinning disk's; Herald's hot tables live in shared
                    // buffers, and at 4 the planner chose whole scans of notification_events over a few hundred primary-key
                    // probes for the engagement drain once the table held tens of thousands of rows (docs/benchmarks.md)
                    .setServerConfig("random_page_cost", "1.1")
                    // TCP on loopback only: no socket lock file in /tmp that a crash could leave behind
                    .setServerConfig("unix_socket_directories", "''")
                    .start();
        } catch (IOException | RuntimeException e) {
            // pg_ctl may have started a postmaster that never answered: do not leave it behind
            OrphanedPostgres.stopOrphan(directory);
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
            if (defer)
                log.warn("cannot defer the embedded PostgreSQL's own shutdown hook ({}); it may stop before Herald has", e.toString());
        }
    }

    public int port() {
        return postgres.getPort();
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
                if (!OrphanedPostgres.awaitExit(p, OrphanedPostgres.FAST_SHUTDOWN)) {
                    log.warn("embedded PostgreSQL (pid {}) still running after {}", p.pid(), OrphanedPostgres.FAST_SHUTDOWN);
                }
            });
        } catch (IOException e) {
            log.warn("embedded PostgreSQL did not stop cleanly: {}", e.toString());
        } finally {
            if (watchdog != null) watchdog.close();
            lock.close();
        }
    }
}
