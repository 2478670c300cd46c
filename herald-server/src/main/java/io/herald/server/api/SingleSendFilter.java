package io.herald.server.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.SmartHttpMessageConverter;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.util.function.Supplier;

/**
 * {@code POST /v1/notifications} without Spring MVC's generic dispatch. A JFR of the steady scenario put Herald's own
 * send at 15% of the request threads' CPU and MVC's per-request machinery around it (handler look-up, argument and
 * return-value resolution, content negotiation over every converter) at about a third (docs/benchmarks.md).
 *
 * <p>Nothing of the API changes: the body is read by MVC's own JSON converter, {@link NotificationsController#send} is
 * still the one method that turns it into a send (and what the OpenAPI document describes), its answer is written by
 * the same converter, and every exception goes to MVC's exception resolvers ({@code ApiErrors}), as the
 * {@link DispatcherServlet} would do it. It runs after authentication and the app quota. Requests it is not sure to
 * answer as MVC would (another method, a body that is not declared JSON, an Accept that rules JSON out) go down the
 * chain to MVC unchanged.
 */
public final class SingleSendFilter extends HttpFilter {

    static final String PATH = "/v1/notifications";
    private static final String TAKES = SingleSendFilter.class.getName() + ".TAKES";
    private static final ResolvableType SEND = ResolvableType.forClass(SendBodies.Send.class);

    private final Supplier<NotificationsController> controller;
    private final Supplier<RequestMappingHandlerAdapter> adapter;
    private final Supplier<HandlerExceptionResolver> resolver;
    private volatile Parts parts;

    /** What MVC itself would use, looked up once the context is up. */
    private record Parts(NotificationsController controller, SmartHttpMessageConverter<Object> json, HandlerMethod handler,
                         HandlerExceptionResolver resolver) {
    }

