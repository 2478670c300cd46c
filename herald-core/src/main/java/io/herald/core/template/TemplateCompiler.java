package io.herald.core.template;

import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import io.herald.core.model.Channel;
import io.herald.core.model.Content;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks template definitions when they are saved and compiles stored versions for rendering. Stateless and
 * thread-safe.
 *
 * <h2>What a valid definition is</h2>
 * <ul>
 *   <li>a key of letters, digits, {@code _ . -}; variables with identifier names, each declared once;</li>
 *   <li>content for the {@code default} locale (every fallback ends there) plus any well-formed locale tags;
 *       each default channel has {@code default} content;</li>
 *   <li>each channel's required fields: PUSH and IN_APP a title or body, SMS text, EMAIL a subject and html or text;</li>
 *   <li>every field is valid Mustache, references only declared variables (a typo would otherwise render as
 *       empty text in production), and uses no partials, inheritance or delimiter changes;</li>
 *   <li>the fixed text alone fits the SMS segment and push payload limits.</li>
 * </ul>
 * Declared variables used nowhere, and SMS text already over one segment, are warnings, not errors.
 *
 * <h2>Placeholders and escaping</h2>
 * {@code {{name}}} is the form; the legacy {@code [name]} is converted at save for declared names only
 * (see {@link LegacyPlaceholders}). Email {@code html} HTML-escapes values; write {@code {{{name}}}} (or
 * {@code {{&name}}}) to insert trusted markup unescaped. Subject, email text, SMS and push are never escaped.
 */
public final class TemplateCompiler {

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private final RenderLimits limits;

    public TemplateCompiler() {
        this(RenderLimits.DEFAULTS);
    }

    public TemplateCompiler(RenderLimits limits) {
        this.limits = limits;
    }

    public RenderLimits limits() {
        return limits;
    }

    /**
     * Checks a definition about to be saved.
     *
     * @return the definition to store (normalised) and any warnings
     * @throws InvalidTemplateException listing every problem with its field path
     */
    public ValidatedTemplate validate(TemplateDefinition definition) {
        Analysis a = analyse(definition);
        if (!a.errors.isEmpty()) throw new InvalidTemplateException(a.errors);
        return new ValidatedTemplate(a.normalised, a.warnings);
    }

    /**
     * Compiles a stored version for rendering.
     *
     * @throws TemplateException RENDER_FAILED when the stored definition is not valid (saved before a rule existed)
     */
    public CompiledTemplate compile(TemplateVersion version) {
        Analysis a = analyse(version.definition());
        if (!a.errors.isEmpty()) {
            throw new TemplateException(TemplateException.Kind.RENDER_FAILED, "template " + version.key() + " version "
                    + version.version() + " is not valid: " + a.errors.stream().map(TemplateProblem::toString)
                            .collect(Collectors.joining("; ")));
        }
        return new CompiledTemplate(version.key(), version.version(), a.normalised, a.compiled, limits);
    }

    private Analysis analyse(TemplateDefinition d) {
        Analysis a = new Analysis();
        if (!KEY.matcher(d.key()).matches()) {
            a.error("key", "must be 1-128 letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
        checkVariables(d.variables(), a);
        Set<String> declared = d.variables().stream().map(VariableSpec::name).collect(Collectors.toSet());
        Set<String> used = new HashSet<>();
        Map<String, Map<Channel, ChannelTemplate>> content = new LinkedHashMap<>();
        d.content().forEach((localeKey, perChannel) -> {
            String locale = LocaleFallback.canonical(localeKey);
            String path = "content." + localeKey;
            if (locale == null) {
                a.error(path, "'" + localeKey + "' is not a locale tag such as ko-KR, ko or en, nor \"default\"");
                return;
            }
            if (content.containsKey(locale)) {
                a.error(path, "locale " + locale + " appears twice");
                return;
            }
            Map<Channel, ChannelTemplate> normalised = new EnumMap<>(Channel.class);
            Map<Channel, CompiledTemplate.Fields> compiled = new EnumMap<>(Channel.class);
            perChannel.forEach((channel, template) -> {
                String at = path + "." + channel;
                if (template == null || template.channel() != channel) {
                    a.error(at, template == null ? "is empty" : "holds " + template.channel() + " content");
                    return;
                }
                ChannelTemplate converted = template.withFields(template.fields().entrySet().stream().collect(
                        Collectors.toMap(Map.Entry::getKey, e -> LegacyPlaceholders.convert(e.getValue(), declared))));
                normalised.put(channel, converted);
                CompiledTemplate.Fields fields = compileChannel(converted, at, d.variables(), used, a);
                if (fields != null) compiled.put(channel, fields);
            });
            content.put(locale, normalised);
            a.compiled.put(locale, compiled);
        });
        Map<Channel, ChannelTemplate> fallback = content.get(TemplateDefinition.DEFAULT_LOCALE);
        if (fallback == null) {
            a.error("content", "needs a \"default\" locale: it is what every other locale falls back to");
        } else {
            for (Channel c : d.defaultChannels()) {
                if (!fallback.containsKey(c)) a.error("defaultChannels", c + " is a default channel but content.default has no " + c);
            }
        }
        for (int i = 0; i < d.variables().size(); i++) {
            VariableSpec v = d.variables().get(i);
            if (!used.contains(v.name())) a.warn("variables[" + i + "]", "'" + v.name() + "' is declared but no content uses it");
        }
        a.normalised = new TemplateDefinition(d.key(), d.name(), d.defaultChannels(), d.variables(), content);
        return a;
    }

    private static void checkVariables(List<VariableSpec> variables, Analysis a) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < variables.size(); i++) {
            String name = variables.get(i).name();
            if (!VariableSpec.IDENTIFIER.matcher(name).matches()) {
                a.error("variables[" + i + "].name",
                        "'" + name + "' is not a name: use letters, digits and '_', not starting with a digit");
            } else if (!seen.add(name)) {
                a.error("variables[" + i + "].name", "'" + name + "' is declared twice");
            }
        }
    }

