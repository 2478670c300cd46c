package io.herald.server.process;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A digest window survives SIGKILL: two sends join a window, the process dies before it closes, and a new process
 * flushes it once: one notification carrying both sends' data, never two.
 */
@Tag("process")
class DigestRestartTest extends ProcessTestBase {

    private static final Duration READY = Duration.ofSeconds(90);

    DigestRestartTest() {
        super("digestrestart");
    }

    private ServerProcess server(String id) {
        return start(ServerProcess.builder(schema, id).set("herald.audience.poll-interval", "200ms")).awaitReady(READY);
    }

    private static String digestSend(String eventId, String who) {
        return """
                {"eventId":"%s","userId":"dana","channels":["EMAIL"],"content":{"subject":"New comments","text":"See them"},
                 "data":{"who":"%s"},"digest":{"key":"comments","window":"PT20S"}}""".formatted(eventId, who);
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aWindowOpenWhenItsProcessWasKilledIsFlushedOnceByTheNext() {
        ServerProcess first = server("digest-1");
        HttpResponse<String> user = first.post("/v1/users/batch", "{\"users\":[{\"userId\":\"dana\",\"email\":\"dana@example.com\"}]}");
        assertThat(user.statusCode()).as(user.body()).isEqualTo(200);
        HttpResponse<String> a = first.post("/v1/notifications", digestSend("comment-1", "ann"));
        HttpResponse<String> b = first.post("/v1/notifications", digestSend("comment-2", "bob"));
        assertThat(a.statusCode()).as(a.body()).isEqualTo(202);
        assertThat(b.statusCode()).as(b.body()).isEqualTo(202);
        assertThat(first.kill9()).isEqualTo(137);

        String digestId = Payloads.JSON.readTree(a.body()).get("digest").get("digestId").asString();
        assertThat(Payloads.JSON.readTree(b.body()).get("digest").get("digestId").asString()).as("one window").isEqualTo(digestId);
        assertThat(db.strings("SELECT status FROM digests WHERE id = ?::uuid", digestId)).containsExactly("OPEN");
        assertThat(db.count("SELECT jsonb_array_length(events) FROM digests WHERE id = ?::uuid", digestId)).isEqualTo(2);
        assertThat(db.count("SELECT count(*) FROM notifications")).as("nothing sent before the window closes").isZero();

        ServerProcess second = server("digest-2");
        SchemaDb.await("the window flushed by the new process", Duration.ofSeconds(90),
                () -> db.count("SELECT count(*) FROM notifications WHERE event_id = ?", "digest-" + digestId) > 0);
        SchemaDb.await("its notification sent", Duration.ofSeconds(60),
                () -> db.count("SELECT count(*) FROM notifications WHERE event_id = ? AND status = 'SENT'", "digest-" + digestId) == 1);
        assertThat(db.strings("SELECT status FROM digests WHERE id = ?::uuid", digestId)).doesNotContain("OPEN");
        assertThat(db.count("SELECT count(*) FROM notifications")).as("one delivery for both sends").isEqualTo(1);
        HttpResponse<String> replay = second.post("/v1/notifications", digestSend("comment-1", "ann"));
        assertThat(replay.statusCode()).as("the eventId is still taken: " + replay.body()).isIn(200, 202);
        assertThat(db.count("SELECT count(*) FROM notifications")).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM digests WHERE user_id = 'dana'")).as("a replay opens no new window").isEqualTo(1);
    }
}
