package io.herald.core.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutboundGuardTest {

    private final OutboundGuard strict = OutboundGuard.strict();

    @ParameterizedTest
    @ValueSource(strings = {
            "https://127.0.0.1/x", "https://127.1.2.3/", "https://10.0.0.8/", "https://172.16.5.4/", "https://192.168.1.1/",
            "https://169.254.169.254/latest/meta-data/", "https://100.100.100.200/", "https://0.0.0.0/", "https://[::1]/",
            "https://[::]/", "https://[fe80::1]/", "https://[fd00:ec2::254]/", "https://[fc00::1]/", "https://[::ffff:127.0.0.1]/",
            "https://[::ffff:169.254.169.254]/", "https://[64:ff9b::a9fe:a9fe]/", "https://[2002:7f00:1::]/", "https://224.0.0.1/",
            "https://255.255.255.255/", "https://localhost/", "https://LOCALHOST./", "https://push.localhost/", "https://printer.local/",
            "https://metadata.google.internal/", "https://metadata/", "http://push.example.com/x", "ftp://push.example.com/",
            "file:///etc/passwd", "https:///nohost", "not a url", "https://2130706433/", "//push.example.com/x"})
    void refusesInternalTargetsAndPlainHttpAtRegistration(String url) {
        assertThat(strict.problemWith(url)).as(url).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://fcm.googleapis.com/fcm/send/abc", "https://updates.push.services.mozilla.com/wpush/v2/x",
            "https://8.8.8.8/", "https://[2001:4860:4860::8888]/", "https://push.example.com:8443/a?b=c"})
    void acceptsPublicHttpsTargets(String url) {
        assertThat(strict.problemWith(url)).as(url).isEmpty();
    }

    @Test
    void allowedHostsMayBeInternalAndPlainHttp() {
        OutboundGuard tests = OutboundGuard.allowing(" 127.0.0.1, LocalHost ,");
        assertThat(tests.allowedHosts()).containsExactlyInAnyOrder("127.0.0.1", "localhost");
        assertThat(tests.problemWith("http://127.0.0.1:8081/push")).isEmpty();
        assertThat(tests.problemWith("http://localhost:8081/push")).isEmpty();
        // only the listed hosts
        assertThat(tests.problemWith("http://127.0.0.2/push")).isPresent();
        assertThat(tests.problemWith("https://10.1.1.1/push")).isPresent();
        assertThat(tests.problemWith("gopher://localhost/")).isPresent();
    }

    @Test
    void connectTimeResolvesNamesAndChecksEveryAddress() throws Exception {
        // a public name that passes the registration check, then resolves inside: a rebinding DNS answer
        var rebound = strict.withResolver(host -> new java.net.InetAddress[]{java.net.InetAddress.ofLiteral("93.184.215.14"),
                java.net.InetAddress.ofLiteral("169.254.169.254")});
        assertThat(rebound.problemWith("https://push.example.com/x")).isEmpty();
        assertThatThrownBy(() -> rebound.checkBeforeConnect(URI.create("https://push.example.com/x")))
                .isInstanceOf(OutboundRefusedException.class).hasMessageContaining("169.254.169.254");
        var fine = strict.withResolver(host -> new java.net.InetAddress[]{java.net.InetAddress.ofLiteral("93.184.215.14")});
        assertThatCode(() -> fine.checkBeforeConnect(URI.create("https://push.example.com/x"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> strict.checkBeforeConnect(URI.create("https://[::1]:8443/x")))
                .isInstanceOf(OutboundRefusedException.class);
        assertThat(OutboundGuard.forbidden(java.net.InetAddress.getByName("localhost"))).isTrue();
        assertThatCode(() -> OutboundGuard.allowing("localhost").checkBeforeConnect(URI.create("http://localhost:1/x")))
                .doesNotThrowAnyException();
        assertThatCode(() -> strict.checkBeforeConnect(URI.create("https://8.8.8.8/x"))).doesNotThrowAnyException();
    }
}
