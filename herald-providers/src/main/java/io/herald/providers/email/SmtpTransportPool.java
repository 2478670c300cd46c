package io.herald.providers.email;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;

import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A few connected, authenticated SMTP transports reused across messages: one TCP + TLS + AUTH handshake serves
 * up to {@code maxMessagesPerConnection} messages. At most {@code poolSize} transports exist; callers beyond that
 * wait for one. Idle transports are taken most-recently-used first, so a quiet period lets the others age out,
 * and one idle for longer than {@code validateAfterIdle} is checked with NOOP and replaced if the server has
 * dropped it. Thread-safe.
 */
final class SmtpTransportPool implements AutoCloseable {

    /** One transport and its usage. Owned by exactly one caller between borrow and release. */
    static final class Lease {
        final Transport transport;
        long lastUsedNanos;
        int messages;

        Lease(Transport transport) {
            this.transport = transport;
            this.lastUsedNanos = System.nanoTime();
        }
    }

    private final Session session;
    private final SmtpSettings settings;
    private final String protocol;
    private final Semaphore permits;
    private final Deque<Lease> idle = new ConcurrentLinkedDeque<>();
    private final AtomicLong connectionsOpened = new AtomicLong();
    private final long borrowWaitMillis;
    private volatile boolean closed;

    SmtpTransportPool(Session session, SmtpSettings settings, String protocol) {
        this.session = session;
        this.settings = settings;
        this.protocol = protocol;
        this.permits = new Semaphore(settings.poolSize(), true);
        // a caller waits at most about as long as one slow send may take
        this.borrowWaitMillis = settings.connectTimeout().plus(settings.readTimeout().multipliedBy(2)).toMillis();
    }

    /**
     * A connected transport, or null if none became free in time. The caller must {@link #release} it.
     *
     * @throws MessagingException when a new connection cannot be opened or authenticated
     */
    Lease borrow() throws MessagingException, InterruptedException {
        if (closed) throw new MessagingException("SMTP pool is closed");
        if (!permits.tryAcquire(borrowWaitMillis, TimeUnit.MILLISECONDS)) return null;
        try {
            Lease lease;
            while ((lease = idle.pollFirst()) != null) {
                if (stillConnected(lease)) return lease;
                closeQuietly(lease);
            }
            return connect();
        } catch (MessagingException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** Returns a transport after use; {@code reusable = false} closes it (after any error its state is unknown). */
    void release(Lease lease, boolean reusable) {
        try {
            lease.messages++;
            lease.lastUsedNanos = System.nanoTime();
            if (reusable && !closed && lease.messages < settings.maxMessagesPerConnection()) {
                idle.addFirst(lease);
                if (closed) drain(); // close() ran meanwhile
            } else {
                closeQuietly(lease);
            }
        } finally {
            permits.release();
        }
    }

    /** Connections opened since start, for metrics and tests. */
    long connectionsOpened() {
        return connectionsOpened.get();
    }

    @Override
    public void close() {
        closed = true;
        drain();
    }

    private void drain() {
        Lease lease;
        while ((lease = idle.pollFirst()) != null) closeQuietly(lease);
    }

    private boolean stillConnected(Lease lease) {
        long idleNanos = System.nanoTime() - lease.lastUsedNanos;
        if (idleNanos < settings.validateAfterIdle().toNanos()) return true;
        return lease.transport.isConnected(); // Angus sends NOOP here
    }

    private Lease connect() throws MessagingException {
        Transport transport = session.getTransport(protocol);
        if (settings.authenticates()) {
            transport.connect(settings.host(), settings.port(), settings.username(), settings.password());
        } else {
            transport.connect(settings.host(), settings.port(), null, null);
        }
        connectionsOpened.incrementAndGet();
        return new Lease(transport);
    }

    private static void closeQuietly(Lease lease) {
        try {
            lease.transport.close();
        } catch (MessagingException | RuntimeException ignored) {
            // the connection is being discarded anyway
        }
    }
}
