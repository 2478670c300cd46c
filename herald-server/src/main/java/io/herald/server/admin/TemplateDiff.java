package io.herald.server.admin;

import io.herald.core.model.Channel;
import io.herald.core.template.ChannelTemplate;
import io.herald.core.template.TemplateDefinition;
import io.herald.core.template.VariableSpec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The audit {@code diff} of template changes: compact and structural, saying what changed, not repeating the content
 * (the versions themselves are immutable and can be read back). For an update:
 * <pre>{@code
 * {"fromVersion": 1, "toVersion": 2, "changes": {
 *    "name": {"from": "Order ready", "to": "Your order is ready"},
 *    "defaultChannels": {"from": ["PUSH"], "to": ["PUSH", "SMS"]},
 *    "variables": {"added": ["order_id"], "removed": [], "changed": ["item_name"]},
 *    "content": {"default": {"SMS": ["text"], "EMAIL": "added"}, "ko-KR": "added", "ja": "removed"}}}
 * }</pre>
 */
final class TemplateDiff {

    private TemplateDiff() {
    }

    static String created(TemplateDefinition d, int version) {
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("version", version);
        if (d.name() != null) n.put("name", d.name());
        n.set("defaultChannels", channels(d.defaultChannels()));
        ArrayNode vars = n.putArray("variables");
        d.variables().forEach(v -> vars.add(v.name()));
        ObjectNode locales = n.putObject("content");
        d.content().forEach((locale, perChannel) -> locales.set(locale, channels(perChannel.keySet())));
        return n.toString();
    }

    static String updated(TemplateDefinition before, int fromVersion, TemplateDefinition after, int toVersion) {
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("fromVersion", fromVersion).put("toVersion", toVersion);
        ObjectNode changes = n.putObject("changes");
        if (!Objects.equals(before.name(), after.name())) {
            changes.putObject("name").put("from", before.name()).put("to", after.name());
        }
        if (!before.defaultChannels().equals(after.defaultChannels())) {
            ObjectNode c = changes.putObject("defaultChannels");
            c.set("from", channels(before.defaultChannels()));
            c.set("to", channels(after.defaultChannels()));
        }
        List<String> added = new ArrayList<>(), removed = new ArrayList<>(), changed = new ArrayList<>();
        for (VariableSpec v : after.variables()) {
            VariableSpec old = before.variable(v.name());
            if (old == null) added.add(v.name());
            else if (!old.equals(v)) changed.add(v.name());
        }
        for (VariableSpec v : before.variables()) {
            if (after.variable(v.name()) == null) removed.add(v.name());
        }
        if (!added.isEmpty() || !removed.isEmpty() || !changed.isEmpty()) {
            ObjectNode vars = changes.putObject("variables");
            vars.set("added", strings(added));
            vars.set("removed", strings(removed));
            vars.set("changed", strings(changed));
        }
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        Set<String> locales = new LinkedHashSet<>(before.content().keySet());
        locales.addAll(after.content().keySet());
        for (String locale : locales) {
            Map<Channel, ChannelTemplate> b = before.content().get(locale), a = after.content().get(locale);
            if (b == null) {
                content.put(locale, "added");
            } else if (a == null) {
                content.put(locale, "removed");
            } else {
                ObjectNode perChannel = JsonNodeFactory.instance.objectNode();
                for (Channel ch : Channel.values()) {
                    ChannelTemplate bt = b.get(ch), at = a.get(ch);
                    if (bt == null && at == null) continue;
                    if (bt == null) perChannel.put(ch.name(), "added");
                    else if (at == null) perChannel.put(ch.name(), "removed");
                    else {
                        Set<String> fields = new LinkedHashSet<>(bt.fields().keySet());
                        fields.addAll(at.fields().keySet());
                        fields.removeIf(f -> Objects.equals(bt.fields().get(f), at.fields().get(f)));
                        if (!fields.isEmpty()) perChannel.set(ch.name(), strings(fields));
                    }
                }
                if (!perChannel.isEmpty()) content.set(locale, perChannel);
            }
        }
        if (!content.isEmpty()) changes.set("content", content);
        return n.toString();
    }

    static String published(int version, Integer previous) {
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("version", version);
        if (previous == null) n.putNull("previousVersion");
        else
            n.put("previousVersion", previous);
        n.put("rollback", previous != null && version < previous);
        return n.toString();
    }

    private static ArrayNode channels(Set<Channel> channels) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        (channels.isEmpty() ? EnumSet.noneOf(Channel.class) : EnumSet.copyOf(channels)).forEach(c -> a.add(c.name()));
        return a;
    }

    private static ArrayNode strings(Iterable<String> values) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        values.forEach(a::add);
        return a;
    }
}
