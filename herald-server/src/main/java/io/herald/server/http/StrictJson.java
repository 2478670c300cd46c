package io.herald.server.http;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.KeyDeserializer;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API's JSON reading rules, applied to Spring MVC's mapper: no silent type conversion (a number or boolean
 * where a string is expected is a 400, and the other way round), no trailing garbage, and no string that
 * PostgreSQL or a mail server would choke on (NUL characters, unpaired surrogates) or that is absurdly long.
 * Every refusal carries the JSON path of the field, which {@link io.herald.server.api.ApiErrors} names in the 400.
 */
public final class StrictJson {

    /** Longest string accepted anywhere in a body; fields have tighter limits of their own (see {@link FieldLimits}). */
    public static final int MAX_STRING = 200_000;
    /** Longest object key (attribute, data and preference names). */
    public static final int MAX_KEY = 255;

    private StrictJson() {
    }

    public static JsonMapperBuilderCustomizer customizer() {
        return b -> b
                .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Float, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Enum, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .addModule(module());
    }

    static SimpleModule module() {
        return new SimpleModule("herald-strict-json")
                .addDeserializer(String.class, new CheckedStrings())
                .addKeyDeserializer(String.class, new CheckedKeys())
                .addDeserializer(Object.class, new CheckedUntyped());
    }

    /** Why a string is refused, or null when it is fine. */
    public static String problemWith(String s, int max) {
        if (s.length() > max) return "is longer than " + max + " characters";
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) return "contains a NUL character (\\u0000)";
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains an unpaired UTF-16 surrogate (\\u" + Integer.toHexString(c) + ")";
            }
        }
        return null;
    }

    /** The same string and key rules for a body read as a tree: a 400 naming the first bad field. */
    public static void checkTree(tools.jackson.databind.JsonNode node) {
        if (node != null) checkTree(node, "");
    }

    private static void checkTree(tools.jackson.databind.JsonNode node, String path) {
        if (node.isString()) {
            String problem = problemWith(node.asString(), MAX_STRING);
            if (problem != null) throw badField(path.isEmpty() ? "body" : path, problem);
        } else if (node.isObject()) {
            for (var e : node.properties()) {
                String field = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                String problem = problemWith(e.getKey(), MAX_KEY);
                if (problem != null) throw badField(field, "name " + problem);
                checkTree(e.getValue(), field);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) checkTree(node.get(i), path + "[" + i + "]");
        }
    }

    private static ApiProblem badField(String field, String problem) {
        String shown = field.replace("\u0000", "\\u0000");
        return new ApiProblem(400, "Malformed request body", shown + ": " + problem, List.of(new ApiProblem.FieldError(shown, problem)));
    }

    private static String checked(JsonParser p, String s, int max) {
        String problem = s == null ? null : problemWith(s, max);
        if (problem != null) throw MismatchedInputException.from(p, String.class, problem);
        return s;
    }

    /** The standard string rules (and coercion settings), then the content check. */
    static final class CheckedStrings extends StringDeserializer {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
            return checked(p, super.deserialize(p, ctxt), MAX_STRING);
        }
    }

    static final class CheckedKeys extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws JacksonException {
            return checked(ctxt.getParser(), key, MAX_KEY);
        }
    }

    /** Free-form values (template data, attributes): maps, lists and scalars, every string and key checked. */
    static final class CheckedUntyped extends ValueDeserializer<Object> {
        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
            JsonToken t = p.currentToken();
            return switch (t) {
                case START_OBJECT, PROPERTY_NAME, END_OBJECT -> object(p, ctxt);
                case START_ARRAY -> array(p, ctxt);
                case VALUE_STRING -> checked(p, p.getString(), MAX_STRING);
                case VALUE_NUMBER_INT -> p.getNumberValue();
                case VALUE_NUMBER_FLOAT -> {
                    double d = p.getDoubleValue();
                    if (!Double.isFinite(d)) throw MismatchedInputException.from(p, Double.class, "is a number out of range");
                    yield d;
                }
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NULL -> null;
                case VALUE_EMBEDDED_OBJECT -> p.getEmbeddedObject();
                default -> ctxt.handleUnexpectedToken(Object.class, p);
            };
        }

        private Map<String, Object> object(JsonParser p, DeserializationContext ctxt) {
            Map<String, Object> map = new LinkedHashMap<>();
            JsonToken t = p.currentToken() == JsonToken.START_OBJECT ? p.nextToken() : p.currentToken();
            for (; t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t != JsonToken.PROPERTY_NAME) throw MismatchedInputException.from(p, Map.class, "is not a complete JSON object");
                String key = p.currentName();
                try {
                    checked(p, key, MAX_KEY);
                    p.nextToken();
                    map.put(key, deserialize(p, ctxt));
                } catch (JacksonException e) {
                    throw e.prependPath(map, key);
                }
            }
            return map;
        }

        private List<Object> array(JsonParser p, DeserializationContext ctxt) {
            List<Object> list = new ArrayList<>();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t == null) throw MismatchedInputException.from(p, List.class, "is not a complete JSON array");
                try {
                    list.add(deserialize(p, ctxt));
                } catch (JacksonException e) {
                    throw e.prependPath(list, list.size());
                }
            }
            return list;
        }
    }
}
