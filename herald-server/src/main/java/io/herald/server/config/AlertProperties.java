package io.herald.server.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Operator alerts when notifications land in the dead letters. Always logged at ERROR; also POSTed as JSON to
 * {@code webhookUrl} when set. At most one alert per channel per {@code minInterval}, with the count since the last.
 */
@ConfigurationProperties("herald.alerts")
public record AlertProperties(String webhookUrl, Duration minInterval) {
    public AlertProperties {
        minInterval = minInterval == null ? Duration.ofMinutes(1) : minInterval;
    }
}
