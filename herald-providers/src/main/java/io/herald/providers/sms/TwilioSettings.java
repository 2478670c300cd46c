package io.herald.providers.sms;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link TwilioSmsProvider}. One of {@code from} and {@code messagingServiceSid} is required; with a
 * Messaging Service, Twilio picks the sender from its pool.
 *
 * @param baseUrl           default {@code https://api.twilio.com}
 * @param accountSid        "AC..." account (or subaccount) SID, required
 * @param authToken         the account's auth token, required; also signs status callbacks
 * @param from              an E.164 number, short code or alphanumeric sender id
 * @param messagingServiceSid "MG..." Messaging Service SID
 * @param statusCallbackUrl where Twilio posts delivery status, null for none
 * @param timeout           connect and request timeout, default 10 s
 */
public record TwilioSettings(URI baseUrl, String accountSid, String authToken, String from,
                             String messagingServiceSid, URI statusCallbackUrl, Duration timeout) {

    public static final URI DEFAULT_BASE_URL = URI.create("https://api.twilio.com");

    public TwilioSettings {
        baseUrl = baseUrl == null ? DEFAULT_BASE_URL : baseUrl;
        Objects.requireNonNull(accountSid, "accountSid");
        Objects.requireNonNull(authToken, "authToken");
        if (blank(from) && blank(messagingServiceSid)) {
            throw new IllegalArgumentException("Twilio needs a from number or a messagingServiceSid");
        }
        timeout = timeout == null || timeout.isZero() || timeout.isNegative() ? Duration.ofSeconds(10) : timeout;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    @Override
    public String toString() {
        return "TwilioSettings[" + baseUrl + ", account=" + accountSid + ", from=" + from
                + ", service=" + messagingServiceSid + "]"; // never print the token
    }
}
