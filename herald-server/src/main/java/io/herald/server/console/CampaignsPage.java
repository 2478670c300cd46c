package io.herald.server.console;

import io.herald.core.admin.AuditTrail;
import io.herald.core.audience.Audience;
import io.herald.core.audience.CampaignService;
import io.herald.core.audience.Topic;
import io.herald.core.intake.AppZones;
import io.herald.core.intake.InvalidSendException;
import io.herald.core.intake.LocalDelivery;
import io.herald.core.intake.SendRequest;
import io.herald.core.model.Channel;
import io.herald.core.template.TemplateException;
import io.herald.server.http.ApiProblem;
import io.herald.server.http.Checks;
import io.herald.server.security.Callers;
import io.herald.server.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Campaigns newest first with their counts; EDITOR drafts one here; ADMIN sets each app's default timezone. */
@Controller
class CampaignsPage {

    static final int SHOWN = 20;
    private static final int NAME_MAX = 200;

    /** One row of the list. */
    record Row(CampaignService.View view, String appKey, CampaignCounts counts) {
    }

    /** The draft form as typed, shown again with the errors. */
    record Draft(String app, String name, String topic, String template, String category, List<String> channels, String sendAt,
                 String localTime, Integer throttle) {
    }

    private final ConsoleApps apps;
    private final CampaignService campaigns;
    private final AppZones zones;
    private final AuditTrail audit;
    private final Clock clock;

    CampaignsPage(ConsoleApps apps, CampaignService campaigns, AppZones zones, AuditTrail audit, Clock clock) {
        this.apps = apps;
        this.campaigns = campaigns;
        this.zones = zones;
        this.audit = audit;
        this.clock = clock;
    }

    @GetMapping("/console/campaigns")
    String list(@RequestParam(required = false) String beforeAt, @RequestParam(required = false) String beforeId,
                @RequestParam(required = false) String done, HttpServletRequest req, Model model) {
        Callers.operator(req, Role.VIEWER);
        Instant at = null;
        UUID id = null;
        try {
            if (Forms.blank(beforeAt) != null) at = Instant.parse(beforeAt);
            if (Forms.blank(beforeId) != null) id = UUID.fromString(beforeId);
        } catch (RuntimeException e) {
            throw ApiProblem.invalid("beforeAt", "does not name a page of campaigns");
        }
        model.addAttribute("done", done);
        return render(model, at, id, null, List.of());
    }

    @PostMapping("/console/campaigns")
    String draft(@RequestParam(defaultValue = "") String app, @RequestParam(defaultValue = "") String name,
                 @RequestParam(defaultValue = "") String topic, @RequestParam(defaultValue = "") String template,
                 @RequestParam(defaultValue = "") String category, @RequestParam(name = "channel", required = false) List<String> channels,
                 @RequestParam(defaultValue = "") String sendAt, @RequestParam(defaultValue = "") String localTime,
                 @RequestParam(required = false) String tz, @RequestParam(required = false) Integer throttle,
                 HttpServletRequest req, HttpServletResponse res, Model model) {
        var op = Callers.operator(req, Role.EDITOR);
        Draft typed = new Draft(app, name, topic, template, category, channels == null ? List.of() : channels, sendAt, localTime, throttle);
        var chosen = apps.require(app);
        Checks c = new Checks();
        if (!chosen.active()) c.add("app", "names no active app (it was revoked)");
        if (Forms.blank(name) == null) c.add("name", "is required");
        else
            c.maxLength("name", name.strip(), NAME_MAX);
        String topicKey = Forms.blank(topic);
        if (topicKey != null && !Topic.isKey(topicKey)) c.add("topic", Topic.KEY_RULE);
        if (Forms.blank(template) == null) c.add("template", "is required");
        if (Forms.blank(category) == null) c.add("category", "is required (campaigns are usually \"marketing\")");
        if (throttle != null && (throttle < 1 || throttle > 1_000_000)) c.add("throttle", "must be between 1 and 1000000");
        Set<Channel> chosenChannels = channels(channels, c);
        Instant start = Forms.localTime(c, "sendAt", Forms.blank(sendAt), Forms.zone(tz));
        LocalDelivery local = localDelivery(Forms.blank(localTime), c);
        try {
            c.throwIfAny();
            Audience audience = topicKey == null ? new Audience.All() : new Audience.OfTopic(topicKey);
            SendRequest send = new SendRequest("campaign", null, List.of(), chosenChannels, template.strip(), null, Map.of(), null, null,
                    category.strip(), null, null, null, local);
            var created = campaigns.draft(chosen.id(), name.strip(), audience, send, start, throttle, op.username());
            audit.record(clock.instant(), op.username(), "CREATE", "campaign", created.id().toString(), null);
            return "redirect:/console/campaigns/" + created.id();
        } catch (ApiProblem p) {
            return refused(res, model, typed,
                    p.errors().isEmpty() ? List.of(new ApiProblem.FieldError("request", p.getMessage())) : p.errors());
        } catch (InvalidSendException e) {
            return refused(res, model, typed, List.of(new ApiProblem.FieldError(e.field(), e.getMessage())));
        } catch (TemplateException e) {
            return refused(res, model, typed, List.of(new ApiProblem.FieldError("template", e.getMessage())));
        }
    }

