package io.herald.providers.apns;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;

/**
 * A TLS handshake with the APNs server this provider will use (offering HTTP/2 by ALPN, server certificate checked against
 * the JDK's trust store or {@code trustedServerCa}), to find a wrong host, port or CA at start-up. Sends nothing.
 */
public final class ApnsProbe {

    private ApnsProbe() {
    }

    /** @return e.g. "TLS ok with api.push.apple.com:443, h2" (", h2" when the server answered ALPN) */
    public static String check(ApnsSettings settings, Duration timeout) throws IOException {
        String endpoint = settings.endpoint();
        int colon = endpoint.lastIndexOf(':');
        String host = endpoint.substring(0, colon);
        int port = Integer.parseInt(endpoint.substring(colon + 1));
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        SSLContext ctx;
        try {
            ctx = context(settings);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read trusted-server-ca " + settings.trustedServerCa() + ": " + e.getMessage(), e);
        }
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(host, port), millis);
            plain.setSoTimeout(millis);
            try (SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, port, true)) {
                SSLParameters params = tls.getSSLParameters();
                params.setApplicationProtocols(new String[]{"h2"});
                params.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(params);
                tls.startHandshake();
                String alpn = tls.getApplicationProtocol();
                // some servers (proxies, test servers) do not answer ALPN and still speak HTTP/2; another protocol is wrong
                if (alpn != null && !alpn.isEmpty() && !"h2".equals(alpn)) {
                    throw new IOException(endpoint + " chose " + alpn + ", not HTTP/2: not an APNs server");
                }
                return "TLS ok with " + endpoint + ("h2".equals(alpn) ? ", h2" : "");
            }
        }
    }

    private static SSLContext context(ApnsSettings settings) throws GeneralSecurityException, IOException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        if (settings.trustedServerCa() == null) {
            ctx.init(null, null, null);
            return ctx;
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(settings.trustedServerCa())) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) trust.setCertificateEntry("ca" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
