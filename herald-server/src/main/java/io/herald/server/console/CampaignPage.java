package io.herald.server.console;

import io.herald.core.admin.AuditTrail;
import io.herald.core.audience.Audience;
import io.herald.core.audience.CampaignService;
import io.herald.server.http.ApiProblem;
import io.herald.server.security.Callers;
import io.herald.server.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

import java.time.Clock;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.function.Function;

/** One campaign: its send, counts, suppressions by reason and funnel; PUBLISHER schedules, pauses, resumes, cancels. */
@Controller
class CampaignPage {

    /** What each button does to the campaign. */
    private static final Map<String, Function<CampaignService, Function<UUID, CampaignService.View>>> ACTIONS = Map.of(
            "schedule", s -> s::schedule, "pause", s -> s::pause, "resume", s -> s::resume, "cancel", s -> s::cancel);

    private final ConsoleApps apps;
    private final CampaignService campaigns;
    private final AuditTrail audit;
    private final Clock clock;

    CampaignPage(ConsoleApps apps, CampaignService campaigns, AuditTrail audit, Clock clock) {
        this.apps = apps;
        this.campaigns = campaigns;
        this.audit = audit;
        this.clock = clock;
    }

    @GetMapping("/console/campaigns/{id}")
    String page(@PathVariable UUID id, HttpServletRequest req, Model model) {
        Callers.operator(req, Role.VIEWER);
        var v = campaigns.view(id).orElseThrow(() -> ApiProblem.notFound("campaign " + id));
        var c = v.campaign();
        model.addAttribute("v", v);
        model.addAttribute("c", c);
        model.addAttribute("appKey", apps.all().stream().filter(a -> a.id() == c.appId()).map(a -> a.appKey()).findFirst().orElse("?"));
        model.addAttribute("audience", switch (c.audience()) {
            case Audience.All all -> "every user of the app";
            case Audience.OfTopic t -> "topic " + t.key();
            case Audience.Filter f -> "users matching " + f;
        });
        model.addAttribute("counts", CampaignCounts.of(v));
        model.addAttribute("suppressed", campaigns.suppressedByReason(id));
        return "console/campaign";
    }

    @PostMapping("/console/campaigns/{id}/{action:schedule|pause|resume|cancel}")
    String act(@PathVariable UUID id, @PathVariable String action, HttpServletRequest req) {
        var op = Callers.operator(req, Role.PUBLISHER);
        try {
            ACTIONS.get(action).apply(campaigns).apply(id);
        } catch (NoSuchElementException e) {
            throw ApiProblem.notFound("campaign " + id);
        } catch (CampaignService.StateException e) {
            throw ApiProblem.conflict(e.getMessage());
        }
        audit.record(clock.instant(), op.username(), action.toUpperCase(java.util.Locale.ROOT), "campaign", id.toString(), null);
        return "redirect:/console/campaigns/" + id;
    }
}
