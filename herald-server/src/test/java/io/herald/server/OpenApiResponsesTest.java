package io.herald.server;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The response checker itself: it must catch what it is there to catch. */
class OpenApiResponsesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final OpenApiResponses doc = new OpenApiResponses(JSON.readTree(
            """
                    {"paths": {
                       "/v1/things/{id}": {"get": {"responses": {
                         "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                         "404": {"content": {"application/problem+json": {"schema": {"type": "object", "properties": {"status": {"type": "integer"}}}}}}}}},
                       "/v1/things/batch": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"type": "object",
                         "properties": {"n": {"type": "integer"}}}}}}}}}},
                     "components": {"schemas": {"Thing": {"type": "object", "required": ["id"], "properties": {
                       "id": {"type": "string"}, "kind": {"type": "string", "enum": ["A", "B"]},
                       "tags": {"type": "array", "items": {"type": "string"}},
                       "extra": {"type": "object", "additionalProperties": {"type": "integer"}}}}}}}"""));

    private static JsonNode json(String s) {
        return JSON.readTree(s);
    }

    @Test
    void aMatchingResponsePasses() {
        assertThat(doc.check("GET", "/v1/things/7?x=1", 200, "application/json",
                json("{\"id\":\"7\",\"kind\":\"A\",\"tags\":[\"x\"],\"extra\":{\"a\":1}}"))).isEmpty();
        assertThat(doc.check("GET", "/v1/things/7", 200, "application/json", json("{\"id\":\"7\",\"kind\":null}")))
                .as("null stands for absent").isEmpty();
        assertThat(doc.check("GET", "/v1/things/7", 404, "application/problem+json", json("{\"status\":404}"))).isEmpty();
    }

    @Test
    void undeclaredFieldsWrongTypesEnumsAndMissingRequiredFieldsAreCaught() {
        assertThat(doc.check("GET", "/v1/things/7", 200, "application/json", json("{\"id\":\"7\",\"secret\":1}")))
                .singleElement().asString().contains("secret", "not in the schema");
        assertThat(doc.check("GET", "/v1/things/7", 200, "application/json", json("{\"id\":7}")))
                .singleElement().asString().contains("$.id", "integer");
        assertThat(doc.check("GET", "/v1/things/7", 200, "application/json", json("{\"id\":\"7\",\"kind\":\"C\"}")))
                .singleElement().asString().contains("enum");
        assertThat(doc.check("GET", "/v1/things/7", 200, "application/json", json("{\"id\":\"7\",\"tags\":[1]}")))
                .singleElement().asString().contains("$.tags[0]");
        assertThat(doc.check("GET", "/v1/things/7", 200, "application/json", json("{\"id\":\"7\",\"extra\":{\"a\":\"x\"}}")))
                .singleElement().asString().contains("$.extra.a");
        assertThat(doc.check("GET", "/v1/things/7", 200, "application/json", json("{}")))
                .singleElement().asString().contains("required field id");
    }

    @Test
    void undocumentedStatusesAndMediaTypesAreCaught() {
        assertThat(doc.check("GET", "/v1/things/7", 409, "application/problem+json", json("{}")))
                .singleElement().asString().contains("status not documented");
        assertThat(doc.check("GET", "/v1/things/7", 200, "text/csv", json("{}")))
                .singleElement().asString().contains("no schema for text/csv");
    }

    @Test
    void aLiteralPathWinsOverATemplate() {
        assertThat(doc.check("GET", "/v1/things/batch", 200, "application/json", json("{\"n\":1}"))).isEmpty();
    }

    @Test
    void pathsOutsideTheDocumentAreNotChecked() {
        assertThat(doc.check("GET", "/actuator/health", 200, "application/json", json("{\"status\":\"UP\"}"))).isEmpty();
    }
}
