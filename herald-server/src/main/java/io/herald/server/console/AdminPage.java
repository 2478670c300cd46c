package io.herald.server.console;

import io.herald.core.admin.AccountAdmin;
import io.herald.core.admin.AppAdmin;
import io.herald.core.admin.ConsoleSessions;
import io.herald.server.admin.Administration;
import io.herald.server.http.ApiProblem;
import io.herald.server.security.Callers;
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

    private final Administration admin;
    private final AppAdmin apps;
    private final AccountAdmin accounts;
    private final ConsoleSessions sessions;

    AdminPage(Administration admin, AppAdmin apps, AccountAdmin accounts, ConsoleSessions sessions) {
        this.admin = admin;
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
            var created = admin.createApp(Callers.operator(req, Role.VIEWER), name.strip(), scopes);
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
        admin.revokeApp(Callers.operator(req, Role.VIEWER), appKey);
        return "redirect:/console/admin?done=revoked";
    }

    @PostMapping("/console/admin/accounts")
    String createAccount(@RequestParam(defaultValue = "") String username, @RequestParam(defaultValue = "") String password,
                         @RequestParam(defaultValue = "") String role, HttpServletRequest req, HttpServletResponse res, Model model) {
        try {
            admin.createAccount(Callers.operator(req, Role.VIEWER), username.strip(), password, role);
        } catch (ApiProblem p) {
            if (p.status() == 403) throw p;
            res.setStatus(p.status());
            return render(model, null, null, errors(p));
        }
        return "redirect:/console/admin?done=account";
    }

    @PostMapping("/console/admin/accounts/{username}/role")
    String changeRole(@PathVariable String username, @RequestParam String role, HttpServletRequest req) {
        admin.changeRole(Callers.operator(req, Role.VIEWER), username, role);
        return "redirect:/console/admin?done=role";
    }

    @PostMapping("/console/admin/accounts/{username}/disable")
    String disable(@PathVariable String username, HttpServletRequest req) {
        admin.disableAccount(Callers.operator(req, Role.VIEWER), username);
        sessions.closeAll(username); // a disabled operator is signed out everywhere at once
        return "redirect:/console/admin?done=disabled";
    }

    private String render(Model model, String done, Administration.NewApp created, List<ApiProblem.FieldError> errors) {
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
