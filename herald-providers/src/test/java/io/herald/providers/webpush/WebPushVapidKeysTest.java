package io.herald.providers.webpush;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebPushVapidKeysTest {

    @TempDir
    Path dataDir;

    @Test
    void generatedKeysPersistAcrossProviderInstancesWithTheSameDataDirectory() throws Exception {
        String first;
        try (WebPushProvider a = new WebPushProvider(WebPushSettings.generatedKeys("mailto:ops@example.com", dataDir))) {
            first = a.vapidPublicKey();
        }
        Path file = dataDir.resolve(VapidKeys.KEY_FILE_NAME);
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        try (WebPushProvider b = new WebPushProvider(WebPushSettings.generatedKeys("mailto:ops@example.com", dataDir))) {
            assertThat(b.vapidPublicKey()).isEqualTo(first);
        }
        // an uncompressed P-256 point, as applicationServerKey wants it
        assertThat(P256.fromBase64(first)).hasSize(65).startsWith((byte) 4);
        try (var files = Files.list(dataDir)) {
            assertThat(files.toList()).as("no temporary file left behind").containsExactly(file);
        }
    }

    @Test
    void anotherDataDirectoryGetsOtherKeys(@TempDir Path other) {
        assertThat(VapidKeys.from(WebPushSettings.generatedKeys("mailto:a@b.c", other)).publicKeyBase64Url())
                .isNotEqualTo(VapidKeys.from(WebPushSettings.generatedKeys("mailto:a@b.c", dataDir)).publicKeyBase64Url());
    }

    @Test
    void configuredKeysAreUsedAndMustBelongTogether() {
        VapidKeys a = VapidKeys.generate();
        VapidKeys b = VapidKeys.generate();
        String aPrivate = P256.base64Url(P256.encodePrivate(a.privateKey()));

        VapidKeys configured = VapidKeys
                .from(WebPushSettings.configuredKeys("https://example.com/contact", a.publicKeyBase64Url(), aPrivate));

        assertThat(configured.publicKeyBase64Url()).isEqualTo(a.publicKeyBase64Url());
        assertThatThrownBy(() -> VapidKeys.of(b.publicKeyBase64Url(), aPrivate))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match");
    }

    @Test
    void settingsRefuseAContactThatIsNeitherMailtoNorHttps() {
        assertThatThrownBy(() -> WebPushSettings.generatedKeys("ops@example.com", dataDir))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
