package io.herald.server.console;

import io.herald.postgres.OperatorQueries;
import io.herald.postgres.PostgresAccountStore;
import io.herald.postgres.PostgresConsoleSessions;
import io.herald.server.config.NodeProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;

/** The console's session store, read models and guard filter. */
@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration {

    @Bean
    PostgresConsoleSessions consoleSessions(JdbcTemplate jdbc, ConsoleProperties props) {
        return new PostgresConsoleSessions(jdbc, props.idleTimeout());
    }

    @Bean
    OperatorQueries operatorQueries(JdbcTemplate jdbc) {
        return new OperatorQueries(jdbc);
    }

    @Bean
    FilterRegistrationBean<ConsoleFilter> consoleFilter(PostgresConsoleSessions sessions, PostgresAccountStore accounts, Clock clock,
                                                        NodeProperties node) {
        // the console belongs to every process kind but worker-only ones
        var reg = new FilterRegistrationBean<>(new ConsoleFilter(sessions, accounts, clock, node.api() || node.scheduler()));
        reg.setOrder(-95); // after the request size limit, beside the API's AuthFilter (which ignores /console)
        return reg;
    }
}
