package io.herald.core.template;

import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.model.Priority;
import io.herald.core.preference.CategoryConfig;
import io.herald.core.preference.PreferenceContext;
import io.herald.core.preference.Preferences;
import io.herald.core.preference.QuietHours;
import io.herald.core.preference.QuietHoursRule;
import io.herald.core.preference.RuleOutcome;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** IN_APP in the core: its template content and its exemption from quiet hours. */
class InAppChannelTest {

    private final TemplateCompiler compiler = new TemplateCompiler();

    @Test
    void inAppContentRendersTitleBodyUrlAndData() {
        TemplateDefinition d = Templates.single(Channel.IN_APP, new ChannelTemplate.InApp("{{item}} is ready", "Pick up <{{item}}>",
                "https://shop.example.com/{{item}}", Map.of("item", "{{item}}", "kind", "order")),
                VariableSpec.required("item", VariableType.STRING));
        compiler.validate(d);
        Content c = compiler.compile(Templates.published(d, 1)).render(null, Map.of("item", "Latte")).content().get(Channel.IN_APP);
        assertThat(c.title()).isEqualTo("Latte is ready");
        assertThat(c.body()).isEqualTo("Pick up <Latte>"); // plain text, never HTML-escaped: the component shows text
        assertThat(c.url()).isEqualTo("https://shop.example.com/Latte");
        assertThat(c.data()).containsExactlyInAnyOrderEntriesOf(Map.of("item", "Latte", "kind", "order"));
        assertThat(c.isSufficientFor(Channel.IN_APP)).isTrue();
    }

    @Test
    void inAppContentNeedsATitleOrBody() {
        TemplateDefinition d = Templates.single(Channel.IN_APP, new ChannelTemplate.InApp(null, " ", "https://x.example", Map.of()));
        assertThatThrownBy(() -> compiler.validate(d)).isInstanceOf(InvalidTemplateException.class).hasMessageContaining("IN_APP");
    }

    @Test
    void quietHoursDoNotHoldBackInboxItems() {
        Preferences p = new Preferences(Map.of(), Map.of(), new QuietHours(LocalTime.MIN, LocalTime.of(23, 59)), false);
        Instant noon = Instant.parse("2026-12-01T12:00:00Z");
        var rule = new QuietHoursRule();
        assertThat(rule.evaluate(new PreferenceContext(p, Channel.IN_APP, null, new CategoryConfig("updates", false, java.util.Set.of()),
                Priority.NORMAL, noon, ZoneOffset.UTC)))
                .isEqualTo(RuleOutcome.CONTINUE);
        assertThat(rule.evaluate(new PreferenceContext(p, Channel.PUSH, null, new CategoryConfig("updates", false, java.util.Set.of()),
                Priority.NORMAL, noon, ZoneOffset.UTC)))
                .isNotEqualTo(RuleOutcome.CONTINUE);
    }
}
