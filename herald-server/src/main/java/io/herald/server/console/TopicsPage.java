package io.herald.server.console;

import io.herald.core.admin.AuditTrail;
import io.herald.core.audience.Topic;
import io.herald.core.audience.TopicStore;
import io.herald.server.http.ApiProblem;
import io.herald.server.http.Checks;
import io.herald.server.security.Callers;
import io.herald.server.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Topics of one app with their subscriber counts; EDITOR creates and deletes; subscribers page by page. */
@Controller
class TopicsPage {

    /** Rows per page, topics and subscribers alike. */
    static final int SHOWN = 50;
    private static final int NAME_MAX = 200;

    /** One row of the topic list. */
    record Row(Topic topic, long subscribers) {
    }

    private final ConsoleApps apps;
    private final TopicStore topics;
    private final AuditTrail audit;
    private final Clock clock;

    TopicsPage(ConsoleApps apps, TopicStore topics, AuditTrail audit, Clock clock) {
        this.apps = apps;
        this.topics = topics;
        this.audit = audit;
        this.clock = clock;
    }

    @GetMapping("/console/topics")
    String list(@RequestParam(required = false) String app, @RequestParam(required = false) String after,
                @RequestParam(required = false) String done, HttpServletRequest req, Model model) {
        Callers.operator(req, Role.VIEWER);
        model.addAttribute("apps", apps.all());
        model.addAttribute("done", done);
        var chosen = apps.chosen(app);
        model.addAttribute("app", chosen.orElse(null));
        model.addAttribute("rows", List.of());
        if (chosen.isEmpty()) return "console/topics";
        long appId = chosen.get().id();
        List<Topic> page = new ArrayList<>(topics.list(appId, Forms.blank(after), SHOWN + 1));
        if (page.size() > SHOWN) {
            page.removeLast();
            model.addAttribute("next", link("/console/topics", chosen.get().appKey(), page.getLast().key()));
        }
        var counts = topics.subscriberCounts(appId, page.stream().map(Topic::key).toList());
        model.addAttribute("rows", page.stream().map(t -> new Row(t, counts.getOrDefault(t.key(), 0L))).toList());
        return "console/topics";
    }

    @GetMapping("/console/topics/{appKey}/{key}")
    String subscribers(@PathVariable String appKey, @PathVariable String key, @RequestParam(required = false) String after,
                       HttpServletRequest req, Model model) {
        Callers.operator(req, Role.VIEWER);
        var app = apps.require(appKey);
        Topic topic = topics.find(app.id(), key).orElseThrow(() -> ApiProblem.notFound("topic " + key + " of app " + appKey));
        List<String> users = new ArrayList<>(topics.subscribers(app.id(), key, Forms.blank(after), SHOWN + 1));
        if (users.size() > SHOWN) {
            users.removeLast();
            model.addAttribute("next", link("/console/topics/" + appKey + "/" + key, null, users.getLast()));
        }
        model.addAttribute("app", app);
        model.addAttribute("topic", topic);
        model.addAttribute("count", topics.subscriberCounts(app.id(), List.of(key)).get(key));
        model.addAttribute("users", users);
        return "console/topic";
    }

    @PostMapping("/console/topics")
    String create(@RequestParam String app, @RequestParam(defaultValue = "") String key, @RequestParam(defaultValue = "") String name,
                  HttpServletRequest req) {
        var op = Callers.operator(req, Role.EDITOR);
        var chosen = apps.require(app);
        Checks c = new Checks();
        if (!Topic.isKey(key.strip())) c.add("key", Topic.KEY_RULE);
        if (name.isBlank()) c.add("name", "is required");
        else
            c.maxLength("name", name.strip(), NAME_MAX);
        c.throwIfAny();
        boolean created = topics.put(chosen.id(), key.strip(), name.strip(), clock.instant());
        audit.record(clock.instant(), op.username(), created ? "CREATE" : "RENAME", "topic", chosen.appKey() + "/" + key.strip(), null);
        return "redirect:" + UriComponentsBuilder.fromPath("/console/topics").queryParam("app", chosen.appKey())
                .queryParam("done", created ? "created" : "renamed").encode().toUriString();
    }

    @PostMapping("/console/topics/{appKey}/{key}/delete")
    String delete(@PathVariable String appKey, @PathVariable String key, HttpServletRequest req) {
        var op = Callers.operator(req, Role.EDITOR);
        var app = apps.require(appKey);
        if (!topics.delete(app.id(), key)) throw ApiProblem.notFound("topic " + key + " of app " + appKey);
        audit.record(clock.instant(), op.username(), "DELETE", "topic", appKey + "/" + key, null);
        return "redirect:" + UriComponentsBuilder.fromPath("/console/topics").queryParam("app", appKey)
                .queryParam("done", "deleted").encode().toUriString();
    }

    private static String link(String path, String appKey, String after) {
        return UriComponentsBuilder.fromPath(path).queryParamIfPresent("app", java.util.Optional.ofNullable(appKey))
                .queryParam("after", after).encode().toUriString();
    }
}
