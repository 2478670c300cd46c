package io.herald.server.wiring;

import io.herald.core.net.OutboundGuard;
import io.herald.core.provider.ChannelProvider;
import io.herald.providers.apns.ApnsProbe;
import io.herald.providers.apns.ApnsProvider;
import io.herald.providers.apns.ApnsSettings;
import io.herald.providers.email.FromAddresses;
import io.herald.providers.email.SendGridEmailProvider;
import io.herald.providers.email.SendGridSettings;
import io.herald.providers.email.SmtpEmailProvider;
import io.herald.providers.email.SmtpProbe;
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
import io.herald.server.config.ConfiguredProvider;
import io.herald.server.config.ConfiguredProviders;
import io.herald.server.config.ProviderProperties;
import io.herald.server.config.ProviderType;
import io.herald.server.config.PublicProperties;
import io.herald.server.config.RealProviderProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates the real provider instances: each type section whose key setting is set (named after its type), then
 * each named instance under herald.providers.instances (by name). Every mistake fails start-up with a message that
 * names the full configuration key.
 */
final class ProviderFactory {

    /** How long a start-up check may wait for a peer. */
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);
    static final String TWILIO_CALLBACK_PATH = "/v1/webhooks/twilio/status";

    private final RealProviderProperties real;
    private final ProviderProperties props;
    private static final ConfigurationPropertyName INSTANCES = ConfigurationPropertyName.of("herald.providers.instances");

    private final Binder binder;
    private final PublicProperties pub;
    private final Path dataDir;
    private final UnsubscribeLinks links;
    private final ProviderConfiguration.Closeables closeables;
    private final Clock clock;
    private final OutboundGuard outboundGuard;
    private WebPushProvider webPush;
    /** Null: each process throttles on its own bucket. */
    private io.herald.core.ratelimit.RateLimiter sharedThrottles;
    private final List<ConfiguredProviders.TwilioAccount> twilioAccounts = new ArrayList<>();

    private final Iterable<ConfigurationPropertySource> sources;

    /** @param sources the configuration, to find named instances however they are spelled */
    ProviderFactory(RealProviderProperties real, ProviderProperties props, Iterable<ConfigurationPropertySource> sources,
                    PublicProperties pub,
                    Path dataDir, UnsubscribeLinks links, ProviderConfiguration.Closeables closeables, Clock clock,
                    OutboundGuard outboundGuard) {
        this.real = real;
        this.props = props;
        this.sources = sources;
        this.binder = new Binder(sources);
        this.pub = pub;
        this.dataDir = dataDir;
        this.links = links;
        this.closeables = closeables;
        this.clock = clock;
        this.outboundGuard = outboundGuard;
    }

    ConfiguredProviders build() {
        List<ConfiguredProvider> out = new ArrayList<>();
        for (ProviderType type : ProviderType.values()) {
            RealProviderProperties.Settings s = type.section(real);
            if (type.configured(s)) out.add(create(type.key(), type, "herald.providers." + type.key(), s));
        }
        for (String name : instanceNames()) {
            String prefix = "herald.providers.instances." + name;
            if (name.equals("sandbox"))
                throw new IllegalStateException(prefix + ": 'sandbox' is the built-in sandbox; choose another name");
            if (out.stream().anyMatch(p -> p.name().equals(name))) {
                throw new IllegalStateException(prefix + ": the name '" + name + "' is taken by herald.providers." + name
                        + " (the type section is an instance named after its type); choose another name");
            }
            String typeKey = binder.bind(prefix + ".type", String.class).orElse(null);
            if (typeKey == null || typeKey.isBlank()) {
                throw new IllegalStateException(prefix + ".type is required (one of " + ProviderType.keys() + ")");
            }
            ProviderType type = ProviderType.byKey(typeKey).orElseThrow(() -> new IllegalStateException(
                    prefix + ".type: unknown provider type '" + typeKey + "' (one of " + ProviderType.keys() + ")"));
            RealProviderProperties.Settings s = binder.bindOrCreate(prefix, Bindable.of(type.settingsClass()));
            if (!type.configured(s))
                throw new IllegalStateException(prefix + "." + type.keySetting() + " is required for type " + type.key());
            out.add(create(name, type, prefix, s));
        }
        return new ConfiguredProviders(out, webPush, twilioAccounts);
    }

    /**
     * Every name with a key under herald.providers.instances: an instance without a type must fail, not vanish
     * (binding alone would drop it, having no "type" to bind). Environment variables drop the dashes of a name
     * (RELAYEU for relay-eu), so they only add settings to instances named elsewhere, or bind whole ones.
     */
    private Set<String> instanceNames() {
        Set<String> names = new TreeSet<>(props.instances().keySet());
        for (ConfigurationPropertySource source : sources) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)
                    || source.getUnderlyingSource() instanceof org.springframework.core.env.SystemEnvironmentPropertySource)
                continue;
            iterable.stream().filter(INSTANCES::isAncestorOf)
                    .forEach(n -> names.add(n.getElement(INSTANCES.getNumberOfElements(), ConfigurationPropertyName.Form.ORIGINAL)));
        }
        return names;
    }

    private ConfiguredProvider create(String name, ProviderType type, String prefix, RealProviderProperties.Settings settings) {
        try {
            return switch (settings) {
                case RealProviderProperties.Apns a -> apns(name, prefix, a);
                case RealProviderProperties.Fcm f -> fcm(name, prefix, f);
                case RealProviderProperties.WebPush w -> webPush(name, prefix, w);
                case RealProviderProperties.Smtp m -> smtp(name, prefix, m);
                case RealProviderProperties.SendGrid g -> sendGrid(name, prefix, g);
                case RealProviderProperties.Twilio t -> twilio(name, prefix, t);
                case RealProviderProperties.HttpSms h -> httpSms(name, prefix, h);
            };
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            if (message.startsWith(prefix)) throw e;
            // the settings records name Java fields ('keyId'); the operator wrote keys (key-id)
            throw new IllegalStateException(prefix + ": " + keysFor(message, prefix), e);
        }
    }

    private ConfiguredProvider apns(String name, String prefix, RealProviderProperties.Apns a) {
        if (a.signingKeyFile() != null && a.certificateFile() != null) {
            throw new IllegalStateException(
                    prefix + ": set signing-key-file (token auth) or certificate-file (certificate auth), not both");
        }
        ApnsSettings.Auth auth;
        if (a.signingKeyFile() != null) {
            auth = new ApnsSettings.Token(readable(a.signingKeyFile(), prefix + ".signing-key-file"),
                    required(a.keyId(), prefix + ".key-id", "the 10-character id of the .p8 key, needed for token auth"),
                    required(a.teamId(), prefix + ".team-id", "your Apple developer team id, needed for token auth"));
        } else if (a.certificateFile() != null) {
            auth = new ApnsSettings.Certificate(readable(a.certificateFile(), prefix + ".certificate-file"), a.certificatePassword());
        } else {
            throw new IllegalStateException(prefix + ": no credentials; set " + prefix + ".signing-key-file with key-id and team-id"
                    + " (token auth, recommended) or " + prefix + ".certificate-file with certificate-password (certificate auth)");
        }
        Path ca = a.trustedServerCa() == null ? null : readable(a.trustedServerCa(), prefix + ".trusted-server-ca");
        ApnsSettings s = ApnsSettings.of(a.topic(), auth)
                .withGateway(a.gateway())
                .withServer(a.host(), a.host() == null ? 0 : a.port(), ca)
                .withTimeouts(a.sendTimeout(), null)
                .withConcurrentConnections(a.connections())
                .withDefaultSound(a.defaultSound());
        ChannelProvider p = closeables.add(new ApnsProvider(s, clock));
        return guard(name, ProviderType.APNS, prefix, s.endpoint(), p, () -> {
            try {
                return ApnsProbe.check(s, CHECK_TIMEOUT);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(name + ": TLS connection to " + s.endpoint() + " failed (" + e.getMessage() + "); check "
                        + (a.host() != null
                                ? prefix + ".host, .port and .trusted-server-ca"
                                : prefix + ".gateway and outbound access to Apple"));
            }
        });
    }

    private ConfiguredProvider fcm(String name, String prefix, RealProviderProperties.Fcm f) {
        FcmSettings s = FcmSettings.of(readable(f.serviceAccountFile(), prefix + ".service-account-file"))
                .withEndpoints(f.baseUrl(), f.tokenUri())
                .withProjectId(f.projectId())
                .withPlatforms(f.platforms());
        FcmProvider p = closeables.add(new FcmProvider(s, clock));
        return guard(name, ProviderType.FCM, prefix, hostOf(f.baseUrl()), p, () -> {
            try {
                return "OAuth2 token granted by " + p.checkCredentials();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(name + ": the service account got no access token (" + e.getMessage() + "); check "
                        + prefix + ".service-account-file (a current key of the Firebase project)"
                        + (f.tokenUri() != null ? " and " + prefix + ".token-uri" : ""));
            }
        });
    }

    private ConfiguredProvider webPush(String name, String prefix, RealProviderProperties.WebPush w) {
        if ((w.vapidPublicKey() == null) != (w.vapidPrivateKey() == null)) {
            throw new IllegalStateException(prefix + ": set both " + prefix + ".vapid-public-key and " + prefix
                    + ".vapid-private-key, or neither (then a key pair is generated into herald.data-dir)");
        }
        WebPushSettings s = w.vapidPublicKey() != null
                ? WebPushSettings.configuredKeys(w.subject(), w.vapidPublicKey(), w.vapidPrivateKey())
                : WebPushSettings.generatedKeys(w.subject(), dataDir);
        if (w.allowInsecureEndpoints()) s = s.withAllowInsecureEndpoints(true);
        WebPushProvider p = closeables.add(new WebPushProvider(s, outboundGuard));
        if (webPush == null) webPush = p;
        // no fixed peer: each subscription names its own push service
        return guard(name, ProviderType.WEBPUSH, prefix, "each subscription's push service", p, null);
    }

    private ConfiguredProvider smtp(String name, String prefix, RealProviderProperties.Smtp m) {
        if (m.password() != null && m.username() == null) {
            throw new IllegalStateException(prefix + ".password is set without " + prefix + ".username");
        }
        SmtpSettings base = SmtpSettings.of(m.host(), m.port());
        SmtpSettings s = new SmtpSettings(m.host(), m.port(), m.security(), m.username(), m.password(), base.connectTimeout(),
                base.readTimeout(), m.poolSize(), base.maxMessagesPerConnection(), base.validateAfterIdle(), m.sslTrust());
        FromAddresses from = new FromAddresses(required(m.from(), prefix + ".from", "the sender, e.g. \"Herald <no-reply@example.com>\""),
                m.fromByApp());
        ChannelProvider p = closeables.add(new SmtpEmailProvider(s, from, links));
        return guard(name, ProviderType.SMTP, prefix, s.host() + ":" + s.port(), p, () -> smtpCheck(name, prefix, s));
    }

    static String smtpCheck(String name, String prefix, SmtpSettings s) {
        try {
            return SmtpProbe.check(s, CHECK_TIMEOUT);
        } catch (SmtpProbe.Failed f) {
            String fix = switch (f.problem()) {
                case CONNECT -> "check " + prefix + ".host and " + prefix + ".port";
                case GREETING -> s.security() == SmtpSecurity.SMTPS
                        ? "the port may expect plain text first: set " + prefix + ".security=STARTTLS_REQUIRED"
                        : s.port() == 465
                                ? "port 465 expects TLS from the first byte: set " + prefix + ".security=SMTPS"
                                : "check " + prefix + ".host and " + prefix + ".port (is it an SMTP server?)";
                case NO_STARTTLS -> "set " + prefix + ".security=SMTPS (implicit TLS, usually port 465) if the server has it, or OFF"
                        + " (plain text, trusted networks only), or use a relay that offers STARTTLS";
                case TLS ->
                    "check " + prefix + ".security and " + prefix + ".port; a self-signed test server needs " + prefix + ".ssl-trust";
                case NO_AUTH -> "remove " + prefix + ".username, or use the relay's submission port (usually 587 with STARTTLS)";
            };
            throw new IllegalStateException(name + ": " + f.getMessage() + "; " + fix);
        }
    }

    private ConfiguredProvider sendGrid(String name, String prefix, RealProviderProperties.SendGrid g) {
        var s = new SendGridSettings(g.baseUrl(), g.apiKey(), Duration.ofSeconds(10));
        FromAddresses from = new FromAddresses(required(g.from(), prefix + ".from", "a sender verified in SendGrid"), g.fromByApp());
        return guard(name, ProviderType.SENDGRID, prefix, hostOf(g.baseUrl()), closeables.add(new SendGridEmailProvider(s, from, links)),
                null);
    }

    private ConfiguredProvider twilio(String name, String prefix, RealProviderProperties.Twilio t) {
        required(t.authToken(), prefix + ".auth-token", "the account's auth token, from the environment");
        if (t.from() == null && t.messagingServiceSid() == null) {
            throw new IllegalStateException(prefix + ": set " + prefix + ".from (a number, short code or sender id) or "
                    + prefix + ".messaging-service-sid");
        }
        var s = new TwilioSettings(t.baseUrl(), t.accountSid(), t.authToken(), t.from(), t.messagingServiceSid(),
                twilioCallbackUrl(t, pub), Duration.ofSeconds(10));
        twilioAccounts.add(new ConfiguredProviders.TwilioAccount(name, t.accountSid(), t.authToken(), s.statusCallbackUrl()));
        return guard(name, ProviderType.TWILIO, prefix, hostOf(t.baseUrl()), closeables.add(new TwilioSmsProvider(s)), null);
    }

    /** Where Twilio posts delivery receipts: the explicit setting, else this server's public base URL. */
    static URI twilioCallbackUrl(RealProviderProperties.Twilio t, PublicProperties pub) {
        if (t.statusCallbackUrl() != null) return t.statusCallbackUrl();
        return URI.create(pub.baseUrl().replaceAll("/+$", "") + TWILIO_CALLBACK_PATH);
    }

    private ConfiguredProvider httpSms(String name, String prefix, RealProviderProperties.HttpSms h) {
        var s = new GenericHttpSmsSettings(name, h.url(), h.method(), h.headers(), h.format(),
                required(h.bodyTemplate(), prefix + ".body-template", "e.g. to={{to}}&text={{text}}"), h.from(), h.messageIdPointer(),
                h.messageIdRegex(), h.permanentStatusCodes(), null);
        return guard(name, ProviderType.HTTP_SMS, prefix, hostOf(URI.create(h.url().replaceAll("\\$\\{[^}]*}", "x"))),
                closeables.add(new GenericHttpSmsProvider(s)), null);
    }

    /** Throttles providers through {@code limiter}, shared by every process using it, instead of per process. */
    ProviderFactory shareThrottles(io.herald.core.ratelimit.RateLimiter limiter) {
        this.sharedThrottles = limiter;
        return this;
    }

    /** Throttle outside the breaker: a throttled send is not a provider failure. */
    private ConfiguredProvider guard(String name, ProviderType type, String prefix, String endpoint, ChannelProvider provider,
                                     ConfiguredProvider.StartupCheck check) {
        ChannelProvider named = provider.name().equals(name) ? provider : new RenamedProvider(name, provider);
        var r = real.resilience();
        var breaker = new CircuitBreakingProvider(named,
                new CircuitBreakerSettings(r.window(), r.minimumCalls(), r.failureRate(), r.openFor(),
                        CircuitBreakerSettings.DEFAULTS.permittedCallsInHalfOpen()));
        ChannelProvider guarded = breaker;
        var t = real.throttle().get(name);
        if (t != null && t.permits() != null) {
            var settings = new ThrottleSettings(t.permits(), t.period(), t.maxWait());
            guarded = sharedThrottles == null
                    ? new ThrottledProvider(breaker, settings)
                    : new ThrottledProvider(breaker, settings, sharedThrottles, io.github.bucket4j.BlockingStrategy.PARKING);
        }
        return new ConfiguredProvider(name, type, prefix, endpoint, guarded, breaker, check);
    }

    private static String hostOf(URI uri) {
        if (uri == null || uri.getHost() == null) return String.valueOf(uri);
        return uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
    }

    private static String required(String value, String key, String what) {
        if (value == null || value.isBlank()) throw new IllegalStateException(key + " is required (" + what + ")");
        return value;
    }

    private static Path readable(String file, String key) {
        Path p = Path.of(file);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new IllegalStateException(key + ": file not found or not readable: " + p.toAbsolutePath());
        }
        return p;
    }

    private static final Pattern QUOTED_FIELD = Pattern.compile("'([a-z][A-Za-z0-9]*)'");
    private static final Map<String, String> RENAMED = Map.of("p12File", "certificate-file", "password", "certificate-password",
            "concurrentConnections", "connections", "auth", "signing-key-file");

    /** 'keyId' becomes herald.providers.apns.key-id. */
    static String keysFor(String message, String prefix) {
        Matcher m = QUOTED_FIELD.matcher(message);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String field = m.group(1);
            String key = RENAMED.getOrDefault(field, field.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT));
            m.appendReplacement(sb, Matcher.quoteReplacement(prefix + "." + key));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
