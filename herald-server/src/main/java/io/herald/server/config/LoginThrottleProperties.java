package io.herald.server.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Throttling of failed operator logins (per process). Past a budget the login answers 429 with Retry-After, before
 * any password hashing. The address budget is the smaller one, so one guessing address is stopped without locking
 * the account for everyone else; the account budget stops guessing spread over many addresses.
 *
 * @param failuresPerAddress failed logins one client address may make per window (any accounts)
 * @param failuresPerAccount failed logins one account may receive per window (all addresses)
 * @param window             the budgets refill gradually over this period
 * @param maxTracked         most addresses and accounts tracked at once (memory bound)
 */
@ConfigurationProperties("herald.security.login")
public record LoginThrottleProperties(Integer failuresPerAddress, Integer failuresPerAccount, Duration window, Integer maxTracked) {

    public LoginThrottleProperties {
        failuresPerAddress = failuresPerAddress == null ? 10 : failuresPerAddress;
        failuresPerAccount = failuresPerAccount == null ? 30 : failuresPerAccount;
        window = window == null ? Duration.ofMinutes(15) : window;
        maxTracked = maxTracked == null ? 100_000 : maxTracked;
    }
}
