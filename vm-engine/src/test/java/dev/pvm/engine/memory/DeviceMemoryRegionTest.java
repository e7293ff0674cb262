package dev.pvm.engine.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvm.engine.cpu.CpuModel;
import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.asm.InsnAssembler;
import dev.pvm.engine.cpu.decode.Decoder;
import dev.pvm.engine.cpu.isa.IsaTable;
import dev.pvm.engine.cpu.translate.CpuExecutor;
import dev.pvm.engine.cpu.translate.CpuExecutors;
import dev.pvm.engine.cpu.translate.ExecutionMode;
import dev.pvm.engine.hcall.HcallTable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * GPU RAM and ATSD pages mapped from shared files: the guest's loads and stores and the host side's file I/O see
 * the same bytes, through the address space and through the CPU (interpreter and the translator's slow path).
 */
class DeviceMemoryRegionTest {

    private static final long MIB = 1 << 20;
    /** Spec section 13: GPU 0's RAM on vPHB 1 and its first ATSD page. */
    private static final long GPU_RAM_GPA = 0x4200_0000_0000L;
    private static final long ATSD_GPA = 0x8000_0012_0000L;
    private static final long ATSD_PAGE = 0x10000;

    @TempDir
    Path dir;

    private Path sparseFile(String name, long size) throws IOException {
        Path file = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
        return file;
    }

    private static long readFileLong(Path file, long offset, ByteOrder order) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(8).order(order);
            ch.read(b, offset);
            return b.flip().getLong();
        }
    }

    private static void writeFileLong(Path file, long offset, long value, ByteOrder order) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(order).putLong(value).flip(), offset);
        }
    }

    @Test
    void guestStoresReachTheBackingFileAndHostWritesReachGuestLoads() throws IOException {
        Path gpuRam = sparseFile("0004:04:00.0.gpu-ram", 64 * MIB);
        Path atsd = sparseFile("0007:00:00.0.atsd", ATSD_PAGE);
        try (AddressSpace memory = new AddressSpace(List.of(RamRegion.allocate(0, MIB)), List.of(
                DeviceMemoryRegion.map("GPU RAM", GPU_RAM_GPA, new HostFileRange(gpuRam, 0, 64 * MIB)),
                DeviceMemoryRegion.map("ATSD", ATSD_GPA, new HostFileRange(atsd, 0, ATSD_PAGE))))) {
            memory.store64(GPU_RAM_GPA + 0x100, 0x1122_3344_5566_7788L, ByteOrder.LITTLE_ENDIAN);
            assertThat(readFileLong(gpuRam, 0x100, ByteOrder.LITTLE_ENDIAN)).isEqualTo(0x1122_3344_5566_7788L);

            writeFileLong(gpuRam, 63 * MIB, 0xcafe_f00d_dead_beefL, ByteOrder.BIG_ENDIAN);
            assertThat(memory.load64(GPU_RAM_GPA + 63 * MIB, ByteOrder.BIG_ENDIAN)).isEqualTo(0xcafe_f00d_dead_beefL);

            // The ATSD launch register at offset 0 of the page, where the simulated NPU polls.
            memory.store64(ATSD_GPA, 1, ByteOrder.LITTLE_ENDIAN);
            assertThat(readFileLong(atsd, 0, ByteOrder.LITTLE_ENDIAN)).isEqualTo(1);

            assertThat(memory.ramSize()).as("device memory is not RAM").isEqualTo(MIB);
            assertThat(memory.regions()).hasSize(1);
            assertThat(memory.deviceRegions()).extracting(DeviceMemoryRegion::name).containsExactly("GPU RAM", "ATSD");
            assertThat(memory.isBacked(GPU_RAM_GPA + 64 * MIB - 8, 8)).isTrue();
            assertThat(memory.isBacked(GPU_RAM_GPA + 64 * MIB - 4, 8)).isFalse();
        }
    }

    @Test
    void aDeviceRegionOverlappingRamOrAnotherRegionIsRefused() throws IOException {
        Path file = sparseFile("gpu", MIB);
        RamRegion ram = RamRegion.allocate(0, 4 * MIB);
        DeviceMemoryRegion inRam = DeviceMemoryRegion.map("GPU RAM of 0004:04:00.0", 2 * MIB,
                new HostFileRange(file, 0, MIB));
        try {
            assertThatThrownBy(() -> new AddressSpace(List.of(ram), List.of(inRam)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("GPU RAM of 0004:04:00.0 [0x200000, 0x300000) overlaps RAM [0x0, 0x400000)");
        } finally {
            ram.close();
            inRam.close();
        }
        DeviceMemoryRegion a = DeviceMemoryRegion.map("ATSD a", GPU_RAM_GPA, new HostFileRange(file, 0, MIB));
        DeviceMemoryRegion b = DeviceMemoryRegion.map("ATSD b", GPU_RAM_GPA + MIB / 2, new HostFileRange(file, 0,
                MIB));
        RamRegion ram2 = RamRegion.allocate(0, MIB);
        try {
            assertThatThrownBy(() -> new AddressSpace(List.of(ram2), List.of(a, b)))
                    .hasMessageContaining("ATSD b [0x420000080000, 0x420000180000) overlaps ATSD a");
        } finally {
            ram2.close();
            a.close();
            b.close();
        }
    }

    @Test
    void aMissingBackingFileIsReportedWithItsPath() {
        Path missing = dir.resolve("nope.gpu-ram");
        assertThatThrownBy(() -> DeviceMemoryRegion.map("GPU RAM", GPU_RAM_GPA, new HostFileRange(missing, 0, MIB)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("nope.gpu-ram");
        assertThatThrownBy(() -> new HostFileRange(missing, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Real-mode guest code (MSR.DR = 0: effective = physical) loads and stores GPU RAM and writes ATSD LAUNCH. */
    @ParameterizedTest
    @EnumSource(value = ExecutionMode.class, names = {"INTERPRETER", "TRANSLATOR"})
    void cpuLoadsAndStoresReachDeviceMemory(ExecutionMode mode) throws IOException {
        Path gpuRam = sparseFile("gpu-ram", MIB);
        Path atsd = sparseFile("atsd", ATSD_PAGE);
        writeFileLong(gpuRam, 0x40, 0x0102_0304_0506_0708L, ByteOrder.LITTLE_ENDIAN);
        IsaTable isa = IsaTable.ppc64();
        InsnAssembler asm = new InsnAssembler(isa);
        try (AddressSpace memory = new AddressSpace(List.of(RamRegion.allocate(0, MIB)), List.of(
                DeviceMemoryRegion.map("GPU RAM", GPU_RAM_GPA, new HostFileRange(gpuRam, 0, MIB)),
                DeviceMemoryRegion.map("ATSD", ATSD_GPA, new HostFileRange(atsd, 0, ATSD_PAGE))))) {
            long code = 0x1000;
            String[] program = {"ld r4,0x40(r3)", "std r5,0x80(r3)", "std r6,0(r7)", "b 0x100c"};
            for (int i = 0; i < program.length; i++) {
                memory.store32(code + 4L * i, asm.assemble(program[i], code + 4L * i), ByteOrder.LITTLE_ENDIAN);
            }
            CpuState cpu = new CpuState(0);
            cpu.setMsr(Msr.KERNEL_ENTRY | Msr.LE);
            cpu.nia = code;
            cpu.gpr[3] = GPU_RAM_GPA;
            cpu.gpr[5] = 0x0a0b_0c0d_0e0f_1011L;
            cpu.gpr[6] = 0x8000_0000_0000_0001L;
            cpu.gpr[7] = ATSD_GPA;
            CpuExecutor executor = CpuExecutors.create(mode, new Decoder(isa), memory, new HcallTable(), () -> 0,
                    CpuModel.POWER9);
            executor.run(cpu, 50);
            assertThat(cpu.pendingInterrupt).isNull();
            assertThat(cpu.gpr[4]).isEqualTo(0x0102_0304_0506_0708L);
            assertThat(readFileLong(gpuRam, 0x80, ByteOrder.LITTLE_ENDIAN)).isEqualTo(0x0a0b_0c0d_0e0f_1011L);
            assertThat(readFileLong(atsd, 0, ByteOrder.LITTLE_ENDIAN)).isEqualTo(0x8000_0000_0000_0001L);
        }
    }
}
