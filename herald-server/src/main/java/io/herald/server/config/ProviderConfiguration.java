package io.herald.server.config;

import io.herald.core.provider.ChannelProvider;
import io.herald.providers.apns.ApnsProvider;
import io.herald.providers.apns.ApnsSettings;
import io.herald.providers.email.FromAddresses;
import io.herald.providers.email.SealedUnsubscribeLinks;
import io.herald.providers.email.SendGridEmailProvider;
import io.herald.providers.email.SendGridSettings;
import io.herald.providers.email.SmtpEmailProvider;
import io.herald.providers.email.SmtpSecurity;
import io.herald.providers.email.SmtpSettings;
import io.herald.providers.email.UnsubscribeLinks;
import io.herald.providers.fcm.FcmProvider;
import io.herald.providers.fcm.FcmSettings;
import io.herald.providers.resilience.CircuitBreakerSettings;
import io.herald.providers.resilience.CircuitBreakingProvider;
import io.herald.providers.resilience.ThrottleSettings;
import io.herald.providers.resilience.ThrottledProvider;
import io.herald.providers.sms.GenericHttpSmsProvider;
import io.herald.providers.sms.GenericHttpSmsSettings;
import io.herald.providers.sms.TwilioSettings;
import io.herald.providers.sms.TwilioSmsProvider;
import io.herald.providers.webpush.WebPushProvider;
import io.herald.providers.webpush.WebPushSettings;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real providers, each created only when configured, each wrapped in a circuit breaker (so failover to the
 * next provider is immediate while a vendor is down) and, when configured, a throughput limit.
 */
@Configuration(proxyBeanMethods = false)
public class ProviderConfiguration {

    /** Closes the providers' connection pools at shutdown. */
    public static final class Closeables implements AutoCloseable {
        private final List<AutoCloseable> items = new ArrayList<>();

        synchronized <T extends AutoCloseable> T add(T item) {
            items.add(item);
            return item;
        }

