package io.herald.server.wiring;

import io.herald.core.dispatch.ChannelDispatcher;
import io.herald.core.dispatch.DeliveryAttempt;
import io.herald.core.dispatch.DispatchCheck;
import io.herald.core.dispatch.DispatchListener;
import io.herald.core.dispatch.ProviderRouter;
import io.herald.core.intake.RecipientPolicy;
import io.herald.core.intake.SendService;
import io.herald.core.model.Channel;
import io.herald.core.queue.WorkQueue;
import io.herald.core.template.TemplateRenderer;
import io.herald.postgres.HeraldDatabase;
import io.herald.postgres.NotificationQueries;
import io.herald.postgres.PostgresAccountStore;
import io.herald.postgres.PostgresAppStore;
import io.herald.postgres.PostgresAuditLog;
import io.herald.postgres.PostgresDeliveryQueue;
import io.herald.postgres.PostgresNotificationStore;
import io.herald.postgres.PostgresUserStore;
import io.herald.server.api.NotificationsController;
import io.herald.server.api.SingleSendFilter;
import io.herald.server.api.SingleSendTimer;
import io.herald.server.config.AlertProperties;
import io.herald.server.config.ApiProperties;
import io.herald.server.config.DatabaseProperties;
import io.herald.server.config.DispatchProperties;
import io.herald.server.config.KafkaEngineProperties;
import io.herald.server.config.LoginThrottleProperties;
import io.herald.server.config.NodeProperties;
import io.herald.server.config.OutboundProperties;
import io.herald.server.config.PolicyProperties;
import io.herald.server.config.ProviderRegistry;
import io.herald.server.config.QueueProperties;
import io.herald.server.http.RequestSizeFilter;
import io.herald.server.observability.CompositeListener;
import io.herald.server.observability.DeadLetterAlerts;
import io.herald.server.observability.PipelineMetrics;
import io.herald.server.observability.QueueGauges;
import io.herald.server.runtime.DispatchRuntime;
import io.herald.server.security.AuthFilter;
import io.herald.server.security.Authenticator;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.servlet.filter.OrderedRequestContextFilter;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Wires the framework-free core to its PostgreSQL engine, its providers and the web layer. */
@Configuration(proxyBeanMethods = false)
public class HeraldConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The database {@link EarlyDatabase} started beside the context when there is one, else started here. */
    @Bean(destroyMethod = "close")
    HeraldDatabase heraldDatabase(DatabaseProperties db, NodeProperties node, Environment env,
                                  org.springframework.beans.factory.ObjectProvider<EarlyDatabase> early) {
        HeraldDatabase.Settings settings = databaseSettings(db, node, env);
        EarlyDatabase started = early.getIfAvailable();
        HeraldDatabase database = started == null ? null : started.take(settings);
        return database != null ? database : HeraldDatabase.start(settings);
    }

    static HeraldDatabase.Settings databaseSettings(DatabaseProperties db, NodeProperties node, Environment env) {
        String url = db.url() != null ? db.url() : env.getProperty("spring.datasource.url");
        String user = db.username() != null ? db.username() : env.getProperty("spring.datasource.username");
        String password = db.password() != null ? db.password() : env.getProperty("spring.datasource.password");
        return new HeraldDatabase.Settings(url, user, password, db.schema(), node.dataDir(), db.poolSize(), db.embeddedPort(),
                db.connectionTimeout(), db.embeddedSharedBuffers());
    }

    @Bean
    @Primary
    DataSource dataSource(HeraldDatabase db) {
        return db.dataSource();
    }

    @Bean
    JdbcTemplate jdbcTemplate(DataSource ds) {
        return new JdbcTemplate(ds);
    }

    @Bean
    PlatformTransactionManager transactionManager(DataSource ds) {
        return new DataSourceTransactionManager(ds);
    }

    @Bean
    TransactionTemplate transactionTemplate(PlatformTransactionManager tm) {
        return new TransactionTemplate(tm);
    }

    @Bean
    PostgresUserStore userStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        return new PostgresUserStore(jdbc, tx);
    }

    @Bean
    PostgresNotificationStore notificationStore(JdbcTemplate jdbc, TransactionTemplate tx, io.herald.core.model.TargetLookup lookup) {
        return new PostgresNotificationStore(jdbc, tx, lookup);
    }

    /** Key of the console's search by address; every instance needs the same one (HERALD_CONSOLE_LOOKUP_KEY). */
    @Bean
    io.herald.core.model.TargetLookup targetLookup(NodeProperties node, Environment env) {
        return new io.herald.core.model.TargetLookup(KeyFiles.secret(env.getProperty("herald.console.lookup-key"),
                node.dataDir().resolve("target-lookup.key")));
    }

    @Bean
    PostgresDeliveryQueue deliveryQueue(JdbcTemplate jdbc, TransactionTemplate tx) {
        return new PostgresDeliveryQueue(jdbc, tx);
    }

    /** The queue dispatchers and the scheduler use: herald.queue.engine (PostgreSQL by default, or Kafka). */
    @Bean(destroyMethod = "close")
    QueueEngine queueEngine(QueueProperties engine, KafkaEngineProperties kafka, NodeProperties node, PostgresDeliveryQueue postgres,
                            JdbcTemplate jdbc, TransactionTemplate tx, Clock clock) {
        return QueueEngine.create(engine, kafka, node, postgres, jdbc, tx, clock);
    }

    @Bean
    NotificationQueries notificationQueries(JdbcTemplate jdbc, TransactionTemplate tx) {
        return new NotificationQueries(jdbc, tx);
    }

    @Bean
    PostgresAppStore appStore(JdbcTemplate jdbc) {
        return new PostgresAppStore(jdbc);
    }

    @Bean
    PostgresAccountStore accountStore(JdbcTemplate jdbc) {
        return new PostgresAccountStore(jdbc);
    }

    @Bean
    PostgresAuditLog auditLog(JdbcTemplate jdbc) {
        return new PostgresAuditLog(jdbc);
    }

    @Bean
    Authenticator.PasswordHasher passwordHasher() {
        return new Authenticator.PasswordHasher();
    }

    @Bean
    Authenticator authenticator(PostgresAppStore apps, PostgresAccountStore accounts, Authenticator.PasswordHasher hasher,
                                ApiProperties api,
                                LoginThrottleProperties logins, Clock clock,
                                org.springframework.beans.factory.ObjectProvider<io.herald.core.cache.InvalidationBus> buses) {
        var throttle = new io.herald.server.security.LoginThrottle(new io.herald.server.security.LoginThrottle.Settings(
                logins.failuresPerAddress(), logins.failuresPerAccount(), logins.window(), logins.maxTracked()), clock);
        var authenticator = new Authenticator(apps, accounts, hasher, throttle, java.time.Duration.ofSeconds(api.authCacheSeconds()));
        buses.ifAvailable(authenticator::shareInvalidations); // revocations reach every process at once (Redis)
        return authenticator;
    }

    @Bean
    FilterRegistrationBean<RequestSizeFilter> requestSizeFilter(ApiProperties api) {
        var reg = new FilterRegistrationBean<>(new RequestSizeFilter(api.maxRequestSize().toBytes()));
        reg.setOrder(-200);
        return reg;
    }

    @Bean
    FilterRegistrationBean<io.herald.server.http.UnsafeCharactersFilter> unsafeCharactersFilter() {
        var reg = new FilterRegistrationBean<>(new io.herald.server.http.UnsafeCharactersFilter());
        reg.setOrder(-190);
        return reg;
    }

    /** Requests Tomcat refuses itself (bad path encoding) answer problem+json too, not an HTML page. */
    @Bean
    org.springframework.boot.web.server.WebServerFactoryCustomizer<org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory> problemErrorPages() {
        return f -> f.addContextCustomizers(context -> {
            if (context.getParent() instanceof org.apache.catalina.core.StandardHost host) {
                host.setErrorReportValveClass(io.herald.server.http.ProblemErrorValve.class.getName());
                host.getPipeline().addValve(new io.herald.server.http.ProblemErrorValve());
            }
        });
    }

    /** Strict JSON types, checked strings (see StrictJson) for every request body. */
    @Bean
    org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer strictJson() {
        return io.herald.server.http.StrictJson.customizer();
    }

    /** Load shedding: the API's requests in progress are bounded, first of all filters (RequestsInProgressFilter). */
    @Bean
    io.herald.server.http.RequestsInProgressFilter requestsInProgress(ApiProperties api, MeterRegistry registry) {
        return new io.herald.server.http.RequestsInProgressFilter(api.maxRequestsInProgress(), registry);
    }

    @Bean
    FilterRegistrationBean<io.herald.server.http.RequestsInProgressFilter> requestsInProgressFilter(
                                                                                                    io.herald.server.http.RequestsInProgressFilter filter) {
        var reg = new FilterRegistrationBean<>(filter);
        reg.addUrlPatterns("/v1/*"); // not the console, health or metrics: operators must see an overloaded server
        reg.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return reg;
    }

    @Bean
    FilterRegistrationBean<AuthFilter> authFilter(Authenticator authenticator) {
        var reg = new FilterRegistrationBean<>(new AuthFilter(authenticator));
        reg.setOrder(-100);
        return reg;
    }

    @Bean
    FilterRegistrationBean<io.herald.server.security.AppQuotaFilter> appQuotaFilter(ApiProperties api, Clock clock) {
        var limit = new io.herald.core.ratelimit.Limit(Math.max(1, api.appQuotaBurst()), Math.max(1, api.appQuotaPerSecond()),
                java.time.Duration.ofSeconds(1));
        var reg = new FilterRegistrationBean<>(new io.herald.server.security.AppQuotaFilter(
                new io.herald.core.ratelimit.InMemoryRateLimiter(clock, 10_000), limit));
        reg.setOrder(-90); // after authentication: the quota is per app
        reg.setEnabled(api.appQuotaBurst() > 0);
        return reg;
    }

    /** Single sends straight to their controller method, after authentication and the quota (see SingleSendFilter). */
    @Bean
    FilterRegistrationBean<SingleSendFilter> singleSendFilter(ObjectProvider<NotificationsController> controller,
                                                              ObjectProvider<RequestMappingHandlerAdapter> adapter,
                                                              @Qualifier("handlerExceptionResolver") ObjectProvider<HandlerExceptionResolver> resolver,
                                                              ApiProperties api) {
        var reg = new FilterRegistrationBean<>(new SingleSendFilter(controller::getObject, adapter::getObject, resolver::getObject));
        reg.addUrlPatterns("/v1/notifications");
        reg.setOrder(Ordered.LOWEST_PRECEDENCE - 100);
        reg.setEnabled(api.directSend());
        return reg;
    }

    /** Single sends' http.server.requests, right inside Spring's observation filter, which skips them (SingleSendTimer). */
    @Bean
    FilterRegistrationBean<SingleSendTimer> singleSendTimer(MeterRegistry registry) {
        var reg = new FilterRegistrationBean<>(new SingleSendTimer(registry));
        reg.addUrlPatterns("/v1/notifications");
        reg.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return reg;
    }

    @Bean
    io.micrometer.observation.ObservationPredicate singleSendsSkipObservation() {
        return SingleSendTimer.SKIP_OBSERVATION;
    }

    /**
     * The filter Boot would register (request and locale holders for code outside MVC's dispatch), except for single
     * sends: nothing on their path reads those holders, and setting and clearing them took 2% of their request thread.
     */
    @Bean
    OrderedRequestContextFilter requestContextFilter() {
        return new OrderedRequestContextFilter() {
            @Override
            protected boolean shouldNotFilter(jakarta.servlet.http.HttpServletRequest request) {
                return SingleSendFilter.takes(request);
            }
        };
    }

    @Bean
    PipelineMetrics pipelineMetrics(MeterRegistry registry) {
        return new PipelineMetrics(registry);
    }

    @Bean
    io.herald.core.net.OutboundGuard outboundGuard(OutboundProperties outbound) {
        return outbound.guard();
    }

    @Bean(destroyMethod = "close")
    DeadLetterAlerts deadLetterAlerts(AlertProperties alerts, io.herald.core.net.OutboundGuard guard, Clock clock) {
        return new DeadLetterAlerts(alerts.webhookUrl(), alerts.minInterval(), clock, guard);
    }

    @Bean
    @Primary
    DispatchListener dispatchListener(PipelineMetrics metrics, DeadLetterAlerts alerts) {
        return new CompositeListener(List.of(metrics, alerts));
    }

    @Bean(destroyMethod = "close")
    QueueGauges queueGauges(PostgresDeliveryQueue queue, MeterRegistry registry, Clock clock) {
        return new QueueGauges(queue, registry, clock, 5);
    }

    @Bean
    ProviderRouter providerRouter(ProviderRegistry registry) {
        return registry.router();
    }

    /** Bulk work (fan-out, LOW and NORMAL lanes) of this process gives way while its HIGH deliveries wait. */
    @Bean
    io.herald.core.dispatch.BulkYield bulkYield(DispatchProperties dispatch, MeterRegistry registry) {
        var bulkYield = dispatch.yieldToHigh().bulkYield();
        // operators see when and how hard bulk work gives way (0: full speed)
        io.micrometer.core.instrument.Gauge.builder("herald.dispatch.bulk.rest", bulkYield, y -> y.rest().toNanos() / 1e9)
                .baseUnit("seconds").description("rest before each bulk step while HIGH deliveries wait").register(registry);
        return bulkYield;
    }

    @Bean
    DispatchRuntime dispatchRuntime(NodeProperties node, DispatchProperties dispatch, QueueEngine engine, ProviderRouter router,
                                    DispatchCheck check, PostgresUserStore users, io.herald.server.runtime.CachedUserDirectory cache,
                                    DispatchListener listener, Clock clock, io.herald.core.dispatch.MessageShaper linkTracking,
                                    io.herald.core.dispatch.BulkYield bulkYield) {
        // a deactivated device must not be pushed to again from the cached device list (the change names no user)
        io.herald.core.dispatch.DeviceDeactivator devices = (appId, deviceId, since) -> {
            boolean done = users.deactivate(appId, deviceId, since);
            if (done) cache.invalidateApp(appId);
            return done;
        };
        var queue = engine.queue();
        List<ChannelDispatcher> dispatchers = new ArrayList<>();
        if (node.worker()) {
            // one dispatcher (lanes, slots, threads) per queue: a push vendor's outage only fills its own platform's slots
            for (WorkQueue q : node.workerQueues()) {
                int preferred = router.providers(q.channel()).stream().mapToInt(p -> p.preferredConcurrency(q.channel(), q.platform()))
                        .max().orElse(0);
                var settings = dispatch.settingsFor(q, preferred);
                var attempt = new DeliveryAttempt(router, settings.retryPolicy(), check, devices, listener, clock, linkTracking);
                var dispatcher = new ChannelDispatcher(q, settings, queue, attempt, listener, clock, node.instanceId());
                dispatcher.yieldTo(bulkYield);
                dispatchers.add(dispatcher);
            }
        }
        return new DispatchRuntime(dispatchers, queue, node.scheduler(), dispatch.schedulerInterval(), clock);
    }

    /** Deletes settled notifications past {@code herald.retention.notifications}, in the scheduler process only. */
    @Bean(destroyMethod = "close")
    io.herald.server.runtime.RetentionRunner retentionRunner(io.herald.server.config.RetentionProperties retention,
                                                             NodeProperties node, JdbcTemplate jdbc, Clock clock) {
        var pass = retention.enabled() && node.scheduler()
                ? new io.herald.core.retention.NotificationRetention(new io.herald.postgres.PostgresHistoryPurge(jdbc),
                        retention.notifications(), retention.batchSize(), clock, System::nanoTime,
                        java.util.concurrent.TimeUnit.NANOSECONDS::sleep)
                : null;
        return new io.herald.server.runtime.RetentionRunner(pass, retention.interval());
    }

    /**
     * Worker processes hear new work committed by API processes at once, instead of at their next poll; API processes
     * hear inbox changes committed by any process, for the inbox streams they hold.
     */
    @Bean(destroyMethod = "close")
    io.herald.postgres.PostgresWorkListener workListener(HeraldDatabase db, DispatchRuntime runtime, NodeProperties node,
                                                         io.herald.postgres.PostgresInboxSignals inboxSignals) {
        return new io.herald.postgres.PostgresWorkListener(db.dataSource(), node.worker() ? runtime::workAdded : null,
                node.api() ? java.util.Map.of(io.herald.postgres.PostgresInboxSignals.CHANNEL, inboxSignals) : java.util.Map.of());
    }

    /** Tells workers in other processes about new work, after each intake commit (see the class for why after). */
    @Bean(destroyMethod = "close")
    io.herald.postgres.PostgresWorkAnnouncer workAnnouncer(HeraldDatabase db) {
        return new io.herald.postgres.PostgresWorkAnnouncer(db.relaxedDataSource());
    }

    @Bean
    SendService sendService(io.herald.server.runtime.CachedUserDirectory users, TemplateRenderer templates, RecipientPolicy policy,
                            PostgresNotificationStore store, DispatchRuntime runtime,
                            io.herald.postgres.PostgresWorkAnnouncer announcer, Clock clock, PolicyProperties policies,
                            io.herald.core.intake.AppZones appZones, DispatchProperties dispatch, QueueProperties queueEngine,
                            org.springframework.beans.factory.ObjectProvider<io.herald.core.intake.EventIdFastPath> fastPath) {
        // this process's lanes are rung at once; other processes' through the database
        io.herald.core.intake.WorkNotifier notifier = (queue, priority) -> {
            runtime.workAdded(queue, priority);
            announcer.workAdded(queue, priority);
        };
        // the Kafka engine's lanes consume topics, not queue_entries: a leased row would never reach them
        io.herald.core.intake.LaneHandoff handoff = dispatch.intakeHandoff() && !queueEngine.kafka()
                ? runtime
                : io.herald.core.intake.LaneHandoff.NONE;
        return new SendService(users, templates, policy, store, notifier, clock, TimeOrderedIds::next, policies.defaultZone(), appZones,
                fastPath.getIfAvailable(() -> io.herald.core.intake.EventIdFastPath.NONE), handoff); // Redis when configured
    }

    /** Single sends handed once to the intake threads, which plan and store each group together (group commit). */
    @Bean(destroyMethod = "close")
    io.herald.core.intake.SingleSendIntake singleSendIntake(SendService sends, ApiProperties api) {
        return io.herald.core.intake.SingleSendIntake.grouped(sends, api.intakeWriters(), api.intakeMaxGroup(), api.intakeLinger(),
                api.intakeMaxWaiting());
    }
}
