package io.herald.server.console;

import io.herald.core.admin.ConsoleSessions;
import io.herald.server.http.ApiProblem;
import io.herald.server.security.AuthFilter;
import io.herald.server.security.OperatorPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * What every console page knows (who is signed in, the form token) and how console errors look: a readable
 * page with the status, never a stack trace. Applies to console controllers only; the API keeps problem+json.
 */
@ControllerAdvice(basePackageClasses = ConsoleAdvice.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleAdvice {

    private static final Logger log = LoggerFactory.getLogger(ConsoleAdvice.class);

    @ModelAttribute
    void common(HttpServletRequest req, Model model) {
        if (req.getAttribute(AuthFilter.OPERATOR) instanceof OperatorPrincipal op) {
            model.addAttribute("me", op);
            model.addAttribute("can", new Can(op.role()));
        }
        if (req.getAttribute(ConsoleFilter.SESSION) instanceof ConsoleSessions.Session s) {
            model.addAttribute("csrf", s.csrfToken());
        }
    }

    @ExceptionHandler(ApiProblem.class)
    String problem(ApiProblem e, HttpServletResponse res, Model model) {
        res.setStatus(e.status());
        model.addAttribute("status", e.status());
        model.addAttribute("title", e.title());
        model.addAttribute("message", e.getMessage());
        model.addAttribute("errors", e.errors());
        return "console/error";
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    String badParameter(MethodArgumentTypeMismatchException e, HttpServletResponse res, Model model) {
        return problem(ApiProblem.invalid(e.getName(), "is not a valid value"), res, model);
    }

    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class})
    String databaseDown(RuntimeException e, HttpServletResponse res, Model model) {
        res.setHeader("Retry-After", "5");
        return problem(new ApiProblem(503, "Service unavailable",
                "The database is unavailable; nothing was changed. Try again in a moment.", null), res, model);
    }

    @ExceptionHandler(Exception.class)
    String unexpected(Exception e, HttpServletResponse res, Model model) {
        log.error("console request failed", e);
        return problem(new ApiProblem(500, "Something went wrong", "The server could not complete this request; it has been logged.", null),
                res, model);
    }
}
