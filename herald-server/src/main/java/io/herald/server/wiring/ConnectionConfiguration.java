package io.herald.server.wiring;

import io.herald.server.config.ConnectionProperties;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Tomcat's per-connection buffers, sized for many open inbox streams (docs/benchmarks.md). */
@Configuration(proxyBeanMethods = false)
public class ConnectionConfiguration {

    @Bean
    TomcatConnectorCustomizer connectionBuffers(ConnectionProperties props) {
        String bytes = String.valueOf(props.socketBuffer().toBytes());
        return connector -> {
            if (!connector.setProperty("socket.appReadBufSize", bytes) || !connector.setProperty("socket.appWriteBufSize", bytes)) {
                throw new IllegalStateException("this Tomcat does not take socket.appReadBufSize / appWriteBufSize");
            }
        };
    }
}
