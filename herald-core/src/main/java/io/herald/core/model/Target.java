package io.herald.core.model;

import java.util.Objects;

/** Where one notification goes: an email address, an E.164 phone number, one device, or a user's in-app inbox. */
public sealed interface Target {

    Channel channel();

    /** A stable text form, also the per-event dedup key of the fan-out (never shown unmasked in traces). */
    String address();

    /** The address as traces show it: enough to recognise, not enough to harvest. */
    String masked();

    record Email(String address) implements Target {
        public Email {
            Objects.requireNonNull(address, "address");
        }

        public Channel channel() {
            return Channel.EMAIL;
        }

        public String masked() {
            int at = address.indexOf('@');
            if (at <= 1) return "***" + address.substring(Math.max(at, 0));
            return address.charAt(0) + "***" + address.substring(at);
        }
    }

    record Phone(String e164) implements Target {
        public Phone {
            Objects.requireNonNull(e164, "e164");
        }

        public Channel channel() {
            return Channel.SMS;
        }

        public String address() {
            return e164;
        }

        public String masked() {
            int keep = Math.min(4, e164.length());
            return e164.substring(0, Math.min(3, e164.length())) + "*****" + e164.substring(e164.length() - keep / 2);
        }
    }

    /** A device: token for IOS/ANDROID, subscription for WEB. deviceId is null for one-off sends. */
    record Device(String deviceId, Platform platform, String token, WebPushSubscription subscription) implements Target {
        public Device {
            Objects.requireNonNull(platform, "platform");
            if (platform == Platform.WEB ? subscription == null : token == null || token.isBlank()) {
                throw new IllegalArgumentException(platform == Platform.WEB
                        ? "a WEB device needs a subscription"
                        : "an " + platform + " device needs a token");
            }
        }

        public Channel channel() {
            return Channel.PUSH;
        }

        public String address() {
            return platform + ":" + (platform == Platform.WEB ? subscription.endpoint() : token);
        }

        public String masked() {
            String id = platform == Platform.WEB ? subscription.endpoint() : token;
            String tail = id.length() > 6 ? id.substring(id.length() - 6) : id;
            return platform + ":…" + tail;
        }
    }

    /** The in-app inbox of one user of the app; Herald itself keeps it, so there is nothing else to address. */
    record Inbox(String userId) implements Target {
        public Inbox {
            Objects.requireNonNull(userId, "userId");
        }

        public Channel channel() {
            return Channel.IN_APP;
        }

        public String address() {
            return "inbox:" + userId;
        }

        public String masked() {
            return address();
        }
    }
}
