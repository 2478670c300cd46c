package io.herald.core.audience;

import java.util.Map;

/** Who a broadcast goes to: every user of the app, a topic's subscribers, or the users matching a filter. */
public sealed interface Audience permits Audience.All, Audience.OfTopic, Audience.Filter {

    record All() implements Audience {
    }

    record OfTopic(String key) implements Audience {
    }

    /** Each given field must be equal; attributes are compared key by key (the user's may hold more). */
    record Filter(String locale, String timezone, Map<String, Object> attributes) implements Audience {
        public Filter {
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }
    }
}
