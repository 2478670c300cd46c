package io.herald.postgres;

import io.herald.core.inbox.InboxSignals;
import io.herald.core.inbox.InboxUser;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The herald_inbox payloads, as PostgresInboxStore notifies them, reach the listener as typed signals. */
class PostgresInboxSignalsTest {

    private final List<String> heard = new ArrayList<>();
    private final PostgresInboxSignals signals = new PostgresInboxSignals();

    PostgresInboxSignalsTest() {
        signals.listen(new InboxSignals.Listener() {
            @Override
            public void newItem(InboxUser user, long seq) {
                heard.add("new " + user.appId() + "/" + user.userId() + " " + seq);
            }

            @Override
            public void countChanged(InboxUser user) {
                heard.add("count " + user.appId() + "/" + user.userId());
            }

            @Override
            public void mayHaveMissedSignals() {
                heard.add("missed");
            }
        });
    }

    @Test
    void payloadsBecomeSignalsAndUserIdsMayHoldColons() {
        signals.accept("m:42:7:ada");
        signals.accept("c:7:user:with:colons");
        signals.accept("m:43:7:user:with:colons");
        signals.accept(PostgresWorkListener.RECONNECTED);
        assertThat(heard).containsExactly("new 7/ada 42", "count 7/user:with:colons", "new 7/user:with:colons 43", "missed");
    }

    @Test
    void malformedOrUnknownPayloadsAreIgnored() {
        signals.accept("m:notanumber:7:ada");
        signals.accept("c:x:ada");
        signals.accept("z:1:2:3");
        signals.accept("m:1");
        assertThat(heard).isEmpty();
    }
}
