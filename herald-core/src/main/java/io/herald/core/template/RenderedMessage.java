package io.herald.core.template;

import io.herald.core.model.Channel;
import io.herald.core.model.Content;

import java.util.Map;
import java.util.Set;

/** A template rendered for one send: content per channel it defines, and the channels it goes to by default. */
public record RenderedMessage(String templateKey, int version, String locale, Set<Channel> defaultChannels,
                              Map<Channel, Content> content) {
}
