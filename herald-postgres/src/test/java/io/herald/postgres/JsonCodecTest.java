package io.herald.postgres;

import io.herald.core.model.Target;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The flat target forms are written without a tree: they must be the very text a tree gives, and read back. */
class JsonCodecTest {

    private static String tree(String type, String field, String value) {
        ObjectNode n = JsonCodec.MAPPER.createObjectNode();
        return n.put("type", type).put(field, value).toString();
    }

    @Test
    void flatTargetsAreTheTreesTextAndReadBack() {
        // quotes, backslashes, control characters, non-ASCII and a surrogate pair all escaped as Jackson escapes them
        String awkward = "a\"b\\c\u0001\n\t\u00e9\u2028\ud83d\ude00@example.com";
        assertThat(JsonCodec.target(new Target.Email(awkward))).isEqualTo(tree("EMAIL", "address", awkward));
        assertThat(JsonCodec.target(new Target.Email("ada@example.com"))).isEqualTo("{\"type\":\"EMAIL\",\"address\":\"ada@example.com\"}");
        assertThat(JsonCodec.target(new Target.Phone("+14155550100"))).isEqualTo(tree("PHONE", "address", "+14155550100"));
        assertThat(JsonCodec.target(new Target.Inbox(awkward))).isEqualTo(tree("INBOX", "userId", awkward));
        for (Target t : new Target[]{new Target.Email(awkward), new Target.Phone("+14155550100"), new Target.Inbox(awkward)}) {
            assertThat(JsonCodec.target(JsonCodec.target(t))).isEqualTo(t);
        }
    }

    @Test
    void aStreamedReceiptIsTheTreesTextAndReadsBack() {
        String awkward = "e\"v\\t\u0001\n\u00e9\ud83d\ude00";
        var r = new io.herald.core.intake.SendReceipt(awkward, java.util.List.of(
                new io.herald.core.intake.SendReceipt.Item(java.util.UUID.randomUUID(), io.herald.core.model.Channel.EMAIL,
                        "***@example.com", io.herald.core.model.Status.QUEUED, null),
                new io.herald.core.intake.SendReceipt.Item(java.util.UUID.randomUUID(), io.herald.core.model.Channel.SMS, null,
                        io.herald.core.model.Status.SUPPRESSED, io.herald.core.model.Reason.values()[0])));
        ObjectNode n = JsonCodec.MAPPER.createObjectNode().put("eventId", r.eventId());
        var arr = n.putArray("notifications");
        for (var i : r.notifications()) {
            ObjectNode o = arr.addObject().put("id", i.id().toString()).put("channel", i.channel().name()).put("status", i.status().name());
            if (i.target() != null) o.put("target", i.target());
            if (i.reason() != null) o.put("reason", i.reason().name());
        }
        assertThat(JsonCodec.receipt(r)).isEqualTo(n.toString());
        assertThat(JsonCodec.receipt(JsonCodec.receipt(r))).isEqualTo(r);
        assertThat(JsonCodec.receipt(new io.herald.core.intake.SendReceipt("e", java.util.List.of())))
                .isEqualTo("{\"eventId\":\"e\",\"notifications\":[]}");
    }
}
