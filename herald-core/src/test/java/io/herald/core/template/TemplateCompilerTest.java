package io.herald.core.template;

import io.herald.core.model.Channel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TemplateCompilerTest {

    private final TemplateCompiler compiler = new TemplateCompiler();

    @Test
    void validDefinitionIsNormalisedLegacyPlaceholdersOfDeclaredNamesOnly() {
        ValidatedTemplate v = compiler.validate(Templates.orderReady());

        ChannelTemplate.Sms sms = (ChannelTemplate.Sms) v.definition().content().get("default").get(Channel.SMS);
        // [item_name] is declared and converts; [Herald] is not a variable and stays text
        assertThat(sms.text()).isEqualTo("[Herald] Your {{item_name}} is ready");
        assertThat(v.warnings()).isEmpty();
    }

    @Test
    void legacyConversionLeavesOtherBracketsAlone() {
        Set<String> declared = Set.of("code", "name");
        assertThat(LegacyPlaceholders.convert("[1] [see below] a[i] [code] [[name]] [Name] [code ]", declared))
                .isEqualTo("[1] [see below] a[i] {{code}} [{{name}}] [Name] [code ]");
        assertThat(LegacyPlaceholders.convert("{{code}}", declared)).isEqualTo("{{code}}");
    }

    @Test
    void malformedSyntaxIsRejectedWithTheFieldPath() {
        TemplateDefinition d = Templates.single(Channel.EMAIL,
                new ChannelTemplate.Email("Hi", "<p>{{#items}}{{name}}</p>", null),
                VariableSpec.required("items", VariableType.OBJECT));

        InvalidTemplateException e = catchThrowableOfType(InvalidTemplateException.class, () -> compiler.validate(d));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("content.default.EMAIL.html");
            assertThat(p.message()).startsWith("is not a valid template").containsIgnoringCase("items");
        });
    }

    @Test
    void unknownVariablesAreRejectedButItemFieldsInsideObjectSectionsAreNot() {
        TemplateDefinition d = Templates.single(Channel.EMAIL, new ChannelTemplate.Email("Hi {{itme_name}}",
                "{{#items}}<li>{{name}} x {{qty}}</li>{{/items}}{{#vip}}{{stranger}}{{/vip}}", null),
                VariableSpec.required("items", VariableType.OBJECT), VariableSpec.optional("vip", VariableType.BOOLEAN));

        InvalidTemplateException e = catchThrowableOfType(InvalidTemplateException.class, () -> compiler.validate(d));

        assertThat(e.problems()).extracting(TemplateProblem::field)
                .containsExactly("content.default.EMAIL.subject", "content.default.EMAIL.html");
        assertThat(e.problems().get(0).message()).contains("unknown variable 'itme_name'").contains("declared: items, vip");
        assertThat(e.problems().get(1).message()).contains("'stranger'");
    }

    @Test
    void structuralProblemsAreAllReportedAtOnce() {
        TemplateDefinition d = new TemplateDefinition("bad key!", "x", Set.of(Channel.EMAIL),
                List.of(VariableSpec.required("a", VariableType.STRING), VariableSpec.required("a", VariableType.STRING),
                        VariableSpec.required("2x", VariableType.STRING)),
                Map.of("no locale!", Map.of(Channel.SMS, new ChannelTemplate.Sms("{{a}}")),
                        "ko", Map.of(Channel.PUSH, new ChannelTemplate.Push(" ", null, null))));

        InvalidTemplateException e = catchThrowableOfType(InvalidTemplateException.class, () -> compiler.validate(d));

        assertThat(e.problems()).extracting(TemplateProblem::field).contains("key", "variables[1].name", "variables[2].name",
                "content.no locale!", "content.ko.PUSH", "content");
        assertThat(e.getMessage()).contains("needs a \"default\" locale");
    }

    @Test
    void partialsAndDefaultChannelsWithoutDefaultContentAreRejected() {
        TemplateDefinition d = new TemplateDefinition("t", "T", Set.of(Channel.SMS, Channel.EMAIL), List.of(),
                Map.of("default", Map.of(Channel.SMS, new ChannelTemplate.Sms("hi {{> footer}}"))));

        assertThatThrownBy(() -> compiler.validate(d)).isInstanceOf(InvalidTemplateException.class)
                .hasMessageContaining("partials").hasMessageContaining("EMAIL is a default channel");
    }

    @Test
    void fixedSmsTextOverTheSegmentLimitIsAnErrorAndOverOneSegmentAWarning() {
        TemplateCompiler strict = new TemplateCompiler(new RenderLimits(2, 4096));
        assertThatThrownBy(() -> strict.validate(Templates.single(Channel.SMS, new ChannelTemplate.Sms("x".repeat(400)))))
                .isInstanceOf(InvalidTemplateException.class).hasMessageContaining("3 SMS segments, over the limit of 2");

        ValidatedTemplate v = strict.validate(Templates.single(Channel.SMS, new ChannelTemplate.Sms("x".repeat(200) + "{{n}}"),
                VariableSpec.optional("n", VariableType.NUMBER)));
        assertThat(v.warnings()).singleElement().extracting(TemplateProblem::message).asString().contains("2 SMS segments");
    }

    @Test
    void unusedVariablesAreWarnings() {
        ValidatedTemplate v = compiler.validate(Templates.single(Channel.SMS, new ChannelTemplate.Sms("hello"),
                VariableSpec.optional("unused", VariableType.STRING)));

        assertThat(v.warnings()).containsExactly(new TemplateProblem("variables[0]", "'unused' is declared but no content uses it"));
    }

    @Test
    void localeKeysAreCanonicalised() {
        TemplateDefinition d = new TemplateDefinition("t", "T", Set.of(), List.of(), Map.of(
                "default", Map.of(Channel.SMS, new ChannelTemplate.Sms("hi")),
                "ko_kr", Map.of(Channel.SMS, new ChannelTemplate.Sms("안녕"))));

        assertThat(compiler.validate(d).definition().content()).containsOnlyKeys("default", "ko-KR");
    }
}
