package io.herald.server.audience;

import io.herald.server.ServerTestBase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** deliverAt {localTime, date}: single sends and a broadcast over users in zones more than a day apart. */
class LocalTimeDeliveryTest extends ServerTestBase {

    private static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).plusDays(10);

    private static Instant nineOn(String zone) {
        return ZonedDateTime.of(DAY, LocalTime.of(9, 0), ZoneId.of(zone)).toInstant();
    }

    @Test
    void aSingleSendAndABroadcastAreScheduledAtNineInEachRecipientsZone() {
        String p = "lt-" + UUID.randomUUID().toString().substring(0, 8), topic = p + "-topic";
        Reply imported = call("POST", "/v1/users/batch", APP, """
                {"users":[
                  {"userId":"%1$s-kir","email":"a@example.com","timezone":"Pacific/Kiritimati","topics":["%2$s"]},
                  {"userId":"%1$s-seo","email":"b@example.com","timezone":"Asia/Seoul","topics":["%2$s"]},
                  {"userId":"%1$s-pag","email":"c@example.com","timezone":"Pacific/Pago_Pago","topics":["%2$s"]},
                  {"userId":"%1$s-none","email":"d@example.com","topics":["%2$s"]}
                ]}""".formatted(p, topic));
        assertThat(imported.status()).as(imported.raw()).isEqualTo(200);

        Reply single = call("POST", "/v1/notifications", APP, """
                {"eventId":"%s-single","userId":"%s-seo","channels":["EMAIL"],"content":{"subject":"s","text":"t"},
                 "deliverAt":{"localTime":"09:00","date":"%s"}}""".formatted(p, p, DAY));
        assertThat(single.status()).as(single.raw()).isEqualTo(202);
        assertThat(single.body().get("notifications").get(0).get("status").asString()).isEqualTo("SCHEDULED");
        JsonNode view = call("GET", "/v1/notifications/" + single.body().get("notifications").get(0).get("id").asString(), APP, null)
                .body();
        assertThat(Instant.parse(view.get("sendAt").asString())).isEqualTo(nineOn("Asia/Seoul"));

        Reply b = call("POST", "/v1/notifications", APP, """
                {"eventId":"%s-bcast","topic":"%s","channels":["EMAIL"],"content":{"subject":"s","text":"t"},
                 "deliverAt":{"localTime":"09:00","date":"%s"}}""".formatted(p, topic, DAY));
        assertThat(b.status()).as(b.raw()).isEqualTo(202);
        await("/v1/broadcasts/" + b.body().get("broadcastId").asString(), APP, r -> r.body().get("status").asString().equals("COMPLETED"));
        Map<String, Instant> at = new HashMap<>();
        call("GET", "/v1/notifications?eventId=" + p + "-bcast", APP, null).body().get("items")
                .forEach(n -> at.put(n.get("userId").asString(), Instant.parse(n.get("sendAt").asString())));
        assertThat(at).containsExactlyInAnyOrderEntriesOf(Map.of(
                p + "-kir", nineOn("Pacific/Kiritimati"), p + "-seo", nineOn("Asia/Seoul"), p + "-pag", nineOn("Pacific/Pago_Pago"),
                p + "-none", nineOn("UTC"))); // the default zone (herald.policy.default-zone) for a user without one

        assertThat(call("POST", "/v1/notifications", APP, """
                {"eventId":"%s-bad","userId":"%s-seo","channels":["EMAIL"],"content":{"subject":"s","text":"t"},
                 "deliverAt":{"localTime":"25:00"}}""".formatted(p, p)).status()).isEqualTo(422);
        assertThat(call("POST", "/v1/notifications", APP, """
                {"eventId":"%s-bad2","userId":"%s-seo","channels":["EMAIL"],"content":{"subject":"s","text":"t"},
                 "deliverAt":{"localTime":"09:00"},"sendAt":"2030-01-01T00:00:00Z"}""".formatted(p, p)).status()).isEqualTo(422);
    }
}
