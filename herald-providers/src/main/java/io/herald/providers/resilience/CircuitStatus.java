package io.herald.providers.resilience;

/**
 * A snapshot of one provider's circuit for health checks and metrics.
 *
 * @param provider          the provider's name
 * @param state             CLOSED (calls flow), OPEN (calls refused, failing over), HALF_OPEN (probing);
 *                          DISABLED, FORCED_OPEN or METRICS_ONLY only when an operator forced it
 * @param failureRate       percentage of failed calls in the window, or -1 while too few calls are known
 * @param bufferedCalls     calls in the window
 * @param failedCalls       failed calls in the window
 * @param notPermittedCalls calls refused while open, since the last transition to CLOSED
 */
public record CircuitStatus(String provider, String state, float failureRate, int bufferedCalls, int failedCalls,
                            long notPermittedCalls) {

    /** Healthy for a readiness check: calls reach the provider (CLOSED) or are being probed (HALF_OPEN). */
    public boolean callsPermitted() {
        return !"OPEN".equals(state) && !"FORCED_OPEN".equals(state);
    }
}
