package io.herald.server;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a response against the server's own OpenAPI document: the operation (method + path template) must list the
 * status, and a JSON body must match the schema of that status: every field declared (no undocumented fields), of
 * the declared type, required fields present. Strict on purpose, so a field added without its schema fails a test.
 */
public final class OpenApiResponses {

    private final JsonNode doc;

    public OpenApiResponses(JsonNode doc) {
        this.doc = doc;
    }

    /** The document of the server on that local port. */
    public static OpenApiResponses of(int port) {
        try {
            String body = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://localhost:" + port + "/v3/api-docs")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            return new OpenApiResponses(tools.jackson.databind.json.JsonMapper.builder().build().readTree(body));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Throws when the response disagrees with the document. */
    public void assertAgrees(String method, String pathAndQuery, int status, String contentType, JsonNode body) {
        if (pathAndQuery.startsWith("/v3/api-docs")) return;
        List<String> problems = check(method, pathAndQuery, status, contentType, body);
        if (!problems.isEmpty()) throw new AssertionError("response disagrees with /v3/api-docs: " + problems);
    }

    /** @return the problems found; empty when the response agrees with the document (or no operation matches the path) */
    public List<String> check(String method, String pathAndQuery, int status, String contentType, JsonNode body) {
        String path = pathAndQuery.split("\\?", 2)[0];
        JsonNode operation = operation(method.toLowerCase(), path);
        List<String> problems = new ArrayList<>();
        if (operation == null) return problems; // not an API path (actuator, console, static files)
        JsonNode response = operation.path("responses").path(String.valueOf(status));
        if (response.isMissingNode()) response = operation.path("responses").path("default");
        String where = method + " " + path + " " + status;
        if (response.isMissingNode()) {
            problems.add(where + ": status not documented (documented: " + names(operation.path("responses")) + ")");
            return problems;
        }
        if (body == null) return problems;
        JsonNode content = response.path("content");
        String media = contentType.split(";", 2)[0].trim();
        JsonNode schema = content.path(media).path("schema");
        if (schema.isMissingNode()) schema = content.path("*/*").path("schema");
        if (schema.isMissingNode()) {
            problems.add(where + ": no schema for " + media + " (documented: " + names(content) + ")");
            return problems;
        }
        validate(schema, body, where + " $", problems, 0);
        return problems;
    }

    private JsonNode operation(String method, String path) {
        for (Map.Entry<String, JsonNode> e : doc.path("paths").properties()) {
            String template = e.getKey();
            String regex = Pattern.quote(template).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
            if (path.matches(regex) && e.getValue().has(method)) {
                // a literal path wins over a template (/v1/notifications/batch over /{id})
                if (!template.contains("{")) return e.getValue().get(method);
                JsonNode literal = literalMatch(method, path);
                return literal != null ? literal : e.getValue().get(method);
            }
        }
        return null;
    }

    private JsonNode literalMatch(String method, String path) {
        JsonNode p = doc.path("paths").path(path);
        return p.has(method) ? p.get(method) : null;
    }

    private JsonNode resolve(JsonNode schema) {
        while (schema.has("$ref")) {
            String ref = schema.get("$ref").asString();
            JsonNode target = doc;
            for (String part : ref.substring(2).split("/")) target = target.path(part);
            schema = target;
        }
        return schema;
    }

    private void validate(JsonNode schema, JsonNode value, String at, List<String> problems, int depth) {
        if (depth > 40) return;
        schema = resolve(schema);
        for (String alt : List.of("oneOf", "anyOf")) {
            if (schema.has(alt)) {
                for (JsonNode option : schema.get(alt)) {
                    List<String> tried = new ArrayList<>();
                    validate(option, value, at, tried, depth + 1);
                    if (tried.isEmpty()) return;
                }
                problems.add(at + ": matches none of " + alt);
                return;
            }
        }
        if (value.isNull()) return; // records cannot say non-null; absent-or-null is checked by required below
        List<String> types = new ArrayList<>();
        if (schema.path("type").isString()) types.add(schema.get("type").asString());
        else
            schema.path("type").forEach(t -> types.add(t.asString()));
        if (types.isEmpty() && schema.has("properties")) types.add("object");
        if (types.isEmpty()) return; // any value
        String actual = value.isObject()
                ? "object"
                : value.isArray()
                        ? "array"
                        : value.isString()
                                ? "string"
                                : value.isIntegralNumber() ? "integer" : value.isNumber() ? "number" : value.isBoolean() ? "boolean" : "?";
        boolean typeOk = types.contains(actual) || ("integer".equals(actual) && types.contains("number"));
        if (!typeOk) {
            problems.add(at + ": " + actual + " where the schema says " + types);
            return;
        }
        if (schema.has("enum") && value.isString()) {
            boolean listed = false;
            for (JsonNode e : schema.get("enum")) listed |= e.asString().equals(value.asString());
            if (!listed) problems.add(at + ": " + value.asString() + " is not in the schema's enum");
        }
        if (value.isArray() && schema.has("items")) {
            int i = 0;
            for (JsonNode item : value) validate(schema.get("items"), item, at + "[" + i++ + "]", problems, depth + 1);
        }
        if (value.isObject()) {
            JsonNode props = schema.path("properties");
            JsonNode extra = schema.path("additionalProperties");
            for (Iterator<Map.Entry<String, JsonNode>> it = value.properties().iterator(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                if (props.has(f.getKey())) {
                    validate(props.get(f.getKey()), f.getValue(), at + "." + f.getKey(), problems, depth + 1);
                } else if (extra.isObject()) {
                    validate(extra, f.getValue(), at + "." + f.getKey(), problems, depth + 1);
                } else if (!(extra.isBoolean() && extra.asBoolean()) && !props.isEmpty()) {
                    problems.add(at + "." + f.getKey() + ": field not in the schema (schema has " + names(props) + ")");
                } else if (props.isEmpty() && extra.isMissingNode()) {
                    problems.add(at + "." + f.getKey() + ": the schema declares no fields");
                }
            }
            for (JsonNode r : schema.path("required")) {
                if (!value.has(r.asString())) problems.add(at + ": required field " + r.asString() + " missing");
            }
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.properties().forEach(e -> out.add(e.getKey()));
        return out;
    }
}
