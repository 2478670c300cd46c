package io.herald.server.console;

import io.herald.core.admin.OperatorViews;
import io.herald.core.model.Channel;
import io.herald.server.admin.Administration;
import io.herald.server.http.ApiProblem;
import io.herald.server.http.Checks;
import io.herald.server.security.Callers;
import io.herald.server.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriUtils;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/** Notifications that ran out of retries, by channel and reason; requeue some or all (through the same Administration as the API's requeue). */
@Controller
class DeadLettersPage {

    /** Rows per page: rendering, not the query, is what grows with rows shown (measured in docs/benchmarks.md). */
    private static final int SHOWN = 50;
    /** Requeue-all works in API-sized chunks; this many chunks at most per click. */
    private static final int MAX_CHUNKS = 100;

    private final OperatorViews queries;
    private final Administration admin;

    DeadLettersPage(OperatorViews queries, Administration admin) {
        this.queries = queries;
        this.admin = admin;
    }

    @GetMapping("/console/dead-letters")
    String page(@RequestParam(required = false) String channel, @RequestParam(required = false) String reason,
                @RequestParam(required = false) Integer requeued, @RequestParam(required = false) String beforeAt,
                @RequestParam(required = false) String beforeId, HttpServletRequest req, Model model) {
        Callers.operator(req, Role.VIEWER);
        Checks c = new Checks();
        Channel ch = c.oneOf("channel", Forms.blank(channel), Channel.class);
        java.time.Instant at = null;
        UUID id = null;
        try {
            if (Forms.blank(beforeAt) != null) at = java.time.Instant.parse(beforeAt);
            if (Forms.blank(beforeId) != null) id = UUID.fromString(beforeId);
        } catch (RuntimeException e) {
            throw new ApiProblem(400, "Bad request", "beforeAt/beforeId do not name a page of dead letters",
                    List.of(new ApiProblem.FieldError("beforeAt", "not a page of dead letters")));
        }
        c.throwIfAny();
        model.addAttribute("counts", queries.deadLetterCounts());
        model.addAttribute("channel", ch);
        model.addAttribute("reason", reason);
        List<OperatorViews.DeadLetter> letters = new java.util.ArrayList<>(queries.deadLetters(ch, reason, at, id, SHOWN + 1));
        if (letters.size() > SHOWN) {
            letters.removeLast();
            OperatorViews.DeadLetter last = letters.getLast();
            model.addAttribute("older", org.springframework.web.util.UriComponentsBuilder.fromPath("/console/dead-letters")
                    .queryParamIfPresent("channel", java.util.Optional.ofNullable(ch))
                    .queryParamIfPresent("reason", java.util.Optional.ofNullable(reason))
                    .queryParam("beforeAt", last.deadLetteredAt()).queryParam("beforeId", last.id()).encode().toUriString());
        }
        model.addAttribute("letters", letters);
        model.addAttribute("requeued", requeued);
        return "console/dead-letters";
    }

    @PostMapping("/console/dead-letters/requeue")
    String requeue(@RequestParam(name = "id", required = false) List<UUID> ids, @RequestParam(required = false) String channel,
                   @RequestParam(required = false) String reason, HttpServletRequest req) {
        if (ids == null || ids.isEmpty()) throw ApiProblem.invalid("id", "select at least one dead letter");
        int n = admin.requeueDeadLetters(Callers.operator(req, Role.VIEWER), ids);
        return back(channel, reason, n);
    }

    @PostMapping("/console/dead-letters/requeue-all")
    String requeueAll(@RequestParam(required = false) String channel, @RequestParam(required = false) String reason,
                      HttpServletRequest req) {
        var op = Callers.operator(req, Role.ADMIN);
        Checks c = new Checks();
        Channel ch = c.oneOf("channel", Forms.blank(channel), Channel.class);
        c.throwIfAny();
        int total = 0;
        for (int i = 0; i < MAX_CHUNKS; i++) {
            List<UUID> ids = queries.deadLetters(ch, reason, 1000).stream().map(OperatorViews.DeadLetter::id).toList();
            if (ids.isEmpty()) break;
            int n = admin.requeueDeadLetters(op, ids);
            total += n;
            if (n == 0) break;
        }
        return back(channel, reason, total);
    }

    private static String back(String channel, String reason, int n) {
        StringBuilder b = new StringBuilder("redirect:/console/dead-letters?requeued=").append(n);
        if (Forms.blank(channel) != null) b.append("&channel=").append(UriUtils.encodeQueryParam(channel, StandardCharsets.UTF_8));
        if (reason != null) b.append("&reason=").append(UriUtils.encodeQueryParam(reason, StandardCharsets.UTF_8));
        return b.toString();
    }
}
