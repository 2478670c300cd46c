package io.herald.server.security;

import io.herald.testkit.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Failure budgets per address and per account, on a settable clock. */
class LoginThrottleTest {

    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(new LoginThrottle.Settings(3, 5, Duration.ofMinutes(15), 1000), clock);

    private void fail(String account, String address) {
        assertThat(throttle.reserve(account, address)).isEmpty();
        // a failure keeps the reserved tokens
    }

    @Test
    void anAddressPastItsBudgetIsRefusedUntilItRefills() {
        for (int i = 0; i < 3; i++) fail("ops", "10.0.0.1");
        Optional<Duration> refused = throttle.reserve("ops", "10.0.0.1");
        assertThat(refused).isPresent();
        assertThat(refused.get()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(5));
        // the address is refused for any account; the account itself is still open elsewhere
        assertThat(throttle.reserve("someone-else", "10.0.0.1")).isPresent();
        assertThat(throttle.reserve("ops", "10.0.0.2")).isEmpty();
        throttle.release("ops", "10.0.0.2");

        clock.advance(refused.get().minusSeconds(1));
        assertThat(throttle.reserve("ops", "10.0.0.1")).as("not yet").isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(throttle.reserve("ops", "10.0.0.1")).as("one failure's worth refilled").isEmpty();
        throttle.release("ops", "10.0.0.1");
        clock.advance(Duration.ofMinutes(15));
        for (int i = 0; i < 3; i++) fail("ops", "10.0.0.1");
    }

    @Test
    void anAccountGuessedFromManyAddressesIsRefusedEverywhere() {
        for (int i = 0; i < 5; i++) fail("admin", "10.0.1." + i);
        assertThat(throttle.reserve("admin", "10.0.2.1")).isPresent();
        assertThat(throttle.reserve("other", "10.0.2.1")).as("that address has its own budget").isEmpty();
        clock.advance(Duration.ofMinutes(15));
        assertThat(throttle.reserve("admin", "10.0.2.1")).isEmpty();
    }

    @Test
    void successesGiveBackWhatTheyReservedButForgiveNoEarlierFailure() {
        fail("ops", "10.0.0.9");
        fail("ops", "10.0.0.9");
        for (int i = 0; i < 10; i++) {
            assertThat(throttle.reserve("ops", "10.0.0.9")).isEmpty();
            throttle.release("ops", "10.0.0.9");
        }
        fail("ops", "10.0.0.9");
        assertThat(throttle.reserve("ops", "10.0.0.9")).isPresent();
    }

    @Test
    void aRefusedAttemptTakesNothing() {
        for (int i = 0; i < 5; i++) fail("admin", "10.0.3." + i);
        // refused on the account: the address's reservation is handed back
        for (int i = 0; i < 10; i++) assertThat(throttle.reserve("admin", "10.0.4.1")).isPresent();
        for (int i = 0; i < 3; i++) fail("other", "10.0.4.1");
        assertThat(throttle.reserve("other", "10.0.4.1")).isPresent();
    }

    @Test
    void anIpv6ClientCountsAsItsWholeSlash64() {
        for (int i = 0; i < 3; i++) fail("ops", "2001:db8:1:2::" + (i + 1));
        assertThat(throttle.reserve("ops", "2001:db8:1:2:ffff::9")).isPresent();
        assertThat(throttle.reserve("ops", "2001:db8:1:3::1")).as("another /64").isEmpty();
        assertThat(LoginThrottle.addressKey("::ffff:10.0.0.1")).isEqualTo(LoginThrottle.addressKey("10.0.0.1"));
    }
}
