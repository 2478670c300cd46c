package io.herald.postgres;

import io.herald.postgres.embedded.EmbeddedPostgresServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded engine's page cache setting: a PostgreSQL memory size, checked before anything starts. */
class HeraldDatabaseSettingsTest {

    private static HeraldDatabase.Settings with(String sharedBuffers) {
        return new HeraldDatabase.Settings(null, null, null, null, null, 8, 0, Duration.ofSeconds(3), sharedBuffers);
    }

    @Test
    void unsetOrBlankIsTheDefault() {
        assertThat(with(null).embeddedSharedBuffers()).isEqualTo(EmbeddedPostgresServer.SHARED_BUFFERS).isEqualTo("512MB");
        assertThat(with(" ").embeddedSharedBuffers()).isEqualTo("512MB");
        assertThat(new HeraldDatabase.Settings(null, null, null, null, null, 8, 0, Duration.ofSeconds(3)).embeddedSharedBuffers())
                .isEqualTo("512MB");
    }

    @Test
    void aSizeWithPostgresUnitsIsKept() {
        assertThat(with("4GB").embeddedSharedBuffers()).isEqualTo("4GB");
        assertThat(with("131072kB").embeddedSharedBuffers()).isEqualTo("131072kB");
    }

    @Test
    void anythingElseIsRefusedWithTheKeyToFix() {
        for (String bad : new String[]{"4 GB", "4gb", "512", "0MB", "lots", "-1GB", "512MB; DROP"}) {
            assertThatThrownBy(() -> with(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("herald.db.embedded-shared-buffers").hasMessageContaining(bad);
        }
    }
}
