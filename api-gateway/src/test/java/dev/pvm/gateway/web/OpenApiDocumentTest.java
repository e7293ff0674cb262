package dev.pvm.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import dev.pvm.gateway.GatewayTestBase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** /v3/api-docs describes every endpoint of the API, with the problem schema errors use. */
class OpenApiDocumentTest extends GatewayTestBase {

    @Test
    void documentsEveryEndpoint() throws Exception {
        JsonNode doc = json(mvc.perform(get("/v3/api-docs")).andReturn());
        JsonNode paths = doc.get("paths");
        assertThat(paths.get("/api/v1/vms").has("post")).isTrue();
        assertThat(paths.get("/api/v1/vms").has("get")).isTrue();
        assertThat(paths.get("/api/v1/vms/{id}").has("get")).isTrue();
        assertThat(paths.get("/api/v1/vms/{id}").has("delete")).isTrue();
        assertThat(paths.get("/api/v1/vms/{id}/start").has("post")).isTrue();
        assertThat(paths.get("/api/v1/vms/{id}/stop").has("post")).isTrue();
        assertThat(paths.get("/api/v1/vms/{id}/console").has("get")).isTrue();
        assertThat(paths.get("/api/v1/vms/{id}/console/stream").has("get")).isTrue();
        assertThat(paths.get("/api/v1/vms/{id}/device-tree").has("get")).isTrue();
        assertThat(paths.get("/api/v1/host/devices").has("get")).isTrue();
        assertThat(paths.get("/api/v1/layouts").has("post")).isTrue();
        assertThat(paths.size()).isEqualTo(9);
        paths.properties().forEach(path -> path.getValue().properties().forEach(op ->
                assertThat(op.getValue().path("summary").asString()).as(path.getKey() + " " + op.getKey())
                        .isNotBlank()));

        JsonNode schemas = doc.get("components").get("schemas");
        assertThat(schemas.has("Problem")).isTrue();
        assertThat(schemas.get("VmDefinition").get("properties").get("memoryMiB").get("description").asString())
                .contains("multiple of 256");
        // The MMU choice: its two values, in the definition and echoed in the view.
        for (String schema : new String[] {"VmDefinition", "VmView"}) {
            JsonNode mmu = schemas.get(schema).get("properties").get("mmu");
            assertThat(mmu.get("enum").valueStream().map(JsonNode::asString).toList()).as(schema)
                    .containsExactly("radix", "hash");
        }
        assertThat(schemas.get("VmDefinition").get("properties").get("mmu").get("description").asString())
                .contains("radix on POWER9");
        assertThat(schemas.has("VmView")).isTrue();
        assertThat(schemas.has("LayoutView")).isTrue();
    }
}
