package io.herald.server.api;

import io.herald.core.intake.SendRequest;
import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.model.Platform;
import io.herald.core.model.Priority;
import io.herald.core.model.Target;
import io.herald.core.model.WebPushSubscription;
import io.herald.core.net.OutboundGuard;
import io.herald.server.http.ApiProblem;
import io.herald.server.http.Checks;
import io.herald.server.http.FieldLimits;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a send body field by field and turns it into the core's {@link SendRequest}; 422 lists every problem. */
public final class SendMapper {

    // compiled once: String.matches compiles its pattern on every call (1.5% of a single send's request thread, JFR)
    private static final Pattern CATEGORY = Pattern.compile("[a-z0-9_\\-]{1," + FieldLimits.CATEGORY + "}");
    private static final Pattern TEMPLATE_KEY = Pattern.compile("[A-Za-z0-9_.\\-]{1," + FieldLimits.TEMPLATE_KEY + "}");
    private static final Pattern LOCAL_TIME = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d");
    private static final Pattern P256DH = Pattern.compile("[A-Za-z0-9_\\-]{80,100}=*");
    private static final Pattern AUTH_SECRET = Pattern.compile("[A-Za-z0-9_\\-]{16,24}=*");
    private static final Pattern PRINTABLE = Pattern.compile("[\\x21-\\x7e]+");
    private static final Pattern APNS_TOKEN = Pattern.compile("[0-9a-fA-F]{64,200}");

    private SendMapper() {
    }

    /** @param guard checks Web Push endpoints of one-off device targets */
    public static SendRequest toRequest(SendBodies.Send b, String prefix, OutboundGuard guard) {
        return toRequest(b, prefix, guard, false);
    }

    /** @param audience true for an audience send: a recipient (userId, to) is then an error, not a requirement */
    static SendRequest toRequest(SendBodies.Send b, String prefix, OutboundGuard guard, boolean audience) {
        Checks c = new Checks();
        if (b == null) throw ApiProblem.invalid(prefix.isEmpty() ? "body" : prefix, "is required");
        if (!audience && (b.topic() != null || b.audience() != null)) {
            c.add(prefix + (b.topic() != null ? "topic" : "audience"),
                    "audience sends are single requests to POST /v1/notifications, not batch items");
        }
        if (audience && (b.userId() != null || b.to() != null))
            c.add(prefix + "userId", "give a recipient (userId, to) or an audience (topic, audience), not both");
        if (b.eventId() == null || b.eventId().isBlank()) c.add(prefix + "eventId", "is required (it is the idempotency key)");
        else if (b.eventId().length() > FieldLimits.EVENT_ID)
            c.add(prefix + "eventId", "must be at most " + FieldLimits.EVENT_ID + " characters");
        if (!audience && (b.userId() == null) == (b.to() == null)) c.add(prefix + "userId", "give exactly one of userId and to");
        if (b.userId() != null && !Checks.isId(b.userId())) c.add(prefix + "userId", Checks.ID_RULE);
        if ((b.template() == null) == (b.content() == null)) c.add(prefix + "template", "give exactly one of template and content");
        List<Target> oneOff = b.to() == null ? List.of() : targets(b.to(), prefix + "to.", c, guard);
        if (b.to() != null && oneOff.isEmpty() && c.ok()) c.add(prefix + "to", "needs email, phone or device");
        Set<Channel> channels = null;
        if (b.channels() != null) {
            channels = EnumSet.noneOf(Channel.class);
            for (int i = 0; i < b.channels().size(); i++) {
                Channel ch = c.oneOf(prefix + "channels[" + i + "]", b.channels().get(i), Channel.class);
                if (ch != null) channels.add(ch);
            }
            if (b.channels().isEmpty()) c.add(prefix + "channels", "must not be empty; leave it out to use the template's channels");
        }
        Priority priority = b.priority() == null ? Priority.NORMAL : c.oneOf(prefix + "priority", b.priority(), Priority.class);
        String locale = c.locale(prefix + "locale", b.locale());
        var sendAt = c.instant(prefix + "sendAt", b.sendAt());
        var expiresAt = c.instant(prefix + "expiresAt", b.expiresAt());
        var deliverAt = b.deliverAt() == null ? null : localDelivery(b.deliverAt(), prefix + "deliverAt.", c);
        if (b.deliverAt() != null && b.sendAt() != null) c.add(prefix + "deliverAt", "give one of sendAt and deliverAt");
        if (b.category() != null && !CATEGORY.matcher(b.category()).matches()) {
            c.add(prefix + "category", "must be 1 to " + FieldLimits.CATEGORY + " characters of a-z, 0-9, _ and -");
        }
        if (b.template() != null && !TEMPLATE_KEY.matcher(b.template()).matches()) {
            c.add(prefix + "template", "is not a valid template key (1 to " + FieldLimits.TEMPLATE_KEY + " of letters, digits, _ . -)");
        }
        if (b.templateVersion() != null && b.templateVersion() < 1) c.add(prefix + "templateVersion", "must be 1 or more");
        Content content = null;
        if (b.content() != null) {
            var k = b.content();
            c.maxLength(prefix + "content.title", k.title(), FieldLimits.TITLE);
            c.maxLength(prefix + "content.body", k.body(), FieldLimits.BODY);
            c.maxLength(prefix + "content.subject", k.subject(), FieldLimits.SUBJECT);
            c.maxLength(prefix + "content.html", k.html(), FieldLimits.HTML);
            c.maxLength(prefix + "content.text", k.text(), FieldLimits.TEXT);
            if (k.url() != null && c.maxLength(prefix + "content.url", k.url(), FieldLimits.URL)) url(prefix + "content.url", k.url(), c);
            content = new Content(k.title(), k.body(), k.subject(), k.html(), k.text(), k.url(), k.data());
        }
        c.throwIfAny();
        return new SendRequest(b.eventId(), b.userId(), oneOff, channels, b.template(), b.templateVersion(), b.data(), locale,
                content, b.category(), priority, sendAt, expiresAt, deliverAt);
    }

