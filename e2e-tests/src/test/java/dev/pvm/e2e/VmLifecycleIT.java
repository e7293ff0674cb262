package dev.pvm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The main flow of issue 2 across real processes: REST -> gateway -> placement/device -> engine -> guest console,
 * and VM records that survive a gateway restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VmLifecycleIT {
  private static final Duration BOOT = Duration.ofSeconds(90);
  private Platform platform;
  private RestApi api;

  @BeforeAll
  void startPlatform() throws Exception {
    platform = new Platform("lifecycle").start();
    api = new RestApi(platform::gatewayUri);
  }

  @AfterAll
  void stopPlatform() throws Exception {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void bootsTheBuiltinGuestThroughRestAndKeepsDefinitionsAcrossAGatewayRestart() throws Exception {
    RestApi.Response created = api.post("/api/v1/vms", """
        {"name":"hello1","machine":"pseries-4.1","vcpus":1,"memoryMiB":512,"boot":{"builtin":"hello"}}""");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode vm = created.json();
    String id = vm.get("id").asString();
    assertThat(vm.get("state").asString()).isEqualTo("DEFINED");

    RestApi.Response keeper = api.post("/api/v1/vms", """
        {"name":"keeper","machine":"pseries-4.1","vcpus":2,"memoryMiB":1024,
         "numa":[{"cpus":[0],"memoryMiB":512},{"cpus":[1],"memoryMiB":512}],
         "boot":{"builtin":"hello-be"}}""");
    assertThat(keeper.status()).as(keeper.body()).isEqualTo(201);
    String keeperId = keeper.json().get("id").asString();

    RestApi.Response started = api.post("/api/v1/vms/" + id + "/start");
    assertThat(started.status()).as(started.body()).isBetween(200, 202);

    awaitConsole(id, "Hello from a pvm POWER guest (ppc64le)");
    awaitState(id, "SHUTOFF");
    assertThat(api.post("/api/v1/vms/" + id + "/stop").status()).as("stopping a stopped VM").isEqualTo(409);

    assertThat(api.delete("/api/v1/vms/" + id).status()).isIn(200, 204);
    assertThat(api.get("/api/v1/vms/" + id).status()).isEqualTo(404);

    platform.restartGateway();

    RestApi.Response again = api.get("/api/v1/vms/" + keeperId);
    assertThat(again.status()).as(again.body()).isEqualTo(200);
    JsonNode kept = again.json();
    assertThat(kept.get("name").asString()).isEqualTo("keeper");
    assertThat(kept.get("state").asString()).isEqualTo("DEFINED");
    assertThat(kept.get("vcpus").asInt()).isEqualTo(2);
    assertThat(kept.get("memoryMiB").asLong()).isEqualTo(1024);
    assertThat(kept.get("numa")).hasSize(2);
    assertThat(kept.get("boot").get("builtin").asString()).isEqualTo("hello-be");

    // The kept VM still runs after the restart: the big-endian build of the guest.
    assertThat(api.post("/api/v1/vms/" + keeperId + "/start").status()).isBetween(200, 202);
    awaitConsole(keeperId, "Hello from a pvm POWER guest (ppc64)");
    awaitState(keeperId, "SHUTOFF");
  }

  /**
   * A kernel and initrd given by path (the built-in guest's ELF stands in for vmlinux), the hash MMU asked for, and
   * the console read through the gateway's WebSocket by the engine's attach command, as ./pvm demo linux does.
   */
  @Test
  void bootsAKernelGivenByPathAndAttachesToItsConsole(@TempDir Path dir) throws Exception {
    Path kernel = Files.copy(platform.root.resolve("vm-engine/src/main/resources/dev/pvm/engine/guest/hello-le.elf"),
        dir.resolve("vmlinux"));
    Path initrd = Files.write(dir.resolve("initrd.gz"), new byte[8192]);
    RestApi.Response created = api.post("/api/v1/vms", """
        {"name":"kernel1","machine":"pseries-4.1","vcpus":1,"memoryMiB":512,"mmu":"hash",
         "boot":{"kernel":"%s","initrd":"%s","cmdline":"console=hvc0 pvm-e2e"}}""".formatted(kernel, initrd));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().get("mmu").asString()).isEqualTo("hash");
    String id = created.json().get("id").asString();
    assertThat(api.post("/api/v1/vms/" + id + "/start").status()).isBetween(200, 202);

    Process attach = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
        "--enable-native-access=ALL-UNNAMED", "-jar", platform.engineJar().toString(), "attach",
        "--gateway", platform.gatewayUri("").toString(), id)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    attach.getOutputStream().close();
    String console = new String(attach.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(attach.waitFor(BOOT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(attach.exitValue()).as(console).isZero();
    assertThat(console).as("attached console; VM %s; gateway log:%n%s", api.get("/api/v1/vms/" + id).body(),
        platform.gatewayLog()).contains("Hello from a pvm POWER guest (ppc64le)", "512 MiB of memory");
    awaitState(id, "SHUTOFF");
  }

  @Test
  void rejectsKernelPathsThatAreNotThereNamingTheField() throws Exception {
    assertProblem(api.post("/api/v1/vms", """
        {"name":"k2","machine":"pseries-4.1","vcpus":1,"memoryMiB":512,"boot":{"kernel":"/no/such/vmlinux"}}"""),
        400, "boot.kernel");
    assertProblem(api.post("/api/v1/vms", """
        {"name":"k3","machine":"pseries-4.1","vcpus":1,"memoryMiB":512,"mmu":"paged","boot":{"builtin":"hello"}}"""),
        400, "mmu");
  }

  @Test
  void answersBadInputWithProblemJsonNamingTheField() throws Exception {
    assertProblem(api.post("/api/v1/vms", "{\"name\": \"broken\", "), 400, null);
    assertProblem(api.post("/api/v1/vms", """
        {"name":"m1","machine":"pseries-9.9","vcpus":1,"memoryMiB":512,"boot":{"builtin":"hello"}}"""), 400, "machine");
    assertProblem(api.post("/api/v1/vms", """
        {"name":"m2","machine":"pseries-4.1","vcpus":1,"memoryMiB":300,"boot":{"builtin":"hello"}}"""), 400, "memoryMiB");
    assertProblem(api.post("/api/v1/vms", """
        {"name":"m3","machine":"pseries-4.1","vcpus":0,"memoryMiB":512,"boot":{"builtin":"hello"}}"""), 400, "vcpus");
    assertProblem(api.post("/api/v1/vms", """
        {"name":"m4","machine":"pseries-4.1","vcpus":1,"memoryMiB":512,"boot":{"builtin":"hello"},
         "phbs":[{"index":1,"devices":["00ff:ff:1f.7"]}]}"""), 400, "phbs[0].devices[0]");
    assertProblem(api.get("/api/v1/vms/00000000-0000-0000-0000-000000000000"), 404, null);
  }

  private void assertProblem(RestApi.Response response, int status, String field) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    if (field != null) {
      assertThat(response.body()).contains("\"" + field + "\"");
    }
  }

  private void awaitConsole(String id, String text) {
    await().atMost(BOOT).pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertThat(api.get("/api/v1/vms/" + id + "/console").body())
            .as("console of %s; gateway log:%n%s", id, platform.gatewayLog())
            .contains(text));
  }

  private void awaitState(String id, String state) {
    await().atMost(BOOT).pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertThat(api.get("/api/v1/vms/" + id).json().get("state").asString())
            .isEqualTo(state));
  }
}
