package io.herald.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the machine's CPU went during the measured window, from /proc (Linux only; zeros elsewhere): the server
 * JVM, its PostgreSQL (the postmaster and its children), this load generator, and everything else on the box.
 * On a shared two-core machine "everything else" is what tells a slow run from a busy machine.
 */
public final class CpuAccounting {

    /** Clock ticks per second of /proc times; 100 on every Linux we run on (sysconf(_SC_CLK_TCK)). */
    private static final double HZ = 100.0;

    public record Snapshot(long nanos, long machineBusy, long machineTotal, long server, long postgres, long bench) {
    }

    private final long serverPid;
    private final long postmasterPid;
    private final long benchPid = ProcessHandle.current().pid();

    public CpuAccounting(long serverPid, long postmasterPid) {
        this.serverPid = serverPid;
        this.postmasterPid = postmasterPid;
    }

    public Snapshot snapshot() {
        long[] machine = machine();
        return new Snapshot(System.nanoTime(), machine[0], machine[1], own(serverPid), postgres(), own(benchPid));
    }

    /**
     * CPU used between two snapshots, in cores (1.0 = one core busy for the whole window), and ms per unit of work.
     */
    public static java.util.Map<String, Object> between(Snapshot a, Snapshot b, long units, int cores) {
        double seconds = (b.nanos() - a.nanos()) / 1e9;
        var m = new java.util.LinkedHashMap<String, Object>();
        long total = b.machineTotal() - a.machineTotal();
        double machineCores = total <= 0 ? 0 : cores * (double) (b.machineBusy() - a.machineBusy()) / total;
        double server = (b.server() - a.server()) / HZ / seconds;
        double pg = (b.postgres() - a.postgres()) / HZ / seconds;
        double bench = (b.bench() - a.bench()) / HZ / seconds;
        m.put("machineBusyCores", round2(machineCores));
        m.put("serverCores", round2(server));
        m.put("postgresCores", round2(pg));
        m.put("benchCores", round2(bench));
        m.put("otherCores", round2(Math.max(0, machineCores - server - pg - bench)));
        if (units > 0) {
            m.put("serverCpuMsPerNotification", round3((b.server() - a.server()) / HZ * 1000 / units));
            m.put("postgresCpuMsPerNotification", round3((b.postgres() - a.postgres()) / HZ * 1000 / units));
        }
        return m;
    }

    /** {busy, total} jiffies of all CPUs from the first line of /proc/stat. */
    private static long[] machine() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long total = 0, idle = 0;
            for (int i = 1; i < f.length && i <= 8; i++) total += Long.parseLong(f[i]); // user..steal; guest is inside user
            idle = Long.parseLong(f[4]) + Long.parseLong(f[5]); // idle + iowait
            return new long[]{total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[]{0, 0};
        }
    }

    /** utime + stime of a process (and of its reaped children), in ticks. */
    private static long own(long pid) {
        long[] s = stat(pid);
        return s == null ? 0 : s[1] + s[2] + s[3] + s[4];
    }

    /** The postmaster and its live children (backends, walwriter, checkpointer...). */
    private long postgres() {
        if (postmasterPid <= 0) return 0;
        long sum = own(postmasterPid);
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"),
                p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path p : procs) {
                long[] s = stat(Long.parseLong(p.getFileName().toString()));
                if (s != null && s[0] == postmasterPid) sum += s[1] + s[2];
            }
        } catch (IOException e) {
            return sum;
        }
        return sum;
    }

    /** {ppid, utime, stime, cutime, cstime} or null. */
    private static long[] stat(long pid) {
        if (pid <= 0) return null;
        try {
            String s = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return new long[]{Long.parseLong(f[1]), Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]),
                    Long.parseLong(f[14])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
