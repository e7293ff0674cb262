package dev.pvm.gateway.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.media.UUIDSchema;
import io.swagger.v3.oas.models.parameters.PathParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document's parts that springdoc cannot derive from the controllers: the API's description, the
 * problem+json schema every error uses, and the console WebSocket (not a controller endpoint).
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    @Bean
    OpenAPI pvmOpenApi() {
        return new OpenAPI().info(new Info()
                .title("pvm API")
                .version("v1")
                .description("POWER (pseries) virtual machines on the JVM: define VMs, start and stop them, read "
                        + "their consoles, list host devices and preview guest layouts. Errors are RFC 9457 "
                        + "problem+json naming the offending field."));
    }

    @Bean
    OpenApiCustomizer problemAndConsoleStream() {
        return openApi -> {
            openApi.getComponents().addSchemas("Problem", problemSchema());
            openApi.path("/api/v1/vms/{id}/console/stream", consoleStream());
        };
    }

    @SuppressWarnings("rawtypes")
    private static Schema problemSchema() {
        Schema<?> violation = new ObjectSchema()
                .addProperty("field", new StringSchema().description("JSON path of the field.").example("vcpus"))
                .addProperty("message", new StringSchema().description("What is wrong with it.")
                        .example("must be at least 1 (got 0)"));
        return new ObjectSchema()
                .description("RFC 9457 problem details.")
                .addProperty("type", new StringSchema().description("Problem type URI.")
                        .example("https://pvm.dev/problems/invalid-request"))
                .addProperty("title", new StringSchema().description("Short summary.").example("Invalid request"))
                .addProperty("status", new IntegerSchema().description("HTTP status.").example(400))
                .addProperty("detail", new StringSchema().description("What happened.")
                        .example("vcpus: must be at least 1 (got 0)"))
                .addProperty("instance", new StringSchema().description("The request path."))
                .addProperty("field", new StringSchema().description("The (first) offending request field, when "
                        + "there is one.").example("vcpus"))
                .addProperty("errors", new ArraySchema().items(violation)
                        .description("Every offending field with its message."))
                .addProperty("service", new StringSchema().description("The backing service that failed or is "
                        + "unreachable (503/502).").example("placement-service"));
    }

    private static PathItem consoleStream() {
        return new PathItem().get(new Operation()
                .addTagsItem("VMs")
                .operationId("consoleStream")
                .summary("Console stream (WebSocket)")
                .description("Upgrade to a WebSocket. The server sends everything the guest printed so far, then "
                        + "live output, as UTF-8 text messages, and closes (1000) when the run ends. Messages sent by "
                        + "the client are typed on the guest console; typing to a VM that is not running closes the "
                        + "socket with 1008 and the reason.")
                .addParametersItem(new PathParameter().name("id").description("VM id").schema(new UUIDSchema()))
                .responses(new ApiResponses()
                        .addApiResponse("101", new ApiResponse().description("Switching to the WebSocket protocol."))
                        .addApiResponse("404", new ApiResponse().description("No VM has this id."))));
    }
}
