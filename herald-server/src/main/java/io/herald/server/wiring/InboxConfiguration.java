package io.herald.server.wiring;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.herald.core.inbox.InboxService;
import io.herald.core.inbox.InboxSignals;
import io.herald.core.inbox.InboxTokens;
import io.herald.core.provider.ChannelProvider;
import io.herald.postgres.NotificationQueries;
import io.herald.postgres.PostgresAppStore;
import io.herald.postgres.PostgresInboxSignals;
import io.herald.postgres.PostgresInboxStore;
import io.herald.providers.inapp.InboxProvider;
import io.herald.server.config.ApiProperties;
import io.herald.server.config.InboxProperties;
import io.herald.server.inbox.InboxAuthFilter;
import io.herald.server.inbox.InboxStreams;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The in-app inbox: its store, the IN_APP provider, end-user tokens, CORS and the realtime streams. */
@Configuration(proxyBeanMethods = false)
public class InboxConfiguration {

    @Bean
    PostgresInboxStore inboxStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        return new PostgresInboxStore(jdbc, tx);
    }

    @Bean
    ChannelProvider inboxProvider(PostgresInboxStore store, Clock clock) {
        return new InboxProvider(store, clock);
    }

    @Bean
    InboxService inboxService(PostgresInboxStore store, NotificationQueries queries, Clock clock) {
        return new InboxService(store, (appId, id, engagement, at) -> queries.recordEvent(appId, id, engagement.name(), at, "inbox"),
                clock);
    }

    /**
     * Apps are looked up on every inbox request; a few seconds of caching keeps that off the database, and bounds how
     * long a token of a revoked app or a rotated secret keeps working.
     */
    @Bean
    InboxTokens inboxTokens(InboxProperties props, PostgresInboxStore store, PostgresAppStore apps, ApiProperties api, Clock clock,
                            org.springframework.beans.factory.ObjectProvider<io.herald.core.cache.InvalidationBus> buses) {
        byte[] key = props.tokenSecret() != null && !props.tokenSecret().isBlank()
                ? props.tokenSecret().getBytes(StandardCharsets.UTF_8)
                : store.sharedKey("inbox-token", clock.instant());
        LoadingCache<String, Optional<InboxTokens.App>> cache = Caffeine.newBuilder()
                .expireAfterWrite(Duration.ofSeconds(Math.max(1, api.authCacheSeconds())))
                .maximumSize(10_000)
                .build(appKey -> apps.byKey(appKey).filter(PostgresAppStore.AppRow::active)
                        .map(a -> new InboxTokens.App(a.id(), a.appKey(), a.secretHash())));
        // a revoked app or rotated secret ends its tokens on every node at once (Redis), not after the cache expiry
        buses.ifAvailable(bus -> bus.subscribe(io.herald.server.security.Authenticator.APPS_TOPIC, cache::invalidate));
        return new InboxTokens(key, cache::get, clock);
    }

    @Bean
    PostgresInboxSignals inboxSignals() {
        return new PostgresInboxSignals();
    }

    @Bean
    InboxStreams inboxStreams(PostgresInboxStore store, InboxSignals signals, InboxProperties props) {
        InboxStreams streams = new InboxStreams(store, props.maxStreamsPerUser(), props.heartbeat(), props.resumeLimit());
        signals.listen(streams);
        return streams;
    }

    @Bean
    io.micrometer.core.instrument.binder.MeterBinder inboxStreamGauge(InboxStreams streams) {
        return registry -> io.micrometer.core.instrument.Gauge.builder("herald.inbox.streams", streams, InboxStreams::open)
                .description("open inbox event streams in this process").register(registry);
    }

    /** Before authentication, so preflights (which carry no token) are answered and 401s are readable by the page. */
    @Bean
    FilterRegistrationBean<CorsFilter> inboxCors(InboxProperties props) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOriginPatterns(props.allowedOrigins());
        cors.setAllowedMethods(List.of("GET", "POST"));
        cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Last-Event-ID"));
        cors.setAllowCredentials(false);
        cors.setMaxAge(Duration.ofHours(1));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration(InboxAuthFilter.PREFIX, cors);
        source.registerCorsConfiguration(InboxAuthFilter.PREFIX + "/**", cors);
        var reg = new FilterRegistrationBean<>(new CorsFilter(source));
        reg.addUrlPatterns(InboxAuthFilter.PREFIX, InboxAuthFilter.PREFIX + "/*");
        reg.setOrder(-300);
        return reg;
    }

    @Bean
    FilterRegistrationBean<InboxAuthFilter> inboxAuthFilter(InboxTokens tokens) {
        var reg = new FilterRegistrationBean<>(new InboxAuthFilter(tokens));
        reg.addUrlPatterns(InboxAuthFilter.PREFIX, InboxAuthFilter.PREFIX + "/*");
        reg.setOrder(-100);
        return reg;
    }
}
