package io.herald.postgres.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a dead Herald leaves in its data directory, found and cleared while the directory lock is held (so nothing
 * found belongs to a live Herald): a postmaster that still serves the directory is stopped the way pg_ctl would
 * (fast shutdown, then immediate); a postmaster.pid that PostgreSQL would refuse (its pid now an unrelated process
 * or an unreaped zombie, or the file torn) is removed once no backend of the dead postmaster runs. A pid that is
 * simply gone is left to PostgreSQL, which checks the old shared memory itself and replaces the file.
 */
final class OrphanedPostgres {

    private static final Logger log = LoggerFactory.getLogger(OrphanedPostgres.class);

    /** A fast shutdown writes a checkpoint; with fsync on, a large one takes a while on a slow disk. */
    static final Duration FAST_SHUTDOWN = Duration.ofSeconds(60);
    private static final Duration IMMEDIATE_SHUTDOWN = Duration.ofSeconds(15);
    private static final Duration LEFTOVER_BACKENDS = Duration.ofSeconds(10);

    private OrphanedPostgres() {
    }

    /** With the directory lock held: whatever still claims the directory is left over from a dead Herald. */
    static void clearLeftovers(Path directory) {
        Optional<PostmasterPidFile> pidFile = PostmasterPidFile.read(directory);
        if (pidFile.isEmpty()) return;
        PostmasterPidFile found = pidFile.get();
        Optional<ProcessHandle> process = found.pid() > 0 ? ProcessHandle.of(found.pid()) : Optional.empty();
        if (process.filter(OrphanedPostgres::running).filter(p -> isPostgresOf(p, directory)).isPresent()) {
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
        List<ProcessHandle> backends = ProcessHandle.allProcesses().filter(OrphanedPostgres::running)
                .filter(p -> p.pid() != ProcessHandle.current().pid() && isPostgresOf(p, directory)).toList();
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
    static void stopOrphan(Path directory) {
        Optional<PostmasterPidFile> pidFile = PostmasterPidFile.read(directory);
        Optional<ProcessHandle> postmaster = pidFile.filter(f -> f.pid() > 0).flatMap(f -> ProcessHandle.of(f.pid()))
                .filter(OrphanedPostgres::running).filter(p -> isPostgresOf(p, directory));
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
     * its executable is postgres, and PostgreSQL changes into its data directory, so on Linux its working directory
     * says so; elsewhere the postmaster's command line (postgres -D directory) does. Anything else, such as a shell
     * someone opened in the directory, is never touched.
     */
    static boolean isPostgresOf(ProcessHandle process, Path directory) {
        ProcessHandle.Info info = process.info();
        if (!info.command().map(c -> Path.of(c).getFileName().toString().equals("postgres")).orElse(false)) return false;
        if (Files.isDirectory(Path.of("/proc/self"))) {
            try {
                return Files.isSameFile(Path.of("/proc", Long.toString(process.pid()), "cwd"), directory);
            } catch (IOException e) {
                return false; // gone, or another user's process: not one we could have started
            }
        }
        return info.arguments().map(a -> Arrays.asList(a).contains(directory.toString())).orElse(false);
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
}
