package io.herald.postgres;

import io.herald.core.model.Channel;
import io.herald.core.template.ChannelTemplate;
import io.herald.core.template.TemplateDefinition;
import io.herald.core.template.TemplateProblem;
import io.herald.core.template.VariableSpec;
import io.herald.core.template.VariableType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The JSON form of a {@link TemplateDefinition}, both as stored in {@code template_versions.definition} and as the
 * API takes and shows it:
 * <pre>{@code
 * {"key": "order_ready", "name": "Order ready", "defaultChannels": ["PUSH", "SMS"],
 *  "variables": [{"name": "item_name", "type": "STRING", "required": true}],
 *  "content": {"default": {"PUSH": {"title": "...", "body": "...", "url": "..."}, "SMS": {"text": "..."},
 *                          "EMAIL": {"subject": "...", "html": "...", "text": "..."}},
 *              "ko-KR": {...}}}
 * }</pre>
 * The mapping is explicit, so the stored shape never depends on the layout of the core records.
 */
public final class TemplateJson {

    private TemplateJson() {
    }

    public static ObjectNode toJson(TemplateDefinition d) {
        ObjectNode n = JsonCodec.MAPPER.createObjectNode();
        n.put("key", d.key());
        if (d.name() != null) n.put("name", d.name());
        ArrayNode channels = n.putArray("defaultChannels");
        // EnumSet order, so equal definitions always give equal JSON
        (d.defaultChannels().isEmpty() ? EnumSet.noneOf(Channel.class) : EnumSet.copyOf(d.defaultChannels()))
                .forEach(c -> channels.add(c.name()));
        ArrayNode vars = n.putArray("variables");
        for (VariableSpec v : d.variables()) {
            vars.addObject().put("name", v.name()).put("type", v.type().name()).put("required", v.required());
        }
        ObjectNode content = n.putObject("content");
        d.content().forEach((locale, perChannel) -> {
            ObjectNode l = content.putObject(locale);
            for (Channel c : Channel.values()) {
                ChannelTemplate t = perChannel.get(c);
                if (t == null) continue;
                ObjectNode f = l.putObject(c.name());
                t.fields().forEach((field, source) -> {
                    // IN_APP data fields are kept flat in the core ("data.x") and nested in JSON, as the API takes them
                    if (field.startsWith(ChannelTemplate.InApp.DATA_PREFIX)) {
                        ObjectNode data = f.has("data") ? (ObjectNode) f.get("data") : f.putObject("data");
                        data.put(field.substring(ChannelTemplate.InApp.DATA_PREFIX.length()), source);
                    } else {
                        f.put(field, source);
                    }
                });
            }
        });
        return n;
    }

    public static String write(TemplateDefinition d) {
        return toJson(d).toString();
    }

    /** A stored definition. Stored JSON was written by {@link #write}, so a problem here is a corrupt row. */
    public static TemplateDefinition read(String json) {
        List<TemplateProblem> problems = new ArrayList<>();
        TemplateDefinition d = parse(JsonCodec.MAPPER.readTree(json), null, problems);
        if (!problems.isEmpty()) throw new IllegalStateException("stored template definition is malformed: " + problems);
        return d;
    }

    /**
     * Reads a definition from JSON of unknown quality (an API body), collecting every shape problem (wrong types,
     * unknown channels or variable types) instead of stopping at the first. What it returns is only meaningful when
     * no problem was added; {@code TemplateCompiler.validate} then checks the content itself.
     *
     * @param keyIfAbsent the key to use when the JSON has none (the path of {@code PUT /v1/templates/{key}}), or null
     */
    public static TemplateDefinition parse(JsonNode n, String keyIfAbsent, List<TemplateProblem> problems) {
        if (n == null || !n.isObject()) {
            problems.add(new TemplateProblem("body", "must be a JSON object"));
            return new TemplateDefinition(keyIfAbsent == null ? "" : keyIfAbsent, null, Set.of(), List.of(), Map.of());
        }
        String key = string(n, "key", "key", problems);
        if (key == null) key = keyIfAbsent;
        if (key == null) {
            problems.add(new TemplateProblem("key", "is required"));
            key = "";
        }
        String name = string(n, "name", "name", problems);
        if (name != null && name.length() > 200) problems.add(new TemplateProblem("name", "must be at most 200 characters"));

        Set<Channel> defaultChannels = EnumSet.noneOf(Channel.class);
        JsonNode dc = present(n.get("defaultChannels"));
        if (dc != null) {
            if (!dc.isArray()) {
                problems.add(new TemplateProblem("defaultChannels", "must be an array such as [\"PUSH\", \"EMAIL\"]"));
            } else {
                for (int i = 0; i < dc.size(); i++) {
                    Channel c = channel(dc.get(i));
                    if (c == null) problems.add(new TemplateProblem("defaultChannels[" + i + "]", notAChannel(dc.get(i))));
                    else
                        defaultChannels.add(c);
                }
            }
        }

        List<VariableSpec> variables = new ArrayList<>();
        JsonNode vs = present(n.get("variables"));
        if (vs != null) {
            if (!vs.isArray()) {
                problems.add(new TemplateProblem("variables", "must be an array of {name, type, required}"));
            } else {
                for (int i = 0; i < vs.size(); i++) {
                    VariableSpec v = variable(vs.get(i), "variables[" + i + "]", problems);
                    if (v != null) variables.add(v);
                }
            }
        }

        Map<String, Map<Channel, ChannelTemplate>> content = new LinkedHashMap<>();
        JsonNode cn = present(n.get("content"));
        if (cn != null && !cn.isObject()) {
            problems.add(new TemplateProblem("content", "must be an object of locale to channel content, with a \"default\" locale"));
        } else if (cn != null) {
            for (var locale : cn.properties()) {
                String path = "content." + locale.getKey();
                JsonNode perChannel = locale.getValue();
                if (!perChannel.isObject()) {
                    problems.add(new TemplateProblem(path, "must be an object of channel (PUSH, SMS, EMAIL, IN_APP) to content"));
                    continue;
                }
                Map<Channel, ChannelTemplate> templates = new EnumMap<>(Channel.class);
                for (var entry : perChannel.properties()) {
                    String at = path + "." + entry.getKey();
                    Channel c = channel(JsonCodec.MAPPER.getNodeFactory().stringNode(entry.getKey()));
                    if (c == null) {
                        problems.add(new TemplateProblem(at, notAChannel(entry.getKey())));
                        continue;
                    }
                    if (present(entry.getValue()) == null) continue;
                    if (!entry.getValue().isObject()) {
                        problems.add(new TemplateProblem(at, "must be an object with the " + c + " fields"));
                        continue;
                    }
                    if (templates.containsKey(c)) {
                        problems.add(new TemplateProblem(at, c + " appears twice"));
                        continue;
                    }
                    templates.put(c, channelTemplate(c, entry.getValue(), at, problems));
                }
                content.put(locale.getKey(), templates);
            }
        }
        return new TemplateDefinition(key, name, defaultChannels, variables, content);
    }

