package io.herald.server.config;

import io.herald.postgres.PostgresTopicStore;
import io.herald.postgres.PostgresUserImport;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires audiences: bulk user import, topics, and the broadcast fan-out. */
@Configuration(proxyBeanMethods = false)
public class AudienceConfiguration {

    @Bean
    PostgresUserImport userImport(JdbcTemplate jdbc, TransactionTemplate tx) {
        return new PostgresUserImport(jdbc, tx);
    }

    @Bean
    PostgresTopicStore topicStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        return new PostgresTopicStore(jdbc, tx);
    }
}
