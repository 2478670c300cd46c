package io.herald.server.console;

import io.herald.core.trace.NotificationTraces;
import io.herald.core.user.UserAdmin;
import io.herald.server.security.Callers;
import io.herald.server.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** One user of one app: contacts, devices (active or deactivated), preferences and recent notifications. */
@Controller
class UsersPage {

    private final ConsoleApps apps;
    private final UserAdmin users;
    private final NotificationTraces notifications;

    UsersPage(ConsoleApps apps, UserAdmin users, NotificationTraces notifications) {
        this.apps = apps;
        this.users = users;
        this.notifications = notifications;
    }

    @GetMapping("/console/users")
    String page(@RequestParam(required = false) String app, @RequestParam(required = false) String userId, HttpServletRequest req,
                Model model) {
        Callers.operator(req, Role.VIEWER);
        model.addAttribute("apps", apps.all());
        model.addAttribute("userId", userId);
        model.addAttribute("searched", false);
        var chosen = apps.chosen(app);
        if (chosen.isEmpty()) return "console/users";
        model.addAttribute("app", chosen.get());
        String id = Forms.blank(userId);
        if (id == null) return "console/users";
        long appId = chosen.get().id();
        var user = users.get(appId, id);
        model.addAttribute("searched", true);
        model.addAttribute("user", user.orElse(null));
        user.ifPresent(u -> {
            model.addAttribute("devices", users.devices(appId, id));
            model.addAttribute("preferences", pretty(u.preferencesJson()));
            model.addAttribute("attributes", pretty(u.attributesJson()));
        });
        model.addAttribute("recent",
                notifications.search(appId, new NotificationTraces.Filter(id, null, null, null, null, null, null, null, 20)));
        return "console/users";
    }

    private static String pretty(String json) {
        return json == null
                ? "{}"
                : ConsoleJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(ConsoleJson.MAPPER.readTree(json));
    }
}
