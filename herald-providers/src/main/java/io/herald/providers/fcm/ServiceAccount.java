package io.herald.providers.fcm;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The fields of a Google service-account JSON key that the JWT bearer grant needs. {@link #toString()} leaves the
 * private key out. Immutable.
 */
record ServiceAccount(String clientEmail, String privateKeyId, PrivateKey privateKey, URI tokenUri, String projectId) {

    static final URI GOOGLE_TOKEN_URI = URI.create("https://oauth2.googleapis.com/token");

    /** @throws IllegalStateException naming the setting and the missing field; never echoes key material */
    static ServiceAccount load(Path file, JsonMapper json) {
        String setting = "FCM setting 'serviceAccountFile' (" + file + ")";
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalStateException(setting + ": file not found or not readable");
        }
        JsonNode node;
        try {
            node = json.readTree(Files.readString(file));
        } catch (IOException | JacksonException e) {
            throw new IllegalStateException(setting + ": not a JSON file", e);
        }
        if (!"service_account".equals(text(node, "type"))) {
            throw new IllegalStateException(setting + ": \"type\" is not \"service_account\"");
        }
        String email = required(node, "client_email", setting);
        String pem = required(node, "private_key", setting);
        String tokenUri = text(node, "token_uri");
        return new ServiceAccount(email, text(node, "private_key_id"), rsaKey(pem, setting),
                tokenUri == null ? GOOGLE_TOKEN_URI : URI.create(tokenUri), text(node, "project_id"));
    }

    private static PrivateKey rsaKey(String pem, String setting) {
        String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "");
        try {
            byte[] der = Base64.getMimeDecoder().decode(base64);
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalStateException(setting + ": \"private_key\" is not a PKCS#8 RSA key", e);
        }
    }

    private static String required(JsonNode node, String field, String setting) {
        String value = text(node, field);
        if (value == null || value.isBlank()) throw new IllegalStateException(setting + ": \"" + field + "\" is missing");
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    @Override
    public String toString() {
        return "ServiceAccount[" + clientEmail + ", key " + privateKeyId + ", project " + projectId + "]";
    }
}
