package io.herald.providers.email;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * One short SMTP conversation to check a relay before the first mail: connect (TLS first with SMTPS), greeting,
 * EHLO, STARTTLS when the security mode uses it, EHLO again, QUIT. Sends no mail and does not log in; it finds
 * the mistakes that would otherwise fail every mail until its retries run out (no STARTTLS where it is required,
 * no AUTH where a username is configured, a TLS certificate that is not trusted, nothing listening).
 */
public final class SmtpProbe {

    /** What was wrong, so the caller can name the setting that fixes it. */
    public enum Problem {
        CONNECT, GREETING, NO_STARTTLS, TLS, NO_AUTH
    }

    /** The check failed: {@code problem} says which way, the message what the server did. */
    public static final class Failed extends Exception {
        private final Problem problem;

        Failed(Problem problem, String message) {
            super(message);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    private SmtpProbe() {
    }

    /**
     * @return what the server offered, e.g. "EHLO ok, STARTTLS, AUTH LOGIN PLAIN"
     */
    public static String check(SmtpSettings settings, Duration timeout) throws Failed {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        Socket socket = new Socket();
        try {
            try {
                socket.connect(new InetSocketAddress(settings.host(), settings.port()), millis);
                socket.setSoTimeout(millis);
            } catch (IOException e) {
                throw new Failed(Problem.CONNECT,
                        "cannot connect to " + settings.host() + ":" + settings.port() + " (" + e.getMessage() + ")");
            }
            Socket s = socket;
            if (settings.security() == SmtpSecurity.SMTPS) s = tls(socket, settings);
            Conversation c = new Conversation(s);
            String greeting = c.reply();
            if (!greeting.startsWith("2")) throw new Failed(Problem.GREETING, "server greeted with: " + firstLine(greeting));
            Set<String> caps = c.ehlo();
            boolean secured = settings.security() == SmtpSecurity.SMTPS;
            boolean wantsTls = settings.security() == SmtpSecurity.STARTTLS_REQUIRED
                    || settings.security() == SmtpSecurity.STARTTLS_OPTIONAL;
            if (wantsTls && caps.contains("STARTTLS")) {
                c.send("STARTTLS");
                String ok = c.reply();
                if (!ok.startsWith("2")) throw new Failed(Problem.TLS, "STARTTLS refused: " + firstLine(ok));
                c = new Conversation(tls(socket, settings));
                caps = c.ehlo();
                secured = true;
            } else if (settings.security() == SmtpSecurity.STARTTLS_REQUIRED) {
                throw new Failed(Problem.NO_STARTTLS, "server offers no STARTTLS (EHLO: " + String.join(" ", caps) + ")");
            }
            boolean auth = caps.stream().anyMatch(x -> x.startsWith("AUTH"));
            if (settings.authenticates() && !auth) {
                throw new Failed(Problem.NO_AUTH,
                        "server offers no AUTH" + (secured ? "" : " without TLS") + " (EHLO: " + String.join(" ", caps) + ")");
            }
            c.send("QUIT");
            return "EHLO ok" + (secured ? ", TLS" : ", plain text")
                    + (auth ? ", " + caps.stream().filter(x -> x.startsWith("AUTH")).findFirst().orElse("") : "");
        } catch (IOException e) {
            throw new Failed(settings.security() == SmtpSecurity.SMTPS ? Problem.TLS : Problem.GREETING,
                    "conversation failed: " + e.getMessage());
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a checked connection
            }
        }
    }

    private static Socket tls(Socket plain, SmtpSettings settings) throws Failed {
        try {
            SSLSocketFactory factory = trustsAll(settings)
                    ? trustAll().getSocketFactory()
                    : (SSLSocketFactory) SSLSocketFactory.getDefault();
            SSLSocket tls = (SSLSocket) factory.createSocket(plain, settings.host(), settings.port(), true);
            if (!trustsAll(settings)) {
                var params = tls.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS"); // the host name must match the certificate
                tls.setSSLParameters(params);
            }
            tls.startHandshake();
            return tls;
        } catch (IOException | GeneralSecurityException e) {
            throw new Failed(Problem.TLS, "TLS handshake with " + settings.host() + " failed (" + e.getMessage() + ")");
        }
    }

    private static boolean trustsAll(SmtpSettings settings) {
        String t = settings.sslTrust();
        return t != null && (t.equals("*") || List.of(t.split("\\s+")).contains(settings.host()));
    }

    private static SSLContext trustAll() throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[]{new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return ctx;
    }

    private static String firstLine(String reply) {
        int nl = reply.indexOf('\n');
        return nl < 0 ? reply : reply.substring(0, nl);
    }

    /** Line-oriented SMTP replies (multi-line "250-..." until "250 ..."). */
    private static final class Conversation {
        private final BufferedReader in;
        private final OutputStream out;

        Conversation(Socket s) throws IOException {
            in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            out = s.getOutputStream();
        }

        void send(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        String reply() throws IOException {
            List<String> lines = new ArrayList<>();
            while (true) {
                String line = in.readLine();
                if (line == null) throw new IOException("connection closed by the server");
                lines.add(line);
                if (line.length() < 4 || line.charAt(3) != '-') return String.join("\n", lines);
            }
        }

        Set<String> ehlo() throws IOException, Failed {
            send("EHLO herald-startup-check");
            String r = reply();
            if (!r.startsWith("250")) throw new Failed(Problem.GREETING, "EHLO refused: " + firstLine(r));
            Set<String> caps = new TreeSet<>();
            String[] lines = r.split("\n");
            for (int i = 1; i < lines.length; i++) {
                if (lines[i].length() > 4) caps.add(lines[i].substring(4).trim().toUpperCase(Locale.ROOT));
            }
            return caps;
        }
    }
}
