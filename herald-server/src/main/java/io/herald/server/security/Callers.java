package io.herald.server.security;

import io.herald.server.http.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;

/** Who is calling, as the AuthFilter established it. */
public final class Callers {

    private Callers() {
    }

    public static AppPrincipal app(HttpServletRequest req) {
        Object a = req.getAttribute(AuthFilter.APP);
        if (a == null) throw new ApiProblem(401, "Unauthenticated", "app credentials required", null);
        return (AppPrincipal) a;
    }

    /** The operator, if their role includes {@code min}; 403 otherwise. */
    public static OperatorPrincipal operator(HttpServletRequest req, Role min) {
        Object o = req.getAttribute(AuthFilter.OPERATOR);
        if (o == null) throw new ApiProblem(401, "Unauthenticated", "operator credentials required", null);
        return require((OperatorPrincipal) o, min);
    }

    /** {@code p}, if their role includes {@code min}; 403 otherwise. */
    public static OperatorPrincipal require(OperatorPrincipal p, Role min) {
        if (!p.role().includes(min)) throw ApiProblem.forbidden("this needs the " + min + " role; " + p.username() + " is " + p.role());
        return p;
    }
}
