package io.herald.postgres.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether Linux lets written data pile up before writing it back. By default background writeback starts at 10% of
 * memory (2.4 GB on a 24 GB host), so in practice only the 30-second expiry starts it, and then hundreds of MB go to the
 * disk at once while every commit's WAL fsync waits behind them: the slowest HIGH sends during a 1M broadcast fell on
 * those seconds (docs/benchmarks.md). That is the host's setting, not PostgreSQL's, so Herald only says so at start.
 */
final class KernelWriteback {

    /** Background writeback starting later than this is worth a word. */
    static final long ADVISED_MAX_BYTES = 256L << 20;
    static final long ADVISED_BYTES = 64L << 20;

    private KernelWriteback() {
    }

    /**
     * @param vm      /proc/sys/vm
     * @param meminfo /proc/meminfo
     * @return the advice, or empty where the threshold is already low or nothing could be read (not Linux)
     */
    static Optional<String> advice(Path vm, Path meminfo) {
        try {
            long bytes = Long.parseLong(Files.readString(vm.resolve("dirty_background_bytes")).trim());
            long threshold;
            String setting;
            if (bytes > 0) {
                threshold = bytes;
                setting = "vm.dirty_background_bytes=" + bytes;
            } else {
                long ratio = Long.parseLong(Files.readString(vm.resolve("dirty_background_ratio")).trim());
                long memKb = Files.readAllLines(meminfo).stream().filter(l -> l.startsWith("MemTotal:")).findFirst()
                        .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).orElse(0L);
                threshold = memKb * 1024 / 100 * ratio;
                setting = "vm.dirty_background_ratio=" + ratio + " of " + (memKb >> 20) + " GB";
            }
            if (threshold <= ADVISED_MAX_BYTES) return Optional.empty();
            return Optional.of(("Linux starts writing back data only past %d MB (%s): under heavy writes, commits (and HIGH "
                    + "sends) wait behind bursts of hundreds of MB; `sysctl vm.dirty_background_bytes=%d` spreads them out")
                    .formatted(threshold >> 20, setting, ADVISED_BYTES));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
