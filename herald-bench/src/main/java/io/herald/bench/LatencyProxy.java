package io.herald.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on loopback that delays every byte by half a round trip in each direction, so a provider on the same
 * machine answers as one across a network would: what a lane's concurrency limit means against Apple's servers (tens
 * to a hundred and more milliseconds away) does not show against a mock that answers in microseconds. TLS and HTTP/2
 * pass through untouched; chunks keep their order and each leaves when its own delay is over, so many streams in
 * flight overlap their waits, as on a real link. The machine has no {@code netem} to do this in the kernel.
 */
final class LatencyProxy implements AutoCloseable {

    private record Chunk(byte[] bytes, long dueNanos) {
    }

    private static final Chunk END = new Chunk(new byte[0], 0);

    private final ServerSocket listener;
    private final int targetPort;
    private final long oneWayNanos;
    private volatile boolean closed;

    private LatencyProxy(int targetPort, Duration roundTrip) throws IOException {
        this.listener = new ServerSocket();
        this.listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.targetPort = targetPort;
        this.oneWayNanos = roundTrip.toNanos() / 2;
    }

    /** Listens on a free loopback port and relays each connection to {@code targetPort} with {@code roundTrip} added. */
    static LatencyProxy start(int targetPort, Duration roundTrip) throws IOException {
        LatencyProxy p = new LatencyProxy(targetPort, roundTrip);
        Thread.ofVirtual().name("latency-proxy-accept").start(p::acceptLoop);
        return p;
    }

    int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                var open = new AtomicInteger(2); // directions still relaying
                relay(client, upstream, open);
                relay(upstream, client, open);
            } catch (IOException e) {
                if (!closed) System.err.println("latency proxy: " + e);
            }
        }
    }

    /** One direction: a reader stamps each chunk with its departure time, a writer sends it then. */
    private void relay(Socket from, Socket to, AtomicInteger open) {
        LinkedBlockingQueue<Chunk> chunks = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[64 * 1024];
            try {
                InputStream in = from.getInputStream();
                for (int n; (n = in.read(buf)) > 0;) chunks.put(new Chunk(Arrays.copyOf(buf, n), System.nanoTime() + oneWayNanos));
            } catch (IOException | InterruptedException e) {
                // the connection ended
            }
            chunks.add(END);
        });
        Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = to.getOutputStream();
                for (Chunk c = chunks.take(); c != END; c = chunks.take()) {
                    long wait = c.dueNanos() - System.nanoTime();
                    if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait); // the simulated link's delay itself
                    out.write(c.bytes());
                    out.flush();
                }
                to.shutdownOutput(); // half-close: the other direction may still be talking
            } catch (IOException | InterruptedException e) {
                // the other side went away
            } finally {
                if (open.decrementAndGet() == 0) {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }
        });
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
    }
}