    private static io.herald.core.intake.LocalDelivery localDelivery(SendBodies.DeliverAt d, String prefix, Checks c) {
        java.time.LocalTime time = null;
        java.time.LocalDate date = null;
        if (d.localTime() == null) c.add(prefix + "localTime", "is required, e.g. \"09:00\"");
        else if (!LOCAL_TIME.matcher(d.localTime()).matches())
            c.add(prefix + "localTime", "must be HH:mm on a 24-hour clock, e.g. \"09:00\"");
        else
            time = java.time.LocalTime.parse(d.localTime());
        if (d.date() != null) {
            try {
                if (d.date().length() != 10) throw new java.time.format.DateTimeParseException("length", d.date(), 0);
                date = java.time.LocalDate.parse(d.date());
            } catch (java.time.format.DateTimeParseException e) {
                c.add(prefix + "date", "must be a date as YYYY-MM-DD");
            }
        }
        return time == null ? null : new io.herald.core.intake.LocalDelivery(time, date);
    }

    private static List<Target> targets(SendBodies.To to, String prefix, Checks c, OutboundGuard guard) {
        List<Target> out = new ArrayList<>();
        String email = c.email(prefix + "email", to.email());
        if (email != null) out.add(new Target.Email(email));
        String phone = c.phone(prefix + "phone", to.phone());
        if (phone != null) out.add(new Target.Phone(phone));
        if (to.device() != null) {
            Target.Device d = device(to.device(), prefix + "device.", c, null, guard);
            if (d != null) out.add(d);
        }
        return out;
    }

    /** A device target from its JSON; null after recording errors. Web Push endpoints must pass {@code guard}. */
    public static Target.Device device(SendBodies.DeviceBody d, String prefix, Checks c, String deviceId, OutboundGuard guard) {
        Platform platform = d.platform() == null ? null : c.oneOf(prefix + "platform", d.platform(), Platform.class);
        if (d.platform() == null) c.add(prefix + "platform", "is required (IOS, ANDROID or WEB)");
        if (platform == null) return null;
        if (platform == Platform.WEB) {
            var s = d.subscription();
            if (s == null || s.endpoint() == null || s.keys() == null || s.keys().p256dh() == null || s.keys().auth() == null) {
                c.add(prefix + "subscription", "a WEB device needs subscription {endpoint, keys: {p256dh, auth}}");
                return null;
            }
            if (!c.maxLength(prefix + "subscription.endpoint", s.endpoint(), FieldLimits.URL)) return null;
            var refused = guard.problemWith(s.endpoint());
            if (refused.isPresent()) {
                c.add(prefix + "subscription.endpoint", refused.get());
                return null;
            }
            if (!P256DH.matcher(s.keys().p256dh()).matches()) {
                c.add(prefix + "subscription.keys.p256dh", "must be the base64url P-256 public key of the subscription");
                return null;
            }
            if (!AUTH_SECRET.matcher(s.keys().auth()).matches()) {
                c.add(prefix + "subscription.keys.auth", "must be the base64url 16-byte auth secret of the subscription");
                return null;
            }
            return new Target.Device(deviceId, platform, null, new WebPushSubscription(s.endpoint(), s.keys().p256dh(), s.keys().auth()));
        }
        String token = d.token();
        if (token == null || token.isBlank()) {
            c.add(prefix + "token", "an " + platform + " device needs a token");
            return null;
        }
        if (token.length() > FieldLimits.TOKEN || !PRINTABLE.matcher(token).matches()) {
            c.add(prefix + "token", "must be printable ASCII without spaces, at most " + FieldLimits.TOKEN + " characters");
            return null;
        }
        if (platform == Platform.IOS && !APNS_TOKEN.matcher(token).matches()) {
            c.add(prefix + "token", "an APNs device token is hexadecimal (64 characters or more)");
            return null;
        }
        return new Target.Device(deviceId, platform, token, null);
    }

    private static boolean url(String field, String value, Checks c) {
        try {
            URI u = URI.create(value);
            if (u.getScheme() == null || u.getHost() == null || !(u.getScheme().equals("https") || u.getScheme().equals("http"))) {
                c.add(field, "must be an absolute http(s) URL");
                return false;
            }
            return true;
        } catch (IllegalArgumentException e) {
            c.add(field, "is not a valid URL");
            return false;
        }
    }
}
