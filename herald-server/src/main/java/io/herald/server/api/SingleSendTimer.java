package io.herald.server.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.web.servlet.HandlerMapping;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code http.server.requests} for single sends, the one request Herald serves by the thousand per second, without
 * Micrometer's Observation around it: Spring's observation filter (a context, its key values built at start and stop,
 * the handlers walked, the timer looked up by its tags) took 7% of a single send's request thread (JFR,
 * docs/benchmarks.md). {@link #SKIP_OBSERVATION} turns that observation into a no-op for exactly the requests this
 * filter times; every other request keeps Spring's.
 *
 * <p>The meter is the one Spring's observation would have recorded: same name, same tags (error, exception, method,
 * outcome, status, uri) with the same values, so dashboards and alerts see no difference. One timer per tag set,
 * looked up in a map keyed by the few values that vary.
 */
public final class SingleSendTimer extends HttpFilter {

    static final String METRIC = "http.server.requests";

    /** No Observation for the requests {@link SingleSendTimer} times itself. */
    public static final ObservationPredicate SKIP_OBSERVATION = SingleSendTimer::observedBySpring;

    private static boolean observedBySpring(String name, Observation.Context context) {
        return !(context instanceof ServerRequestObservationContext server && server.getCarrier() != null
                && SingleSendFilter.takes(server.getCarrier()));
    }

    private final MeterRegistry registry;
    private final ConcurrentHashMap<Tags, Timer> timers = new ConcurrentHashMap<>();

    /** What varies between single sends' timers. */
    private record Tags(int status, String uri, String exception) {
    }

    public SingleSendTimer(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!SingleSendFilter.takes(req)) {
            chain.doFilter(req, res);
            return;
        }
        long start = System.nanoTime();
        Throwable error = null;
        try {
            chain.doFilter(req, res);
        } catch (IOException | ServletException | RuntimeException | Error e) {
            error = e instanceof ServletException se && se.getCause() != null ? se.getCause() : e;
            throw e;
        } finally {
            if (error == null && req.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable t) error = t;
            // an exception that escapes answers 500 (the container's error page), as Spring's observation counts it
            int status = error != null ? HttpServletResponse.SC_INTERNAL_SERVER_ERROR : res.getStatus();
            Object pattern = req.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
            timer(new Tags(status, uri(pattern, status), error == null ? "none" : error.getClass().getSimpleName()))
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private Timer timer(Tags t) {
        return timers.computeIfAbsent(t, k -> Timer.builder(METRIC)
                .tag("error", k.exception()).tag("exception", k.exception()).tag("method", "POST")
                .tag("outcome", outcome(k.status())).tag("status", Integer.toString(k.status())).tag("uri", k.uri())
                .register(registry));
    }

    /** The route when a handler took the request; else what Spring's convention says for a request without one. */
    static String uri(Object pattern, int status) {
        if (pattern instanceof String p && !p.isEmpty()) return p;
        if (status >= 300 && status < 400) return "REDIRECTION";
        if (status == HttpServletResponse.SC_NOT_FOUND) return "NOT_FOUND";
        return "UNKNOWN";
    }

    /** Spring's HTTP outcome of a status. */
    static String outcome(int status) {
        if (status >= 100 && status < 200) return "INFORMATIONAL";
        if (status >= 200 && status < 300) return "SUCCESS";
        if (status >= 300 && status < 400) return "REDIRECTION";
        if (status >= 400 && status < 500) return "CLIENT_ERROR";
        if (status >= 500 && status < 600) return "SERVER_ERROR";
        return "UNKNOWN";
    }
}
