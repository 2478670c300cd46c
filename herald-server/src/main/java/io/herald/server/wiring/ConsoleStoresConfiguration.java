package io.herald.server.wiring;

import io.herald.postgres.OperatorQueries;
import io.herald.postgres.PostgresConsoleSessions;
import io.herald.server.console.ConsoleProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The console's session store and cross-app read models, on PostgreSQL; the pages see only the core ports. */
@Configuration(proxyBeanMethods = false)
public class ConsoleStoresConfiguration {

    @Bean
    PostgresConsoleSessions consoleSessions(JdbcTemplate jdbc, ConsoleProperties props) {
        return new PostgresConsoleSessions(jdbc, props.idleTimeout());
    }

    @Bean
    OperatorQueries operatorQueries(JdbcTemplate jdbc) {
        return new OperatorQueries(jdbc);
    }
}