    public SingleSendFilter(Supplier<NotificationsController> controller, Supplier<RequestMappingHandlerAdapter> adapter,
                            Supplier<HandlerExceptionResolver> resolver) {
        this.controller = controller;
        this.adapter = adapter;
        this.resolver = resolver;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!takes(req)) {
            chain.doFilter(req, res);
            return;
        }
        Parts p = parts();
        // the route's name for http.server.requests, as MVC's handler mapping would set it
        req.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, PATH);
        ResponseEntity<?> answer;
        try {
            answer = p.controller().send(read(p.json(), req), req);
        } catch (Exception e) {
            resolve(p, req, res, e);
            return;
        }
        write(p.json(), answer, res);
    }

    private static SendBodies.Send read(SmartHttpMessageConverter<Object> json, HttpServletRequest req) throws IOException {
        ServletServerHttpRequest request = new ServletServerHttpRequest(req);
        // the converter asks the headers for the content type alone; the request's own copies every header (3% of a
        // single send's request thread, JFR)
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.parseMediaType(req.getContentType()));
        PushbackInputStream body = new PushbackInputStream(request.getBody(), 1);
        int first = body.read();
        // an empty body or a JSON null: what MVC says of a required body that is missing
        if (first == -1) throw new HttpMessageNotReadableException("Required request body is missing", request);
        body.unread(first);
        Object read = json.read(SEND, new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return body;
            }

            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }
        }, null);
        if (read == null) throw new HttpMessageNotReadableException("Required request body is missing", request);
        return (SendBodies.Send) read;
    }

    private static void write(SmartHttpMessageConverter<Object> json, ResponseEntity<?> answer, HttpServletResponse res)
            throws IOException {
        res.setStatus(answer.getStatusCode().value());
        answer.getHeaders().forEach((name, values) -> values.forEach(v -> res.addHeader(name, v)));
        Object body = answer.getBody();
        if (body == null) return;
        // written whole with its length, not flushed: a flushed answer goes out chunked, in two writes to the socket
        // (the body, then the last chunk when the request ends); this one leaves in one
        Buffered out = new Buffered();
        json.write(body, ResolvableType.forInstance(body), MediaType.APPLICATION_JSON, out, null);
        res.setContentType(MediaType.APPLICATION_JSON_VALUE); // what the converter was asked for, and put in out.headers
        res.setContentLength(out.body.size());
        out.body.writeTo(res.getOutputStream());
    }

    /** An answer's body and the headers the converter adds (its content type), before any of it goes out. */
    private static final class Buffered implements HttpOutputMessage {
        final HttpHeaders headers = new HttpHeaders();
        final ByteArrayOutputStream body = new ByteArrayOutputStream(256);

        @Override
        public OutputStream getBody() {
            return body;
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }
    }

    /** What DispatcherServlet.processHandlerException does: the resolvers answer (ApiErrors), or the exception goes on. */
    private static void resolve(Parts p, HttpServletRequest req, HttpServletResponse res, Exception e)
            throws IOException, ServletException {
        req.removeAttribute(HandlerMapping.PRODUCIBLE_MEDIA_TYPES_ATTRIBUTE);
        if (!res.isCommitted()) {
            res.setHeader(HttpHeaders.CONTENT_TYPE, null);
            res.setHeader(HttpHeaders.CONTENT_DISPOSITION, null);
            res.resetBuffer();
        }
        ModelAndView answered = p.resolver().resolveException(req, res, p.handler(), e);
        if (answered == null) {
            if (e instanceof IOException io) throw io;
            if (e instanceof ServletException se) throw se;
            if (e instanceof RuntimeException re) throw re;
            throw new ServletException(e);
        }
        if (answered.isEmpty()) req.setAttribute(DispatcherServlet.EXCEPTION_ATTRIBUTE, e);
    }

    @SuppressWarnings("unchecked")
    private Parts parts() {
        Parts p = parts;
        if (p != null) return p;
        SmartHttpMessageConverter<Object> json = null;
        for (HttpMessageConverter<?> c : adapter.get().getMessageConverters()) {
            if (c instanceof SmartHttpMessageConverter<?> s && s.canRead(SEND, MediaType.APPLICATION_JSON)) {
                json = (SmartHttpMessageConverter<Object>) s;
                break;
            }
        }
        if (json == null) throw new IllegalStateException("no JSON converter among MVC's");
        NotificationsController c = controller.get();
        HandlerMethod handler;
        try {
            handler = new HandlerMethod(c,
                    NotificationsController.class.getMethod("send", SendBodies.Send.class, HttpServletRequest.class));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        return parts = new Parts(c, json, handler, resolver.get());
    }

    /**
     * Whether this filter answers the request itself (when enabled): a JSON single send that accepts JSON. Asked three
     * times a request (the observation's predicate, the timer, this filter): answered once, kept on the request.
     */
    public static boolean takes(HttpServletRequest req) {
        if (req.getAttribute(TAKES) instanceof Boolean known) return known;
        boolean takes = "POST".equals(req.getMethod()) && PATH.equals(req.getRequestURI().substring(req.getContextPath().length()))
                && isJson(req.getContentType()) && acceptsJson(req.getHeader(HttpHeaders.ACCEPT));
        req.setAttribute(TAKES, takes);
        return takes;
    }

    /** application/json, with or without parameters (charset); anything else is MVC's to answer (415...). */
    static boolean isJson(String contentType) {
        if (contentType == null) return false;
        int end = contentType.indexOf(';');
        String type = (end < 0 ? contentType : contentType.substring(0, end)).trim();
        return type.equalsIgnoreCase(MediaType.APPLICATION_JSON_VALUE);
    }

    /** No Accept, or one that plainly admits JSON; a narrower one goes to MVC's content negotiation (406). */
    static boolean acceptsJson(String accept) {
        if (accept == null || accept.isBlank()) return true;
        for (String part : accept.split(",")) {
            int end = part.indexOf(';');
            String type = (end < 0 ? part : part.substring(0, end)).trim();
            if (type.equals("*/*") || type.equalsIgnoreCase("application/*") || type.equalsIgnoreCase(MediaType.APPLICATION_JSON_VALUE)) {
                // a q=0 excludes it: leave such a header to MVC
                return end < 0 || !part.substring(end).replace(" ", "").contains("q=0");
            }
        }
        return false;
    }
}
