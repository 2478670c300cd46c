package io.herald.providers.resilience;

import io.herald.core.model.Channel;
import io.herald.core.model.Platform;
import io.herald.core.model.Target;
import io.herald.core.provider.ChannelProvider;
import io.herald.core.provider.SendResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegionRouterTest {

    ScriptedProvider twilio = sms("twilio");
    ScriptedProvider vonage = sms("vonage");
    ScriptedProvider sinch = sms("sinch");
    ScriptedProvider ses = email("ses");
    ScriptedProvider smtp = email("smtp");
    ScriptedProvider fcm = new ScriptedProvider("fcm", Channel.PUSH, SendResult.accepted("x"));

    RegionRouter router = new RegionRouter(List.of(twilio, vonage, sinch, ses, smtp, fcm), new RegionRoutingSettings(
            Map.of("+44", List.of("vonage"), "1", List.of("sinch"), "CA", List.of("vonage", "not-configured", "sinch")),
            Map.of(".de", List.of("smtp"), "example.com", List.of("smtp"), "eu.example.com", List.of("ses", "smtp"))));

    @Test
    void phoneNumbersPreferTheirCountrysProvidersAndKeepTheRestAsFailover() {
        assertThat(names(new Target.Phone("+447700900123"))).containsExactly("vonage", "twilio", "sinch");
        assertThat(names(new Target.Phone("+14155550100"))).containsExactly("sinch", "twilio", "vonage");
    }

    @Test
    void aRegionRuleWinsOverItsCallingCodeAndUnknownNamesAreSkipped() {
        // +1 613 is Ottawa: calling code 1, region CA
        assertThat(names(new Target.Phone("+16135550123"))).containsExactly("vonage", "sinch", "twilio");
    }

    @Test
    void unmatchedAndUnparsableNumbersKeepTheDefaultOrder() {
        assertThat(names(new Target.Phone("+33612345678"))).containsExactly("twilio", "vonage", "sinch");
        assertThat(names(new Target.Phone("not a number"))).containsExactly("twilio", "vonage", "sinch");
    }

    @Test
    void emailDomainsMatchTheLongestSuffixOnLabelBoundaries() {
        assertThat(names(new Target.Email("anna@mail.example.de"))).containsExactly("smtp", "ses");
        assertThat(names(new Target.Email("bob@example.com"))).containsExactly("smtp", "ses");
        assertThat(names(new Target.Email("eve@eu.example.com"))).containsExactly("ses", "smtp");
        assertThat(names(new Target.Email("mallory@badexample.com"))).containsExactly("ses", "smtp");
        assertThat(names(new Target.Email("Carl@SHOP.EXAMPLE.COM."))).containsExactly("smtp", "ses");
    }

    @Test
    void devicesAndOtherChannelsAreUntouched() {
        assertThat(names(new Target.Device("d", Platform.ANDROID, "t", null))).containsExactly("fcm");
        assertThat(router.providers(Channel.SMS)).containsExactly(twilio, vonage, sinch);
    }

    @Test
    void malformedPhoneKeysAreRefusedAtStartup() {
        assertThatThrownBy(() -> new RegionRouter(List.of(twilio), new RegionRoutingSettings(Map.of("UK-mobile", List.of("twilio")), null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UK-mobile");
    }

    private List<String> names(Target target) {
        return router.candidates(target).stream().map(ChannelProvider::name).toList();
    }

    private static ScriptedProvider sms(String name) {
        return new ScriptedProvider(name, Channel.SMS, SendResult.accepted(name));
    }

    private static ScriptedProvider email(String name) {
        return new ScriptedProvider(name, Channel.EMAIL, SendResult.accepted(name));
    }
}
