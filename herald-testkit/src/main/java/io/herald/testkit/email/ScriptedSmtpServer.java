package io.herald.testkit.email;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small SMTP peer (RFC 5321) on loopback for what GreenMail cannot be told to do: refuse chosen recipients with
 * any reply ({@code 550 5.1.1 ...}, {@code 451 ...}), count TCP connections (to prove connections are reused),
 * require AUTH PLAIN or LOGIN, and drop every open connection on demand (to prove reconnection). No TLS, no
 * pipelining. Accepted messages are recorded raw. Thread-safe; one virtual thread per connection.
 */
public final class ScriptedSmtpServer implements AutoCloseable {

    /** One accepted message. */
    public record Received(String mailFrom, List<String> recipients, String data, String authenticatedUser,
                           int connection) {
    }

    private final ServerSocket socket;
    private final String username;
    private final String password;
    private final Map<String, String> recipientReplies = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger failedLogins = new AtomicInteger();
    private volatile boolean closed;

    /** @param username null to accept mail without AUTH */
    public ScriptedSmtpServer(String username, String password) {
        this.username = username;
        this.password = password;
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("scripted-smtp-accept").start(this::acceptLoop);
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** RCPT TO this address (case-insensitive) is answered with {@code reply}, e.g. "550 5.1.1 User unknown". */
    public void replyToRecipient(String address, String reply) {
        recipientReplies.put(address.toLowerCase(), reply);
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public int connectionsAccepted() {
        return connections.get();
    }

    public int failedLogins() {
        return failedLogins.get();
    }

    /** Closes every open client connection, as a server restart or idle timeout would. */
    public void dropAllConnections() {
        for (Socket s : open) closeQuietly(s);
        open.clear();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(socket);
        dropAllConnections();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = socket.accept();
                int number = connections.incrementAndGet();
                open.add(client);
                Thread.ofVirtual().name("scripted-smtp-" + number).start(() -> serve(client, number));
            } catch (IOException e) {
                if (!closed) throw new UncheckedIOException(e);
            }
        }
    }

    private void serve(Socket client, int number) {
        try (client;
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = client.getOutputStream()) {
            Session session = new Session(in, out, number);
            session.reply("220 scripted.test ESMTP ready");
            session.run();
        } catch (IOException e) {
            // the client went away or the connection was dropped on purpose
        } finally {
            open.remove(client);
        }
    }

    private final class Session {
        private final BufferedReader in;
        private final OutputStream out;
        private final int connection;
        private String user;
        private String mailFrom;
        private List<String> recipients = new CopyOnWriteArrayList<>();

        Session(BufferedReader in, OutputStream out, int connection) {
            this.in = in;
            this.out = out;
            this.connection = connection;
        }

        void run() throws IOException {
            String line;
            while ((line = in.readLine()) != null) {
                String upper = line.toUpperCase();
                if (upper.startsWith("EHLO")) {
                    reply(username != null
                            ? "250-scripted.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME"
                            : "250-scripted.test\r\n250 8BITMIME");
                } else if (upper.startsWith("HELO")) {
                    reply("250 scripted.test");
                } else if (upper.startsWith("AUTH PLAIN")) {
                    String initial = line.length() > 10 ? line.substring(10).strip() : "";
                    if (initial.isEmpty()) {
                        reply("334 ");
                        initial = in.readLine();
                    }
                    String[] parts = new String(Base64.getDecoder().decode(initial), StandardCharsets.UTF_8).split("\0", -1);
                    login(parts.length == 3 ? parts[1] : null, parts.length == 3 ? parts[2] : null);
                } else if (upper.startsWith("AUTH LOGIN")) {
                    reply("334 VXNlcm5hbWU6");
                    String u = decode(in.readLine());
                    reply("334 UGFzc3dvcmQ6");
                    login(u, decode(in.readLine()));
                } else if (upper.startsWith("MAIL FROM:")) {
                    if (username != null && user == null) {
                        reply("530 5.7.0 Authentication required");
                    } else {
                        mailFrom = address(line);
                        recipients = new CopyOnWriteArrayList<>();
                        reply("250 2.1.0 Ok");
                    }
                } else if (upper.startsWith("RCPT TO:")) {
                    String rcpt = address(line);
                    String scripted = recipientReplies.get(rcpt.toLowerCase());
                    if (mailFrom == null) {
                        reply("503 5.5.1 need MAIL before RCPT");
                    } else if (scripted != null) {
                        reply(scripted);
                    } else {
                        recipients.add(rcpt);
                        reply("250 2.1.5 Ok");
                    }
                } else if (upper.equals("DATA")) {
                    if (recipients.isEmpty()) {
                        reply("554 5.5.1 no valid recipients");
                        continue;
                    }
                    reply("354 End data with <CR><LF>.<CR><LF>");
                    StringBuilder data = new StringBuilder();
                    String d;
                    while ((d = in.readLine()) != null && !d.equals(".")) {
                        data.append(d.startsWith("..") ? d.substring(1) : d).append("\r\n"); // undo dot-stuffing
                    }
                    received.add(new Received(mailFrom, List.copyOf(recipients), data.toString(), user, connection));
                    mailFrom = null;
                    reply("250 2.0.0 Ok: queued");
                } else if (upper.equals("RSET")) {
                    mailFrom = null;
                    recipients = new CopyOnWriteArrayList<>();
                    reply("250 2.0.0 Ok");
                } else if (upper.equals("NOOP")) {
                    reply("250 2.0.0 Ok");
                } else if (upper.equals("QUIT")) {
                    reply("221 2.0.0 Bye");
                    return;
                } else {
                    reply("502 5.5.2 command not recognized");
                }
            }
        }

        private void login(String u, String p) throws IOException {
            if (username != null && username.equals(u) && password.equals(p)) {
                user = u;
                reply("235 2.7.0 Authentication successful");
            } else {
                failedLogins.incrementAndGet();
                reply("535 5.7.8 Authentication credentials invalid");
            }
        }

        void reply(String text) throws IOException {
            out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        private String address(String line) {
            int lt = line.indexOf('<');
            int gt = line.indexOf('>', lt + 1);
            return lt >= 0 && gt > lt ? line.substring(lt + 1, gt) : line.substring(line.indexOf(':') + 1).strip();
        }

        private String decode(String b64) {
            return b64 == null ? null : new String(Base64.getDecoder().decode(b64.strip()), StandardCharsets.UTF_8);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing on purpose
        }
    }
}
