package io.herald.server.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Where Herald keeps everything. No URL: an embedded PostgreSQL under {@code herald.data-dir}. With a URL
 * (env HERALD_DB_URL, or spring.datasource.url): that server.
 */
@ConfigurationProperties("herald.db")
public record DatabaseProperties(String url, String username, String password, String schema, Integer poolSize,
                                 Integer embeddedPort, Duration connectionTimeout, String embeddedSharedBuffers) {
    public DatabaseProperties {
        // documented empty in application.yml: empty is unset (the embedded database)
        url = url == null || url.isBlank() ? null : url;
        username = username == null || username.isBlank() ? null : username;
        password = password == null || password.isBlank() ? null : password;
        schema = schema == null || schema.isBlank() ? null : schema;
        poolSize = poolSize == null ? 32 : poolSize;
        embeddedPort = embeddedPort == null ? 0 : embeddedPort;
        connectionTimeout = connectionTimeout == null ? Duration.ofSeconds(3) : connectionTimeout;
        // the format is checked by HeraldDatabase.Settings, before anything starts
        embeddedSharedBuffers = embeddedSharedBuffers == null || embeddedSharedBuffers.isBlank()
                ? io.herald.postgres.embedded.EmbeddedPostgresServer.SHARED_BUFFERS
                : embeddedSharedBuffers;
    }
}
