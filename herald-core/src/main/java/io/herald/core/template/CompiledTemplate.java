package io.herald.core.template;

import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import io.herald.core.model.Channel;
import io.herald.core.model.Content;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One template version, parsed and ready to render many times. Immutable and thread-safe; made by
 * {@link TemplateCompiler#compile} and kept in {@link CompiledTemplateCache}.
 */
public final class CompiledTemplate {

    private final String key;
    private final int version;
    private final TemplateDefinition definition;
    private final Map<String, Map<Channel, Fields>> byLocale;
    private final RenderLimits limits;

    CompiledTemplate(String key, int version, TemplateDefinition definition,
                     Map<String, Map<Channel, Fields>> byLocale, RenderLimits limits) {
        this.key = key;
        this.version = version;
        this.definition = definition;
        this.byLocale = Map.copyOf(byLocale);
        this.limits = limits;
    }

    public String key() {
        return key;
    }

    public int version() {
        return version;
    }

    public TemplateDefinition definition() {
        return definition;
    }

    /**
     * Renders every channel the template has content for. Each channel falls back on its own
     * ({@code ko-KR -> ko -> default}), so a locale may translate only some channels.
     *
     * @param locale null or unknown for the default content
     * @return the content per channel; its {@code locale} is the most specific locale used
     * @throws TemplateException INVALID_DATA when data misses a required variable or has a mistyped value;
     *                           RENDER_FAILED when the result breaks a channel limit (SMS segments, push payload size)
     */
    public RenderedMessage render(String locale, Map<String, Object> data) {
        Map<String, Object> values = data == null ? Map.of() : data;
        TemplateData.check(key, definition.variables(), values);
        List<String> chain = LocaleFallback.chain(locale);
        String usedLocale = null;
        Map<Channel, Content> content = new EnumMap<>(Channel.class);
        for (Channel channel : Channel.values()) {
            for (String candidate : chain) {
                Fields fields = byLocale.getOrDefault(candidate, Map.of()).get(channel);
                if (fields == null) continue;
                if (usedLocale == null || chain.indexOf(candidate) < chain.indexOf(usedLocale)) usedLocale = candidate;
                content.put(channel, renderChecked(fields, candidate, values));
                break;
            }
        }
        return new RenderedMessage(key, version, usedLocale == null ? TemplateDefinition.DEFAULT_LOCALE : usedLocale,
                definition.defaultChannels(), content);
    }

    private Content renderChecked(Fields fields, String locale, Map<String, Object> values) {
        Content c;
        try {
            c = fields.render(values);
        } catch (MustacheException e) {
            throw failed(locale, fields.channel(), e.getMessage());
        }
        if (fields.channel() == Channel.SMS) {
            SmsLength len = SmsLength.of(c.text());
            if (len.segments() > limits.maxSmsSegments()) {
                throw failed(locale, Channel.SMS, "text is " + len.segments() + " SMS segments (" + len.units() + " "
                        + (len.encoding() == SmsLength.Encoding.GSM7 ? "GSM-7 characters" : "UCS-2 units")
                        + "), over the limit of " + limits.maxSmsSegments() + "; shorten the data or the template");
            }
        } else if (fields.channel() == Channel.PUSH) {
            int bytes = PushPayloadSize.bytes(c);
            if (bytes > limits.maxPushPayloadBytes()) {
                throw failed(locale, Channel.PUSH, "push payload would be " + bytes + " bytes, over the "
                        + limits.maxPushPayloadBytes() + "-byte limit (APNs refuses larger); shorten title, body or url");
            }
        }
        return c;
    }

    private TemplateException failed(String locale, Channel channel, String why) {
        return new TemplateException(TemplateException.Kind.RENDER_FAILED,
                "template " + key + " v" + version + " content." + locale + "." + channel + ": " + why);
    }

    /** The compiled fields of one channel in one locale. */
    record Fields(Channel channel, Map<String, Template> templates) {
        Fields {
            templates = Map.copyOf(templates);
        }

        Content render(Map<String, Object> values) {
            return switch (channel) {
                case PUSH -> new Content(run("title", values), run("body", values), null, null, null, run("url", values), Map.of());
                case SMS -> Content.ofText(run("text", values));
                case EMAIL -> new Content(null, null, run("subject", values), run("html", values), run("text", values), null, Map.of());
                case IN_APP ->
                    new Content(run("title", values), run("body", values), null, null, null, run("url", values), inAppData(values));
            };
        }

        private Map<String, String> inAppData(Map<String, Object> values) {
            Map<String, String> data = new java.util.LinkedHashMap<>();
            templates.forEach((field, t) -> {
                if (field.startsWith(ChannelTemplate.InApp.DATA_PREFIX)) {
                    data.put(field.substring(ChannelTemplate.InApp.DATA_PREFIX.length()), t.execute(values));
                }
            });
            return data;
        }

        private String run(String field, Map<String, Object> values) {
            Template t = templates.get(field);
            return t == null ? null : t.execute(values);
        }
    }
}
