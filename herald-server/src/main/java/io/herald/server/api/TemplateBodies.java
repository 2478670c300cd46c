package io.herald.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.herald.core.model.Channel;
import io.herald.core.template.VariableType;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * The template body of {@code POST /v1/templates} and {@code PUT /v1/templates/{key}}, for the OpenAPI document and the versions the API shows:
 * the controller reads the body as JSON itself (the core TemplateFormat), so that every shape problem becomes a
 * 422 with its field path instead of a 400 at the first one.
 */
public final class TemplateBodies {

    private TemplateBodies() {
    }

    @Schema(name = "TemplateBody", description = "One version of a template. Placeholders are {{name}} (the legacy [name] form is converted on save).")
    public record Template(
                           @Schema(description = "Stable key apps send with; 1-128 of letters, digits, _ . -", example = "order_ready") String key,
                           @Schema(description = "A human title", example = "Order ready") String name,
                           @Schema(description = "Channels a send goes to when it names none") List<Channel> defaultChannels,
                           @Schema(description = "Declared variables; content may reference only these") List<Variable> variables,
                           @Schema(description = "Locale (\"default\", \"ko-KR\", \"ko\", ...) to content per channel; \"default\" is required") Map<String, LocaleContent> content) {
    }

    @Schema(name = "TemplateVariable")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Variable(@Schema(example = "item_name") String name, VariableType type, Boolean required) {
    }

    @Schema(name = "TemplateLocaleContent")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LocaleContent(@JsonProperty("PUSH") Push push, @JsonProperty("SMS") Sms sms, @JsonProperty("EMAIL") Email email,
                                @JsonProperty("IN_APP") InApp inApp) {
    }

    @Schema(name = "TemplateInApp", description = "A title and/or body, an optional url the inbox opens, optional data (each value a template)")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InApp(String title, String body, String url, Map<String, String> data) {
    }

    @Schema(name = "TemplatePush", description = "A title and/or body")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Push(String title, String body, String url) {
    }

    @Schema(name = "TemplateSms")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sms(String text) {
    }

    @Schema(name = "TemplateEmail", description = "A subject and html and/or text; html escapes values, use {{{name}}} for trusted markup")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Email(String subject, String html, String text) {
    }
}
