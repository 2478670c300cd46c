package io.herald.server.console;

import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.template.InvalidTemplateException;
import io.herald.core.template.PushPayloadSize;
import io.herald.core.template.RenderedMessage;
import io.herald.core.template.SmsLength;
import io.herald.core.template.TemplateCompiler;
import io.herald.core.template.TemplateDefinition;
import io.herald.core.template.TemplateException;
import io.herald.core.template.TemplateFormat;
import io.herald.core.template.TemplateProblem;
import io.herald.core.template.TemplateState;
import io.herald.core.template.TemplateVersion;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders an unsaved template form with sample data, through the same parser, validator and compiler as saved
 * templates and sends, so what the preview shows is what a send would produce.
 */
@Component
class TemplatePreview {

    private final TemplateCompiler compiler;
    private final TemplateFormat format;

    TemplatePreview(TemplateCompiler compiler, TemplateFormat format) {
        this.compiler = compiler;
        this.format = format;
    }

    /** One channel as a device would show it. */
    record Rendered(Channel channel, Content content, SmsLength sms, Integer pushBytes) {
    }

    record Result(List<TemplateProblem> problems, List<TemplateProblem> warnings, String renderError, String locale,
                  List<Rendered> channels) {
    }

    Result preview(TemplateForm form, String locale) {
        List<TemplateProblem> problems = new ArrayList<>();
        var json = form.toJson(problems);
        TemplateDefinition d = format.parse(json.toString(), form.key().isEmpty() ? "preview" : null, problems);
        Map<String, Object> data;
        try {
            data = ConsoleJson.MAPPER.readValue(form.sampleData(), new TypeReference<Map<String, Object>>() {
            });
        } catch (RuntimeException e) {
            problems.add(new TemplateProblem("sampleData", "is not a JSON object such as {\"name\": \"Ada\"}"));
            data = Map.of();
        }
        if (!problems.isEmpty()) return new Result(problems, List.of(), null, locale, List.of());
        List<TemplateProblem> warnings;
        try {
            warnings = compiler.validate(d).warnings();
        } catch (InvalidTemplateException e) {
            return new Result(e.problems(), List.of(), null, locale, List.of());
        }
        try {
            String key = d.key().isEmpty() ? "preview" : d.key();
            var version = new TemplateVersion(key, 1,
                    new TemplateDefinition(key, d.name(), d.defaultChannels(), d.variables(), d.content()),
                    TemplateState.DRAFT, "preview", Instant.EPOCH);
            RenderedMessage r = compiler.compile(version).render(locale == null || locale.isBlank() ? null : locale,
                    data == null ? Map.of() : data);
            List<Rendered> out = new ArrayList<>();
            r.content().forEach((channel, c) -> out.add(new Rendered(channel, c,
                    channel == Channel.SMS && c.smsText() != null ? SmsLength.of(c.smsText()) : null,
                    channel == Channel.PUSH ? PushPayloadSize.bytes(c) : null)));
            return new Result(List.of(), warnings, null, r.locale(), out);
        } catch (TemplateException e) {
            return new Result(List.of(), warnings, e.getMessage(), locale, List.of());
        }
    }
}
