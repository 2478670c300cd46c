package io.herald.core.preference;

import io.herald.core.model.Channel;
import io.herald.core.model.Priority;
import io.herald.core.model.Reason;
import io.herald.core.policy.Verdict;
import io.herald.core.user.UserProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PreferencePolicyTest {

    private static final Instant NOON_UTC = Instant.parse("2026-11-23T12:00:00Z");
    private final PreferencePolicy policy = PreferencePolicy.standard(PreferenceSettings.defaults());

    private static UserProfile user(Preferences p) {
        return new UserProfile(1, "u-42", "a@example.com", "+821012345678", "ko-KR", ZoneId.of("UTC"), Map.of(), p);
    }

    /** What this user chose: SMS off; marketing on for PUSH and off for EMAIL; social off on PUSH; security off on EMAIL and PUSH. */
    private static final Preferences CHOICES = new Preferences(
            Map.of(Channel.SMS, false, Channel.EMAIL, true),
            Map.of("marketing", Map.of(Channel.PUSH, true, Channel.EMAIL, false, Channel.SMS, true),
                    "social", Map.of(Channel.PUSH, false),
                    "security", Map.of(Channel.EMAIL, false, Channel.PUSH, false),
                    "transactional", Map.of(Channel.EMAIL, false)),
            null, false);

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            transactional | PUSH  | PROCEED |
            transactional | SMS   | PROCEED |
            transactional | EMAIL | PROCEED |
            security      | EMAIL | PROCEED |
            security      | PUSH  | OPTED_OUT | user opted out of security on PUSH
            security      | SMS   | OPTED_OUT | user turned off SMS
            marketing     | PUSH  | PROCEED |
            marketing     | EMAIL | OPTED_OUT | user opted out of marketing on EMAIL
            marketing     | SMS   | OPTED_OUT | user turned off SMS
            social        | PUSH  | OPTED_OUT | user opted out of social on PUSH
            social        | EMAIL | PROCEED |
            social        | SMS   | OPTED_OUT | user turned off SMS
            newsletter    | EMAIL | PROCEED |
            newsletter    | SMS   | OPTED_OUT | user turned off SMS
            """)
    void matrixOfChannelCategoryAndRule(String category, Channel channel, String expected, String detail) {
        Verdict v = policy.decide(user(CHOICES), channel, category, Priority.NORMAL, NOON_UTC);

        if (expected.equals("PROCEED")) {
            assertThat(v).isEqualTo(Verdict.PROCEED);
        } else {
            assertThat(v).isEqualTo(new Verdict.Suppress(Reason.OPTED_OUT, detail));
        }
    }

    @Test
    void marketingIsOptInPerChannelWhileSocialIsOptOut() {
        UserProfile noChoices = user(Preferences.NONE);

        for (Channel c : Channel.values()) {
            assertThat(policy.decide(noChoices, c, "marketing", Priority.NORMAL, NOON_UTC)).isEqualTo(new Verdict.Suppress(
                    Reason.OPTED_OUT, "marketing is opt-in and the user has not opted in on " + c));
            assertThat(policy.decide(noChoices, c, "social", Priority.NORMAL, NOON_UTC)).isEqualTo(Verdict.PROCEED);
        }
    }

    @Test
    void mandatoryCategoriesBeatGlobalUnsubscribeButOnlyOnTheirChannels() {
        UserProfile gone = user(new Preferences(Map.of(Channel.EMAIL, false), Map.of(), null, true));

        assertThat(policy.decide(gone, Channel.EMAIL, "security", Priority.HIGH, NOON_UTC)).isEqualTo(Verdict.PROCEED);
        assertThat(policy.decide(gone, Channel.SMS, "transactional", Priority.NORMAL, NOON_UTC)).isEqualTo(Verdict.PROCEED);
        assertThat(policy.decide(gone, Channel.PUSH, "security", Priority.HIGH, NOON_UTC))
                .isEqualTo(new Verdict.Suppress(Reason.OPTED_OUT, "user unsubscribed from all notifications"));
        assertThat(policy.decide(gone, Channel.PUSH, null, Priority.NORMAL, NOON_UTC))
                .isEqualTo(new Verdict.Suppress(Reason.OPTED_OUT, "user unsubscribed from all notifications"));
    }

    @Test
    void quietHoursStillDeferMandatoryNormalPriorityButNeverHigh() {
        Preferences quiet = new Preferences(Map.of(), Map.of(), new QuietHours(LocalTime.of(22, 0), LocalTime.of(8, 0)), false);
        UserProfile seoul = new UserProfile(1, "u", null, null, null, ZoneId.of("Asia/Seoul"), Map.of(), quiet);
        Instant lateInSeoul = Instant.parse("2026-11-23T14:30:00Z"); // 23:30 KST

        assertThat(policy.decide(seoul, Channel.PUSH, "transactional", Priority.NORMAL, lateInSeoul)).isInstanceOfSatisfying(
                Verdict.Defer.class, d -> {
                    assertThat(d.until()).isEqualTo(Instant.parse("2026-11-23T23:00:00Z")); // 08:00 KST next day
                    assertThat(d.detail()).contains("quiet hours 22:00-08:00 Asia/Seoul", "2026-11-24T08:00+09:00");
                });
        assertThat(policy.decide(seoul, Channel.PUSH, "security", Priority.HIGH, lateInSeoul)).isEqualTo(Verdict.PROCEED);
        assertThat(policy.decide(seoul, Channel.PUSH, "social", Priority.LOW, lateInSeoul)).isInstanceOf(Verdict.Defer.class);
    }

    @Test
    void anOptOutWinsOverQuietHoursSoNothingIsDeferredOnlyToBeDropped() {
        Preferences p = new Preferences(Map.of(Channel.PUSH, false), Map.of(), new QuietHours(LocalTime.MIN, LocalTime.of(23, 59)), false);

        assertThat(policy.decide(user(p), Channel.PUSH, "social", Priority.NORMAL, NOON_UTC))
                .isEqualTo(new Verdict.Suppress(Reason.OPTED_OUT, "user turned off PUSH"));
    }

    @Test
    void usersWithoutTimezoneUseTheConfiguredDefault() {
        PreferencePolicy seoulDefault = PreferencePolicy.standard(new PreferenceSettings(
                PreferenceSettings.defaults().categories(), CategoryConfig.optOut("other"), ZoneId.of("Asia/Seoul")));
        Preferences quiet = new Preferences(Map.of(), Map.of(), new QuietHours(LocalTime.of(22, 0), LocalTime.of(8, 0)), false);
        UserProfile noZone = new UserProfile(1, "u", null, null, null, null, Map.of(), quiet);
        Instant t = Instant.parse("2026-11-23T14:30:00Z"); // 23:30 in Seoul, 14:30 in UTC

        assertThat(seoulDefault.decide(noZone, Channel.SMS, "social", Priority.NORMAL, t)).isInstanceOf(Verdict.Defer.class);
        assertThat(policy.decide(noZone, Channel.SMS, "social", Priority.NORMAL, t)).isEqualTo(Verdict.PROCEED);
    }

    @Test
    void theChainIsGeneralACustomRuleSlotsIn() {
        PreferenceRule noSmsOnWeekends = c -> c.channel() == Channel.SMS
                ? RuleOutcome.decide(new Verdict.Suppress(Reason.OPTED_OUT, "no SMS today"))
                : RuleOutcome.CONTINUE;
        PreferencePolicy custom = new PreferencePolicy(PreferenceSettings.defaults(),
                java.util.List.of(new MandatoryCategoryRule(), noSmsOnWeekends));

        assertThat(custom.decide(user(Preferences.NONE), Channel.SMS, "social", Priority.NORMAL, NOON_UTC))
                .isEqualTo(new Verdict.Suppress(Reason.OPTED_OUT, "no SMS today"));
        // the custom rule is an opt-out (the default), so a mandatory category skips it
        assertThat(custom.decide(user(Preferences.NONE), Channel.SMS, "transactional", Priority.NORMAL, NOON_UTC))
                .isEqualTo(Verdict.PROCEED);
    }
}
