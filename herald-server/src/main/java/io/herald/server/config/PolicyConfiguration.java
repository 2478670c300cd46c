package io.herald.server.config;

import io.herald.core.dispatch.DispatchCheck;
import io.herald.core.intake.RecipientPolicy;
import io.herald.core.template.TemplateException;
import io.herald.core.template.TemplateRenderer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Users' choices and templates: the defaults until the policy and template engines are configured. */
@Configuration(proxyBeanMethods = false)
public class PolicyConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RecipientPolicy recipientPolicy() {
        return RecipientPolicy.ALLOW_ALL;
    }

    @Bean
    @ConditionalOnMissingBean
    DispatchCheck dispatchCheck() {
        return DispatchCheck.ALLOW_ALL;
    }

    @Bean
    @ConditionalOnMissingBean
    TemplateRenderer templateRenderer() {
        return (key, version, locale, data) -> {
            throw new TemplateException(TemplateException.Kind.NOT_FOUND, "template '" + key + "' does not exist");
        };
    }
}
