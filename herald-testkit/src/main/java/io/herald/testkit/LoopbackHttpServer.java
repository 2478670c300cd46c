package io.herald.testkit;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK's HTTP server on a free loopback port, each exchange on a virtual thread: the base of every protocol
 * peer in this testkit (FCM, Web Push, SendGrid, Twilio, generic SMS). Closing stops the server and its executor.
 */
public final class LoopbackHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    /** @param contexts handlers by path prefix, e.g. {@code "/" -> this::handle} */
    public LoopbackHttpServer(Map<String, HttpHandler> contexts) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        contexts.forEach(server::createContext);
        server.start();
    }

    public static LoopbackHttpServer start(HttpHandler handler) {
        return new LoopbackHttpServer(Map.of("/", handler));
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
