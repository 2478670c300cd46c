package io.herald.server.console;

import io.herald.postgres.PostgresAccountStore;
import io.herald.postgres.PostgresAppStore;
import io.herald.postgres.PostgresConsoleSessions;
import io.herald.server.http.ApiProblem;
import io.herald.server.security.Callers;
import io.herald.server.api.ManagementController;
import io.herald.server.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.List;
import java.util.Map;

/** ADMIN: client apps (created with a secret shown once, revoked at once) and operator accounts with their roles. */
@Controller
class AdminPage {

    static final List<String> SCOPES = List.of("send", "users", "read", "topics", "webhooks");

    private final ManagementController management;
    private final PostgresAppStore apps;
    private final PostgresAccountStore accounts;
    private final PostgresConsoleSessions sessions;

    AdminPage(ManagementController management, PostgresAppStore apps, PostgresAccountStore accounts, PostgresConsoleSessions sessions) {
        this.management = management;
        this.apps = apps;
        this.accounts = accounts;
        this.sessions = sessions;
    }

    @GetMapping("/console/admin")
    String page(@RequestParam(required = false) String done, HttpServletRequest req, Model model) {
        Callers.operator(req, Role.ADMIN);
        return render(model, done, null, List.of());
    }

    @PostMapping("/console/admin/apps")
    String createApp(@RequestParam(defaultValue = "") String name, @RequestParam(name = "scope", required = false) List<String> scopes,
                     HttpServletRequest req, HttpServletResponse res, Model model) {
        try {
            var created = management.createApp(new ManagementController.AppBody(name.strip(), scopes), req).getBody();
            // shown in this response only: only the hash is stored, and this page is not cached (Cache-Control: no-store)
            return render(model, null, created, List.of());
        } catch (ApiProblem p) {
            if (p.status() == 403) throw p;
            res.setStatus(p.status());
            return render(model, null, null, errors(p));
        }
    }

    @PostMapping("/console/admin/apps/{appKey}/revoke")
    String revoke(@PathVariable String appKey, HttpServletRequest req) {
        management.revokeApp(appKey, req);
        return "redirect:/console/admin?done=revoked";
    }

    @PostMapping("/console/admin/accounts")
    String createAccount(@RequestParam(defaultValue = "") String username, @RequestParam(defaultValue = "") String password,
                         @RequestParam(defaultValue = "") String role, HttpServletRequest req, HttpServletResponse res, Model model) {
        try {
            management.createAccount(new ManagementController.AccountBody(username.strip(), password, role), req);
        } catch (ApiProblem p) {
            if (p.status() == 403) throw p;
            res.setStatus(p.status());
            return render(model, null, null, errors(p));
        }
        return "redirect:/console/admin?done=account";
    }

    @PostMapping("/console/admin/accounts/{username}/role")
    String changeRole(@PathVariable String username, @RequestParam String role, HttpServletRequest req) {
        management.changeRole(username, new ManagementController.AccountBody(null, null, role), req);
        return "redirect:/console/admin?done=role";
    }

    @PostMapping("/console/admin/accounts/{username}/disable")
    String disable(@PathVariable String username, HttpServletRequest req) {
        management.disableAccount(username, req);
        sessions.closeAll(username); // a disabled operator is signed out everywhere at once
        return "redirect:/console/admin?done=disabled";
    }

    private String render(Model model, String done, io.herald.server.api.ManagementResponses.CreatedApp created, List<ApiProblem.FieldError> errors) {
        model.addAttribute("apps", apps.all());
        model.addAttribute("accounts", accounts.all());
        model.addAttribute("roles", Role.values());
        model.addAttribute("scopes", SCOPES);
        model.addAttribute("created", created);
        model.addAttribute("done", done);
        model.addAttribute("errors", errors);
        return "console/admin";
    }

    private static List<ApiProblem.FieldError> errors(ApiProblem p) {
        return p.errors().isEmpty() ? List.of(new ApiProblem.FieldError("request", p.getMessage())) : p.errors();
    }
}
