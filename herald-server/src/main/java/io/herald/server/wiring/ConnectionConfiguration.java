package io.herald.server.wiring;

import io.herald.server.config.ApiProperties;
import io.herald.server.config.ConnectionProperties;
import io.herald.server.http.BoundedRequestExecutor;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.tomcat.util.threads.VirtualThreadExecutor;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Tomcat's per-connection buffers, sized for many open inbox streams, and its request threads, bounded (docs/benchmarks.md). */
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

    @Bean
    BoundedRequestExecutor requestExecutor(ApiProperties api, MeterRegistry registry) {
        BoundedRequestExecutor executor = new BoundedRequestExecutor(api.requestThreads());
        Gauge.builder("herald.http.requests.running", executor, BoundedRequestExecutor::running)
                .description("web server tasks running (at most herald.api.max-requests-in-progress plus an eighth)").register(registry);
        Gauge.builder("herald.http.requests.waiting", executor, BoundedRequestExecutor::waiting)
                .description("web server tasks waiting for a request thread").register(registry);
        return executor;
    }

    @Bean
    BoundedRequestThreads boundedRequestThreads(BoundedRequestExecutor executor) {
        return new BoundedRequestThreads(executor);
    }

    /** Puts the bounded executor in place of Spring Boot's unbounded virtual-thread one (spring.threads.virtual.enabled). */
    static final class BoundedRequestThreads implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

        private final BoundedRequestExecutor executor;

        BoundedRequestThreads(BoundedRequestExecutor executor) {
            this.executor = executor;
        }

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addProtocolHandlerCustomizers(handler -> {
                // a platform-thread pool (virtual threads off) is bounded by server.tomcat.threads.max already
                if (handler.getExecutor() instanceof VirtualThreadExecutor) handler.setExecutor(executor);
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE; // after Spring Boot's customizer, which sets the virtual-thread executor
        }
    }
}
