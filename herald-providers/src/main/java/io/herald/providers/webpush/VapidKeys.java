package io.herald.providers.webpush;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Properties;
import java.util.Set;

/**
 * The application server's VAPID key pair (RFC 8292 section 3): P-256, the public key shared with browsers
 * as the {@code applicationServerKey} of {@code pushManager.subscribe()}. Subscriptions are bound to it, so
 * losing or changing it silently breaks every existing subscription: generated keys are therefore persisted
 * and reused. Immutable and thread-safe.
 */
public final class VapidKeys {

    public static final String KEY_FILE_NAME = "webpush-vapid.properties";
    private static final Logger log = LoggerFactory.getLogger(VapidKeys.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final byte[] publicPoint;

    private VapidKeys(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.publicPoint = P256.encode(publicKey);
    }

    /**
     * Keys from configuration.
     *
     * @throws IllegalArgumentException when they are malformed or do not belong together
     */
    public static VapidKeys of(String publicKeyBase64Url, String privateKeyBase64Url) {
        VapidKeys keys = new VapidKeys(P256.decodePrivate(P256.fromBase64(privateKeyBase64Url)),
                P256.decodePublic(P256.fromBase64(publicKeyBase64Url)));
        keys.checkPair();
        return keys;
    }

    public static VapidKeys generate() {
        KeyPair pair = P256.generate();
        return new VapidKeys(pair.getPrivate(), pair.getPublic());
    }

    /** Configured keys if the settings have them, else the keys kept in the data directory (created on first use). */
    public static VapidKeys from(WebPushSettings settings) {
        if (settings.vapidPublicKey() != null) return of(settings.vapidPublicKey(), settings.vapidPrivateKey());
        return loadOrCreate(settings.dataDirectory().resolve(KEY_FILE_NAME));
    }

    /**
     * Loads the key file, or generates keys and writes them with owner-only permissions (0600). The file is
     * written to a temporary name and moved into place, so a crash never leaves half a key behind.
     */
    public static VapidKeys loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) return load(file);
            Files.createDirectories(file.toAbsolutePath().getParent());
            VapidKeys keys = generate();
            Path tmp = createOwnerOnly(file.resolveSibling(file.getFileName() + ".tmp"));
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                Properties p = new Properties();
                p.setProperty("publicKey", keys.publicKeyBase64Url());
                p.setProperty("privateKey", P256.base64Url(P256.encodePrivate(keys.privateKey)));
                p.store(w, "Herald Web Push VAPID keys (RFC 8292). Browsers' subscriptions are bound to these: keep them.");
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            log.info("generated VAPID keys in {}", file);
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write VAPID key file " + file, e);
        }
    }

    private static VapidKeys load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        String pub = p.getProperty("publicKey");
        String priv = p.getProperty("privateKey");
        if (pub == null || priv == null) throw new IllegalStateException("VAPID key file " + file + " lacks publicKey or privateKey");
        return of(pub, priv);
    }

    private static Path createOwnerOnly(Path tmp) throws IOException {
        Files.deleteIfExists(tmp);
        try {
            return Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException notPosix) {
            return Files.createFile(tmp);
        } catch (FileAlreadyExistsException raced) {
            throw new IOException("another process is writing " + tmp, raced);
        }
    }

    /** The public key as browsers want it for {@code applicationServerKey}: base64url of the uncompressed point. */
    public String publicKeyBase64Url() {
        return P256.base64Url(publicPoint);
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    PublicKey publicKey() {
        return publicKey;
    }

    private void checkPair() {
        try {
            byte[] probe = "herald-vapid-check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(privateKey);
            s.update(probe);
            byte[] sig = s.sign();
            s.initVerify(publicKey);
            s.update(probe);
            if (!s.verify(sig)) throw new IllegalArgumentException("the VAPID public key does not match the private key");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("invalid VAPID keys: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "VapidKeys[" + publicKeyBase64Url() + "]";
    }
}
