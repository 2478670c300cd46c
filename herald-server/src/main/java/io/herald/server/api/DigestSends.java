package io.herald.server.api;

import io.herald.core.audience.DigestService;
import io.herald.core.intake.SendRequest;
import io.herald.server.http.Checks;
import org.springframework.http.ResponseEntity;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/** A send with {@code digest: {key, window}}: it joins the user's open window instead of going out at once. */
final class DigestSends {

    private DigestSends() {
    }

    /** The answer: no notification yet; the window it joined and when that closes. */
    public record Digested(String eventId, DigestView digest, List<Object> notifications) {
    }

    public record DigestView(String key, UUID digestId, Instant flushAt, int count) {
    }

    /** @return the answer, or null when the send is not digested (HIGH priority) and goes out as usual */
    static ResponseEntity<Digested> accept(DigestService digests, long app, SendRequest request, SendBodies.DigestBody body) {
        Checks c = new Checks();
        TopicsController.checkKey("digest.key", body.key(), c);
        Duration window = null;
        if (body.window() == null) c.add("digest.window", "is required, e.g. \"PT10M\"");
        else {
            try {
                window = Duration.parse(body.window());
            } catch (DateTimeParseException e) {
                c.add("digest.window", "must be an ISO-8601 duration such as PT10M");
            }
        }
        c.throwIfAny();
        if (!DigestService.digests(request)) return null; // HIGH keeps its own lanes and is never held back
        var d = digests.accept(app, request, body.key(), window);
        var w = d.window();
        return ResponseEntity.status(w.replay() ? 200 : 202)
                .body(new Digested(d.eventId(), new DigestView(body.key(), w.digestId(), w.flushAt(), w.count()), List.of()));
    }
}