    private CompiledTemplate.Fields compileChannel(ChannelTemplate t, String at, List<VariableSpec> variables,
                                                   Set<String> used, Analysis a) {
        int errorsBefore = a.errors.size();
        String missing = switch (t) {
            case ChannelTemplate.Push p -> blank(p.title()) && blank(p.body()) ? "a title or a body" : null;
            case ChannelTemplate.InApp p -> blank(p.title()) && blank(p.body()) ? "a title or a body" : null;
            case ChannelTemplate.Sms s -> blank(s.text()) ? "text" : null;
            case ChannelTemplate.Email e -> blank(e.subject())
                    ? "a subject"
                    : blank(e.html()) && blank(e.text()) ? "html or text" : null;
        };
        if (missing != null) a.error(at, t.channel() + " content needs " + missing);
        Map<String, Template> compiled = new LinkedHashMap<>();
        t.fields().forEach((field, source) -> {
            String fieldPath = at + "." + field;
            try {
                compiled.put(field, Mustaches.forField(t.channel(), field).compile(source));
            } catch (MustacheException e) {
                a.error(fieldPath, "is not a valid template: " + e.getMessage());
                return;
            }
            TagScanner.scan(source, variables, used::add, message -> a.error(fieldPath, message));
        });
        if (a.errors.size() > errorsBefore) return null;
        CompiledTemplate.Fields fields = new CompiledTemplate.Fields(t.channel(), compiled);
        checkFixedTextFits(fields, at, a);
        return fields;
    }

    /** The text without any data must already fit, or no send can. */
    private void checkFixedTextFits(CompiledTemplate.Fields fields, String at, Analysis a) {
        Content empty;
        try {
            empty = fields.render(Map.of());
        } catch (MustacheException e) {
            return; // depends on data; rendering will tell
        }
        switch (fields.channel()) {
            case SMS -> {
                SmsLength len = SmsLength.of(empty.text());
                if (len.segments() > limits.maxSmsSegments()) {
                    a.error(at + ".text",
                            "fixed text alone is " + len.segments() + " SMS segments, over the limit of " + limits.maxSmsSegments());
                } else if (len.segments() > 1) {
                    a.warn(at + ".text",
                            "fixed text alone is " + len.segments() + " SMS segments (" + len.encoding() + "); each is billed");
                }
            }
            case PUSH -> {
                int bytes = PushPayloadSize.bytes(empty);
                if (bytes > limits.maxPushPayloadBytes()) {
                    a.error(at,
                            "fixed text alone makes a " + bytes + "-byte push payload, over the limit of " + limits.maxPushPayloadBytes());
                }
            }
            case EMAIL, IN_APP -> {
                /* no practical limit: Herald keeps the text itself */ }
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static final class Analysis {
        final List<TemplateProblem> errors = new ArrayList<>();
        final List<TemplateProblem> warnings = new ArrayList<>();
        final Map<String, Map<Channel, CompiledTemplate.Fields>> compiled = new LinkedHashMap<>();
        TemplateDefinition normalised;

        void error(String field, String message) {
            errors.add(new TemplateProblem(field, message));
        }

        void warn(String field, String message) {
            warnings.add(new TemplateProblem(field, message));
        }
    }
}
