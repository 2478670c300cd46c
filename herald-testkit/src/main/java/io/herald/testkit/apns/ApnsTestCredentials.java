package io.herald.testkit.apns;

import com.eatthepath.pushy.apns.auth.ApnsVerificationKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throw-away key material for talking to pushy's {@code MockApnsServer}, generated at runtime into a directory
 * (normally a JUnit {@code @TempDir}) so that no key is ever committed:
 * <ul>
 *   <li>a CA, and a TLS server certificate it signs with SAN {@code localhost} and {@code 127.0.0.1}
 *       (PEM chain + unencrypted PKCS#8 key, the formats the mock server loads);</li>
 *   <li>a TLS client certificate for certificate auth in a password-protected {@code .p12}, its subject carrying
 *       {@code UID=<topic>} the way Apple's push certificates do (pushy's validating mock derives the topic from it);</li>
 *   <li>an EC P-256 token signing key as an Apple-style {@code AuthKey_<keyId>.p8} file, plus its public half as
 *       the verification key the mock server checks provider tokens with.</li>
 * </ul>
 * Immutable after {@link #generate}; safe to share between tests of a class.
 */
public final class ApnsTestCredentials {

    public static final String DEFAULT_TOPIC = "io.herald.test";
    public static final String DEFAULT_TEAM_ID = "TEAM123456";
    public static final String DEFAULT_KEY_ID = "KEY1234567";

    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private final Path caCertificatePem;
    private final Path serverCertificateChainPem;
    private final Path serverPrivateKeyPkcs8Pem;
    private final Path clientCertificateP12;
    private final String clientCertificatePassword;
    private final Path signingKeyP8;
    private final String topic;
    private final String teamId;
    private final String keyId;
    private final ApnsVerificationKey verificationKey;

    private ApnsTestCredentials(Path caCertificatePem, Path serverCertificateChainPem, Path serverPrivateKeyPkcs8Pem,
                                Path clientCertificateP12, String clientCertificatePassword, Path signingKeyP8,
                                String topic, String teamId, String keyId, ApnsVerificationKey verificationKey) {
        this.caCertificatePem = caCertificatePem;
        this.serverCertificateChainPem = serverCertificateChainPem;
        this.serverPrivateKeyPkcs8Pem = serverPrivateKeyPkcs8Pem;
        this.clientCertificateP12 = clientCertificateP12;
        this.clientCertificatePassword = clientCertificatePassword;
        this.signingKeyP8 = signingKeyP8;
        this.topic = topic;
        this.teamId = teamId;
        this.keyId = keyId;
        this.verificationKey = verificationKey;
    }

    /** Generates everything with the default topic, team id and key id. */
    public static ApnsTestCredentials generate(Path dir) {
        return generate(dir, DEFAULT_TOPIC, DEFAULT_TEAM_ID, DEFAULT_KEY_ID);
    }

    public static ApnsTestCredentials generate(Path dir, String topic, String teamId, String keyId) {
        try {
            Files.createDirectories(dir);
            KeyPair caKeys = ecKeyPair();
            X509Certificate ca = caCertificate(caKeys);

            KeyPair serverKeys = ecKeyPair();
            X509Certificate server = leafCertificate(new X500Name("CN=localhost"), serverKeys, ca, caKeys.getPrivate(),
                    new GeneralNames(new GeneralName[]{
                            new GeneralName(GeneralName.dNSName, "localhost"),
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));

            X500Name clientSubject = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.UID, topic)
                    .addRDN(BCStyle.CN, "Apple Push Services: " + topic)
                    .build();
            KeyPair clientKeys = ecKeyPair();
            X509Certificate client = leafCertificate(clientSubject, clientKeys, ca, caKeys.getPrivate(), null);

            Path caPem = write(dir.resolve("ca.pem"), pem("CERTIFICATE", ca.getEncoded()));
            Path serverChain = write(dir.resolve("server-chain.pem"),
                    pem("CERTIFICATE", server.getEncoded()) + pem("CERTIFICATE", ca.getEncoded()));
            Path serverKey = write(dir.resolve("server-key.pk8.pem"), pem("PRIVATE KEY", serverKeys.getPrivate().getEncoded()));

            String password = "test-" + Long.toHexString(SERIALS.incrementAndGet());
            Path p12 = dir.resolve("client.p12");
            writeP12(p12, password, clientKeys.getPrivate(), client, ca);

            KeyPair signingKeys = ecKeyPair();
            Path p8 = write(dir.resolve("AuthKey_" + keyId + ".p8"), pem("PRIVATE KEY", signingKeys.getPrivate().getEncoded()));
            ApnsVerificationKey verification = new ApnsVerificationKey(keyId, teamId, (ECPublicKey) signingKeys.getPublic());

            return new ApnsTestCredentials(caPem, serverChain, serverKey, p12, password, p8, topic, teamId, keyId, verification);
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("could not generate APNs test credentials", e);
        }
    }

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate caCertificate(KeyPair keys) throws GeneralSecurityException, IOException, OperatorCreationException {
        X500Name name = new X500Name("CN=Herald Test APNs CA");
        var builder = new JcaX509v3CertificateBuilder(name, serial(), notBefore(), notAfter(), name, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return sign(builder, keys.getPrivate());
    }

    private static X509Certificate leafCertificate(X500Name subject, KeyPair keys, X509Certificate issuer, PrivateKey issuerKey,
                                                   GeneralNames subjectAltNames)
            throws GeneralSecurityException, IOException, OperatorCreationException {
        var builder = new JcaX509v3CertificateBuilder(issuer, serial(), notBefore(), notAfter(), subject, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
        if (subjectAltNames != null) builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames);
        return sign(builder, issuerKey);
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, PrivateKey key)
            throws GeneralSecurityException, OperatorCreationException {
        var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    private static void writeP12(Path file, String password, PrivateKey key, X509Certificate cert, X509Certificate ca)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("apns", key, password.toCharArray(), new X509Certificate[]{cert, ca});
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static Date notBefore() {
        return Date.from(Instant.now().minus(Duration.ofHours(1)));
    }

    private static Date notAfter() {
        return Date.from(Instant.now().plus(Duration.ofDays(2)));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static Path write(Path file, String text) throws IOException {
        return Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    /** PEM file with the CA certificate: what an APNs client must trust to reach the mock server. */
    public Path caCertificatePem() {
        return caCertificatePem;
    }

    public Path serverCertificateChainPem() {
        return serverCertificateChainPem;
    }

    public Path serverPrivateKeyPkcs8Pem() {
        return serverPrivateKeyPkcs8Pem;
    }

    public Path clientCertificateP12() {
        return clientCertificateP12;
    }

    public String clientCertificatePassword() {
        return clientCertificatePassword;
    }

    /** The token-auth signing key, PKCS#8 PEM like the AuthKey_XXXX.p8 files Apple hands out. */
    public Path signingKeyP8() {
        return signingKeyP8;
    }

    public String topic() {
        return topic;
    }

    public String teamId() {
        return teamId;
    }

    public String keyId() {
        return keyId;
    }

    public ApnsVerificationKey verificationKey() {
        return verificationKey;
    }
}
