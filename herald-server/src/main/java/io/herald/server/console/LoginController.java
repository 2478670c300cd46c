package io.herald.server.console;

import io.herald.core.admin.ConsoleSessions;
import io.herald.server.security.Authenticator;
import io.herald.server.security.BasicCredentials;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.time.Clock;
import java.time.Duration;

/** Sign in with an operator account (the same Authenticator as the management API's Basic auth) and sign out. */
@Controller
class LoginController {

    private final Authenticator authenticator;
    private final ConsoleSessions sessions;
    private final ConsoleProperties props;
    private final Clock clock;

    LoginController(Authenticator authenticator, ConsoleSessions sessions, ConsoleProperties props, Clock clock) {
        this.authenticator = authenticator;
        this.sessions = sessions;
        this.props = props;
        this.clock = clock;
    }

    @GetMapping("/console/login")
    String form(@RequestParam(required = false) String next, HttpServletRequest req, HttpServletResponse res, Model model) {
        return loginPage(next, null, req, res, model);
    }

    @PostMapping("/console/login")
    String signIn(@RequestParam(defaultValue = "") String username, @RequestParam(defaultValue = "") String password,
                  @RequestParam(required = false) String next, HttpServletRequest req, HttpServletResponse res, Model model) {
        // the same check as the API's Basic auth, so the console inherits its throttling of wrong passwords
        Authenticator.OperatorLogin login = username.isBlank() || password.isEmpty()
                ? new Authenticator.OperatorLogin.Denied()
                : authenticator.operator(new BasicCredentials(username, password), req.getRemoteAddr());
        if (login instanceof Authenticator.OperatorLogin.Throttled t) {
            res.setStatus(429);
            res.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, t.retryAfter().toSeconds())));
            model.addAttribute("username", username);
            return loginPage(next, "Too many failed sign-ins. Try again in " + Math.max(1, t.retryAfter().toSeconds()) + " seconds.",
                    req, res, model);
        }
        if (!(login instanceof Authenticator.OperatorLogin.Granted granted)) {
            res.setStatus(401);
            model.addAttribute("username", username);
            return loginPage(next, "Wrong username or password, or the account is disabled.", req, res, model);
        }
        var op = java.util.Optional.of(granted.principal());
        var session = sessions.open(op.get().username(), clock.instant());
        res.addHeader(HttpHeaders.SET_COOKIE, cookie(req, ConsoleFilter.COOKIE, session.id(), null).toString());
        res.addHeader(HttpHeaders.SET_COOKIE, cookie(req, ConsoleFilter.LOGIN_COOKIE, "", Duration.ZERO).toString());
        return "redirect:" + safeNext(next);
    }

    @PostMapping("/console/logout")
    String signOut(HttpServletRequest req, HttpServletResponse res) {
        sessions.close(ConsoleFilter.cookie(req, ConsoleFilter.COOKIE));
        res.addHeader(HttpHeaders.SET_COOKIE, cookie(req, ConsoleFilter.COOKIE, "", Duration.ZERO).toString());
        return "redirect:/console/login?signedOut";
    }

    private String loginPage(String next, String error, HttpServletRequest req, HttpServletResponse res, Model model) {
        String token = ConsoleSessions.random(); // double-submit: the form field must match this cookie
        res.addHeader(HttpHeaders.SET_COOKIE, cookie(req, ConsoleFilter.LOGIN_COOKIE, token, null).toString());
        model.addAttribute("loginToken", token);
        model.addAttribute("next", safeNext(next));
        model.addAttribute("error", error);
        model.addAttribute("signedOut", req.getParameter("signedOut") != null);
        return "console/login";
    }

    /** Only a path inside the console: never an absolute URL or "//host" (an open redirect). */
    private static String safeNext(String next) {
        if (next == null || !next.startsWith("/console") || next.startsWith("//") || next.contains("\\")
                || next.startsWith("/console/login") || next.startsWith("/console/logout"))
            return "/console";
        return next;
    }

    private ResponseCookie cookie(HttpServletRequest req, String name, String value, Duration maxAge) {
        var b = ResponseCookie.from(name, value).httpOnly(true).sameSite("Lax").path("/console")
                .secure(req.isSecure() || props.secureCookie());
        if (maxAge != null) b.maxAge(maxAge);
        return b.build();
    }
}