    @PostMapping("/console/campaigns/zone")
    String zone(@RequestParam(defaultValue = "") String app, @RequestParam(defaultValue = "") String zone, HttpServletRequest req) {
        var op = Callers.operator(req, Role.ADMIN);
        var chosen = apps.require(app);
        ZoneId z = null;
        if (Forms.blank(zone) != null) {
            try {
                z = ZoneId.of(zone.strip());
            } catch (RuntimeException e) {
                throw ApiProblem.invalid("zone", "is not an IANA timezone such as Europe/Paris");
            }
        }
        zones.setDefaultZone(chosen.id(), z, clock.instant());
        audit.record(clock.instant(), op.username(), "SET_DEFAULT_ZONE", "app", chosen.appKey(),
                "{\"defaultZone\":" + (z == null ? "null" : "\"" + z.getId() + "\"") + "}");
        return "redirect:/console/campaigns?done=zone";
    }

    private String refused(HttpServletResponse res, Model model, Draft typed, List<ApiProblem.FieldError> errors) {
        res.setStatus(422);
        return render(model, null, null, typed, errors);
    }

    private String render(Model model, Instant beforeAt, UUID beforeId, Draft typed, List<ApiProblem.FieldError> errors) {
        var allApps = apps.all();
        Map<Long, String> keys = new LinkedHashMap<>();
        Map<String, String> appZones = new LinkedHashMap<>();
        allApps.forEach(a -> {
            keys.put(a.id(), a.appKey());
            appZones.put(a.appKey(), zones.defaultZone(a.id()).map(ZoneId::getId).orElse(""));
        });
        List<CampaignService.View> views = new ArrayList<>(campaigns.list(beforeAt, beforeId, SHOWN + 1));
        if (views.size() > SHOWN) {
            views.removeLast();
            var last = views.getLast().campaign();
            model.addAttribute("older", UriComponentsBuilder.fromPath("/console/campaigns").queryParam("beforeAt", last.createdAt())
                    .queryParam("beforeId", last.id()).encode().toUriString());
        }
        model.addAttribute("rows", views.stream().map(v -> new Row(v, keys.get(v.campaign().appId()), CampaignCounts.of(v))).toList());
        model.addAttribute("apps", allApps);
        model.addAttribute("appZones", appZones);
        model.addAttribute("channels", Channel.values());
        model.addAttribute("draft", typed);
        model.addAttribute("errors", errors);
        return "console/campaigns";
    }

    private static Set<Channel> channels(List<String> names, Checks c) {
        if (names == null || names.isEmpty()) return null; // the template's default channels
        Set<Channel> set = EnumSet.noneOf(Channel.class);
        for (String n : names) {
            Channel ch = c.oneOf("channel", n, Channel.class);
            if (ch != null) set.add(ch);
        }
        return set;
    }

    private static LocalDelivery localDelivery(String time, Checks c) {
        if (time == null) return null;
        try {
            return new LocalDelivery(LocalTime.parse(time), null);
        } catch (RuntimeException e) {
            c.add("localTime", "is not a time of day such as 09:00");
            return null;
        }
    }
}
