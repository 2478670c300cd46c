package io.herald.server.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Per-connection buffers of the web server. Every open connection holds them, and an inbox stream holds its
 * connection as long as it is open: at 10,000 streams, each KB here is 10 MB of heap. Larger requests and responses
 * still work with small buffers, in more reads and writes.
 *
 * @param socketBuffer Tomcat's read and write buffer of each connection (socket.appReadBufSize / appWriteBufSize)
 */
@ConfigurationProperties("herald.connections")
public record ConnectionProperties(DataSize socketBuffer) {
    public ConnectionProperties {
        socketBuffer = socketBuffer == null ? DataSize.ofKilobytes(4) : socketBuffer;
    }
}
