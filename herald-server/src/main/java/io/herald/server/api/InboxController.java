package io.herald.server.api;

import io.herald.core.inbox.InboxAction;
import io.herald.core.inbox.InboxFilter;
import io.herald.core.inbox.InboxItem;
import io.herald.core.inbox.InboxService;
import io.herald.core.inbox.InboxUser;
import io.herald.server.http.ApiProblem;
import io.herald.server.inbox.InboxAuthFilter;
import io.herald.server.inbox.InboxStreams;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The end user's inbox, authenticated by an inbox token (see {@link InboxAuthFilter}): every call sees only the
 * token's user of the token's app.
 */
@RestController
@RequestMapping("/v1/inbox")
public class InboxController {

    private final InboxService inbox;
    private final InboxStreams streams;

    public InboxController(InboxService inbox, InboxStreams streams) {
        this.inbox = inbox;
        this.streams = streams;
    }

    @GetMapping
    @ProblemResponses({400, 401, 503})
    public InboxResponses.Feed feed(@RequestParam(required = false) String cursor, @RequestParam(required = false) String status,
                                    @RequestParam(required = false) String limit, HttpServletRequest req) {
        InboxUser user = user(req);
        InboxFilter filter = status == null ? null : filter(status);
        Long before = cursor == null ? null : decodeCursor(cursor);
        int n = limit == null ? 50 : parseLimit(limit);
        InboxService.Page page = inbox.feed(user, filter, before, n);
        return new InboxResponses.Feed(page.items().stream().map(InboxResponses.Item::of).toList(),
                page.nextBeforeSeq() == null ? null : encodeCursor(page.nextBeforeSeq()), page.unreadCount());
    }

    @PostMapping("/{id}/read")
    @ProblemResponses({401, 404, 503})
    public InboxResponses.ItemAnswer read(@PathVariable String id, HttpServletRequest req) {
        return act(req, id, InboxAction.READ);
    }

    @PostMapping("/{id}/unread")
    @ProblemResponses({401, 404, 503})
    public InboxResponses.ItemAnswer unread(@PathVariable String id, HttpServletRequest req) {
        return act(req, id, InboxAction.UNREAD);
    }

    @PostMapping("/{id}/archive")
    @ProblemResponses({401, 404, 503})
    public InboxResponses.ItemAnswer archive(@PathVariable String id, HttpServletRequest req) {
        return act(req, id, InboxAction.ARCHIVE);
    }

    /** The user opened the item's url: records CLICKED (and reads the item). */
    @PostMapping("/{id}/click")
    @ProblemResponses({401, 404, 503})
    public InboxResponses.ItemAnswer click(@PathVariable String id, HttpServletRequest req) {
        InboxUser user = user(req);
        return answer(user, inbox.click(user, itemId(id)), id);
    }

    @PostMapping("/read-all")
    @ProblemResponses({401, 503})
    public InboxResponses.ReadAll readAll(HttpServletRequest req) {
        InboxUser user = user(req);
        int changed = inbox.readAll(user);
        return new InboxResponses.ReadAll(changed, inbox.unreadCount(user));
    }

    /**
     * Server-Sent Events: {@code message} (a new item; its id is the event id) and {@code count} ({@code unreadCount}).
     * A reconnecting EventSource sends {@code Last-Event-ID} (or {@code ?lastEventId=}) and gets what it missed first.
     */
    @GetMapping("/stream")
    @io.swagger.v3.oas.annotations.Operation(summary = "Server-Sent Events: message (an item) and count (unreadCount)")
    @ProblemResponses({400, 401, 429})
    public void stream(@RequestHeader(value = "Last-Event-ID", required = false) String lastEventId,
                       @RequestParam(value = "lastEventId", required = false) String lastEventIdParam, HttpServletRequest req,
                       HttpServletResponse res)
            throws IOException {
        InboxUser user = user(req);
        // the header is what a browser's own reconnect sends; the parameter serves clients that open a new EventSource
        if (lastEventId == null || lastEventId.isBlank()) lastEventId = lastEventIdParam;
        Long last = null;
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                last = Long.parseLong(lastEventId.trim());
                if (last < 0) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                throw new ApiProblem(400, "Bad request", "Last-Event-ID must be an event id this stream sent", null);
            }
        }
        try {
            streams.open(user, last, req, res, () -> {
                res.setStatus(200);
                res.setContentType("text/event-stream");
                res.setCharacterEncoding("UTF-8");
                res.setHeader("Cache-Control", "no-cache, no-transform");
                res.setHeader("X-Accel-Buffering", "no"); // nginx: do not buffer the stream
                return res.getOutputStream();
            });
        } catch (InboxStreams.TooManyStreams e) {
            throw new ApiProblem(429, "Too many streams", e.getMessage(), null);
        } catch (IOException e) {
            // the client went away: nothing to answer
        }
    }

    private InboxResponses.ItemAnswer act(HttpServletRequest req, String id, InboxAction action) {
        InboxUser user = user(req);
        return answer(user, inbox.act(user, itemId(id), action), id);
    }

    private InboxResponses.ItemAnswer answer(InboxUser user, Optional<InboxItem> item, String id) {
        InboxItem i = item.orElseThrow(() -> ApiProblem.notFound("inbox item " + id));
        return InboxResponses.ItemAnswer.of(i, inbox.unreadCount(user));
    }

    private static InboxUser user(HttpServletRequest req) {
        Object u = req.getAttribute(InboxAuthFilter.USER);
        if (u == null) throw new ApiProblem(401, "Unauthenticated", "an inbox token is required", null);
        return (InboxUser) u;
    }

    private static UUID itemId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound("inbox item " + id);
        }
    }

    private static InboxFilter filter(String status) {
        try {
            return InboxFilter.valueOf(status.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(400, "Bad request", "status must be unread, read or archived", null);
        }
    }

    private static int parseLimit(String limit) {
        try {
            int n = Integer.parseInt(limit);
            if (n >= 1 && n <= InboxService.MAX_PAGE) return n;
        } catch (NumberFormatException ignored) {
            // fall through to the problem
        }
        throw new ApiProblem(400, "Bad request", "limit must be a whole number from 1 to " + InboxService.MAX_PAGE, null);
    }

    /** Opaque to clients: the seq of the last item shown. */
    private static String encodeCursor(long seq) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("inbox:" + seq).getBytes(StandardCharsets.UTF_8));
    }

    private static long decodeCursor(String cursor) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (s.startsWith("inbox:")) {
                long seq = Long.parseLong(s.substring(6));
                if (seq > 0) return seq;
            }
        } catch (IllegalArgumentException ignored) {
            // fall through to the problem
        }
        throw new ApiProblem(400, "Bad request", "cursor is not a cursor this API gave out", null);
    }
}
