package io.herald.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.herald.client.model.FieldError;
import io.herald.client.model.Problem;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The client's own JSON mapper (never the application's): ISO-8601 times, nulls left out, unknown fields ignored. */
final class Json {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            // a newer server may add fields and enum values: an older client must keep working
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.USE_DEFAULTS))
            .build();

    private Json() {
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write request as JSON: " + e.getMessage(), e);
        }
    }

    static JsonNode tree(byte[] body) throws IOException {
        return MAPPER.readTree(body);
    }

    /** A problem from its JSON; the HTTP status wins over a missing or different {@code status} member. */
    static Problem problem(JsonNode node, int httpStatus) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode list = node.get("errors");
        if (list != null && list.isArray()) {
            for (JsonNode e : list) errors.add(new FieldError(text(e, "field"), text(e, "message")));
        }
        String type = text(node, "type");
        return new Problem(type == null ? "about:blank" : type, text(node, "title"), httpStatus, text(node, "detail"),
                text(node, "instance"), errors);
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
