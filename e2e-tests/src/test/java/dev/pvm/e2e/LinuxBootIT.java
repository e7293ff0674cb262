package dev.pvm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 6, "Done when" 1: Debian bookworm's 6.1 ppc64el kernel with the busybox shell initramfs, booted through
 * REST (kernel and initrd by path) and driven on its console through the gateway's WebSocket, radix and hash,
 * 1 vCPU and 2 vCPUs over 2 NUMA nodes; {@code poweroff -f} leaves the VM SHUTOFF, {@code reboot -f} boots the
 * kernel again (RTAS system-reboot: a machine reset with a new device tree) to a working shell.
 *
 * <p>One platform serves every configuration; each boot takes tens of seconds of engine time (far more on a
 * loaded host), hence the generous but bounded waits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LinuxBootIT {
    private static final Duration BOOT = Duration.ofMinutes(6);
    private static final Duration COMMAND = Duration.ofSeconds(90);
    private static final Duration END = Duration.ofSeconds(60);
    private static final Pattern PROCESSOR_LINE = Pattern.compile("(?m)^processor\\s*:");

    private Platform platform;
    private RestApi api;
    private DebianGuest guest;

    /** A VM shape: vCPUs, one or two NUMA nodes (one vCPU and half the memory each), the MMU. */
    private record Shape(int vcpus, boolean twoNodes, String mmu) {
        String json(String name, DebianGuest guest) {
            String numa = twoNodes ? """
                    "numa":[{"cpus":[0],"memoryMiB":512},{"cpus":[1],"memoryMiB":512}],""" : "";
            return """
                    {"name":"%s","machine":"pseries-4.1","vcpus":%d,"memoryMiB":1024,%s"mmu":"%s",
                     "boot":{"kernel":"%s","initrd":"%s","cmdline":"console=hvc0"}}"""
                    .formatted(name, vcpus, numa, mmu, guest.vmlinux(), guest.initrd());
        }
    }

    @BeforeAll
    void startPlatform() throws Exception {
        platform = new Platform("linux-boot");
        guest = DebianGuest.locate(platform.root);
        platform.start();
        api = new RestApi(platform::gatewayUri);
    }

    @AfterAll
    void stopPlatform() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void oneVcpuRadix() throws Exception {
        bootCheckAndPowerOff(new Shape(1, false, "radix"), false);
    }

    @Test
    void twoVcpusOnTwoNumaNodesRadixAlsoReboots() throws Exception {
        bootCheckAndPowerOff(new Shape(2, true, "radix"), true);
    }

    @Test
    void oneVcpuHash() throws Exception {
        bootCheckAndPowerOff(new Shape(1, false, "hash"), false);
    }

    @Test
    void twoVcpusOnTwoNumaNodesHash() throws Exception {
        bootCheckAndPowerOff(new Shape(2, true, "hash"), false);
    }

    private void bootCheckAndPowerOff(Shape shape, boolean reboot) throws Exception {
        String name = "linux-" + shape.vcpus() + "cpu-" + shape.mmu();
        RestApi.Response created = api.post("/api/v1/vms", shape.json(name, guest));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asString();
        assertThat(api.post("/api/v1/vms/" + id + "/start").status()).isBetween(200, 202);
        GuestShell shell = GuestShell.open(platform.gatewayUri(""), id, () -> diagnostics(id));
        try {
            shell.awaitText("Linux version", BOOT);
            shell.awaitPrompt(BOOT);
            checkShell(shell, shape);
            assertThat(state(id)).isEqualTo("RUNNING");

            if (reboot) {
                shell.send("reboot -f");
                // A new boot, in this order: the old kernel's last words, the new kernel's first message, the
                // initramfs's marker and the shell.
                shell.awaitText("reboot: Restarting system", END);
                shell.awaitText("Linux version", BOOT);
                shell.awaitText("PVM-GUEST-READY", BOOT);
                shell.awaitPrompt(BOOT);
                checkShell(shell, shape);
                assertThat(state(id)).as("state after the reboot").isEqualTo("RUNNING");
            }

            shell.send("poweroff -f");
            shell.awaitClosed(END);
        } finally {
            shell.close();
            // Kept beside the services' logs: the console is deleted with the VM.
            Files.writeString(platform.work.resolve(name + ".console.txt"), shell.transcript());
        }
        await().atMost(END).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(state(id)).as(diagnostics(id)).isEqualTo("SHUTOFF"));
        // The guest's own RTAS power-off, not the engine's exit or a stop, ended the run.
        assertThat(api.get("/api/v1/vms/" + id).json().get("stateReason").asString()).isEqualTo("guest powered off");
        assertThat(api.delete("/api/v1/vms/" + id).status()).isIn(200, 204);
    }

    /** The commands of the issue: what the kernel reports about the machine it booted on. */
    private void checkShell(GuestShell shell, Shape shape) {
        // Kernel messages from here on (a slow host's watchdog warnings) would land inside command output; only
        // emergencies stay on the console, among them the "reboot:" lines that power-off and reboot print.
        shell.run("dmesg -n 1", COMMAND);
        assertThat(shell.run("uname -m", COMMAND).strip()).isEqualTo("ppc64le");
        assertThat(shell.run("nproc", COMMAND).strip()).isEqualTo(Integer.toString(shape.vcpus()));

        String cpuinfo = shell.run("cat /proc/cpuinfo", COMMAND);
        assertThat(PROCESSOR_LINE.matcher(cpuinfo).results().count()).as(cpuinfo).isEqualTo(shape.vcpus());
        assertThat(cpuinfo).containsPattern("(?m)^cpu\\s*:\\s*POWER9")
                .containsPattern("(?m)^platform\\s*:\\s*pSeries")
                .containsPattern("(?m)^MMU\\s*:\\s*" + (shape.mmu().equals("hash") ? "Hash" : "Radix"));

        List<String> nodes = Arrays.stream(shell.run("ls /sys/devices/system/node", COMMAND).split("\\s+"))
                .filter(entry -> entry.startsWith("node")).toList();
        if (shape.twoNodes()) {
            assertThat(nodes).containsExactly("node0", "node1");
            // Each vCPU on the node the spec put it on.
            assertThat(shell.run("cat /sys/devices/system/node/node0/cpulist /sys/devices/system/node/node1/cpulist",
                    COMMAND).split("\\s+")).containsExactly("0", "1");
        } else {
            assertThat(nodes).containsExactly("node0");
        }
    }

    private String state(String id) throws Exception {
        return api.vmState(id);
    }

    private String diagnostics(String id) {
        return api.vmDiagnostics(id, platform::gatewayLog);
    }
}
