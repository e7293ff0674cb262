package dev.pvm.engine.linuxuser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pvm.engine.testing.ExternalTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guest programs under {@code pvm-engine user --interp} against QEMU's user mode: same stdout bytes, same exit
 * status. Needs the ppc64 cross compilers and qemu-ppc64le/qemu-ppc64 (Debian gcc-powerpc64le-linux-gnu,
 * gcc-powerpc64-linux-gnu, qemu-user); skips, saying which is missing, without them.
 *
 * <p>{@link #PASSING} lists the corpus programs (vm-engine/src/test/programs) whose stdout and exit status
 * already equal QEMU's. It only grows. The others still differ on lines that print floating-point values
 * (le/setjmp, le/fileio).
 */
class LinuxUserProgramsTest {

    /** Corpus binaries (manifest paths) whose output must equal QEMU's. */
    static final List<String> PASSING = List.of("le/raw_start", "be/raw_start", "le/startup", "be/startup",
            "le/int_arith", "be/int_arith", "be/setjmp", "be/signals", "be/fileio", "le/signals");

    private static final Path SOURCES = Path.of(System.getProperty("pvm.engine.source-dir", "."));
    private static final Path CORPUS = SOURCES.resolve("src/test/programs");
    private static final Path BUILD = SOURCES.resolve("target/programs");
    private static final Path OWN_BUILD = SOURCES.resolve("target/linuxuser-programs");
    private static final Map<String, String> COMPILERS = Map.of("le", "powerpc64le-linux-gnu-gcc", "be",
            "powerpc64-linux-gnu-gcc");
    private static final Map<String, String> QEMU = Map.of("le", "qemu-ppc64le", "be", "qemu-ppc64");

    @TempDir
    static Path scratch;

    static boolean toolsPresent() {
        return ExternalTools.available("make", "powerpc64le-linux-gnu-gcc", "powerpc64-linux-gnu-gcc",
                "qemu-ppc64le", "qemu-ppc64");
    }

    @BeforeAll
    static void build() throws IOException, InterruptedException {
        if (!toolsPresent()) {
            return;
        }
        List<String> make = new ArrayList<>(List.of("make", "-s", "-C", CORPUS.toString(), "OUT=" + BUILD,
                BUILD.resolve("manifest.tsv").toString()));
        PASSING.forEach(path -> make.add(BUILD.resolve(path).toString()));
        ExternalTools.run(null, make.toArray(String[]::new));
        Files.createDirectories(OWN_BUILD);
        for (var e : COMPILERS.entrySet()) {
            ExternalTools.run(null, e.getValue(), "-static", "-nostdlib", "-ffreestanding", "-fno-stack-protector",
                    "-msoft-float", "-mno-altivec", "-mno-vsx", "-O2", "-Wall", "-o",
                    OWN_BUILD.resolve("nolibc_kernel-" + e.getKey()).toString(),
                    SOURCES.resolve("src/test/linuxuser/nolibc_kernel.c").toString());
        }
    }

    static Stream<String> passing() {
        return PASSING.stream();
    }

    @ParameterizedTest
    @MethodSource("passing")
    void corpusProgramMatchesQemu(String path) throws IOException, InterruptedException {
        assumeTrue(toolsPresent(), "needs make, powerpc64{,le}-linux-gnu-gcc, qemu-ppc64{,le}");
        String[] manifest = Files.readAllLines(BUILD.resolve("manifest.tsv")).stream()
                .map(l -> l.split("\t")).filter(f -> f[0].equals(path)).findFirst().orElseThrow();
        List<String> args = manifest[3].equals("-") ? List.of() : Files.readAllLines(CORPUS.resolve(manifest[3]));
        Path binary = BUILD.resolve(path);
        GuestRun qemu = GuestRun.qemu(manifest[1], binary, args, scratch);
        GuestRun pvm = GuestRun.pvm(binary, args, scratch);
        assertThat(qemu.exitStatus()).as("QEMU's exit status against the manifest").isEqualTo(
                Integer.parseInt(manifest[2]));
        assertThat(new String(pvm.stdout(), StandardCharsets.UTF_8)).as("stdout of %s (stderr: %s)", path,
                pvm.stderr()).isEqualTo(new String(qemu.stdout(), StandardCharsets.UTF_8));
        assertThat(pvm.stdout()).isEqualTo(qemu.stdout());
        assertThat(pvm.exitStatus()).as("exit status of %s (stderr: %s)", path, pvm.stderr())
                .isEqualTo(qemu.exitStatus());
    }

    /**
     * Lines where QEMU's user mode is not Linux, with what Linux on a 64 KiB-page ppc64 kernel answers: QEMU
     * reports the host's 4 KiB page size and places mappings on 4 KiB boundaries; and it reports SEGV_MAPERR
     * for a store to a read-only page, where the kernel says SEGV_ACCERR (arch/powerpc/mm/fault.c
     * bad_access -> _exception(SIGSEGV, regs, SEGV_ACCERR, address)).
     */
    private static final Map<String, String> LINUX_NOT_QEMU = Map.of(
            "AT_PAGESZ=", "65536",
            "mmap page-aligned: ", "1",
            "SIGSEGV on read-only page, si_code=", "2");

    @ParameterizedTest
    @MethodSource("endians")
    void kernelInterfaceMatchesQemuAndLinux(String endian) throws IOException, InterruptedException {
        assumeTrue(toolsPresent(), "needs make, powerpc64{,le}-linux-gnu-gcc, qemu-ppc64{,le}");
        Path binary = OWN_BUILD.resolve("nolibc_kernel-" + endian);
        List<String> args = List.of("", "a b");
        GuestRun qemu = GuestRun.qemu(QEMU.get(endian), binary, args, scratch);
        GuestRun pvm = GuestRun.pvm(binary, args, scratch);
        assertThat(qemu.exitStatus()).as("QEMU runs the program to its end").isEqualTo(3);
        assertThat(pvm.exitStatus()).as("exit status (stderr: %s)", pvm.stderr()).isEqualTo(3);
        List<String> ours = new String(pvm.stdout(), StandardCharsets.UTF_8).lines().toList();
        List<String> theirs = new String(qemu.stdout(), StandardCharsets.UTF_8).lines().toList();
        assertThat(ours).hasSameSizeAs(theirs);
        for (int i = 0; i < ours.size(); i++) {
            String line = theirs.get(i);
            String linuxPrefix = LINUX_NOT_QEMU.keySet().stream().filter(line::startsWith).findFirst().orElse(null);
            if (linuxPrefix != null) {
                assertThat(ours.get(i)).isEqualTo(linuxPrefix + LINUX_NOT_QEMU.get(linuxPrefix));
            } else {
                assertThat(ours.get(i)).as("line %d", i + 1).isEqualTo(line);
            }
        }
        assertThat(ours).contains("failures=0", "uname: Linux " + (endian.equals("le") ? "ppc64le" : "ppc64"));
        assertThat(pvm.stderr()).contains("unsupported system call syscall_9999 (9999): answering ENOSYS")
                .contains("illegal instruction at 0x").contains("word 0x00000000");
    }

    @Test
    void traceLogsEveryInstructionWithItsChangedRegisters() throws IOException, InterruptedException {
        assumeTrue(toolsPresent(), "needs make, powerpc64{,le}-linux-gnu-gcc, qemu-ppc64{,le}");
        Path binary = BUILD.resolve("le/raw_start");
        String java = ProcessHandle.current().info().command().orElse("java");
        Path err = Files.createTempFile(scratch, "trace", ".txt");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "dev.pvm.engine.EngineMain", "user", "--trace", "--",
                binary.toString()).redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor()).isEqualTo(7);
        List<String> lines = Files.readAllLines(err);
        // raw_start begins with "ld r14,0(r1)" (argc = 1) and "addi r15,r1,8".
        assertThat(lines.get(0)).matches("0x[0-9a-f]+ [0-9a-f]{8} ld +r14,0\\(r1\\) +\\| r14=0x1");
        assertThat(lines.get(1)).matches("0x[0-9a-f]+ [0-9a-f]{8} addi +r15,r1,8 +\\| r15=0x[0-9a-f]+");
        assertThat(lines).anyMatch(l -> l.contains(" sc ") && l.contains("system call interrupt"));
    }

    /**
     * The entry state exec leaves, read back from guest memory: argc/argv/envp/auxv in create_elf_tables
     * order, the auxv entries glibc reads (arch/powerpc/include/asm/elf.h ARCH_DLINFO first), and the ELFv1
     * entry through the function descriptor (r2 = the TOC) against ELFv2's r12 = entry.
     */
    @ParameterizedTest
    @MethodSource("endians")
    void execBuildsTheLinuxEntryStack(String endian) throws IOException {
        assumeTrue(toolsPresent(), "needs make, powerpc64{,le}-linux-gnu-gcc, qemu-ppc64{,le}");
        Path binary = OWN_BUILD.resolve("nolibc_kernel-" + endian);
        try (UserAddressSpace memory = new UserAddressSpace(UserModeRunner.ADDRESS_BITS);
                java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined();
                java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(binary)) {
            VirtualMemoryManager vm = new VirtualMemoryManager(memory);
            dev.pvm.engine.cpu.CpuState cpu = new dev.pvm.engine.cpu.CpuState(0);
            java.lang.foreign.MemorySegment file = ch.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0,
                    ch.size(), arena);
            ProgramLoader.LoadedProgram loaded = ProgramLoader.load(file, "/x/prog", List.of("prog", "", "a b"),
                    List.of("A=1"), vm, cpu, dev.pvm.engine.cpu.CpuModel.POWER9, new UserIdentity(5, 6, 7, 8));
            java.nio.ByteOrder o = endian.equals("le") ? java.nio.ByteOrder.LITTLE_ENDIAN
                    : java.nio.ByteOrder.BIG_ENDIAN;
            assertThat(loaded.littleEndian()).isEqualTo(endian.equals("le"));
            assertThat(loaded.elfV1()).isEqualTo(endian.equals("be"));
            long sp = cpu.gpr[1];
            assertThat(sp & 15).isZero();
            assertThat(memory.load64(sp, o)).isEqualTo(3);
            assertThat(memory.readCString(memory.load64(sp + 8, o), 100)).isEqualTo("prog");
            assertThat(memory.readCString(memory.load64(sp + 16, o), 100)).isEmpty();
            assertThat(memory.readCString(memory.load64(sp + 24, o), 100)).isEqualTo("a b");
            assertThat(memory.load64(sp + 32, o)).isZero();
            assertThat(memory.readCString(memory.load64(sp + 40, o), 100)).isEqualTo("A=1");
            assertThat(memory.load64(sp + 48, o)).isZero();
            Map<Long, Long> auxv = new java.util.LinkedHashMap<>();
            List<Long> types = new ArrayList<>();
            for (long a = sp + 56; ; a += 16) {
                long type = memory.load64(a, o);
                types.add(type);
                if (type == 0) {
                    break;
                }
                auxv.putIfAbsent(type, memory.load64(a + 8, o));
            }
            assertThat(types.subList(0, 5)).as("ARCH_DLINFO leads: AT_IGNOREPPC twice, the cache block sizes")
                    .containsExactly(22L, 22L, 19L, 20L, 21L);
            assertThat(auxv.get(6L)).as("AT_PAGESZ").isEqualTo(65536);
            assertThat(auxv.get(16L)).as("AT_HWCAP").isEqualTo(Power9Hwcaps.HWCAP);
            assertThat(auxv.get(26L)).as("AT_HWCAP2").isEqualTo(Power9Hwcaps.HWCAP2);
            assertThat(auxv.get(19L)).as("AT_DCACHEBSIZE").isEqualTo(128);
            assertThat(auxv.get(43L)).as("AT_L1D_CACHEGEOMETRY: 8-way, 128-byte lines").isEqualTo((8L << 16) | 128);
            assertThat(memory.readCString(auxv.get(15L), 100)).as("AT_PLATFORM").isEqualTo("power9");
            assertThat(memory.readCString(auxv.get(24L), 100)).as("AT_BASE_PLATFORM").isEqualTo("power9");
            assertThat(memory.readCString(auxv.get(31L), 100)).as("AT_EXECFN").isEqualTo("/x/prog");
            assertThat(auxv.get(11L)).isEqualTo(5);
            assertThat(auxv.get(12L)).isEqualTo(6);
            assertThat(auxv.get(13L)).isEqualTo(7);
            assertThat(auxv.get(14L)).isEqualTo(8);
            assertThat(auxv.get(23L)).as("AT_SECURE").isZero();
            assertThat(auxv.get(9L)).as("AT_ENTRY").isEqualTo(loaded.entry());
            // AT_PHDR points at the program headers: the first one's p_type, AT_PHNUM of them, AT_PHENT apart.
            assertThat(auxv.get(4L)).isEqualTo(56);
            int loads = 0;
            for (int i = 0; i < auxv.get(5L); i++) {
                loads += memory.load32(auxv.get(3L) + 56L * i, o) == 1 ? 1 : 0;
            }
            assertThat(loads).isPositive();
            long random = auxv.get(25L);
            byte[] bytes = new byte[16];
            memory.read(random, bytes);
            assertThat(bytes).isNotEqualTo(new byte[16]);
            if (endian.equals("be")) {
                assertThat(cpu.nia).isEqualTo(memory.load64(loaded.entry(), o));
                assertThat(cpu.gpr[2]).isEqualTo(memory.load64(loaded.entry() + 8, o)).isNotZero();
            } else {
                assertThat(cpu.nia).isEqualTo(loaded.entry());
                assertThat(cpu.gpr[12]).isEqualTo(loaded.entry());
            }
            assertThat(cpu.problemState()).isTrue();
            assertThat(cpu.littleEndian).isEqualTo(endian.equals("le"));
        }
    }

    static Stream<String> endians() {
        return Stream.of("le", "be");
    }
}
