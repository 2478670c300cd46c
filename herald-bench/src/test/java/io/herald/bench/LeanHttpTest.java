package io.herald.bench;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The load generator's client against the JDK's HTTP server and against a raw socket peer for what it cannot do. */
class LeanHttpTest {

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    @Test
    void readsFixedLengthAndChunkedAnswersOnOneKeptAliveConnection() throws IOException {
        java.util.Set<Integer> clientPorts = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<String> seen = new CopyOnWriteArrayList<>();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            clientPorts.add(ex.getRemoteAddress().getPort());
            byte[] in = ex.getRequestBody().readAllBytes();
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + ex.getRequestHeaders().getFirst("Authorization") + " "
                    + new String(in, StandardCharsets.UTF_8));
            byte[] out = answer(ex.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            boolean chunked = ex.getRequestURI().getPath().endsWith("chunked");
            ex.sendResponseHeaders(chunked ? 422 : 202, chunked ? 0 : out.length); // 0: chunked
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        });
        server.setExecutor(null);
        server.start();
        try (LeanHttp http = new LeanHttp(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), 5_000,
                "Authorization: Basic abc")) {
            LeanHttp.Answer a = http.exchange("POST", "/v1/fixed", "{\"é\":1}");
            LeanHttp.Answer b = http.exchange("POST", "/v1/chunked", "{}");
            LeanHttp.Answer c = http.exchange("GET", "/v1/fixed?x=1", null);

            assertThat(a.status()).isEqualTo(202);
            assertThat(a.body()).isEqualTo(answer("/v1/fixed"));
            assertThat(b.status()).isEqualTo(422);
            assertThat(b.body()).isEqualTo(answer("/v1/chunked"));
            assertThat(c.status()).isEqualTo(202);
        }
        assertThat(seen).containsExactly("POST /v1/fixed Basic abc {\"é\":1}", "POST /v1/chunked Basic abc {}",
                "GET /v1/fixed?x=1 Basic abc ");
        assertThat(clientPorts).as("one connection, kept alive").hasSize(1);
    }

    @Test
    void aPooledConnectionTheServerClosedIsReplacedAndTheRequestSentAgain() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        try (ServerSocket peer = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            // answers one request per connection, then closes it without saying so (as an idle timeout does)
            Thread.ofVirtual().start(() -> {
                try {
                    for (;;) {
                        try (Socket s = peer.accept()) {
                            requests.add(readHead(s.getInputStream()));
                            s.getOutputStream()
                                    .write("HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                            s.getOutputStream().flush();
                        }
                    }
                } catch (IOException closed) {
                    // the test ended
                }
            });
            try (LeanHttp http = new LeanHttp(URI.create("http://127.0.0.1:" + peer.getLocalPort()), 5_000)) {
                assertThat(http.exchange("POST", "/one", "{}").body()).isEqualTo("ok");
                assertThat(http.exchange("POST", "/two", "{}").body()).isEqualTo("ok");
            }
        }
        // /two went first on the closed connection (never answered), then once on a new one
        assertThat(requests).containsExactly("POST /one HTTP/1.1", "POST /two HTTP/1.1");
    }

    /** Larger than the client's 16 KB buffer, and not ASCII only. */
    private static String answer(String path) {
        return "{\"echo\":\"" + path + "\",\"pad\":\"" + "x".repeat(40_000) + "\",\"name\":\"Zoë\"}";
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("closed");
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n"))
            if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
        in.readNBytes(length);
        return head.substring(0, head.indexOf("\r\n"));
    }
}
