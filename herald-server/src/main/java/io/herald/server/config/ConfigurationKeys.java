package io.herald.server.config;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Every configuration key under {@code herald.}, read from the {@link ConfigurationProperties} records themselves
 * (so it cannot drift from what is bound): used to refuse unknown keys with the nearest valid one suggested, and by
 * the test that holds application.yml to documenting every key.
 */
public final class ConfigurationKeys {

    /** What may follow a key: named children (a record), any map key, a list index, or nothing (a value). */
    sealed interface Node permits Group, MapOf, ListOf, Leaf, Instances {
    }

    record Group(Map<String, Node> children) implements Node {
    }

    record MapOf(Node value) implements Node {
    }

    /** A list or set: indexed elements, or one comma-separated value. */
    record ListOf(Node element) implements Node {
    }

    record Leaf() implements Node {
    }

    /** herald.providers.instances: any name, then "type" and the settings of that type. */
    record Instances() implements Node {
    }

    private final Group root = new Group(new TreeMap<>());

    private ConfigurationKeys() {
    }

    /** The keys of every herald.* properties record under io.herald. */
    public static ConfigurationKeys scan() {
        return of(propertiesClasses());
    }

    public static ConfigurationKeys of(Collection<Class<?>> propertiesClasses) {
        ConfigurationKeys keys = new ConfigurationKeys();
        for (Class<?> c : propertiesClasses) {
            ConfigurationProperties a = c.getAnnotation(ConfigurationProperties.class);
            String prefix = a.prefix().isEmpty() ? a.value() : a.prefix();
            if (!prefix.equals("herald") && !prefix.startsWith("herald.")) continue;
            Group at = keys.root;
            for (String part : prefix.split("\\.")) {
                at = (Group) at.children().computeIfAbsent(part, p -> new Group(new TreeMap<>()));
            }
            at.children().putAll(((Group) node(c)).children());
        }
        return keys;
    }

    public static List<Class<?>> propertiesClasses() {
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        List<Class<?>> classes = new ArrayList<>();
        for (BeanDefinition d : scanner.findCandidateComponents("io.herald")) {
            Class<?> c = ClassUtils.resolveClassName(d.getBeanClassName(), ConfigurationKeys.class.getClassLoader());
            ConfigurationProperties a = c.getAnnotation(ConfigurationProperties.class);
            String prefix = a.prefix().isEmpty() ? a.value() : a.prefix();
            if (prefix.equals("herald") || prefix.startsWith("herald.")) classes.add(c);
        }
        return classes;
    }

    private static Node node(Type type) {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (raw.isRecord()) {
            Map<String, Node> children = new TreeMap<>();
            for (RecordComponent rc : raw.getRecordComponents()) children.put(kebab(rc.getName()), node(rc.getGenericType()));
            return new Group(children);
        }
        if (Map.class.isAssignableFrom(raw)) {
            return argument(type, 1) == ProviderProperties.Instance.class ? new Instances() : new MapOf(node(argument(type, 1)));
        }
        if (Collection.class.isAssignableFrom(raw)) return new ListOf(node(argument(type, 0)));
        return new Leaf();
    }

    private static Type argument(Type type, int i) {
        return type instanceof ParameterizedType p ? p.getActualTypeArguments()[i] : Object.class;
    }

    static String kebab(String camel) {
        return camel.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Why {@code name} is not a valid key, with the nearest valid one, or empty when it is valid.
     *
     * @param lookup reads another property (the type of a named provider instance)
     */
    public Optional<String> problem(ConfigurationPropertyName name, Function<String, String> lookup) {
        Node at = root;
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < name.getNumberOfElements(); i++) {
            String element = name.getElement(i, ConfigurationPropertyName.Form.DASHED);
            boolean index = name.isNumericIndex(i);
            Node next = switch (at) {
                case Group g -> index ? null : g.children().get(element);
                case MapOf m -> m.value();
                case ListOf l -> index ? l.element() : null;
                case Instances ignored -> instance(lookup.apply(path + "." + element + ".type"));
                case Leaf ignored -> null;
            };
            if (next == null) return Optional.of(unknown(name, i, path.toString(), at));
            if (!path.isEmpty()) path.append('.');
            path.append(index ? "[" + element + "]" : element);
            at = next;
        }
        return Optional.empty();
    }

    /** The settings of one provider type, or of all types when the type is not (yet) known. */
    private static Group instance(String type) {
        Map<String, Node> children = new TreeMap<>();
        children.put("type", new Leaf());
        Optional<ProviderType> t = ProviderType.byKey(type);
        for (ProviderType pt : ProviderType.values()) {
            if (t.isEmpty() || t.get() == pt) children.putAll(((Group) node(pt.settingsClass())).children());
        }
        return new Group(children);
    }

    private static String unknown(ConfigurationPropertyName name, int at, String validPrefix, Node node) {
        String bad = name.getElement(at, ConfigurationPropertyName.Form.DASHED);
        String rest = at + 1 < name.getNumberOfElements() ? name.subName(at + 1).toString() : "";
        List<String> options = node instanceof Group g ? new ArrayList<>(g.children().keySet()) : List.of();
        String message = "unknown key " + name;
        Optional<String> nearest = options.stream().min(Comparator.comparingInt(o -> distance(o, bad)));
        if (nearest.isPresent() && distance(nearest.get(), bad) <= Math.max(3, bad.length() / 2)) {
            String suggestion = (validPrefix.isEmpty() ? "" : validPrefix + ".") + nearest.get() + (rest.isEmpty() ? "" : "." + rest);
            return message + "; did you mean " + suggestion + "?";
        }
        if (!options.isEmpty()) return message + "; valid keys under " + validPrefix + ": " + String.join(", ", options);
        return message + "; " + validPrefix + " takes a single value";
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /**
     * Every documentable key: record components down to values; maps, lists and named instances end a key
     * (application.yml documents them as a whole, with an example).
     */
    public List<String> documentedKeys() {
        List<String> out = new ArrayList<>();
        collect(root, "", out);
        return out;
    }

    private static void collect(Node node, String path, List<String> out) {
        if (node instanceof Group g) {
            g.children().forEach((k, v) -> collect(v, path.isEmpty() ? k : path + "." + k, out));
        } else {
            out.add(path);
        }
    }
}
