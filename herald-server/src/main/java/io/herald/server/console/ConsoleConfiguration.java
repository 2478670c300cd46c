package io.herald.server.console;

import io.herald.core.admin.AccountAdmin;
import io.herald.core.admin.ConsoleSessions;
import io.herald.server.config.NodeProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** The console's guard filter (its session store and read models come from the wiring). */
@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration {

    @Bean
    FilterRegistrationBean<ConsoleFilter> consoleFilter(ConsoleSessions sessions, AccountAdmin accounts, Clock clock,
                                                        NodeProperties node) {
        // the console belongs to every process kind but worker-only ones
        var reg = new FilterRegistrationBean<>(new ConsoleFilter(sessions, accounts, clock, node.api() || node.scheduler()));
        reg.setOrder(-95); // after the request size limit, beside the API's AuthFilter (which ignores /console)
        return reg;
    }
}
