package io.herald.server.wiring;

import io.herald.core.model.Channel;
import io.herald.server.HeraldServer;
import io.herald.server.config.ConfigurationKeys;
import io.herald.server.config.ConfiguredProvider;
import io.herald.server.config.ProviderChecks;
import io.herald.server.config.ProviderProperties;
import io.herald.server.config.ProviderRegistry;
import io.herald.server.config.PublicProperties;
import io.herald.server.config.RealProviderProperties;
import io.herald.server.config.RoutingTable;
import io.herald.testkit.email.ScriptedSmtpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Configuring providers as a new user would, without a server: which channel a provider joins, and the messages
 * of every mistake, each naming the full configuration key and what to set.
 */
class ProviderSetupTest {

    @TempDir
    Path dir;

    private final ProviderConfiguration.Closeables closeables = new ProviderConfiguration.Closeables();

    @AfterEach
    void close() {
        closeables.close();
    }

    /** Binds the properties the way Spring does, then builds the providers and the routing. */
    private ProviderRegistry registry(Map<String, String> properties) {
        var sources = List.<org.springframework.boot.context.properties.source.ConfigurationPropertySource>of(
                new MapConfigurationPropertySource(properties));
        Binder binder = new Binder(sources);
        var real = binder.bindOrCreate("herald.providers", Bindable.of(RealProviderProperties.class));
        var props = binder.bindOrCreate("herald.providers", Bindable.of(ProviderProperties.class));
        var pub = binder.bindOrCreate("herald.public", Bindable.of(PublicProperties.class));
        var links = new io.herald.providers.email.SealedUnsubscribeLinks("k".repeat(32).getBytes(StandardCharsets.UTF_8), pub.baseUrl(),
                false);
        var configured = new ProviderFactory(real, props, sources, pub, dir, links, closeables, Clock.systemUTC(),
                io.herald.core.net.OutboundGuard.strict()).build();
        return new ProviderRegistry(props, configured);
    }

