package io.herald.server.wiring;

import io.herald.core.audience.BroadcastFanout;
import io.herald.core.audience.BroadcastService;
import io.herald.core.intake.SendService;
import io.herald.postgres.PostgresBroadcastStore;
import io.herald.postgres.PostgresNotificationStore;
import io.herald.postgres.PostgresTopicStore;
import io.herald.postgres.PostgresUserImport;
import io.herald.server.config.AudienceProperties;
import io.herald.server.config.NodeProperties;
import io.herald.server.config.PolicyProperties;
import io.herald.server.runtime.BroadcastRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.util.UUID;

/** Wires audiences: bulk user import, topics, and the broadcast fan-out. */
@Configuration(proxyBeanMethods = false)
public class AudienceConfiguration {

    @Bean
    PostgresUserImport userImport(JdbcTemplate jdbc, TransactionTemplate tx) {
        return new PostgresUserImport(jdbc, tx);
    }

    /** Apps' default zones for local-time delivery, cached as long as user profiles are. */
    @Bean
    io.herald.core.intake.AppZones appZones(JdbcTemplate jdbc, PolicyProperties policies) {
        return new io.herald.core.intake.CachedAppZones(new io.herald.postgres.PostgresAppZones(jdbc), policies.userCacheTtl());
    }

    @Bean
    PostgresTopicStore topicStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        return new PostgresTopicStore(jdbc, tx);
    }

    @Bean
    PostgresBroadcastStore broadcastStore(JdbcTemplate jdbc, TransactionTemplate tx, PostgresNotificationStore notifications) {
        return new PostgresBroadcastStore(jdbc, tx, notifications);
    }

    @Bean
    io.herald.core.audience.DigestService digestService(JdbcTemplate jdbc, TransactionTemplate tx, SendService sends, Clock clock) {
        return new io.herald.core.audience.DigestService(new io.herald.postgres.PostgresDigestStore(jdbc, tx), sends, clock);
    }

    @Bean(destroyMethod = "close")
    BroadcastRunner broadcastRunner(PostgresBroadcastStore store, SendService sends, io.herald.core.audience.DigestService digests,
                                    Clock clock, AudienceProperties audience, NodeProperties node,
                                    io.herald.core.dispatch.BulkYield bulkYield) {
        var fanout = new BroadcastFanout(store, sends, clock,
                new BroadcastFanout.Settings(audience.pageSize(), audience.lease(), audience.commitsInFlight()),
                node.instanceId(), bulkYield);
        return new BroadcastRunner(fanout, digests, audience.pollInterval(), node.scheduler());
    }

    @Bean
    BroadcastService broadcastService(PostgresBroadcastStore store, SendService sends, BroadcastRunner runner, Clock clock) {
        return new BroadcastService(store, sends, runner::wakeUp, clock, TimeOrderedIds::next);
    }

    @Bean
    io.herald.core.audience.CampaignService campaignService(JdbcTemplate jdbc, PostgresBroadcastStore broadcasts, SendService sends,
                                                            BroadcastRunner runner, Clock clock) {
        return new io.herald.core.audience.CampaignService(new io.herald.postgres.PostgresCampaignStore(jdbc), broadcasts, sends,
                runner::wakeUp, clock, UUID::randomUUID);
    }
}
