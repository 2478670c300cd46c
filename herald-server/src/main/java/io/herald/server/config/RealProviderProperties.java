package io.herald.server.config;

import io.herald.core.model.Platform;
import io.herald.providers.apns.ApnsSettings;
import io.herald.providers.email.SmtpSecurity;
import io.herald.providers.fcm.FcmSettings;
import io.herald.providers.resilience.CircuitBreakerSettings;
import io.herald.providers.sms.GenericHttpSmsSettings;
import io.herald.providers.sms.TwilioSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Credentials and endpoints of the real providers, one section per provider type. A section is an instance named
 * after its type (smtp, twilio, ...) once its key setting is set (see {@link ProviderType}); more instances of a
 * type are named under {@code herald.providers.instances}. Secrets belong in the environment (e.g.
 * HERALD_PROVIDERS_SMTP_PASSWORD) or in files outside the repository; they are never logged.
 * Defaults live here, so application.yml can be checked against them; blank values count as unset (a key
 * documented empty in application.yml).
 */
@ConfigurationProperties("herald.providers")
public record RealProviderProperties(Apns apns, Fcm fcm, WebPush webpush, Smtp smtp, SendGrid sendgrid, Twilio twilio,
                                     HttpSms httpSms, Resilience resilience, Map<String, Throttle> throttle) {

    public RealProviderProperties {
        apns = apns == null ? new Apns(null, null, null, null, null, null, null, null, null, null, null, null, null) : apns;
        fcm = fcm == null ? new Fcm(null, null, null, null, null) : fcm;
        webpush = webpush == null ? new WebPush(null, null, null, null) : webpush;
        smtp = smtp == null ? new Smtp(null, null, null, null, null, null, null, null, null) : smtp;
        sendgrid = sendgrid == null ? new SendGrid(null, null, null, null) : sendgrid;
        twilio = twilio == null ? new Twilio(null, null, null, null, null, null) : twilio;
        httpSms = httpSms == null ? new HttpSms(null, null, null, null, null, null, null, null, null) : httpSms;
        resilience = resilience == null ? new Resilience(null, null, null, null) : resilience;
        throttle = throttle == null ? Map.of() : throttle;
    }

    /** The settings of one provider type, bound from a type section or from a named instance. */
    public sealed interface Settings permits Apns, Fcm, WebPush, Smtp, SendGrid, Twilio, HttpSms {
    }

    /** Token auth (signing-key-file, key-id, team-id) or certificate auth (certificate-file, certificate-password). */
    public record Apns(String topic, String signingKeyFile, String keyId, String teamId, String certificateFile,
                       String certificatePassword, ApnsSettings.Gateway gateway, String host, Integer port, String trustedServerCa,
                       String defaultSound, Integer connections, Duration sendTimeout)
            implements
                Settings {
        public Apns {
            topic = Text.orNull(topic);
            signingKeyFile = Text.orNull(signingKeyFile);
            keyId = Text.orNull(keyId);
            teamId = Text.orNull(teamId);
            certificateFile = Text.orNull(certificateFile);
            certificatePassword = Text.orNull(certificatePassword);
            gateway = gateway == null ? ApnsSettings.Gateway.PRODUCTION : gateway;
            host = Text.orNull(host);
            port = port == null ? 443 : port;
            trustedServerCa = Text.orNull(trustedServerCa);
            defaultSound = Text.orNull(defaultSound);
            connections = connections == null ? ApnsSettings.DEFAULT_CONCURRENT_CONNECTIONS : connections;
            sendTimeout = sendTimeout == null ? ApnsSettings.DEFAULT_SEND_TIMEOUT : sendTimeout;
        }
    }

    public record Fcm(String serviceAccountFile, String projectId, URI baseUrl, URI tokenUri, Set<Platform> platforms) implements Settings {
        public Fcm {
            serviceAccountFile = Text.orNull(serviceAccountFile);
            projectId = Text.orNull(projectId);
            baseUrl = Text.orNull(baseUrl) == null ? URI.create(FcmSettings.DEFAULT_BASE_URL) : baseUrl;
            tokenUri = Text.orNull(tokenUri);
            platforms = platforms == null || platforms.isEmpty() ? Set.of(Platform.ANDROID) : Set.copyOf(platforms);
        }
    }

    /** VAPID keys are generated into the data directory on first start unless both are given. */
    public record WebPush(String subject, String vapidPublicKey, String vapidPrivateKey,
                          Boolean allowInsecureEndpoints)
            implements
                Settings {
        public WebPush {
            subject = Text.orNull(subject);
            vapidPublicKey = Text.orNull(vapidPublicKey);
            vapidPrivateKey = Text.orNull(vapidPrivateKey);
            allowInsecureEndpoints = allowInsecureEndpoints != null && allowInsecureEndpoints;
        }
    }

    /** port 0 takes the usual port of the security mode: 25 (OFF), 587 (STARTTLS_*), 465 (SMTPS). */
    public record Smtp(String host, Integer port, SmtpSecurity security, String username, String password, Integer poolSize,
                       String from, Map<Long, String> fromByApp, String sslTrust)
            implements
                Settings {
        public Smtp {
            host = Text.orNull(host);
            port = port == null ? 0 : port;
            security = security == null ? SmtpSecurity.STARTTLS_REQUIRED : security;
            username = Text.orNull(username);
            password = Text.orNull(password);
            poolSize = poolSize == null ? 4 : poolSize;
            from = Text.orNull(from);
            fromByApp = fromByApp == null ? Map.of() : Map.copyOf(fromByApp);
            sslTrust = Text.orNull(sslTrust);
        }
    }

    public record SendGrid(URI baseUrl, String apiKey, String from, Map<Long, String> fromByApp) implements Settings {
        public SendGrid {
            baseUrl = Text.orNull(baseUrl) == null ? URI.create("https://api.sendgrid.com") : baseUrl;
            apiKey = Text.orNull(apiKey);
            from = Text.orNull(from);
            fromByApp = fromByApp == null ? Map.of() : Map.copyOf(fromByApp);
        }
    }

    /** statusCallbackUrl: unset means herald.public.base-url + /v1/webhooks/twilio/status. */
    public record Twilio(URI baseUrl, String accountSid, String authToken, String from, String messagingServiceSid,
                         URI statusCallbackUrl)
            implements
                Settings {
        public Twilio {
            baseUrl = Text.orNull(baseUrl) == null ? TwilioSettings.DEFAULT_BASE_URL : baseUrl;
            accountSid = Text.orNull(accountSid);
            authToken = Text.orNull(authToken);
            from = Text.orNull(from);
            messagingServiceSid = Text.orNull(messagingServiceSid);
            statusCallbackUrl = Text.orNull(statusCallbackUrl);
        }
    }

    /** A generic HTTP SMS gateway: see GenericHttpSmsSettings for the body template placeholders. */
    public record HttpSms(String url, String method, Map<String, String> headers, GenericHttpSmsSettings.BodyFormat format,
                          String bodyTemplate, String from, String messageIdPointer, String messageIdRegex,
                          Set<Integer> permanentStatusCodes)
            implements
                Settings {
        public HttpSms {
            url = Text.orNull(url);
            method = Text.orNull(method) == null ? "POST" : method;
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            format = format == null ? GenericHttpSmsSettings.BodyFormat.FORM : format;
            bodyTemplate = Text.orNull(bodyTemplate);
            from = Text.orNull(from);
            messageIdPointer = Text.orNull(messageIdPointer);
            messageIdRegex = Text.orNull(messageIdRegex);
            permanentStatusCodes = permanentStatusCodes == null ? Set.of() : Set.copyOf(permanentStatusCodes);
        }
    }

    /** Circuit breaker of every real provider: opens when failureRate% of the last window calls failed. */
    public record Resilience(Integer window, Integer minimumCalls, Float failureRate, Duration openFor) {
        public Resilience {
            var d = CircuitBreakerSettings.DEFAULTS;
            window = window == null ? d.slidingWindowSize() : window;
            minimumCalls = minimumCalls == null ? d.minimumNumberOfCalls() : minimumCalls;
            failureRate = failureRate == null ? d.failureRateThreshold() : failureRate;
            openFor = openFor == null ? d.waitInOpenState() : openFor;
        }
    }

    /** A throughput limit of one provider (by name), e.g. herald.providers.throttle.fcm.permits=500, period=1s. */
    public record Throttle(Long permits, Duration period, Duration maxWait) {
        public Throttle {
            period = period == null ? Duration.ofSeconds(1) : period;
            maxWait = maxWait == null ? Duration.ofMillis(50) : maxWait;
        }
    }

    /** Blank configuration values (keys documented empty in application.yml) are unset. */
    static final class Text {
        private Text() {
        }

        static String orNull(String s) {
            return s == null || s.isBlank() ? null : s;
        }

        static URI orNull(URI u) {
            return u == null || u.toString().isBlank() ? null : u;
        }
    }
}
