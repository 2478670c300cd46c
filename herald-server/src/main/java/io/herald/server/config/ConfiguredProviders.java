package io.herald.server.config;

import io.herald.core.model.Channel;
import io.herald.providers.webpush.WebPushProvider;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Every configured real provider instance, in creation order (type sections first, then named instances by name),
 * with what the callback endpoints need: the Web Push key pair and the Twilio accounts that may call back.
 */
public record ConfiguredProviders(List<ConfiguredProvider> all, WebPushProvider webPush, List<TwilioAccount> twilioAccounts) {

    public ConfiguredProviders {
        all = List.copyOf(all);
        twilioAccounts = List.copyOf(twilioAccounts);
    }

    /** A Twilio account whose delivery receipts this server takes; the callback URL is also what Twilio signs. */
    public record TwilioAccount(String provider, String accountSid, String authToken, URI statusCallbackUrl) {
        @Override
        public String toString() {
            return "TwilioAccount[" + provider + ", " + accountSid + ", " + statusCallbackUrl + "]"; // never the token
        }
    }

    public List<ConfiguredProvider> of(Channel channel) {
        return all.stream().filter(p -> p.channel() == channel).toList();
    }

    public Optional<ConfiguredProvider> named(String name) {
        return all.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
