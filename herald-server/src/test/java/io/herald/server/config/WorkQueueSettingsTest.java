package io.herald.server.config;

import io.herald.core.model.Channel;
import io.herald.core.model.Platform;
import io.herald.core.queue.WorkQueue;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** herald.worker-channels and herald.dispatch.channels.* as Spring binds them from configuration. */
class WorkQueueSettingsTest {

    static final WorkQueue IOS = new WorkQueue(Channel.PUSH, Platform.IOS), ANDROID = new WorkQueue(Channel.PUSH, Platform.ANDROID),
            WEB = new WorkQueue(Channel.PUSH, Platform.WEB), EMAIL = new WorkQueue(Channel.EMAIL, null);

    private static <T> T bind(String prefix, Class<T> type, Map<String, String> props) {
        return new Binder(new MapConfigurationPropertySource(props)).bindOrCreate(prefix, type);
    }

    @Test
    void workersServeNamedQueuesAndPushMeansEveryPlatform() {
        assertThat(bind("herald", NodeProperties.class, Map.of()).workerQueues()).isEqualTo(WorkQueue.all());
        assertThat(bind("herald", NodeProperties.class, Map.of("herald.worker-channels", "PUSH_IOS,email")).workerQueues())
                .containsExactly(IOS, EMAIL);
        assertThat(bind("herald", NodeProperties.class, Map.of("herald.worker-channels", "PUSH")).workerQueues())
                .containsExactly(IOS, ANDROID, WEB);
        assertThatThrownBy(() -> bind("herald", NodeProperties.class, Map.of("herald.worker-channels", "PUSH_BLACKBERRY")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("herald.worker-channels")
                .hasMessageContaining("PUSH_BLACKBERRY");
    }

    @Test
    void aQueuesSettingsWinOverItsChannelsWhichWinOverTheDefaults() {
        DispatchProperties p = bind("herald.dispatch", DispatchProperties.class, Map.of(
                "herald.dispatch.defaults.concurrency", "10",
                "herald.dispatch.defaults.max-age", "2h",
                "herald.dispatch.channels.PUSH.concurrency", "20",
                "herald.dispatch.channels.PUSH.max-reclaims", "7",
                "herald.dispatch.channels.PUSH_IOS.concurrency", "30",
                "herald.dispatch.channels.[PUSH_WEB].max-age", "30m",
                "herald.dispatch.channels.PUSH_ANDROID.handoff-headroom", "0"));
        assertThat(p.settingsFor(IOS).concurrency()).isEqualTo(30);
        assertThat(p.settingsFor(IOS).retryPolicy().maxReclaims()).isEqualTo(7);
        assertThat(p.settingsFor(ANDROID).concurrency()).isEqualTo(20);
        assertThat(p.settingsFor(ANDROID).retryPolicy().maxAge()).isEqualTo(Duration.ofHours(2));
        assertThat(p.settingsFor(WEB).retryPolicy().maxAge()).isEqualTo(Duration.ofMinutes(30));
        assertThat(p.settingsFor(EMAIL).concurrency()).isEqualTo(10);
        assertThat(p.settingsFor(EMAIL).retryPolicy().maxReclaims()).isEqualTo(5);
        assertThat(p.settingsFor(IOS).handoffHeadroom()).as("3 x the queue's own concurrency").isEqualTo(90);
        assertThat(p.settingsFor(ANDROID).handoffHeadroom()).isZero();
        assertThat(bind("herald.dispatch", DispatchProperties.class, Map.of()).settingsFor(EMAIL).retryPolicy().maxAge())
                .isEqualTo(Duration.ofHours(24));
    }

    @Test
    void aProvidersPreferredConcurrencyAppliesOnlyWhereNothingIsConfigured() {
        DispatchProperties none = bind("herald.dispatch", DispatchProperties.class, Map.of());
        assertThat(none.settingsFor(IOS, 500).concurrency()).isEqualTo(500);
        assertThat(none.settingsFor(IOS, 500).handoffHeadroom()).isEqualTo(1500);
        assertThat(none.settingsFor(ANDROID, 0).concurrency()).as("no opinion: the general default").isEqualTo(64);
        for (String key : new String[]{"herald.dispatch.defaults.concurrency", "herald.dispatch.channels.PUSH.concurrency",
                "herald.dispatch.channels.PUSH_IOS.concurrency"}) {
            DispatchProperties set = bind("herald.dispatch", DispatchProperties.class, Map.of(key, "16"));
            assertThat(set.settingsFor(IOS, 500).concurrency()).as(key + " wins over the provider").isEqualTo(16);
        }
    }

    @Test
    void anUnknownQueueInTheSettingsStopsTheStart() {
        assertThatThrownBy(
                () -> bind("herald.dispatch", DispatchProperties.class, Map.of("herald.dispatch.channels.PIGEON.concurrency", "1")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("PIGEON");
    }
}