    private static Map<String, String> smtp(String prefix) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(prefix + ".host", "127.0.0.1");
        m.put(prefix + ".port", "2525");
        m.put(prefix + ".security", "OFF");
        m.put(prefix + ".from", "Herald <noreply@herald.test>");
        return m;
    }

    private static List<String> names(ProviderRegistry r, Channel c) {
        return r.channels().get(c).stream().map(io.herald.core.provider.ChannelProvider::name).toList();
    }

    @Test
    void aConfiguredProviderJoinsItsChannelWhenTheChannelIsNotListed() {
        ProviderRegistry r = registry(smtp("herald.providers.smtp"));
        assertThat(names(r, Channel.EMAIL)).containsExactly("smtp");
        assertThat(r.sandbox(Channel.EMAIL)).isNull();
        assertThat(names(r, Channel.SMS)).containsExactly("sandbox");
        assertThat(r.sandboxOnly()).contains(Channel.SMS, Channel.PUSH).doesNotContain(Channel.EMAIL);
    }

    @Test
    void aProviderBuiltIntoTheServerJoinsItsChannelLikeAConfiguredOne() {
        var inProcess = new io.herald.core.provider.ChannelProvider() {
            public String name() {
                return "in-process";
            }

            public Channel channel() {
                return Channel.SMS;
            }

            public io.herald.core.provider.SendResult send(io.herald.core.provider.OutboundMessage message) {
                return io.herald.core.provider.SendResult.accepted("x");
            }
        };
        Map<String, String> p = smtp("herald.providers.smtp");
        ProviderRegistry built = registry(p);
        ProviderRegistry r = new ProviderRegistry(new Binder(new MapConfigurationPropertySource(p))
                .bindOrCreate("herald.providers", Bindable.of(ProviderProperties.class)), built.configured(), List.of(inProcess));
        assertThat(names(r, Channel.SMS)).containsExactly("in-process");
        assertThat(new RoutingTable(r, new ProviderChecks(built.configured())).lines()).contains("SMS -> in-process (in process)");
    }

    @Test
    void aConfiguredProviderLeftOutOfAnExplicitListFailsStartUpSayingWhatToSet() {
        Map<String, String> p = smtp("herald.providers.smtp");
        p.put("herald.providers.channels.EMAIL[0]", "sandbox");
        assertThatThrownBy(() -> registry(p)).hasMessage("herald.providers.smtp is configured, but herald.providers.channels.EMAIL=sandbox"
                + " does not name 'smtp', so it would never be used: add it, e.g. herald.providers.channels.EMAIL=sandbox,smtp,"
                + " or remove herald.providers.smtp.host");
    }

    @Test
    void aListedProviderThatIsNotConfiguredNamesTheKeyThatConfiguresIt() {
        assertThatThrownBy(() -> registry(Map.of("herald.providers.channels.EMAIL", "smtp")))
                .hasMessageContaining("herald.providers.channels.EMAIL names provider 'smtp', which is not configured")
                .hasMessageContaining("set herald.providers.smtp.host");
        Map<String, String> p = smtp("herald.providers.smtp");
        p.put("herald.providers.channels.SMS", "smtp");
        assertThatThrownBy(() -> registry(p))
                .hasMessageContaining("herald.providers.channels.SMS names 'smtp', a smtp provider of channel EMAIL");
    }

    @Test
    void namedInstancesOfOneTypeAreListedByNameBesideTheTypeSection() {
        Map<String, String> p = new LinkedHashMap<>();
        p.putAll(smtp("herald.providers.smtp"));
        p.putAll(smtp("herald.providers.instances.relay-eu"));
        p.put("herald.providers.instances.relay-eu.type", "smtp");
        p.put("herald.providers.instances.relay-eu.port", "2526");
        p.put("herald.providers.channels.EMAIL", "relay-eu,smtp");
        ProviderRegistry r = registry(p);
        assertThat(names(r, Channel.EMAIL)).containsExactly("relay-eu", "smtp");
        assertThat(r.configured().named("relay-eu").orElseThrow().endpoint()).isEqualTo("127.0.0.1:2526");
        assertThat(r.configured().named("smtp").orElseThrow().endpoint()).isEqualTo("127.0.0.1:2525");
        assertThat(r.configured().named("relay-eu").orElseThrow().circuit().provider()).as("its breaker is its own").isEqualTo("relay-eu");

        Map<String, String> noType = smtp("herald.providers.instances.relay-us");
        assertThatThrownBy(() -> registry(noType))
                .hasMessageStartingWith("herald.providers.instances.relay-us.type is required (one of apns, fcm,");
        noType.put("herald.providers.instances.relay-us.type", "smpt");
        assertThatThrownBy(() -> registry(noType))
                .hasMessageStartingWith("herald.providers.instances.relay-us.type: unknown provider type 'smpt'");
    }

    @Test
    void apnsErrorsNameTheConfigurationKeyNotTheJavaField() throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("herald.providers.apns.topic", "com.example.app");
        assertThatThrownBy(() -> registry(p)).hasMessage("herald.providers.apns: no credentials; set herald.providers.apns.signing-key-file"
                + " with key-id and team-id (token auth, recommended) or herald.providers.apns.certificate-file with certificate-password"
                + " (certificate auth)");
        Path key = Files.writeString(dir.resolve("AuthKey.p8"), "not a key");
        p.put("herald.providers.apns.signing-key-file", key.toString());
        assertThatThrownBy(() -> registry(p)).hasMessageStartingWith("herald.providers.apns.key-id is required");
        p.put("herald.providers.apns.key-id", "KEY1234567");
        p.put("herald.providers.apns.team-id", "TEAM123456");
        assertThatThrownBy(() -> registry(p))
                .hasMessageStartingWith("herald.providers.apns: APNs setting herald.providers.apns.signing-key-file: "
                        + key + " is not an EC P-256 PKCS#8 (.p8) key");
        p.remove("herald.providers.apns.signing-key-file");
        p.put("herald.providers.apns.certificate-file", dir.resolve("missing.p12").toString());
        assertThatThrownBy(() -> registry(p))
                .hasMessageStartingWith("herald.providers.apns.certificate-file: file not found or not readable: ");
    }

    @Test
    void otherRequiredSettingsNameTheirKeys() {
        Map<String, String> p = smtp("herald.providers.smtp");
        p.remove("herald.providers.smtp.from");
        assertThatThrownBy(() -> registry(p)).hasMessageStartingWith("herald.providers.smtp.from is required");
        assertThatThrownBy(() -> registry(Map.of("herald.providers.twilio.account-sid", "AC1", "herald.providers.twilio.auth-token", "t")))
                .hasMessageStartingWith("herald.providers.twilio: set herald.providers.twilio.from");
        assertThatThrownBy(() -> registry(Map.of("herald.providers.fcm.service-account-file", "/nonexistent/firebase.json")))
                .hasMessage("herald.providers.fcm.service-account-file: file not found or not readable: /nonexistent/firebase.json");
        assertThatThrownBy(() -> registry(Map.of("herald.providers.webpush.subject", "mailto:ops@example.com",
                "herald.providers.webpush.vapid-public-key", "BAAA"))).hasMessageStartingWith(
                        "herald.providers.webpush: set both herald.providers.webpush.vapid-public-key and herald.providers.webpush.vapid-private-key");
    }

    @Test
    void twilioReceiptsGoToThePublicBaseUrlUnlessSetExplicitly() {
        Map<String, String> p = new LinkedHashMap<>(
                Map.of("herald.providers.twilio.account-sid", "AC1", "herald.providers.twilio.auth-token", "t",
                        "herald.providers.twilio.from", "+15005550006", "herald.public.base-url", "https://notify.example.com/"));
        assertThat(registry(p).configured().twilioAccounts()).singleElement()
                .satisfies(a -> assertThat(a.statusCallbackUrl()).hasToString("https://notify.example.com/v1/webhooks/twilio/status"));
        p.put("herald.providers.twilio.status-callback-url", "https://hooks.example.com/twilio");
        assertThat(registry(p).configured().twilioAccounts().getFirst().statusCallbackUrl())
                .hasToString("https://hooks.example.com/twilio");
    }

    @Test
    void unknownKeysAreRefusedWithTheNearestValidKey() {
        ConfigurationKeys keys = ConfigurationKeys.scan();
        assertThat(keys.problem(ConfigurationPropertyName.of("herald.providers.apns.signing-key-fil"), k -> null)).hasValue(
                "unknown key herald.providers.apns.signing-key-fil; did you mean herald.providers.apns.signing-key-file?");
        assertThat(keys.problem(ConfigurationPropertyName.of("herald.provider.smtp.host"), k -> null)).hasValue(
                "unknown key herald.provider.smtp.host; did you mean herald.providers.smtp.host?");
        // a named instance takes the keys of its type only
        Map<String, String> env = Map.of("herald.providers.instances.relay-eu.type", "smtp");
        assertThat(keys.problem(ConfigurationPropertyName.of("herald.providers.instances.relay-eu.host"), env::get)).isEmpty();
        assertThat(keys.problem(ConfigurationPropertyName.of("herald.providers.instances.relay-eu.account-sid"), env::get))
                .hasValueSatisfying(m -> assertThat(m).startsWith("unknown key herald.providers.instances.relay-eu.account-sid"));
        for (String valid : List.of("herald.providers.channels.EMAIL[0]", "herald.providers.smtp.from-by-app.42", "herald.roles[1]",
                "herald.providers.throttle.fcm.permits", "herald.dispatch.channels.SMS.max-attempts", "herald.data-dir")) {
            assertThat(keys.problem(ConfigurationPropertyName.adapt(valid, '.'), k -> null)).as(valid).isEmpty();
        }
    }

    @Test
    void aTypoFailsStartUpBeforeAnythingStarts() {
        var app = new SpringApplication(HeraldServer.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        assertThatThrownBy(() -> app.run("--herald.providers.apns.signing-key-fil=/etc/herald/AuthKey.p8", "--herald.data-dir=" + dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("unknown key herald.providers.apns.signing-key-fil; did you mean herald.providers.apns.signing-key-file?");
    }

    @Test
    void theSmtpStartUpCheckNamesTheSettingThatFixesAPlainServer() throws Exception {
        try (ScriptedSmtpServer plain = new ScriptedSmtpServer(null, null)) {
            Map<String, String> p = smtp("herald.providers.smtp");
            p.put("herald.providers.smtp.port", String.valueOf(plain.port()));
            p.remove("herald.providers.smtp.security"); // the default: STARTTLS required
            ConfiguredProvider smtp = registry(p).configured().named("smtp").orElseThrow();
            assertThatThrownBy(() -> smtp.check().run()).hasMessageStartingWith("smtp: server offers no STARTTLS")
                    .hasMessageContaining(
                            "; set herald.providers.smtp.security=SMTPS (implicit TLS, usually port 465) if the server has it, or OFF");
            p.put("herald.providers.smtp.security", "OFF");
            assertThat(registry(p).configured().named("smtp").orElseThrow().check().run()).startsWith("EHLO ok, plain text");
        }
    }

    private static List<String> route(ProviderRegistry r, io.herald.core.model.Target target) {
        return r.router().candidates(target).stream().map(io.herald.core.provider.ChannelProvider::name).toList();
    }

    @Test
    void regionRulesPutAChannelsLocalProviderFirstAndKeepTheOthersAsFailover() {
        Map<String, String> p = new LinkedHashMap<>();
        p.putAll(smtp("herald.providers.instances.relay-us"));
        p.putAll(smtp("herald.providers.instances.relay-eu"));
        p.put("herald.providers.instances.relay-us.type", "smtp");
        p.put("herald.providers.instances.relay-eu.type", "smtp");
        p.put("herald.providers.channels.EMAIL", "relay-us,relay-eu");
        p.put("herald.providers.routing.EMAIL[example.de]", "relay-eu");
        p.put("herald.providers.routing.EMAIL.fr", "relay-eu");
        ProviderRegistry r = registry(p);
        assertThat(route(r, new io.herald.core.model.Target.Email("a@mail.example.de"))).containsExactly("relay-eu", "relay-us");
        assertThat(route(r, new io.herald.core.model.Target.Email("a@shop.fr"))).containsExactly("relay-eu", "relay-us");
        assertThat(route(r, new io.herald.core.model.Target.Email("a@example.com"))).containsExactly("relay-us", "relay-eu");
        assertThat(new RoutingTable(r, new ProviderChecks(r.configured())).lines())
                .contains("EMAIL to *.example.de -> relay-eu first", "EMAIL to *.fr -> relay-eu first");
    }

    @Test
    void regionRuleMistakesFailStartUpNamingTheKey() {
        Map<String, String> p = new LinkedHashMap<>(smtp("herald.providers.smtp"));
        p.put("herald.providers.routing.EMAIL.de", "relay-eu");
        assertThatThrownBy(() -> registry(p))
                .hasMessageContaining("herald.providers.routing.EMAIL.de names 'relay-eu', which is not one of EMAIL's providers [smtp]");

        Map<String, String> push = new LinkedHashMap<>(smtp("herald.providers.smtp"));
        push.put("herald.providers.routing.PUSH.de", "sandbox");
        assertThatThrownBy(() -> registry(push)).hasMessageContaining("herald.providers.routing.PUSH: only SMS");

        Map<String, String> badKey = new LinkedHashMap<>();
        badKey.put("herald.providers.routing.SMS.uk-mobile", "sandbox");
        assertThatThrownBy(() -> registry(badKey)).hasMessageContaining("herald.providers.routing.SMS")
                .hasMessageContaining("neither a calling code (+44) nor a region (GB)");
    }
}
