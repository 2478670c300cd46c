package io.herald.server.console;

import io.herald.core.model.Channel;
import io.herald.core.template.TemplateDefinition;
import io.herald.core.template.TemplateProblem;
import io.herald.core.template.VariableSpec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The template editor's form: what the operator typed, turned into the API's JSON body so the API's own parser
 * and validator judge it (one set of rules). Content fields are named {@code c.<i>.<CHANNEL>.<field>} with the
 * locale of block i in {@code loc.<i>}; variables are one per line, "name TYPE required|optional".
 */
record TemplateForm(String key, String name, Set<String> channels, String variables, List<LocaleBlock> locales, String sampleData) {

    /** The channels and fields the editor offers, in order. */
    static final Map<String, List<String>> FIELDS = new LinkedHashMap<>();

    static {
        FIELDS.put("PUSH", List.of("title", "body", "url"));
        FIELDS.put("SMS", List.of("text"));
        FIELDS.put("EMAIL", List.of("subject", "html", "text"));
    }

    record LocaleBlock(String locale, Map<String, String> fields) {
        public String field(String channel, String field) {
            return fields.getOrDefault(channel + "." + field, "");
        }
    }

    static TemplateForm blank() {
        return new TemplateForm("", "", Set.of(), "", List.of(new LocaleBlock("default", Map.of()), new LocaleBlock("", Map.of())), "{}");
    }

    static TemplateForm of(TemplateDefinition d, String sampleData) {
        Set<String> channels = new LinkedHashSet<>();
        d.defaultChannels().forEach(c -> channels.add(c.name()));
        StringBuilder vars = new StringBuilder();
        for (VariableSpec v : d.variables()) {
            vars.append(v.name()).append(' ').append(v.type()).append(' ').append(v.required() ? "required" : "optional").append('\n');
        }
        List<LocaleBlock> blocks = new ArrayList<>();
        d.content().forEach((locale, perChannel) -> {
            Map<String, String> f = new LinkedHashMap<>();
            perChannel.forEach((channel, t) -> t.fields().forEach((k, v) -> {
                if (v != null) f.put(channel.name() + "." + k, v);
            }));
            blocks.add(new LocaleBlock(locale, f));
        });
        blocks.add(new LocaleBlock("", Map.of())); // room for one more locale
        return new TemplateForm(d.key(), d.name() == null ? "" : d.name(), channels, vars.toString(), blocks, sampleData);
    }

    static TemplateForm of(Map<String, String[]> params) {
        Set<String> channels = new LinkedHashSet<>();
        String[] dc = params.get("defaultChannels");
        if (dc != null) channels.addAll(List.of(dc));
        List<LocaleBlock> blocks = new ArrayList<>();
        for (int i = 0; params.containsKey("loc." + i); i++) {
            Map<String, String> f = new LinkedHashMap<>();
            for (var ch : FIELDS.entrySet()) {
                for (String field : ch.getValue()) {
                    String v = one(params, "c." + i + "." + ch.getKey() + "." + field);
                    if (!v.isEmpty()) f.put(ch.getKey() + "." + field, v);
                }
            }
            blocks.add(new LocaleBlock(one(params, "loc." + i).strip(), f));
        }
        if (blocks.stream().noneMatch(b -> b.locale().isEmpty())) blocks.add(new LocaleBlock("", Map.of()));
        String sample = one(params, "sampleData");
        return new TemplateForm(one(params, "key").strip(), one(params, "name").strip(), channels, one(params, "variables"), blocks,
                sample.isBlank() ? "{}" : sample);
    }

    /** The API's JSON body for this form; line-level problems of the variables box go into {@code problems}. */
    ObjectNode toJson(List<TemplateProblem> problems) {
        ObjectNode n = ConsoleJson.MAPPER.createObjectNode();
        if (!key.isEmpty()) n.put("key", key);
        if (!name.isEmpty()) n.put("name", name);
        ArrayNode dc = n.putArray("defaultChannels");
        channels.forEach(dc::add);
        ArrayNode vars = n.putArray("variables");
        String[] lines = variables.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) continue;
            String[] parts = line.split("\\s+");
            if (parts.length < 2 || parts.length > 3 || (parts.length == 3 && !parts[2].matches("(?i)required|optional"))) {
                problems.add(
                        new TemplateProblem("variables", "line " + (i + 1) + ": write \"name TYPE required\" or \"name TYPE optional\""));
                continue;
            }
            ObjectNode v = vars.addObject().put("name", parts[0]).put("type", parts[1].toUpperCase(java.util.Locale.ROOT));
            v.put("required", parts.length == 3 && parts[2].equalsIgnoreCase("required"));
        }
        ObjectNode content = n.putObject("content");
        for (LocaleBlock b : locales) {
            if (b.locale().isEmpty()) {
                if (!b.fields().isEmpty()) problems.add(new TemplateProblem("content", "a content block has text but no locale"));
                continue;
            }
            if (content.has(b.locale())) {
                problems.add(new TemplateProblem("content." + b.locale(), "appears twice"));
                continue;
            }
            ObjectNode perChannel = content.putObject(b.locale());
            for (var ch : FIELDS.entrySet()) {
                ObjectNode fields = null;
                for (String field : ch.getValue()) {
                    String v = b.fields().get(ch.getKey() + "." + field);
                    if (v == null) continue;
                    if (fields == null) fields = perChannel.putObject(ch.getKey());
                    fields.put(field, v);
                }
            }
        }
        return n;
    }

    private static String one(Map<String, String[]> params, String name) {
        String[] v = params.get(name);
        return v == null || v.length == 0 || v[0] == null ? "" : v[0];
    }

    static List<String> channelNames() {
        List<String> out = new ArrayList<>();
        for (Channel c : Channel.values()) if (FIELDS.containsKey(c.name())) out.add(c.name());
        return out;
    }
}
