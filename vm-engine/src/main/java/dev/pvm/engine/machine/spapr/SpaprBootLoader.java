package dev.pvm.engine.machine.spapr;

import dev.pvm.engine.loader.BuiltinGuest;
import dev.pvm.engine.loader.ElfFormatException;
import dev.pvm.engine.loader.ElfImage;
import dev.pvm.engine.loader.ElfLoader;
import dev.pvm.engine.machine.BootSource;
import dev.pvm.engine.machine.InvalidVmConfigException;
import dev.pvm.engine.machine.MachineConfig;
import dev.pvm.engine.memory.GuestMemory;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Puts the boot image, the initrd and the RTAS stub into guest memory, the way QEMU's pseries machine does
 * without firmware (shared/facts/linux-boot-on-pseries.md section 4a): the device tree goes at the top of the
 * real-mode area (below 2 GiB), the RTAS stub just below it, the kernel where its ELF program headers say and
 * the initrd right after the kernel.
 */
final class SpaprBootLoader {

    /** Room for the device tree (QEMU's FDT_MAX_SIZE). */
    static final long FDT_MAX_SIZE = 0x10_0000;
    /** The device tree must be reachable in real mode by a 32-bit-clean pointer (QEMU's FDT_MAX_ADDR). */
    static final long FDT_MAX_ADDRESS = 0x8000_0000L;
    /** The RTAS region below the tree: one 64 KiB page, reserved in the tree's memory reservation map. */
    static final long RTAS_REGION_SIZE = 0x1_0000;
    /** The initrd starts on a 64 KiB boundary after the kernel. */
    static final long INITRD_ALIGNMENT = 0x1_0000;

    private SpaprBootLoader() {
    }

    /**
     * @throws InvalidVmConfigException naming the boot field when the image is missing, malformed or too big
     */
    static SpaprBootInfo load(MachineConfig config, GuestMemory memory, byte[] rtasStub) {
        long node0Size = config.memory().getFirst().size();
        long fdtAddress = Math.min(node0Size, FDT_MAX_ADDRESS) - FDT_MAX_SIZE;
        long rtasBase = fdtAddress - RTAS_REGION_SIZE;
        if (rtasBase <= 0) {
            throw new InvalidVmConfigException("spec.memory_mib", "the first NUMA node's RAM is too small for the "
                    + "device tree and RTAS");
        }
        SpaprBootInfo info = switch (config.boot()) {
            case BootSource.Builtin b -> loadBuiltin(b.guest(), memory, rtasBase, fdtAddress);
            case BootSource.Kernel k -> loadKernel(k, memory, rtasBase, fdtAddress);
        };
        memory.write(rtasBase, rtasStub);
        return new SpaprBootInfo(info.entry(), info.imageStart(), info.imageEnd(), info.initrd(), rtasBase,
                rtasStub.length, fdtAddress);
    }

    private static SpaprBootInfo loadBuiltin(BuiltinGuest guest, GuestMemory memory, long limit, long fdtAddress) {
        ElfImage image = ElfImage.parse(MemorySegment.ofArray(guest.elf()));
        place(image, memory, limit, "spec.boot.builtin");
        return new SpaprBootInfo(image.physicalEntry(), image.physicalStart(), image.physicalEnd(), Optional.empty(),
                0, 0, fdtAddress);
    }

    private static SpaprBootInfo loadKernel(BootSource.Kernel k, GuestMemory memory, long limit, long fdtAddress) {
        String kernelField = "spec.boot.kernel.kernel_path";
        ElfImage image;
        long entry;
        try (Arena arena = Arena.ofConfined();
                FileChannel ch = FileChannel.open(k.kernel(), StandardOpenOption.READ)) {
            MemorySegment file = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            image = ElfImage.parse(file);
            entry = image.physicalEntry();
            place(image, memory, limit, kernelField);
        } catch (NoSuchFileException e) {
            throw new InvalidVmConfigException(kernelField, "no such file: " + k.kernel());
        } catch (IOException e) {
            throw new InvalidVmConfigException(kernelField, "cannot read " + k.kernel() + ": " + e.getMessage(), e);
        } catch (ElfFormatException e) {
            throw new InvalidVmConfigException(kernelField, k.kernel() + ": " + e.getMessage(), e);
        }
        Optional<long[]> initrd = Optional.empty();
        if (k.initrd().isPresent()) {
            initrd = Optional.of(loadInitrd(k.initrd().get(), memory, image.physicalEnd(), limit));
        }
        return new SpaprBootInfo(entry, image.physicalStart(), image.physicalEnd(), initrd, 0, 0, fdtAddress);
    }

    private static void place(ElfImage image, GuestMemory memory, long limit, String field) {
        if (image.physicalEnd() > limit) {
            throw new InvalidVmConfigException(field, String.format(
                    "the image ends at physical 0x%x, above 0x%x where RTAS and the device tree go; give the VM "
                            + "more memory", image.physicalEnd(), limit));
        }
        try {
            ElfLoader.load(image, memory);
        } catch (ElfFormatException e) {
            throw new InvalidVmConfigException(field, e.getMessage(), e);
        }
    }

    private static long[] loadInitrd(Path path, GuestMemory memory, long kernelEnd, long limit) {
        String field = "spec.boot.kernel.initrd_path";
        long start = (kernelEnd + INITRD_ALIGNMENT - 1) & -INITRD_ALIGNMENT;
        try (Arena arena = Arena.ofConfined();
                FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (start + size > limit) {
                throw new InvalidVmConfigException(field, String.format(
                        "the initrd (%d bytes) does not fit between the kernel (ends 0x%x) and RTAS (0x%x); give "
                                + "the VM more memory", size, kernelEnd, limit));
            }
            if (size > 0) {
                memory.write(start, ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena));
            }
            return new long[] {start, start + size};
        } catch (NoSuchFileException e) {
            throw new InvalidVmConfigException(field, "no such file: " + path);
        } catch (IOException e) {
            throw new InvalidVmConfigException(field, "cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
