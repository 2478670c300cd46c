package io.herald.server.process;

import io.herald.postgres.embedded.PostmasterPidFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What runs on this machine for an embedded data directory: its postmaster, its backends, its watchdog (Linux). */
final class ProcessTree {

    static final String WATCHDOG = "herald-postgres-watchdog";

    private ProcessTree() {
    }

    /** Alive and not a zombie: this machine's init reaps orphans only now and then. */
    static boolean running(long pid) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) return false;
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return p.get().isAlive();
        }
    }

    static boolean awaitGone(long pid, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (running(pid)) {
            if (System.nanoTime() > deadline) return false;
            ServerProcess.pause(Duration.ofMillis(50));
        }
        return true;
    }

    /** The postmaster pid and port that {@code dataDir}/postgres/postmaster.pid names. */
    static PostmasterPidFile postmaster(Path dataDir) {
        return PostmasterPidFile.read(dataDir.resolve("postgres")).orElseThrow(() -> new AssertionError("no postmaster.pid in " + dataDir));
    }

    /** The watchdog a server process started (its child). */
    static long watchdogOf(long serverPid) {
        return ProcessHandle.of(serverPid).orElseThrow().children()
                .filter(c -> c.info().commandLine().orElse("").contains(WATCHDOG)).findFirst()
                .map(ProcessHandle::pid).orElseThrow(() -> new AssertionError("no watchdog child of " + serverPid));
    }

    /**
     * Every running process of a data directory: PostgreSQL ones work in {@code dataDir}/postgres, the watchdog and
     * the postmaster name it on their command line.
     */
    static List<String> leftovers(Path dataDir) {
        Path pg = dataDir.resolve("postgres").toAbsolutePath();
        String needle = dataDir.toAbsolutePath().toString();
        return ProcessHandle.allProcesses().filter(p -> p.pid() != ProcessHandle.current().pid()).filter(p -> running(p.pid()))
                .filter(p -> p.info().commandLine().orElse("").contains(needle) || worksIn(p.pid(), pg))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList();
    }

    private static boolean worksIn(long pid, Path dir) {
        try {
            return Files.isDirectory(dir) && Files.isSameFile(Path.of("/proc", Long.toString(pid), "cwd"), dir);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
