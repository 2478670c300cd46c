package io.herald.server.config;

import io.herald.core.model.Platform;
import io.herald.providers.email.SmtpSecurity;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Credentials and endpoints of the real providers. A provider exists only when its key setting is present
 * (apns.topic, fcm.service-account-file, webpush.subject, smtp.host, sendgrid.api-key, twilio.account-sid,
 * http-sms.url). Secrets belong in the environment (e.g. HERALD_PROVIDERS_SMTP_PASSWORD) or in files
 * outside the repository; they are never logged.
 */
@ConfigurationProperties("herald.providers")
public record RealProviderProperties(Apns apns, Fcm fcm, WebPush webpush, Smtp smtp, SendGrid sendgrid, Twilio twilio,
                                     HttpSms httpSms, Resilience resilience, Map<String, Throttle> throttle) {

    public RealProviderProperties {
        resilience = resilience == null ? new Resilience(null, null, null, null) : resilience;
        throttle = throttle == null ? Map.of() : throttle;
    }

    /** Token auth (signing-key-file, key-id, team-id) or certificate auth (certificate-file, certificate-password). */
    public record Apns(String topic, Path signingKeyFile, String keyId, String teamId, Path certificateFile,
                       String certificatePassword, String gateway, String host, Integer port, Path trustedServerCa,
                       String defaultSound) {
    }

    public record Fcm(Path serviceAccountFile, String projectId, URI baseUrl, URI tokenUri, Set<Platform> platforms) {
    }

    /** VAPID keys are generated into the data directory on first start unless both are given. */
    public record WebPush(String subject, String vapidPublicKey, String vapidPrivateKey, Boolean allowInsecureEndpoints) {
    }

    public record Smtp(String host, Integer port, SmtpSecurity security, String username, String password, Integer poolSize,
                       String from, Map<Long, String> fromByApp, String sslTrust) {
    }

    public record SendGrid(URI baseUrl, String apiKey, String from, Map<Long, String> fromByApp) {
    }

    public record Twilio(URI baseUrl, String accountSid, String authToken, String from, String messagingServiceSid,
                         URI statusCallbackUrl) {
    }

    /** A generic HTTP SMS gateway: see GenericHttpSmsSettings for the body template placeholders. */
    public record HttpSms(String name, String url, String method, Map<String, String> headers, String format, String bodyTemplate,
                          String from, String messageIdPointer, String messageIdRegex, Set<Integer> permanentStatusCodes) {
    }

    /** Circuit breaker of every real provider: opens when failureRate% of the last window calls failed. */
    public record Resilience(Integer window, Integer minimumCalls, Float failureRate, Duration openFor) {
    }

    /** A throughput limit of one provider (by name), e.g. herald.providers.throttle.fcm.permits=500, period=1s. */
    public record Throttle(Long permits, Duration period, Duration maxWait) {
    }
}