    private static ChannelTemplate channelTemplate(Channel c, JsonNode n, String at, List<TemplateProblem> problems) {
        return switch (c) {
            case PUSH -> new ChannelTemplate.Push(string(n, "title", at + ".title", problems),
                    string(n, "body", at + ".body", problems), string(n, "url", at + ".url", problems));
            case SMS -> new ChannelTemplate.Sms(string(n, "text", at + ".text", problems));
            case EMAIL -> new ChannelTemplate.Email(string(n, "subject", at + ".subject", problems),
                    string(n, "html", at + ".html", problems), string(n, "text", at + ".text", problems));
            case IN_APP -> new ChannelTemplate.InApp(string(n, "title", at + ".title", problems),
                    string(n, "body", at + ".body", problems), string(n, "url", at + ".url", problems),
                    inAppData(n, at + ".data", problems));
        };
    }

    private static Map<String, String> inAppData(JsonNode n, String at, List<TemplateProblem> problems) {
        JsonNode d = present(n.get("data"));
        Map<String, String> data = new LinkedHashMap<>();
        if (d == null) return data;
        if (!d.isObject()) {
            problems.add(new TemplateProblem(at, "must be an object of names to string templates"));
            return data;
        }
        for (var e : d.properties()) {
            if (!e.getKey().matches("[A-Za-z0-9_\\-]{1,64}")) {
                problems.add(new TemplateProblem(at + "." + e.getKey(), "data names are 1 to 64 letters, digits, _ or -"));
                continue;
            }
            String v = string(d, e.getKey(), at + "." + e.getKey(), problems);
            if (v != null) data.put(e.getKey(), v);
        }
        return data;
    }

    private static VariableSpec variable(JsonNode v, String at, List<TemplateProblem> problems) {
        if (!v.isObject()) {
            problems.add(new TemplateProblem(at, "must be an object {name, type, required}"));
            return null;
        }
        String name = string(v, "name", at + ".name", problems);
        if (name == null) {
            problems.add(new TemplateProblem(at + ".name", "is required"));
            return null;
        }
        VariableType type = VariableType.STRING;
        String typeName = string(v, "type", at + ".type", problems);
        if (typeName != null) {
            try {
                type = VariableType.valueOf(typeName.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(
                        new TemplateProblem(at + ".type", "'" + typeName + "' is not one of " + Arrays.toString(VariableType.values())));
            }
        }
        boolean required = false;
        JsonNode r = present(v.get("required"));
        if (r != null) {
            if (r.isBoolean()) required = r.asBoolean();
            else
                problems.add(new TemplateProblem(at + ".required", "must be true or false"));
        }
        return new VariableSpec(name, type, required);
    }

    private static Channel channel(JsonNode n) {
        if (n == null || !n.isString()) return null;
        try {
            return Channel.valueOf(n.asString().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String notAChannel(Object value) {
        return "'" + (value instanceof JsonNode j && j.isString() ? j.asString() : value)
                + "' is not a channel: use PUSH, SMS, EMAIL or IN_APP";
    }

    /** A string field, null when absent or JSON null; a problem when it is another type. */
    private static String string(JsonNode n, String field, String path, List<TemplateProblem> problems) {
        JsonNode v = present(n.get(field));
        if (v == null) return null;
        if (!v.isString()) {
            problems.add(new TemplateProblem(path, "must be a string"));
            return null;
        }
        return v.asString();
    }

    private static JsonNode present(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : n;
    }
}
