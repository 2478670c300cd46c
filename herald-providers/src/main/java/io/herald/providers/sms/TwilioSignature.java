package io.herald.providers.sms;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Checks the {@code X-Twilio-Signature} of a form-encoded webhook (status callbacks), as Twilio documents it
 * (https://www.twilio.com/docs/usage/webhooks/webhooks-security): take the full URL Twilio requested, including the
 * query string; append every POST parameter as name followed by value, sorted by name (case-sensitive); HMAC-SHA1
 * that with the auth token as key; base64. A repeated parameter contributes each value, in sorted order, as
 * Twilio's own helper libraries do.
 *
 * <p>The URL must be the one Twilio called, not what a proxy rewrote it to. Twilio's helpers also accept the URL with
 * the default port added or removed (Twilio may sign either form); so does {@link #isValid}.
 * Immutable and thread-safe.
 */
public final class TwilioSignature {

    private final SecretKeySpec key;

    public TwilioSignature(String authToken) {
        this.key = new SecretKeySpec(Objects.requireNonNull(authToken, "authToken").getBytes(StandardCharsets.UTF_8),
                "HmacSHA1");
    }

    /** The signature Twilio would send for this URL and these form parameters. */
    public String compute(String url, Map<String, ? extends Collection<String>> params) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params == null ? Map.<String, Collection<String>>of() : params).forEach((name, values) -> {
            List<String> sorted = new ArrayList<>(values);
            sorted.sort(null);
            for (String value : sorted) data.append(name).append(value);
        });
        return Base64.getEncoder().encodeToString(hmac(data.toString()));
    }

    /** Single-valued parameters, the usual case for status callbacks. */
    public String computeSingle(String url, Map<String, String> params) {
        return compute(url, single(params));
    }

    /** True when {@code signature} matches; compared in constant time so timing does not leak a prefix match. */
    public boolean isValid(String url, Map<String, ? extends Collection<String>> params, String signature) {
        if (url == null || signature == null) return false;
        byte[] given = signature.getBytes(StandardCharsets.US_ASCII);
        boolean valid = false;
        for (String candidate : List.of(url, withDefaultPort(url), withoutDefaultPort(url))) {
            // evaluate every candidate, so the time taken does not depend on which one matched
            valid |= MessageDigest.isEqual(compute(candidate, params).getBytes(StandardCharsets.US_ASCII), given);
        }
        return valid;
    }

    public boolean isValidSingle(String url, Map<String, String> params, String signature) {
        return isValid(url, single(params), signature);
    }

    private static Map<String, List<String>> single(Map<String, String> params) {
        Map<String, List<String>> multi = new TreeMap<>();
        if (params != null) params.forEach((k, v) -> multi.put(k, List.of(v == null ? "" : v)));
        return multi;
    }

    private static String withDefaultPort(String url) {
        java.net.URI u = parse(url);
        if (u == null || u.getPort() != -1 || u.getHost() == null) return url;
        int port = "https".equalsIgnoreCase(u.getScheme()) ? 443 : "http".equalsIgnoreCase(u.getScheme()) ? 80 : -1;
        if (port < 0) return url;
        int hostEnd = url.indexOf(u.getRawAuthority()) + u.getRawAuthority().length();
        return url.substring(0, hostEnd) + ":" + port + url.substring(hostEnd);
    }

    private static String withoutDefaultPort(String url) {
        java.net.URI u = parse(url);
        if (u == null || u.getRawAuthority() == null) return url;
        String suffix = "https".equalsIgnoreCase(u.getScheme()) ? ":443" : "http".equalsIgnoreCase(u.getScheme()) ? ":80" : null;
        if (suffix == null || !u.getRawAuthority().endsWith(suffix)) return url;
        int hostEnd = url.indexOf(u.getRawAuthority()) + u.getRawAuthority().length();
        return url.substring(0, hostEnd - suffix.length()) + url.substring(hostEnd);
    }

    private static java.net.URI parse(String url) {
        try {
            return new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private byte[] hmac(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(key);
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }
}
