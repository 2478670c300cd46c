package io.herald.server.console;

import io.herald.core.template.TemplateDefinition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Field by field differences between two versions of a template, for reading side by side. */
final class TemplateVersionDiff {

    private TemplateVersionDiff() {
    }

    /** One field; {@code before} is null when added, {@code after} null when removed. */
    record Row(String field, String before, String after) {
        String kind() {
            return before == null ? "added" : after == null ? "removed" : "changed";
        }
    }

    record Diff(List<Row> changed, int unchanged) {
    }

    static Diff between(TemplateDefinition a, TemplateDefinition b) {
        Map<String, String> fa = flatten(a), fb = flatten(b);
        Set<String> fields = new LinkedHashSet<>(fa.keySet());
        fields.addAll(fb.keySet());
        List<Row> rows = new ArrayList<>();
        int same = 0;
        for (String f : fields) {
            String x = fa.get(f), y = fb.get(f);
            if (Objects.equals(x, y)) same++;
            else
                rows.add(new Row(f, x, y));
        }
        return new Diff(rows, same);
    }

    private static Map<String, String> flatten(TemplateDefinition d) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("name", d.name() == null ? "" : d.name());
        m.put("defaultChannels", d.defaultChannels().stream().map(Enum::name).sorted().toList().toString());
        d.variables().forEach(v -> m.put("variables." + v.name(), v.type() + (v.required() ? " required" : " optional")));
        d.content().forEach((locale, perChannel) -> perChannel.forEach((channel, t) -> t.fields().forEach((k, v) -> {
            if (v != null) m.put("content." + locale + "." + channel + "." + k, v);
        })));
        return m;
    }
}
