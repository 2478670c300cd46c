package io.herald.providers.apns;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * Builds pushy's {@link ApnsClient} from {@link ApnsSettings}, turning unusable credentials into an
 * {@link IllegalStateException} that names the setting at fault, so a misconfigured server fails at start-up
 * rather than on the first notification. Exception messages never include passwords or key material.
 */
final class ApnsClients {

    private ApnsClients() {
    }

    static ApnsClient build(ApnsSettings settings) {
        ApnsClientBuilder builder = new ApnsClientBuilder()
                .setConnectionTimeout(settings.connectTimeout())
                .setConcurrentConnections(settings.concurrentConnections());
        server(builder, settings);
        switch (settings.auth()) {
            case ApnsSettings.Token token -> builder.setSigningKey(signingKey(token));
            case ApnsSettings.Certificate certificate -> clientCertificate(builder, certificate);
        }
        try {
            return builder.build();
        } catch (IOException e) {
            throw new IllegalStateException("APNs: could not set up TLS (check 'p12File' / 'trustedServerCa'): " + e.getMessage(), e);
        }
    }

    private static void server(ApnsClientBuilder builder, ApnsSettings settings) {
        if (settings.host() != null && !settings.host().isBlank()) {
            builder.setApnsServer(settings.host(), settings.port() == 0 ? ApnsClientBuilder.DEFAULT_APNS_PORT : settings.port());
        } else {
            builder.setApnsServer(settings.gateway() == ApnsSettings.Gateway.SANDBOX
                    ? ApnsClientBuilder.DEVELOPMENT_APNS_HOST
                    : ApnsClientBuilder.PRODUCTION_APNS_HOST);
        }
        if (settings.trustedServerCa() != null) {
            Path ca = readable(settings.trustedServerCa(), "trustedServerCa");
            try {
                builder.setTrustedServerCertificateChain(ca.toFile());
            } catch (RuntimeException e) {
                throw new IllegalStateException("APNs setting 'trustedServerCa': not a PEM certificate file: " + ca, e);
            }
        }
    }

    private static ApnsSigningKey signingKey(ApnsSettings.Token token) {
        Path file = readable(token.signingKeyFile(), "signingKeyFile");
        try {
            // pushy's loader takes (file, teamId, keyId): note the order.
            return ApnsSigningKey.loadFromPkcs8File(file.toFile(), token.teamId(), token.keyId());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("APNs setting 'signingKeyFile': " + file
                    + " is not an EC P-256 PKCS#8 (.p8) key (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static void clientCertificate(ApnsClientBuilder builder, ApnsSettings.Certificate certificate) {
        Path file = readable(certificate.p12File(), "p12File");
        try {
            builder.setClientCredentials(file.toFile(), certificate.password());
        } catch (IOException | RuntimeException e) {
            // a wrong password and a corrupt file look the same from here; never echo the password
            throw new IllegalStateException("APNs setting 'p12File'/'password': cannot open " + file
                    + " as a PKCS#12 file with one private key (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static Path readable(Path path, String setting) {
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalStateException("APNs setting '" + setting + "': file not found or not readable: " + path);
        }
        return path;
    }
}
