package io.herald.server.api;

import io.herald.server.config.RoutingTable;
import io.herald.server.security.Callers;
import io.herald.server.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** The routing table for operators (and the console's overview): which provider serves what, and how it is doing. */
@RestController
public class ProvidersController {

    /**
     * @param providers every provider in use: name, type, channel, push platforms, endpoint, breaker state,
     *                  recent error rate (percent of the breaker's window; null until enough calls), start-up check
     * @param routes    each channel (and push platform) with its providers in failover order
     */
    public record ProvidersView(List<RoutingTable.ProviderInfo> providers, List<RoutingTable.Route> routes) {
    }

    private final RoutingTable routing;

    public ProvidersController(RoutingTable routing) {
        this.routing = routing;
    }

    @GetMapping("/v1/providers")
    @ProblemResponses({401, 403, 503})
    public ProvidersView providers(HttpServletRequest req) {
        Callers.operator(req, Role.ADMIN);
        return new ProvidersView(routing.providers(), routing.routes());
    }
}
