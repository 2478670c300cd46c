package io.herald.server.config;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Refuses to start with a key under {@code herald.} that nothing reads, naming the nearest valid key: a typo must not
 * silently fall back to a default ("unknown key herald.providers.apns.signing-key-fil; did you mean
 * herald.providers.apns.signing-key-file?"). Runs before any bean is created. Environment variables are not checked:
 * their names (HERALD_DATA_DIR) do not say where one word ends and the next begins.
 */
public final class UnknownKeyCheck implements BeanFactoryPostProcessor, EnvironmentAware {

    private static final ConfigurationPropertyName HERALD = ConfigurationPropertyName.of("herald");

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        if (!(environment instanceof ConfigurableEnvironment env)) return;
        List<String> problems = problems(env, ConfigurationKeys.scan());
        if (!problems.isEmpty()) throw new IllegalStateException(String.join("\n", problems));
    }

    static List<String> problems(ConfigurableEnvironment env, ConfigurationKeys keys) {
        Set<String> problems = new LinkedHashSet<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(env)) {
            if (source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource) continue;
            if (!(source instanceof IterableConfigurationPropertySource iterable)) continue;
            iterable.stream().filter(HERALD::isAncestorOf)
                    .forEach(name -> keys.problem(name, env::getProperty).ifPresent(problems::add));
        }
        return new ArrayList<>(problems);
    }
}