        @Override
        public synchronized void close() {
            for (AutoCloseable c : items) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // shutting down: nothing useful to do
                }
            }
        }
    }

    @Bean(destroyMethod = "close")
    Closeables providerCloseables() {
        return new Closeables();
    }

    @Bean
    SealedUnsubscribeLinks unsubscribeLinks(PublicProperties pub, NodeProperties node) {
        return new SealedUnsubscribeLinks(KeyFiles.secret(pub.unsubscribeSecret(), node.dataDir().resolve("unsubscribe.key")),
                pub.baseUrl(), pub.acceptLegacyUnsubscribeTokens());
    }

    @Bean
    @ConditionalOnProperty(prefix = "herald.providers.apns", name = "topic")
    ChannelProvider apnsProvider(RealProviderProperties p, Closeables closeables, Clock clock) {
        var a = p.apns();
        ApnsSettings.Auth auth = a.signingKeyFile() != null
                ? new ApnsSettings.Token(a.signingKeyFile(), a.keyId(), a.teamId())
                : new ApnsSettings.Certificate(a.certificateFile(), a.certificatePassword());
        ApnsSettings s = ApnsSettings.of(a.topic(), auth)
                .withGateway(a.gateway() == null ? ApnsSettings.Gateway.PRODUCTION : ApnsSettings.Gateway.valueOf(a.gateway().toUpperCase()));
        if (a.host() != null) s = s.withServer(a.host(), a.port() == null ? 443 : a.port(), a.trustedServerCa());
        if (a.defaultSound() != null) s = s.withDefaultSound(a.defaultSound());
        return guard(closeables.add(new ApnsProvider(s, clock)), p);
    }

    @Bean
    @ConditionalOnProperty(prefix = "herald.providers.fcm", name = "service-account-file")
    ChannelProvider fcmProvider(RealProviderProperties p, Closeables closeables, Clock clock) {
        var f = p.fcm();
        FcmSettings s = FcmSettings.of(f.serviceAccountFile());
        if (f.baseUrl() != null || f.tokenUri() != null) s = s.withEndpoints(f.baseUrl() != null ? f.baseUrl() : s.baseUrl(), f.tokenUri());
        if (f.projectId() != null) s = s.withProjectId(f.projectId());
        if (f.platforms() != null && !f.platforms().isEmpty()) s = s.withPlatforms(f.platforms());
        return guard(closeables.add(new FcmProvider(s, clock)), p);
    }

    @Bean
    @ConditionalOnProperty(prefix = "herald.providers.webpush", name = "subject")
    WebPushProvider webPushProvider(RealProviderProperties p, NodeProperties node, Closeables closeables, io.herald.core.net.OutboundGuard guard) {
        var w = p.webpush();
        WebPushSettings s = w.vapidPublicKey() != null
                ? WebPushSettings.configuredKeys(w.subject(), w.vapidPublicKey(), w.vapidPrivateKey())
                : WebPushSettings.generatedKeys(w.subject(), node.dataDir());
        if (Boolean.TRUE.equals(w.allowInsecureEndpoints())) s = s.withAllowInsecureEndpoints(true);
        return closeables.add(new WebPushProvider(s, guard));
    }

    @Bean
    @ConditionalOnProperty(prefix = "herald.providers.webpush", name = "subject")
    ChannelProvider webPushChannelProvider(WebPushProvider webPush, RealProviderProperties p) {
        return guard(webPush, p);
    }

    @Bean
    @ConditionalOnProperty(prefix = "herald.providers.smtp", name = "host")
    ChannelProvider smtpProvider(RealProviderProperties p, UnsubscribeLinks links, Closeables closeables) {
        var m = p.smtp();
        SmtpSecurity security = m.security() == null ? SmtpSecurity.STARTTLS_REQUIRED : m.security();
        SmtpSettings base = SmtpSettings.of(m.host(), m.port() == null ? 0 : m.port());
        SmtpSettings s = new SmtpSettings(m.host(), base.port() == 0 ? defaultPort(security) : base.port(), security, m.username(),
                m.password(), base.connectTimeout(), base.readTimeout(), m.poolSize() == null ? base.poolSize() : m.poolSize(),
                base.maxMessagesPerConnection(), base.validateAfterIdle(), m.sslTrust());
        FromAddresses from = new FromAddresses(require(m.from(), "herald.providers.smtp.from"), m.fromByApp() == null ? Map.of() : m.fromByApp());
        return guard(closeables.add(new SmtpEmailProvider(s, from, links)), p);
    }

    @Bean
    @ConditionalOnProperty(prefix = "herald.providers.sendgrid", name = "api-key")
    ChannelProvider sendGridProvider(RealProviderProperties p, UnsubscribeLinks links, Closeables closeables) {
        var g = p.sendgrid();
        var s = new SendGridSettings(g.baseUrl() == null ? java.net.URI.create("https://api.sendgrid.com") : g.baseUrl(), g.apiKey(),
                Duration.ofSeconds(10));
        FromAddresses from = new FromAddresses(require(g.from(), "herald.providers.sendgrid.from"), g.fromByApp() == null ? Map.of() : g.fromByApp());
        return guard(closeables.add(new SendGridEmailProvider(s, from, links)), p);
    }

    @Bean
    @ConditionalOnProperty(prefix = "herald.providers.twilio", name = "account-sid")
    ChannelProvider twilioProvider(RealProviderProperties p, Closeables closeables) {
        var t = p.twilio();
        return guard(closeables.add(new TwilioSmsProvider(new TwilioSettings(t.baseUrl() == null ? TwilioSettings.DEFAULT_BASE_URL : t.baseUrl(),
                t.accountSid(), require(t.authToken(), "herald.providers.twilio.auth-token"), t.from(), t.messagingServiceSid(),
                t.statusCallbackUrl(), Duration.ofSeconds(10)))), p);
    }

    @Bean
    @ConditionalOnProperty(prefix = "herald.providers.http-sms", name = "url")
    ChannelProvider httpSmsProvider(RealProviderProperties p, Closeables closeables) {
        var h = p.httpSms();
        var s = new GenericHttpSmsSettings(h.name() == null ? "http-sms" : h.name(), h.url(), h.method(), h.headers(),
                h.format() == null ? null : GenericHttpSmsSettings.BodyFormat.valueOf(h.format().toUpperCase()), h.bodyTemplate(),
                h.from(), h.messageIdPointer(), h.messageIdRegex(), h.permanentStatusCodes(), null);
        return guard(closeables.add(new GenericHttpSmsProvider(s)), p);
    }

    /** Throttle outside the breaker: a throttled send is not a provider failure. */
    private static ChannelProvider guard(ChannelProvider provider, RealProviderProperties p) {
        var r = p.resilience();
        var d = CircuitBreakerSettings.DEFAULTS;
        ChannelProvider guarded = new CircuitBreakingProvider(provider, new CircuitBreakerSettings(
                r.window() == null ? d.slidingWindowSize() : r.window(),
                r.minimumCalls() == null ? d.minimumNumberOfCalls() : r.minimumCalls(),
                r.failureRate() == null ? d.failureRateThreshold() : r.failureRate(),
                r.openFor() == null ? d.waitInOpenState() : r.openFor(), d.permittedCallsInHalfOpen()));
        var t = p.throttle().get(provider.name());
        if (t != null && t.permits() != null) {
            guarded = new ThrottledProvider(guarded, new ThrottleSettings(t.permits(), t.period() == null ? Duration.ofSeconds(1) : t.period(),
                    t.maxWait() == null ? Duration.ofMillis(50) : t.maxWait()));
        }
        return guarded;
    }

    private static int defaultPort(SmtpSecurity s) {
        return switch (s) {
            case SMTPS -> 465;
            case OFF -> 25;
            default -> 587;
        };
    }

    private static String require(String value, String name) {
        if (value == null || value.isBlank()) throw new IllegalStateException(name + " is required");
        return value;
    }
}
