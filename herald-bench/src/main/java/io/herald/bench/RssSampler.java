package io.herald.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The server JVM's resident set (VmRSS) at a fixed interval, so a long run shows whether memory stays flat. */
final class RssSampler {

    private final Path status;
    private final long intervalMillis;
    private final List<Map<String, Object>> samples = new ArrayList<>();
    private final long start = System.nanoTime();
    private final Thread thread;

    /** @param pid the server JVM; 0: nothing is sampled */
    RssSampler(long pid, Duration interval) {
        this.status = Path.of("/proc/" + pid + "/status");
        this.intervalMillis = interval.toMillis();
        this.thread = pid == 0 ? null : Thread.ofPlatform().daemon().name("bench-rss").start(this::run);
    }

    private void run() {
        try {
            while (true) {
                sample();
                Thread.sleep(intervalMillis);
            }
        } catch (InterruptedException | IOException e) {
            // stopped, or the server is gone
        }
    }

    private void sample() throws IOException {
        for (String line : Files.readAllLines(status)) {
            if (!line.startsWith("VmRSS:")) continue;
            long kb = Long.parseLong(line.replaceAll("\\D", ""));
            synchronized (samples) {
                samples.add(Map.of("s", Math.round((System.nanoTime() - start) / 1e9), "mib", kb / 1024));
            }
        }
    }

    /** Every sample so far: seconds since the start, MiB. */
    List<Map<String, Object>> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    void stop() throws InterruptedException {
        if (thread == null) return;
        thread.interrupt();
        thread.join();
    }
}
