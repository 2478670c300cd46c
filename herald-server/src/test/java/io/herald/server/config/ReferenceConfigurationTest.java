package io.herald.server.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.yaml.snakeyaml.Yaml;

import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * application.yml claims to hold every option with its default: this holds it to that. Every key bound by a
 * herald.* properties record must be in the file, every herald.* key in the file must be bound by one, and the
 * file's values must be the defaults in code.
 */
class ReferenceConfigurationTest {

    private static final ClassPathResource FILE = new ClassPathResource("application.yml");

    @Test
    void everyBoundKeyIsDocumented() throws Exception {
        Map<String, Object> yaml;
        try (InputStream in = FILE.getInputStream()) {
            yaml = new Yaml().load(in);
        }
        List<String> missing = new ArrayList<>();
        List<String> keys = ConfigurationKeys.scan().documentedKeys();
        for (String key : keys) {
            Object at = yaml;
            for (String part : key.split("\\.")) {
                at = at instanceof Map<?, ?> m && m.containsKey(part) ? m.get(part) : Missing.VALUE;
                if (at == Missing.VALUE) break;
            }
            if (at == Missing.VALUE) missing.add(key);
        }
        assertThat(missing).as("keys bound in code but missing from application.yml").isEmpty();
        assertThat(keys).as("the walk found the provider keys").contains("herald.providers.apns.signing-key-file",
                "herald.providers.apns.connections", "herald.providers.apns.send-timeout", "herald.providers.smtp.ssl-trust",
                "herald.providers.twilio.messaging-service-sid", "herald.providers.instances", "herald.data-dir");
    }

    private enum Missing {
        VALUE
    }

    @Test
    void everyDocumentedKeyIsBound() throws Exception {
        var env = new org.springframework.core.env.StandardEnvironment();
        env.getPropertySources().addFirst(yamlSource());
        ConfigurationKeys keys = ConfigurationKeys.scan();
        List<String> unknown = new ArrayList<>();
        for (var source : ConfigurationPropertySources.from(yamlSource())) {
            var iterable = (org.springframework.boot.context.properties.source.IterableConfigurationPropertySource) source;
            iterable.stream().filter(ConfigurationPropertyName.of("herald")::isAncestorOf)
                    .forEach(n -> keys.problem(n, env::getProperty).ifPresent(unknown::add));
        }
        assertThat(unknown).as("keys in application.yml that nothing binds").isEmpty();
    }

    @Test
    void theDocumentedValuesAreTheDefaultsInCode() throws Exception {
        Binder binder = new Binder(ConfigurationPropertySources.from(yamlSource()));
        List<String> differences = new ArrayList<>();
        for (Class<?> type : ConfigurationKeys.propertiesClasses()) {
            var annotation = type.getAnnotation(org.springframework.boot.context.properties.ConfigurationProperties.class);
            String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
            Object documented = binder.bindOrCreate(prefix, Bindable.of(type));
            Object code = allDefaults(type);
            if (documented instanceof DispatchProperties d && code instanceof DispatchProperties c) {
                // lanes keep null for "not set here"; what counts is the settings every channel ends up with
                for (io.herald.core.queue.WorkQueue ch : io.herald.core.queue.WorkQueue.all())
                    compare(prefix + ".channels." + ch, d.settingsFor(ch), c.settingsFor(ch), differences);
                compare(prefix + ".scheduler-interval", d.schedulerInterval(), c.schedulerInterval(), differences);
                continue;
            }
            compare(prefix, documented, code, differences);
        }
        assertThat(differences).as("application.yml values that are not the defaults in code").isEmpty();
    }

    private static PropertySource<?> yamlSource() throws Exception {
        List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("application.yml", FILE);
        assertThat(sources).hasSize(1);
        assertThat(sources.getFirst()).isInstanceOf(EnumerablePropertySource.class);
        return sources.getFirst();
    }

    /** The record as the code makes it when nothing is configured. */
    private static Object allDefaults(Class<?> type) throws Exception {
        RecordComponent[] components = type.getRecordComponents();
        Constructor<?> ctor = type.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType).toArray(Class[]::new));
        ctor.setAccessible(true);
        Object[] args = new Object[components.length];
        for (int i = 0; i < args.length; i++) {
            Class<?> t = components[i].getType();
            if (t.isPrimitive())
                args[i] = t == boolean.class ? false : t == long.class ? 0L : t == double.class ? 0.0 : t == float.class ? 0f : 0;
        }
        return ctor.newInstance(args);
    }

    private static void compare(String key, Object documented, Object code, List<String> differences) throws Exception {
        if (documented != null && code != null && documented.getClass().isRecord() && documented.getClass() == code.getClass()) {
            for (RecordComponent rc : documented.getClass().getRecordComponents()) {
                rc.getAccessor().setAccessible(true);
                compare(key + "." + ConfigurationKeys.kebab(rc.getName()), rc.getAccessor().invoke(documented),
                        rc.getAccessor().invoke(code), differences);
            }
            return;
        }
        // an empty value documents a key that is unset by default
        Object d = normal(documented);
        Object c = normal(code);
        if (!java.util.Objects.equals(d, c)) differences.add(key + ": application.yml says " + documented + ", the code " + code);
    }

    /** Equal meaning, equal value: ./data is data, UTC is Z, an empty value documents a key that is unset by default. */
    private static Object normal(Object value) {
        return switch (value) {
            case Path p -> p.normalize();
            case java.time.ZoneId z -> z.normalized();
            case String s when s.isBlank() -> null;
            case null, default -> value;
        };
    }
}
