package dev.pvm.gateway.web;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.pvm.gateway.GatewayTestBase;
import dev.pvm.gateway.fake.FakeDeviceService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;

/** Every bad input gets a 4xx problem+json naming the field, never a 500. */
class VmValidationTest extends GatewayTestBase {

    private ResultActions postVm(String body) throws Exception {
        return mvc.perform(post("/api/v1/vms").contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private static org.springframework.test.web.servlet.ResultMatcher problem(int status, String field) {
        return result -> {
            status().is(status).match(result);
            content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON).match(result);
            jsonPath("$.field").value(field).match(result);
        };
    }

    @Test
    void acceptsAValidDefinitionAsDefined() throws Exception {
        postVm("{\"name\":\"web1\",\"machine\":\"pseries-4.1\",\"vcpus\":2,\"memoryMiB\":1024,"
                + "\"numa\":[{\"cpus\":[0],\"memoryMiB\":512},{\"cpus\":[1],\"memoryMiB\":512}],"
                + "\"boot\":{\"builtin\":\"hello\"},\"phbs\":[{\"index\":1,\"devices\":[\"" + FakeDeviceService.GPU
                + "\"]}],\"mmu\":\"hash\"}")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.state").value("DEFINED"))
                .andExpect(jsonPath("$.name").value("web1"))
                .andExpect(jsonPath("$.mmu").value("hash"))
                .andExpect(jsonPath("$.numa[1].cpus[0]").value(1))
                .andExpect(jsonPath("$.phbs[0].devices[0]").value(FakeDeviceService.GPU));
    }

    @Test
    void rejectsMalformedJson() throws Exception {
        postVm("{\"name\":\"broken\",").andExpect(problem(400, ""))
                .andExpect(jsonPath("$.detail").value(containsString("malformed JSON")));
    }

    @Test
    void rejectsAWronglyTypedFieldNamingIt() throws Exception {
        postVm(definition(",\"phbs\":[{\"index\":\"one\"}]")).andExpect(problem(400, "phbs[0].index"));
        postVm(definition(",\"mmu\":\"paged\"")).andExpect(problem(400, "mmu"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "'\"name\":\"Web_1\"'                      | name",
        "'\"name\":\"-web\"'                       | name",
        "'\"machine\":\"pseries-9.9\"'             | machine",
        "'\"vcpus\":0'                             | vcpus",
        "'\"vcpus\":17'                            | vcpus",
        "'\"memoryMiB\":1000'                      | memoryMiB",
        "'\"memoryMiB\":0'                         | memoryMiB",
        "'\"boot\":{}'                             | boot",
        "'\"boot\":{\"builtin\":\"hello\",\"kernel\":\"/vmlinux\"}' | boot",
        "'\"boot\":{\"builtin\":\"doom\"}'         | boot.builtin",
        "'\"boot\":{\"kernel\":\"/no/such/vmlinux\"}' | boot.kernel",
        "'\"boot\":{\"kernel\":\"vmlinux\"}'       | boot.kernel",
    })
    void rejectsABadFieldNamingIt(String override, String field) throws Exception {
        String key = override.substring(0, override.indexOf(':') + 1);
        String base = "{\"name\":\"ok-" + UUID.randomUUID().toString().substring(0, 8) + "\",\"machine\":"
                + "\"pseries-4.1\",\"vcpus\":2,\"memoryMiB\":1024,\"boot\":{\"builtin\":\"hello\"}}";
        // Replace the field's value in the base definition.
        String body = base.replaceFirst(java.util.regex.Pattern.quote(key) + "(\\{[^}]*\\}|\"[^\"]*\"|[0-9]+)",
                java.util.regex.Matcher.quoteReplacement(override));
        postVm(body).andExpect(problem(400, field));
    }

    @Test
    void listsTheKnownMachineTypes() throws Exception {
        postVm(definition("").replace("pseries-4.1", "pseries-9.9"))
                .andExpect(problem(400, "machine"))
                .andExpect(jsonPath("$.detail").value(containsString("pseries-2.7, pseries-4.0, pseries-4.1")));
    }

    @Test
    void rejectsMissingRequiredFields() throws Exception {
        postVm("{\"name\":\"bare\"}")
                .andExpect(problem(400, "machine"))
                .andExpect(jsonPath("$.errors[?(@.field=='vcpus')].message").value("is required"))
                .andExpect(jsonPath("$.errors[?(@.field=='memoryMiB')].message").value("is required"))
                .andExpect(jsonPath("$.errors[?(@.field=='boot')]").exists());
    }

    @Test
    void rejectsNumaNodesWhoseCpusOverlap() throws Exception {
        postVm(definition(",\"numa\":[{\"cpus\":[0,1],\"memoryMiB\":512},{\"cpus\":[1],\"memoryMiB\":512}]"))
                .andExpect(problem(400, "numa[1].cpus[0]"))
                .andExpect(jsonPath("$.detail").value(containsString("already in numa[0]")));
    }

    @Test
    void rejectsNumaNodesThatMissAVcpu() throws Exception {
        postVm(definition(",\"numa\":[{\"cpus\":[0],\"memoryMiB\":1024}]"))
                .andExpect(problem(400, "numa"))
                .andExpect(jsonPath("$.detail").value(containsString("vCPUs [1] are in no NUMA node")));
    }

    @Test
    void rejectsNumaMemoryThatDoesNotAddUp() throws Exception {
        postVm(definition(",\"numa\":[{\"cpus\":[0],\"memoryMiB\":512},{\"cpus\":[1],\"memoryMiB\":256}]"))
                .andExpect(problem(400, "numa"))
                .andExpect(jsonPath("$.detail").value(containsString("adds up to 768 MiB")));
    }

    @Test
    void rejectsAnUnknownHostDevice() throws Exception {
        postVm(definition(",\"phbs\":[{\"index\":1,\"devices\":[\"0009:09:00.0\"]}]"))
                .andExpect(problem(400, "phbs[0].devices[0]"))
                .andExpect(jsonPath("$.detail").value(containsString("unknown host device 0009:09:00.0")));
    }

    @Test
    void rejectsAMalformedDeviceAddress() throws Exception {
        postVm(definition(",\"phbs\":[{\"index\":1,\"devices\":[\"04:00.0\"]}]"))
                .andExpect(problem(400, "phbs[0].devices[0]"));
    }

    @Test
    void rejectsADuplicatePhbIndex() throws Exception {
        postVm(definition(",\"phbs\":[{\"index\":1,\"devices\":[]},{\"index\":1,\"devices\":[]}]"))
                .andExpect(problem(400, "phbs[1].index"))
                .andExpect(jsonPath("$.detail").value(containsString("duplicate PHB index 1")));
    }

    @Test
    void rejectsAPhbIndexAboveTheMachineLimit() throws Exception {
        postVm(definition(",\"phbs\":[{\"index\":31,\"devices\":[]}]"))
                .andExpect(problem(400, "phbs[0].index"))
                .andExpect(jsonPath("$.detail").value(containsString("too large (max 30)")));
    }

    @Test
    void acceptsAKernelThatExists(@TempDir Path dir) throws Exception {
        Path kernel = Files.writeString(dir.resolve("vmlinux"), "ELF");
        postVm(definition("").replace("{\"builtin\":\"hello\"}",
                "{\"kernel\":\"" + kernel + "\",\"cmdline\":\"console=hvc0\"}"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.boot.kernel").value(kernel.toString()))
                .andExpect(jsonPath("$.boot.cmdline").value("console=hvc0"));
    }

    @ParameterizedTest
    @CsvSource({"/no/such/initrd.gz, no readable file", "initrd.gz, must be an absolute path"})
    void rejectsAnInitrdThatIsNotThereNamingIt(String initrd, String message, @TempDir Path dir) throws Exception {
        Path kernel = Files.writeString(dir.resolve("vmlinux"), "ELF");
        postVm(definition("").replace("{\"builtin\":\"hello\"}",
                "{\"kernel\":\"" + kernel + "\",\"initrd\":\"" + initrd + "\"}"))
                .andExpect(problem(400, "boot.initrd"))
                .andExpect(jsonPath("$.detail").value(containsString(message)));
    }

    @Test
    void rejectsAKernelPathThatIsADirectory(@TempDir Path dir) throws Exception {
        postVm(definition("").replace("{\"builtin\":\"hello\"}", "{\"kernel\":\"" + dir + "\"}"))
                .andExpect(problem(400, "boot.kernel"))
                .andExpect(jsonPath("$.detail").value(containsString("no readable file at " + dir)));
    }

    @Test
    void rejectsADuplicateNameWithConflict() throws Exception {
        String body = definition("");
        postVm(body).andExpect(status().isCreated());
        postVm(body).andExpect(problem(409, "name"));
    }

    @Test
    void answersNotFoundForAnUnknownVm() throws Exception {
        UUID unknown = UUID.randomUUID();
        for (String path : new String[] {"", "/console", "/device-tree"}) {
            mvc.perform(get("/api/v1/vms/" + unknown + path)).andExpect(problem(404, "id"));
        }
        mvc.perform(post("/api/v1/vms/" + unknown + "/start")).andExpect(problem(404, "id"));
        mvc.perform(post("/api/v1/vms/" + unknown + "/stop")).andExpect(problem(404, "id"));
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                .delete("/api/v1/vms/" + unknown)).andExpect(problem(404, "id"));
    }

    @Test
    void rejectsAMalformedVmId() throws Exception {
        mvc.perform(get("/api/v1/vms/not-a-uuid")).andExpect(problem(400, "id"));
    }

    @Test
    void answersServiceUnavailableNamingTheService() throws Exception {
        devices.unavailable.set(true);
        mvc.perform(get("/api/v1/host/devices"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.service").value("device-service"));
        postVm(definition(",\"phbs\":[{\"index\":1,\"devices\":[\"" + FakeDeviceService.GPU + "\"]}]"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.service").value("device-service"));
    }
}
