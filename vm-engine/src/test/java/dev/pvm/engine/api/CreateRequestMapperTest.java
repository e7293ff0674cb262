package dev.pvm.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvm.engine.machine.BootSource;
import dev.pvm.engine.machine.InvalidVmConfigException;
import dev.pvm.engine.machine.MachineConfig;
import dev.pvm.engine.machine.MmuMode;
import dev.pvm.proto.common.v1.BootSpec;
import dev.pvm.proto.common.v1.KernelBoot;
import dev.pvm.proto.common.v1.VmSpec;
import dev.pvm.proto.engine.v1.CreateRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CreateRequestMapperTest {

    private static VmSpec.Builder spec() {
        return VmSpec.newBuilder().setName("vm1").setMachine("pseries-4.1").setVcpus(1).setMemoryMib(512)
                .setBoot(BootSpec.newBuilder().setBuiltin("hello"));
    }

    private static MachineConfig map(VmSpec.Builder spec) {
        return CreateRequestMapper.toConfig(CreateRequest.newBuilder().setVmId("id-1").setSpec(spec).build());
    }

    @ParameterizedTest
    @CsvSource({"MMU_MODE_UNSPECIFIED, RADIX", "MMU_MODE_RADIX, RADIX", "MMU_MODE_HASH, HASH"})
    void mapsTheMmuModeWithRadixAsPower9sDefault(dev.pvm.proto.common.v1.MmuMode asked, MmuMode expected) {
        assertThat(map(spec().setMmu(asked)).mmu()).isEqualTo(expected);
    }

    @Test
    void rejectsAnMmuModeItDoesNotKnow() {
        assertThatThrownBy(() -> map(spec().setMmuValue(7)))
                .isInstanceOfSatisfying(InvalidVmConfigException.class, e -> {
                    assertThat(e.field()).isEqualTo("spec.mmu");
                    assertThat(e.detail()).contains("unknown MMU mode 7");
                });
    }

    @Test
    void mapsAKernelWithInitrdAndCommandLine(@TempDir Path dir) throws Exception {
        Path kernel = Files.write(dir.resolve("vmlinux"), new byte[] {1});
        Path initrd = Files.write(dir.resolve("initrd.gz"), new byte[] {2});
        MachineConfig config = map(spec().setBoot(BootSpec.newBuilder().setKernel(KernelBoot.newBuilder()
                .setKernelPath(kernel.toString()).setInitrdPath(initrd.toString()).setCmdline("console=hvc0 quiet"))));
        assertThat(config.boot()).isEqualTo(new BootSource.Kernel(kernel, Optional.of(initrd), "console=hvc0 quiet"));
        assertThat(config.vmId()).isEqualTo("id-1");
    }

    @Test
    void aKernelWithoutInitrdHasNone(@TempDir Path dir) throws Exception {
        Path kernel = Files.write(dir.resolve("vmlinux"), new byte[] {1});
        MachineConfig config = map(spec().setBoot(BootSpec.newBuilder().setKernel(KernelBoot.newBuilder()
                .setKernelPath(kernel.toString()))));
        assertThat(config.boot()).isEqualTo(new BootSource.Kernel(kernel, Optional.empty(), ""));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "missing-kernel | initrd.gz    | spec.boot.kernel.kernel_path | no such file",
        "relative       | initrd.gz    | spec.boot.kernel.kernel_path | must be absolute",
        "vmlinux        | missing      | spec.boot.kernel.initrd_path | no such file",
        "vmlinux        | relative     | spec.boot.kernel.initrd_path | must be absolute",
        "vmlinux        | directory    | spec.boot.kernel.initrd_path | no such file",
        "''             | initrd.gz    | spec.boot.kernel.kernel_path | the path is missing",
    })
    void badPathsNameTheirField(String kernelName, String initrdName, String field, String message,
            @TempDir Path dir) throws Exception {
        Files.write(dir.resolve("vmlinux"), new byte[] {1});
        Files.write(dir.resolve("initrd.gz"), new byte[] {2});
        Files.createDirectory(dir.resolve("directory"));
        KernelBoot.Builder k = KernelBoot.newBuilder().setKernelPath(path(dir, kernelName))
                .setInitrdPath(path(dir, initrdName));
        assertThatThrownBy(() -> map(spec().setBoot(BootSpec.newBuilder().setKernel(k))))
                .isInstanceOfSatisfying(InvalidVmConfigException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.detail()).contains(message);
                });
    }

    private static String path(Path dir, String name) {
        return switch (name) {
            case "" -> "";
            case "relative" -> "some/file";
            default -> dir.resolve(name).toString();
        };
    }
}
