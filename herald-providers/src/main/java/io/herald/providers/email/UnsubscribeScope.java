package io.herald.providers.email;

import java.util.Objects;

/**
 * What a one-click unsubscribe link stops: mail of one app, to one user (or, for a one-off send, one address),
 * in one category (null means every category of that app).
 *
 * @param userId  the Herald user, when the message was sent to a user
 * @param address the email address, when there is no user; exactly one of userId and address is set
 */
public record UnsubscribeScope(long appId, String userId, String address, String category) {

    public UnsubscribeScope {
        if ((userId == null) == (address == null)) {
            throw new IllegalArgumentException("exactly one of userId and address must be set");
        }
    }

    public static UnsubscribeScope ofUser(long appId, String userId, String category) {
        return new UnsubscribeScope(appId, Objects.requireNonNull(userId, "userId"), null, category);
    }

    public static UnsubscribeScope ofAddress(long appId, String address, String category) {
        return new UnsubscribeScope(appId, null, Objects.requireNonNull(address, "address"), category);
    }
}
