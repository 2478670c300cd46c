package io.herald.core.preference;

import io.herald.core.model.Channel;
import org.junit.jupiter.api.Test;

import java.time.LocalTime;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PreferencesDocumentTest {

    @Test
    void parsesTheContractShapeAndWritesItBack() {
        Map<String, Object> doc = Map.of(
                "channels", Map.of("PUSH", true, "SMS", false),
                "categories", Map.of("marketing", Map.of("EMAIL", false)),
                "quietHours", Map.of("start", "22:00", "end", "08:00"),
                "somethingNew", 1);

        Preferences p = PreferencesDocument.parse(doc);

        assertThat(p).isEqualTo(new Preferences(Map.of(Channel.PUSH, true, Channel.SMS, false),
                Map.of("marketing", Map.of(Channel.EMAIL, false)), new QuietHours(LocalTime.of(22, 0), LocalTime.of(8, 0)), false));
        assertThat(PreferencesDocument.parse(PreferencesDocument.toMap(p))).isEqualTo(p);
        assertThat(PreferencesDocument.parse(Map.of())).isEqualTo(Preferences.NONE);
    }

    @Test
    void reportsEveryProblemWithItsPath() {
        Map<String, Object> doc = Map.of(
                "channels", Map.of("WHATSAPP", true, "SMS", "no"),
                "categories", Map.of("marketing", Map.of("push", false), "bad name", Map.of()),
                "quietHours", Map.of("start", "10pm"),
                "unsubscribedAll", "yes");

        InvalidPreferencesException e = catchThrowableOfType(InvalidPreferencesException.class, () -> PreferencesDocument.parse(doc));

        assertThat(e.problems()).extracting(PreferenceProblem::field).containsExactlyInAnyOrder("channels.WHATSAPP", "channels.SMS",
                "categories.marketing.push", "categories.bad name", "quietHours.start", "quietHours.end", "unsubscribedAll");
        assertThat(e.problems()).filteredOn(x -> x.field().equals("channels.WHATSAPP")).singleElement()
                .extracting(PreferenceProblem::message).isEqualTo("unknown channel 'WHATSAPP'; expected one of PUSH, SMS, EMAIL, IN_APP");
    }

    @Test
    void anEmptyQuietWindowIsRefused() {
        assertThat(catchThrowableOfType(InvalidPreferencesException.class, () -> PreferencesDocument.parse(
                Map.of("quietHours", Map.of("start", "22:00", "end", "22:00")))).problems())
                .singleElement().extracting(PreferenceProblem::field).isEqualTo("quietHours");
    }
}
