package io.herald.server.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks each real provider once at start-up where the protocol allows it cheaply (SMTP EHLO and capabilities,
 * the APNs TLS handshake, the FCM token grant), on virtual threads so readiness does not wait for them. A failed
 * check is logged as a warning that names the fix and shown in the "providers" health details; sends are not
 * blocked by it (the peer may come back).
 */
public final class ProviderChecks {

    private static final Logger log = LoggerFactory.getLogger(ProviderChecks.class);

    public enum State {
        PENDING, OK, FAILED, NOT_CHECKED
    }

    public record Result(State state, String message) {
        public String text() {
            return state.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + (message == null ? "" : ": " + message);
        }
    }

    private final Map<String, Result> results = new ConcurrentHashMap<>();
    private final Map<String, Integer> order = new LinkedHashMap<>();

    public ProviderChecks(ConfiguredProviders providers) {
        for (ConfiguredProvider p : providers.all()) {
            order.put(p.name(), order.size());
            if (p.check() == null) {
                results.put(p.name(), new Result(State.NOT_CHECKED, "the " + p.type().key() + " protocol has no cheap check"));
            } else {
                results.put(p.name(), new Result(State.PENDING, null));
            }
        }
        for (ConfiguredProvider p : providers.all()) {
            if (p.check() == null) continue;
            Thread.ofVirtual().name("provider-check-" + p.name()).start(() -> run(p));
        }
    }

    private void run(ConfiguredProvider p) {
        try {
            String found = p.check().run();
            results.put(p.name(), new Result(State.OK, found));
            log.info("provider {} checked: {}", p.name(), found);
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            results.put(p.name(), new Result(State.FAILED, message));
            log.warn("provider {} failed its start-up check: {}", p.name(), message);
        }
    }

    public Result result(String provider) {
        return results.getOrDefault(provider, new Result(State.NOT_CHECKED, null));
    }

    /** Every provider's result, in configuration order. */
    public Map<String, Result> results() {
        Map<String, Result> out = new LinkedHashMap<>();
        order.keySet().forEach(name -> out.put(name, results.get(name)));
        return out;
    }
}
