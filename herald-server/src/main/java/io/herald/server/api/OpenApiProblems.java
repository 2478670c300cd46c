package io.herald.server.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;

import java.util.Map;

/**
 * The RFC 9457 problem+json answers in the OpenAPI document: one shared {@code Problem} schema, and on each operation
 * the statuses its {@link ProblemResponses} names, and 503 (at capacity or storage unavailable) on every one.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiProblems {

    static final String PROBLEM_JSON = "application/problem+json";
    private static final String REF = "#/components/schemas/Problem";

    private static final Map<Integer, String> MEANING = Map.ofEntries(
            Map.entry(400, "malformed body or bad query parameter (errors names each field)"),
            Map.entry(401, "missing or invalid credentials"),
            Map.entry(403, "the caller's role or scopes do not allow this"),
            Map.entry(404, "no such resource for the calling app"),
            Map.entry(409, "conflicts with the resource's current state"),
            Map.entry(413, "body larger than the limit"),
            Map.entry(415, "body is not application/json"),
            Map.entry(422, "well-formed but invalid (errors names each field)"),
            Map.entry(429, "rate limited; see Retry-After"),
            Map.entry(503, "storage unavailable or Herald at capacity; nothing was written, retry after Retry-After"));

    @Bean
    OpenApiCustomizer problemSchema() {
        return api -> {
            if (api.getComponents() == null) api.setComponents(new Components());
            Schema<?> field = new ObjectSchema().addProperty("field", new StringSchema()).addProperty("message", new StringSchema());
            api.getComponents().addSchemas("Problem", new ObjectSchema()
                    .description("RFC 9457 problem details")
                    .addProperty("type", new StringSchema().example("about:blank"))
                    .addProperty("title", new StringSchema().example("Invalid request"))
                    .addProperty("status", new IntegerSchema().example(422))
                    .addProperty("detail", new StringSchema().example("channels[0]: unknown channel FAX"))
                    .addProperty("instance", new StringSchema())
                    .addProperty("errors", new ArraySchema().items(field)));
        };
    }

    @Bean
    OperationCustomizer problemResponses() {
        return (operation, handler) -> {
            ProblemResponses declared = handler.getMethodAnnotation(ProblemResponses.class);
            if (declared == null) return operation;
            if (operation.getResponses() == null) operation.setResponses(new ApiResponses());
            // every API request may be refused while Herald is at capacity (RequestsInProgressFilter)
            java.util.SortedSet<Integer> statuses = new java.util.TreeSet<>(java.util.List.of(503));
            for (int status : declared.value()) statuses.add(status);
            for (int status : statuses) {
                String description = MEANING.getOrDefault(status, HttpStatus.valueOf(status).getReasonPhrase());
                operation.getResponses().addApiResponse(String.valueOf(status), new ApiResponse().description(description)
                        .content(new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(new Schema<>().$ref(REF)))));
            }
            return operation;
        };
    }

}
