package io.herald.client;

import io.herald.client.model.FieldError;
import io.herald.client.model.Problem;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Herald answered with an error status and an RFC 9457 problem. Catch the subclass for the case you handle
 * ({@link NotFoundException}, {@link ValidationException}, ...), or this class for all of them.
 *
 * <p>Subclasses by status: 400 {@link BadRequestException}, 401 {@link UnauthorizedException}, 403
 * {@link ForbiddenException}, 404 {@link NotFoundException}, 409 {@link ConflictException}, 413
 * {@link PayloadTooLargeException}, 422 {@link ValidationException}, 429 {@link RateLimitedException}, 503
 * {@link ServiceUnavailableException}; any other status is this class itself.
 */
public class HeraldProblemException extends HeraldException {

    private final Problem problem;
    private final Duration retryAfter;
    private final String method;
    private final String path;

    protected HeraldProblemException(Problem problem, Duration retryAfter, String method, String path) {
        super(message(problem, method, path), null);
        this.problem = problem;
        this.retryAfter = retryAfter;
        this.method = method;
        this.path = path;
    }

    /** The exception for that problem's status. */
    public static HeraldProblemException of(Problem problem, Duration retryAfter, String method, String path) {
        switch (problem.status()) {
            case 400 :
                return new BadRequestException(problem, retryAfter, method, path);
            case 401 :
                return new UnauthorizedException(problem, retryAfter, method, path);
            case 403 :
                return new ForbiddenException(problem, retryAfter, method, path);
            case 404 :
                return new NotFoundException(problem, retryAfter, method, path);
            case 409 :
                return new ConflictException(problem, retryAfter, method, path);
            case 413 :
                return new PayloadTooLargeException(problem, retryAfter, method, path);
            case 422 :
                return new ValidationException(problem, retryAfter, method, path);
            case 429 :
                return new RateLimitedException(problem, retryAfter, method, path);
            case 503 :
                return new ServiceUnavailableException(problem, retryAfter, method, path);
            default :
                return new HeraldProblemException(problem, retryAfter, method, path);
        }
    }

    private static String message(Problem p, String method, String path) {
        StringBuilder s = new StringBuilder().append(method).append(' ').append(path).append(": ").append(p.status());
        if (p.title() != null) s.append(' ').append(p.title());
        if (p.detail() != null) s.append(": ").append(p.detail());
        for (FieldError e : p.errors()) s.append("; ").append(e.field()).append(' ').append(e.message());
        return s.toString();
    }

    /** The problem as Herald sent it. */
    public Problem problem() {
        return problem;
    }

    /** The HTTP status. */
    public int status() {
        return problem.status();
    }

    /** The problem type URI; {@code about:blank} when the status says it all. */
    public String type() {
        return problem.type();
    }

    public String title() {
        return problem.title();
    }

    public String detail() {
        return problem.detail();
    }

    /** The invalid fields of a validation problem; empty otherwise. */
    public List<FieldError> errors() {
        return problem.errors();
    }

    /** The server's Retry-After, when it sent one (429, 503). */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The HTTP method of the failed call. */
    public String method() {
        return method;
    }

    /** The path of the failed call, without query string. */
    public String path() {
        return path;
    }
}
