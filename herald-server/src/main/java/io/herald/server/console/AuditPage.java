package io.herald.server.console;

import io.herald.core.admin.AuditTrail;
import io.herald.server.http.ApiProblem;
import io.herald.server.http.Checks;
import io.herald.server.security.Callers;
import io.herald.server.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.time.Instant;
import java.util.List;

/** Every change: who, what and when, with its diff; filterable, newest first. */
@Controller
class AuditPage {

    private static final int PAGE = 50;

    private final AuditTrail audit;

    AuditPage(AuditTrail audit) {
        this.audit = audit;
    }

    record Entry(Instant at, String actor, String action, String entityType, String entityId, String diff) {
    }

    record Query(String actor, String entityType, String entityId, String from, String to, String tz) {
    }

    @GetMapping("/console/audit")
    String page(@RequestParam(required = false) String actor, @RequestParam(required = false) String entityType,
                @RequestParam(required = false) String entityId, @RequestParam(required = false) String from,
                @RequestParam(required = false) String to, @RequestParam(required = false) String tz,
                @RequestParam(required = false) Long before, HttpServletRequest req, Model model) {
        Callers.operator(req, Role.VIEWER);
        model.addAttribute("q",
                new Query(Forms.blank(actor), Forms.blank(entityType), Forms.blank(entityId), Forms.blank(from), Forms.blank(to), tz));
        Checks c = new Checks();
        var zone = Forms.zone(tz);
        Instant f = Forms.localTime(c, "from", Forms.blank(from), zone), t = Forms.localTime(c, "to", Forms.blank(to), zone);
        try {
            c.throwIfAny();
        } catch (ApiProblem p) {
            model.addAttribute("errors", p.errors());
            model.addAttribute("entries", List.of());
            return "console/audit";
        }
        var rows = audit.searchNewestFirst(
                new AuditTrail.Filter(Forms.blank(entityType), Forms.blank(entityId), Forms.blank(actor), f, t, before, PAGE + 1));
        boolean more = rows.size() > PAGE;
        var shown = more ? rows.subList(0, PAGE) : rows;
        model.addAttribute("entries", shown.stream().map(e -> new Entry(e.at(), e.actor(), e.action(), e.entityType(), e.entityId(),
                ConsoleJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(ConsoleJson.MAPPER.readTree(e.diffJson()))))
                .toList());
        if (more) model.addAttribute("nextQuery", Forms.withParam(req, "before", String.valueOf(shown.getLast().id())));
        return "console/audit";
    }
}
