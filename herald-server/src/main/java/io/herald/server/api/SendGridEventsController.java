package io.herald.server.api;

import io.herald.providers.email.SendGridEventSignature;
import io.herald.server.engagement.SendGridEvents;
import io.herald.server.http.ApiProblem;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;

/** SendGrid's Signed Event Webhook: receipts, bounces, complaints, opens and clicks of mail Herald sent. */
@RestController
public class SendGridEventsController {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SendGridEvents events;
    private final Clock clock;

    public SendGridEventsController(SendGridEvents events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    @PostMapping("/v1/webhooks/sendgrid/events")
    @ProblemResponses({400, 403, 404, 413, 415})
    public SendGridEvents.Outcome receive(@RequestBody(required = false) byte[] body,
                                          @RequestHeader(value = SendGridEventSignature.SIGNATURE_HEADER, required = false) String signature,
                                          @RequestHeader(value = SendGridEventSignature.TIMESTAMP_HEADER, required = false) String timestamp) {
        if (!events.configured()) {
            throw ApiProblem.notFound("SendGrid event webhook (set herald.engagement.sendgrid-event-public-key)");
        }
        // verified over the exact bytes received, before anything is parsed
        if (!events.verified(signature, timestamp, body)) {
            throw ApiProblem.forbidden(SendGridEventSignature.SIGNATURE_HEADER + " does not match the body and timestamp");
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(body);
        } catch (RuntimeException e) {
            throw new ApiProblem(400, "Malformed body", "the body is not JSON", null);
        }
        if (parsed == null || !parsed.isArray())
            throw new ApiProblem(400, "Malformed body", "the body must be a JSON array of events", null);
        return events.apply(parsed, clock.instant());
    }
}
