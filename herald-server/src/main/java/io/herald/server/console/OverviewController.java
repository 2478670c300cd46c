package io.herald.server.console;

import io.herald.core.admin.OperatorViews;
import io.herald.core.provider.ChannelProvider;
import io.herald.core.queue.DeliveryQueue;
import io.herald.providers.resilience.CircuitBreakingProvider;
import io.herald.providers.resilience.CircuitStatus;
import io.herald.providers.resilience.ThrottledProvider;
import io.herald.server.security.Callers;
import io.herald.server.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Queue depth and age per lane, outcomes per minute over the last hour, dead letters and circuit breakers; polls itself. */
@Controller
class OverviewController {

    private final DeliveryQueue queue;
    private final OperatorViews queries;
    private final List<ChannelProvider> providers;
    private final Clock clock;

    OverviewController(DeliveryQueue queue, OperatorViews queries, List<ChannelProvider> providers, Clock clock) {
        this.queue = queue;
        this.queries = queries;
        this.providers = providers;
        this.clock = clock;
    }

    /** A lane as the page shows it. */
    record Lane(String queue, String channel, String priority, long ready, long scheduled, long inFlight, long retrying, long deadLetter,
                long oldestReadySeconds) {
    }

    @GetMapping({"/console", "/console/"})
    String page(HttpServletRequest req, Model model) {
        Callers.operator(req, Role.VIEWER);
        fill(model);
        return "console/overview";
    }

    @GetMapping("/console/overview/live")
    String live(HttpServletRequest req, Model model) {
        Callers.operator(req, Role.VIEWER);
        fill(model);
        return "console/overview :: live";
    }

    private void fill(Model model) {
        Instant now = clock.instant();
        List<Lane> lanes = queue.stats(now).stream()
                .map(s -> new Lane(s.queue(), s.channel().name(), s.priority().name(), s.ready(), s.scheduled(),
                        s.inFlight(), s.retrying(), s.deadLetter(), Math.round(s.oldestReadyAgeSeconds())))
                .toList();
        model.addAttribute("lanes", lanes);
        model.addAttribute("totalReady", lanes.stream().mapToLong(Lane::ready).sum());
        model.addAttribute("totalDead", lanes.stream().mapToLong(Lane::deadLetter).sum());
        model.addAttribute("oldest", lanes.stream().mapToLong(Lane::oldestReadySeconds).max().orElse(0));
        var minutes = queries.throughput(now.minus(Duration.ofHours(1)), now);
        Map<String, Object> series = new LinkedHashMap<>();
        series.put("t", minutes.stream().map(m -> m.minute().getEpochSecond()).toList());
        series.put("sent", minutes.stream().map(OperatorViews.Minute::sent).toList());
        series.put("failed", minutes.stream().map(OperatorViews.Minute::failed).toList());
        model.addAttribute("throughput", ConsoleJson.MAPPER.writeValueAsString(series));
        model.addAttribute("sentLastHour", minutes.stream().mapToLong(OperatorViews.Minute::sent).sum());
        model.addAttribute("failedLastHour", minutes.stream().mapToLong(OperatorViews.Minute::failed).sum());
        model.addAttribute("breakers", breakers());
        model.addAttribute("now", now);
    }

    /** Circuit breakers of the configured real providers (the sandbox has none). */
    private List<CircuitStatus> breakers() {
        List<CircuitStatus> out = new ArrayList<>();
        for (ChannelProvider p : providers) {
            ChannelProvider inner = p instanceof ThrottledProvider t ? t.delegate() : p;
            if (inner instanceof CircuitBreakingProvider c) out.add(c.status());
        }
        return out;
    }
}
