package io.herald.server.api;

import io.herald.core.audience.Topic;
import io.herald.core.audience.TopicStore;
import io.herald.server.config.ApiProperties;
import io.herald.server.http.ApiProblem;
import io.herald.server.http.Checks;
import io.herald.server.security.Callers;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;

/** Topics of the calling app and their subscribers. */
@RestController
@RequestMapping("/v1/topics")
public class TopicsController {

    static final int KEY_MAX = 128;
    static final int NAME_MAX = 200;
    private static final String KEY_RULE = "must be 1 to " + KEY_MAX + " characters of letters, digits and . _ -";

    private final TopicStore topics;
    private final ApiProperties api;
    private final Clock clock;

    public TopicsController(TopicStore topics, ApiProperties api, Clock clock) {
        this.topics = topics;
        this.api = api;
        this.clock = clock;
    }

    public record TopicBody(String name) {
    }

    public record TopicView(String key, String name, Instant createdAt, Instant updatedAt) {
        static TopicView of(Topic t) {
            return new TopicView(t.key(), t.name(), t.createdAt(), t.updatedAt());
        }
    }

    public record TopicPage(List<TopicView> items, String nextCursor) {
    }

    public record SubscribersBody(List<String> userIds) {
    }

    public record Subscribed(String topic, int requested, int added) {
    }

    public record SubscriberView(String userId) {
    }

    public record SubscriberPage(List<SubscriberView> items, String nextCursor) {
    }

    static void checkKey(String field, String key, Checks c) {
        if (key == null || !key.matches("[A-Za-z0-9_.\\-]{1," + KEY_MAX + "}")) c.add(field, KEY_RULE);
    }

    private static void key(String key) {
        Checks c = new Checks();
        checkKey("key", key, c);
        c.throwIfAny();
    }

    @PutMapping("/{key}")
    @ProblemResponses({400, 401, 403, 404, 409, 413, 415, 422, 429, 503})
    public ResponseEntity<TopicView> put(@PathVariable String key, @RequestBody TopicBody body, HttpServletRequest req) {
        long app = Callers.app(req).id();
        Checks c = new Checks();
        checkKey("key", key, c);
        if (body == null || body.name() == null || body.name().isBlank()) c.add("name", "is required");
        else
            c.maxLength("name", body.name(), NAME_MAX);
        c.throwIfAny();
        boolean created = topics.put(app, key, body.name(), clock.instant());
        return ResponseEntity.status(created ? 201 : 200).body(TopicView.of(topics.find(app, key).orElseThrow()));
    }

    @GetMapping("/{key}")
    @ProblemResponses({400, 401, 403, 404, 429, 503})
    public TopicView get(@PathVariable String key, HttpServletRequest req) {
        return TopicView.of(topics.find(Callers.app(req).id(), key).orElseThrow(() -> ApiProblem.notFound("topic " + key)));
    }

    @GetMapping
    @ProblemResponses({400, 401, 403, 404, 429, 503})
    public TopicPage list(@RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit,
                          HttpServletRequest req) {
        Checks c = new Checks();
        String after = KeyCursor.decode(cursor, c);
        int lim = KeyCursor.limit(limit, c);
        c.throwAsBadParameters();
        List<Topic> rows = topics.list(Callers.app(req).id(), after, lim + 1);
        boolean more = rows.size() > lim;
        List<Topic> shown = more ? rows.subList(0, lim) : rows;
        return new TopicPage(shown.stream().map(TopicView::of).toList(), more ? KeyCursor.encode(shown.getLast().key()) : null);
    }

    @DeleteMapping("/{key}")
    @ProblemResponses({400, 401, 403, 404, 409, 429, 503})
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "204", description = "done; no body")
    public ResponseEntity<Void> delete(@PathVariable String key, HttpServletRequest req) {
        if (!topics.delete(Callers.app(req).id(), key)) throw ApiProblem.notFound("topic " + key);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{key}/subscribers")
    @ProblemResponses({400, 401, 403, 404, 409, 413, 415, 422, 429, 503})
    public Subscribed subscribe(@PathVariable String key, @RequestBody SubscribersBody body, HttpServletRequest req) {
        long app = Callers.app(req).id();
        key(key);
        Checks c = new Checks();
        if (body == null || body.userIds() == null) c.add("userIds", "is required");
        else if (body.userIds().size() > api.maxBatchSize())
            c.add("userIds", "at most " + api.maxBatchSize() + " per call; got " + body.userIds().size());
        else
            for (int i = 0; i < body.userIds().size(); i++) {
                if (!Checks.isId(body.userIds().get(i))) c.add("userIds[" + i + "]", Checks.ID_RULE);
            }
        c.throwIfAny();
        if (topics.find(app, key).isEmpty()) throw ApiProblem.notFound("topic " + key);
        List<String> ids = List.copyOf(new LinkedHashSet<>(body.userIds()));
        return new Subscribed(key, ids.size(), topics.subscribe(app, key, ids, clock.instant()));
    }

    @DeleteMapping("/{key}/subscribers/{userId}")
    @ProblemResponses({400, 401, 403, 404, 409, 429, 503})
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "204", description = "done; no body")
    public ResponseEntity<Void> unsubscribe(@PathVariable String key, @PathVariable String userId, HttpServletRequest req) {
        long app = Callers.app(req).id();
        if (topics.find(app, key).isEmpty()) throw ApiProblem.notFound("topic " + key);
        if (!topics.unsubscribe(app, key, userId)) throw ApiProblem.notFound("subscription of " + userId + " to " + key);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{key}/subscribers")
    @ProblemResponses({400, 401, 403, 404, 429, 503})
    public SubscriberPage subscribers(@PathVariable String key, @RequestParam(required = false) String cursor,
                                      @RequestParam(required = false) Integer limit, HttpServletRequest req) {
        long app = Callers.app(req).id();
        Checks c = new Checks();
        String after = KeyCursor.decode(cursor, c);
        int lim = KeyCursor.limit(limit, c);
        c.throwAsBadParameters();
        if (topics.find(app, key).isEmpty()) throw ApiProblem.notFound("topic " + key);
        List<String> rows = topics.subscribers(app, key, after, lim + 1);
        boolean more = rows.size() > lim;
        List<String> shown = more ? rows.subList(0, lim) : rows;
        return new SubscriberPage(shown.stream().map(SubscriberView::new).toList(), more ? KeyCursor.encode(shown.getLast()) : null);
    }
}
