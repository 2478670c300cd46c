package io.herald.testkit.fcm;

import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A throw-away Google service account: an RSA key pair generated at runtime and a JSON key file in the format the
 * Google Cloud console downloads, written to a directory (normally a JUnit {@code @TempDir}) so no key is committed.
 * The {@code token_uri} inside points at a {@link FakeFcmServer} when one is given. Immutable.
 *
 * @param file         the JSON key file
 * @param projectId    its {@code project_id}
 * @param clientEmail  its {@code client_email}, the JWT issuer
 * @param privateKeyId its {@code private_key_id}, the JWT {@code kid}
 * @param publicKey    what the fake verifies assertions with
 */
public record TestServiceAccount(Path file, String projectId, String clientEmail, String privateKeyId, RSAPublicKey publicKey) {

    public static TestServiceAccount generate(Path dir, String projectId, URI tokenUri) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            String email = "herald-test@" + projectId + ".iam.gserviceaccount.com";
            String keyId = UUID.randomUUID().toString().replace("-", "");
            Map<String, String> json = new LinkedHashMap<>();
            json.put("type", "service_account");
            json.put("project_id", projectId);
            json.put("private_key_id", keyId);
            json.put("private_key", "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
            json.put("client_email", email);
            json.put("client_id", "100000000000000000000");
            json.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
            json.put("token_uri", tokenUri == null ? "https://oauth2.googleapis.com/token" : tokenUri.toString());
            Files.createDirectories(dir);
            Path file = dir.resolve(projectId + "-" + keyId.substring(0, 12) + ".json");
            Files.writeString(file, JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(json));
            return new TestServiceAccount(file, projectId, email, keyId, (RSAPublicKey) keys.getPublic());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not generate a test service account", e);
        }
    }
}
