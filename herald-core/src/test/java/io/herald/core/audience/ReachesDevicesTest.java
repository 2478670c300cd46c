package io.herald.core.audience;

import io.herald.core.intake.SendRequest;
import io.herald.core.model.Channel;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A broadcast's pages load devices only when its send can reach them. */
class ReachesDevicesTest {

    private static SendRequest send(Set<Channel> channels) {
        return new SendRequest("e", null, List.of(), channels, "welcome", null, null, null, null, null, null, null, null);
    }

    @Test
    void devicesAreLoadedForPushAndWhenTheTemplatesDefaultsDecide() {
        assertThat(BroadcastFanout.reachesDevices(send(EnumSet.of(Channel.PUSH, Channel.EMAIL)))).isTrue();
        assertThat(BroadcastFanout.reachesDevices(send(null))).as("no channels named: the template's defaults may hold PUSH").isTrue();
        assertThat(BroadcastFanout.reachesDevices(send(Set.of()))).isTrue();
        assertThat(BroadcastFanout.reachesDevices(send(EnumSet.of(Channel.EMAIL, Channel.SMS, Channel.IN_APP)))).isFalse();
    }
}
