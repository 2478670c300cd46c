package io.herald.server.api;

import io.herald.core.intake.InvalidSendException;
import io.herald.core.template.TemplateException;
import io.herald.server.http.ApiProblem;
import io.herald.server.http.RequestSizeFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import java.util.List;
import java.util.Map;

/**
 * Every error as RFC 9457 problem+json. Client mistakes are 4xx with a detail a person can act on; an
 * unavailable database is 503 with Retry-After (nothing was half-written: each write is one transaction);
 * anything else is a 500, which is a bug, logged with its stack trace.
 */
@RestControllerAdvice
public class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);
    private static final java.net.URI ABOUT_BLANK = java.net.URI.create("about:blank");

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> problem(ApiProblem e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(e.status()), e.getMessage());
        p.setType(ABOUT_BLANK); // RFC 9457: "about:blank" when the status says it all; written out, not left implicit
        p.setTitle(e.title());
        if (!e.errors().isEmpty())
            p.setProperty("errors", e.errors().stream().map(f -> Map.of("field", f.field(), "message", f.message())).toList());
        return ResponseEntity.status(e.status()).body(p);
    }

    @ExceptionHandler(InvalidSendException.class)
    ResponseEntity<ProblemDetail> invalidSend(InvalidSendException e) {
        return problem(ApiProblem.invalid(e.field(), e.getMessage()));
    }

    @ExceptionHandler(TemplateException.class)
    ResponseEntity<ProblemDetail> template(TemplateException e) {
        return problem(ApiProblem.invalid("template", e.getMessage()));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        if (RequestSizeFilter.tooLarge(e))
            return problem(new ApiProblem(413, "Request too large", "The body is larger than the limit.", null));
        tools.jackson.core.JacksonException json = jsonCause(e);
        if (json instanceof tools.jackson.databind.exc.MismatchedInputException m && json.getPath().isEmpty()
                && m.getTargetType() != null) {
            // the whole body has the wrong shape ([], "text"): say what it must be, not which class failed to bind
            String message = "must be " + describe(m.getTargetType());
            return problem(new ApiProblem(400, "Malformed request body", "body: " + message,
                    List.of(new ApiProblem.FieldError("body", message))));
        }
        if (json != null && !json.getPath().isEmpty()) {
            // a value of the wrong type, or a string with NUL / unpaired surrogates: name the field
            String field = fieldOf(json);
            String message = json instanceof tools.jackson.databind.exc.MismatchedInputException m && m.getTargetType() != null
                    && json.getOriginalMessage() != null && json.getOriginalMessage().startsWith("Cannot")
                            ? "must be " + describe(m.getTargetType())
                            : shorten(json.getOriginalMessage());
            return problem(new ApiProblem(400, "Malformed request body", field + ": " + message,
                    List.of(new ApiProblem.FieldError(field, message))));
        }
        String why = json != null
                ? json.getOriginalMessage()
                : e.getMostSpecificCause() == null ? "" : e.getMostSpecificCause().getMessage();
        if (why == null || why.isBlank() || why.startsWith("Required request body is missing")) why = "the body is missing, empty or null";
        return problem(
                new ApiProblem(400, "Malformed request body", "The body is not valid JSON of the expected shape: " + shorten(why), null));
    }

    private static tools.jackson.core.JacksonException jsonCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof tools.jackson.core.JacksonException j) return j;
        }
        return null;
    }

    private static String describe(Class<?> type) {
        if (type == String.class || type == Character.class || type.isEnum()) return "a string";
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) return "an integer";
        if (Number.class.isAssignableFrom(type) || type == double.class) return "a number";
        if (type == Boolean.class || type == boolean.class) return "true or false";
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) return "an array";
        if (type == java.util.UUID.class) return "a UUID string";
        return "an object";
    }

    /** The JSON path as the API's field names: {@code notifications[3].to.email}. */
    static String fieldOf(tools.jackson.core.JacksonException e) {
        StringBuilder b = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!b.isEmpty()) b.append('.');
                b.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                b.append('[').append(ref.getIndex()).append(']');
            }
        }
        return b.isEmpty() ? "body" : b.toString();
    }

    /** A Java type as Jackson quotes it in a message ({@code `io.herald...$Send`}, {@code `java.util.Map<...>`}). */
    private static final java.util.regex.Pattern QUOTED_TYPE = java.util.regex.Pattern.compile("`(?:[a-z][\\w$]*\\.)+[\\w$<>,. ]*`");

    // keep the parser's position information but not a wall of internals (nor Herald's class names)
    private static String shorten(String why) {
        if (why == null) return "invalid value";
        String oneLine = QUOTED_TYPE.matcher(why.replace('\n', ' ').replace("\u0000", "\\u0000")).replaceAll("the expected type");
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "…" : oneLine;
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> mismatch(MethodArgumentTypeMismatchException e) {
        return problem(new ApiProblem(400, "Bad parameter", "'" + e.getValue() + "' is not a valid " + e.getName(),
                List.of(new ApiProblem.FieldError(e.getName(), "invalid value"))));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ProblemDetail> missing(MissingServletRequestParameterException e) {
        return problem(new ApiProblem(400, "Missing parameter", e.getParameterName() + " is required", null));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e) {
        return problem(new ApiProblem(415, "Unsupported media type", "Send Content-Type: application/json", null));
    }

    @ExceptionHandler(org.springframework.web.HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ProblemDetail> notAcceptable(org.springframework.web.HttpMediaTypeNotAcceptableException e) {
        return problem(new ApiProblem(406, "Not acceptable", "This endpoint answers application/json; the Accept header rules it out",
                null));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e) {
        return problem(new ApiProblem(405, "Method not allowed", e.getMethod() + " is not supported here", null));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noResource(NoResourceFoundException e) {
        return problem(new ApiProblem(404, "Not found", "No such endpoint: /" + e.getResourcePath(), null));
    }

    @ExceptionHandler({CannotGetJdbcConnectionException.class, CannotCreateTransactionException.class,
            DataAccessResourceFailureException.class, QueryTimeoutException.class, TransientDataAccessException.class})
    ResponseEntity<ProblemDetail> unavailable(Exception e) {
        log.warn("database unavailable: {}", e.toString());
        return serviceUnavailable("The database is unavailable; nothing was stored. Retry later.", 5);
    }

    @ExceptionHandler(io.herald.core.intake.IntakeSaturatedException.class)
    ResponseEntity<ProblemDetail> saturated(io.herald.core.intake.IntakeSaturatedException e) {
        return serviceUnavailable("Herald is at capacity: " + e.limit() + " single sends are being stored already. Nothing was"
                + " stored; retry after 1 s (HIGH-priority sends are always let in).", 1);
    }

    private static ResponseEntity<ProblemDetail> serviceUnavailable(String detail, int retryAfterSeconds) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail);
        p.setType(ABOUT_BLANK);
        p.setTitle("Service unavailable");
        return ResponseEntity.status(503).header(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds)).body(p);
    }

    /** A connection could not be had or was lost: SQLState class 08, or the pool's timeout. */
    static boolean databaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CannotGetJdbcConnectionException || t instanceof java.sql.SQLTransientConnectionException) return true;
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) return true;
        }
        return false;
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> bug(Exception e) {
        // libraries (rate limiter, pool) may wrap a lost or exhausted connection in their own exception types
        if (databaseUnavailable(e)) return unavailable(e);
        log.error("unexpected error", e);
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "An unexpected error occurred; it was logged.");
        p.setType(ABOUT_BLANK);
        p.setTitle("Internal error");
        return ResponseEntity.status(500).body(p);
    }
}
