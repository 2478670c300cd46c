package io.herald.core.template;

import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class StoredTemplateRendererTest {

    private final TemplateCompiler compiler = new TemplateCompiler();
    private final Templates.MapStore store = new Templates.MapStore();
    private final CompiledTemplateCache cache = new CompiledTemplateCache();
    private final StoredTemplateRenderer renderer = new StoredTemplateRenderer(store, compiler, cache);

    private void publish(TemplateDefinition d) {
        store.put(Templates.published(compiler.validate(d).definition(), 1));
    }

    @Test
    void eachChannelFallsBackKoKrThenKoThenDefault() {
        publish(Templates.orderReady());

        RenderedMessage m = renderer.render("order_ready", null, "ko-KR", Map.of("item_name", "라떼"));

        assertThat(m.locale()).isEqualTo("ko-KR");
        assertThat(m.content().get(Channel.PUSH).body()).isEqualTo("라떼이(가) 준비되었습니다"); // ko-KR has PUSH
        assertThat(m.content().get(Channel.SMS).text()).isEqualTo("라떼 준비되었습니다"); // ko has SMS
        assertThat(m.content().get(Channel.EMAIL).subject()).isEqualTo("라떼 is ready"); // only default has EMAIL
        assertThat(m.defaultChannels()).containsExactlyInAnyOrder(Channel.PUSH, Channel.SMS);
    }

    @Test
    void unknownOrMissingLocaleUsesDefaultAndLegacyPlaceholdersRender() {
        publish(Templates.orderReady());

        RenderedMessage fr = renderer.render("order_ready", null, "fr-CA", Map.of("item_name", "Latte"));
        RenderedMessage none = renderer.render("order_ready", null, null, Map.of("item_name", "Latte"));

        assertThat(fr.locale()).isEqualTo("default");
        assertThat(fr.content().get(Channel.SMS).text()).isEqualTo("[Herald] Your Latte is ready");
        assertThat(none.content()).isEqualTo(fr.content());
        assertThat(LocaleFallback.chain("zh_Hant_TW")).containsExactly("zh-Hant-TW", "zh-Hant", "zh", "default");
    }

    @Test
    void valuesAreHtmlEscapedInEmailHtmlOnly() {
        publish(Templates.single(Channel.EMAIL, new ChannelTemplate.Email("Re: {{name}}",
                "<p>{{name}}</p>{{{banner}}}", "{{name}}"),
                VariableSpec.required("name", VariableType.STRING), VariableSpec.optional("banner", VariableType.STRING)));
        String evil = "<script>alert('x')</script> & \"Tom\"";

        Content c = renderer.render("t", null, null, Map.of("name", evil, "banner", "<hr>")).content().get(Channel.EMAIL);

        assertThat(c.html()).startsWith("<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Tom&quot;</p>")
                .endsWith("<hr>"); // triple mustache opts out
        assertThat(c.subject()).isEqualTo("Re: " + evil);
        assertThat(c.text()).isEqualTo(evil);
    }

    @Test
    void smsAndPushAreNeverEscaped() {
        publish(Templates.orderReady());

        RenderedMessage m = renderer.render("order_ready", null, null, Map.of("item_name", "Fish & <Chips>"));

        assertThat(m.content().get(Channel.SMS).text()).contains("Fish & <Chips>");
        assertThat(m.content().get(Channel.PUSH).body()).contains("Fish & <Chips>");
        assertThat(m.content().get(Channel.EMAIL).html()).contains("Fish &amp; &lt;Chips&gt;");
    }

    @Test
    void missingRequiredAndMistypedVariablesAreInvalidDataNamingEachVariable() {
        publish(Templates.single(Channel.SMS, new ChannelTemplate.Sms("{{name}} {{qty}} {{when}} {{link}} {{vip}}"),
                VariableSpec.required("name", VariableType.STRING), VariableSpec.required("qty", VariableType.NUMBER),
                VariableSpec.optional("when", VariableType.DATE), VariableSpec.optional("link", VariableType.URL),
                VariableSpec.optional("vip", VariableType.BOOLEAN)));

        TemplateException e = catchThrowableOfType(TemplateException.class, () -> renderer.render("t", null, null,
                Map.of("qty", "three", "when", "next tuesday", "link", "javascript:alert(1)", "vip", "yes")));

        assertThat(e.kind()).isEqualTo(TemplateException.Kind.INVALID_DATA);
        assertThat(e.getMessage()).contains("missing required variable 'name'", "'qty' must be a number, got text \"three\"",
                "'when' must be an ISO-8601 date", "'link' must be an absolute http(s) URL", "'vip' must be true or false");
    }

    @Test
    void wellTypedDataRendersAndOptionalMissingIsEmpty() {
        publish(Templates.single(Channel.SMS, new ChannelTemplate.Sms("{{name}}:{{qty}}:{{when}}:{{link}}:{{#vip}}VIP{{/vip}}:{{note}}"),
                VariableSpec.required("name", VariableType.STRING), VariableSpec.required("qty", VariableType.NUMBER),
                VariableSpec.optional("when", VariableType.DATE), VariableSpec.optional("link", VariableType.URL),
                VariableSpec.optional("vip", VariableType.BOOLEAN), VariableSpec.optional("note", VariableType.STRING)));

        String text = renderer.render("t", null, null, Map.of("name", 42, "qty", 3.0, "when", "2026-11-23T09:00:00+09:00",
                "link", "https://herald.example/o/1", "vip", true)).content().get(Channel.SMS).text();

        assertThat(text).isEqualTo("42:3:2026-11-23T09:00:00+09:00:https://herald.example/o/1:VIP:");
    }

    @Test
    void objectVariablesRenderSectionsAndDottedNames() {
        publish(Templates.single(Channel.EMAIL, new ChannelTemplate.Email("Order {{order.id}}",
                null, "{{#order.items}}- {{name}} x{{qty}}\n{{/order.items}}"),
                VariableSpec.required("order", VariableType.OBJECT)));

        Content c = renderer.render("t", null, null, Map.of("order", Map.of("id", "A-1",
                "items", List.of(Map.of("name", "Latte", "qty", 2), Map.of("name", "Bagel", "qty", 1))))).content().get(Channel.EMAIL);

        assertThat(c.subject()).isEqualTo("Order A-1");
        assertThat(c.text()).isEqualTo("- Latte x2\n- Bagel x1\n");
    }

    @Test
    void smsOverTheSegmentLimitFailsToRender() {
        store.put(Templates.published(Templates.single(Channel.SMS, new ChannelTemplate.Sms("{{body}}"),
                VariableSpec.required("body", VariableType.STRING)), 1));
        StoredTemplateRenderer tight = new StoredTemplateRenderer(store, new TemplateCompiler(new RenderLimits(2, 4096)),
                new CompiledTemplateCache());

        assertThat(tight.render("t", null, null, Map.of("body", "가".repeat(134))).content().get(Channel.SMS).text()).hasSize(134);
        TemplateException e = catchThrowableOfType(TemplateException.class,
                () -> tight.render("t", null, null, Map.of("body", "가".repeat(135))));

        assertThat(e.kind()).isEqualTo(TemplateException.Kind.RENDER_FAILED);
        assertThat(e.getMessage()).contains("content.default.SMS", "3 SMS segments (135 UCS-2 units), over the limit of 2");
    }

    @Test
    void pushOverTheApnsBudgetFailsToRender() {
        publish(Templates.orderReady());

        TemplateException e = catchThrowableOfType(TemplateException.class,
                () -> renderer.render("order_ready", null, "en", Map.of("item_name", "x".repeat(4100))));

        assertThat(e.kind()).isEqualTo(TemplateException.Kind.RENDER_FAILED);
        assertThat(e.getMessage()).contains("content.default.PUSH", "over the 4096-byte limit");
    }

    @Test
    void unknownKeysAndVersionsAreNotFound() {
        publish(Templates.orderReady());

        assertThat(catchThrowableOfType(TemplateException.class, () -> renderer.render("nope", null, null, Map.of())).kind())
                .isEqualTo(TemplateException.Kind.NOT_FOUND);
        assertThat(catchThrowableOfType(TemplateException.class, () -> renderer.render("order_ready", 7, null, Map.of())))
                .hasMessage("template order_ready has no version 7");
    }

    @Test
    void compiledVersionsAreCachedByKeyAndVersionAndInvalidatedByKey() {
        TemplateDefinition v1 = compiler.validate(Templates.orderReady()).definition();
        store.put(Templates.published(v1, 1));
        store.put(new TemplateVersion("order_ready", 2, v1, TemplateState.DRAFT, "bob", Instant.EPOCH));
        int[] compiles = {0};
        CompiledTemplate first = cache.get(store.version("order_ready", 1).orElseThrow(), v -> {
            compiles[0]++;
            return compiler.compile(v);
        });

        renderer.render("order_ready", null, null, Map.of("item_name", "a"));
        renderer.render("order_ready", 1, null, Map.of("item_name", "b"));
        renderer.render("order_ready", 2, null, Map.of("item_name", "c"));

        assertThat(compiles[0]).isEqualTo(1);
        assertThat(cache.get(store.version("order_ready", 1).orElseThrow(), v -> null)).isSameAs(first);
        assertThat(cache.size()).isEqualTo(2);
        cache.invalidate("order_ready");
        assertThat(cache.size()).isZero();
    }
}
