package io.herald.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server process of a test's own (the machine's binary, a free port, nothing persisted), so tests can kill
 * -9 and restart it; the machine's shared Redis at 6379 is never touched. Start-up is awaited by reading the
 * server's "Ready to accept connections" line, not by sleeping.
 */
public final class TestRedis implements AutoCloseable {

    private final int port;
    private Process process;

    private TestRedis(int port) {
        this.port = port;
    }

    public static TestRedis start() {
        TestRedis r = new TestRedis(freePort());
        r.restart();
        return r;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts the server (again, after {@link #kill()}) on the same port, empty. */
    public synchronized void restart() {
        if (process != null && process.isAlive()) throw new IllegalStateException("redis-server is running");
        try {
            process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--protected-mode", "no")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server (is it installed?)", e);
        }
        CountDownLatch ready = new CountDownLatch(1);
        Process p = process;
        Thread.ofPlatform().daemon().name("test-redis-" + port).start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null;) {
                    if (line.contains("Ready to accept connections")) ready.countDown();
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        try {
            if (!ready.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("redis-server on port " + port + " did not start");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** kill -9, and waits until the process is gone. */
    public synchronized void kill() {
        if (process == null) return;
        process.destroyForcibly();
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
