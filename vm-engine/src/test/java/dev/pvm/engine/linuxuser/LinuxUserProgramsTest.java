package dev.pvm.engine.linuxuser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.translate.ExecutionMode;
import dev.pvm.engine.testing.ExternalTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guest programs under {@code pvm-engine user} against QEMU's user mode: same stdout bytes, same exit status, in
 * interpreter and translator modes, and for a lean subset in lockstep mode (translator and interpreter compared
 * after every unit; a divergence exits 125 with its description on stderr). Needs the ppc64 cross compilers and
 * qemu-ppc64le/qemu-ppc64 (Debian gcc-powerpc64le-linux-gnu, gcc-powerpc64-linux-gnu, qemu-user); skips, saying
 * which is missing, without them, except in CI, where it fails.
 *
 * <p>{@link #CORPUS} lists the corpus programs (vm-engine/src/test/programs) whose stdout and exit status equal
 * QEMU's: all of them, fp included (it does not print the bits where QEMU 7.2 departs from the ISA; see the corpus
 * README's "deliberately not printed"). atomic128 has no QEMU oracle (QEMU 7.2 loops forever on
 * lqarx/stqcx., which the program exists to test, so no build of it avoids that): it is compared with its
 * committed, hand-derived expected output instead.
 */
class LinuxUserProgramsTest {

    /** Corpus binaries (manifest paths) whose output must equal QEMU's. */
    static final List<String> CORPUS = List.of("le/int_arith", "le/vec_auto", "le/vec_intrin", "le/strings",
            "le/atomics", "be/atomics", "le/atomics-o3p9", "be/atomics-o3p9",
            "le/setjmp", "le/signals", "le/fileio", "le/startup", "le/isa_fixed", "le/raw_start", "le/smc",
            "le/int_arith-o3p9", "le/vec_auto-o3p9", "le/strings-o3p9", "le/vec_auto-o3p8", "le/vec_intrin-o3p9",
            "be/int_arith", "be/vec_auto", "be/vec_intrin", "be/strings", "be/setjmp", "be/signals", "be/fileio",
            "be/startup", "be/isa_fixed", "be/raw_start", "be/smc", "be/int_arith-o3p9", "be/vec_auto-o3p9",
            "be/strings-o3p9", "be/vec_auto-o3p8", "be/vec_intrin-o3p9",
            "le/fp", "be/fp", "le/fp-o3p9", "be/fp-o3p9");

    /**
     * The lockstep subset: code that rewrites itself and code the kernel rewrites, signal frames (faults on
     * read-only and unmapped pages among them), setjmp's register save/restore, the kernel's entry state, VSX
     * through intrinsics. Lockstep runs every unit
     * twice and journals every store, so the rest of the corpus stays in the two plain modes.
     */
    static final List<String> LOCKSTEP = List.of("le/smc", "be/smc", "le/signals", "be/setjmp", "be/raw_start",
            "le/vec_intrin-o3p9");

    /** Corpus binaries without a QEMU oracle, compared with {@code NAME.expected} in the corpus directory. */
    static final List<String> NO_QEMU = List.of("le/atomic128", "be/atomic128");

    private static final Path SOURCES = Path.of(System.getProperty("pvm.engine.source-dir", "."));
    private static final Path CORPUS_DIR = SOURCES.resolve("src/test/programs");
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

    private static void requireTools() {
        ExternalTools.requireOracle(toolsPresent(), "make, powerpc64{,le}-linux-gnu-gcc, qemu-ppc64{,le}");
    }

    /** QEMU's run of each corpus binary, made once and shared by the modes. */
    private static final Map<String, GuestRun> QEMU_RUNS = new ConcurrentHashMap<>();

    @BeforeAll
    static void build() throws IOException, InterruptedException {
        if (!toolsPresent()) {
            return;
        }
        List<String> make = new ArrayList<>(List.of("make", "-s", "-C", CORPUS_DIR.toString(), "OUT=" + BUILD,
                BUILD.resolve("manifest.tsv").toString()));
        Stream.of(CORPUS, NO_QEMU).flatMap(List::stream).distinct()
                .forEach(path -> make.add(BUILD.resolve(path).toString()));
        ExternalTools.run(null, make.toArray(String[]::new));
        Files.createDirectories(OWN_BUILD);
        for (var e : COMPILERS.entrySet()) {
            ExternalTools.run(null, e.getValue(), "-static", "-nostdlib", "-ffreestanding", "-fno-stack-protector",
                    "-msoft-float", "-mno-altivec", "-mno-vsx", "-O2", "-Wall", "-o",
                    OWN_BUILD.resolve("nolibc_kernel-" + e.getKey()).toString(),
                    SOURCES.resolve("src/test/linuxuser/nolibc_kernel.c").toString());
        }
    }

    static Stream<Arguments> corpusRuns() {
        return Stream.concat(
                CORPUS.stream().flatMap(p -> Stream.of(Arguments.of(p, ExecutionMode.INTERPRETER),
                        Arguments.of(p, ExecutionMode.TRANSLATOR))),
                LOCKSTEP.stream().map(p -> Arguments.of(p, ExecutionMode.LOCKSTEP)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("corpusRuns")
    void corpusProgramMatchesQemu(String path, ExecutionMode mode) throws IOException, InterruptedException {
        requireTools();
        String[] manifest = manifestLine(path);
        List<String> args = arguments(manifest);
        Path binary = BUILD.resolve(path);
        GuestRun qemu = QEMU_RUNS.get(path);
        if (qemu == null) {
            qemu = GuestRun.qemu(manifest[1], binary, args, scratch);
            QEMU_RUNS.put(path, qemu);
        }
        GuestRun pvm = pvm(mode, binary, args);
        assertThat(qemu.exitStatus()).as("QEMU's exit status against the manifest").isEqualTo(
                Integer.parseInt(manifest[2]));
        assertSameRun(path + " " + mode, pvm, qemu.stdout(), qemu.exitStatus());
    }

    static Stream<Arguments> noQemuRuns() {
        return NO_QEMU.stream().flatMap(p -> Stream.of(Arguments.of(p, ExecutionMode.INTERPRETER),
                Arguments.of(p, ExecutionMode.TRANSLATOR)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("noQemuRuns")
    void programWithoutQemuOracleMatchesItsExpectedOutput(String path, ExecutionMode mode)
            throws IOException, InterruptedException {
        requireTools();
        String[] manifest = manifestLine(path);
        assertThat(manifest[1]).as("the manifest marks %s as having no QEMU oracle", path).isEqualTo("none");
        String name = path.substring(path.indexOf('/') + 1);
        byte[] expected = Files.readAllBytes(CORPUS_DIR.resolve(name + ".expected"));
        GuestRun pvm = pvm(mode, BUILD.resolve(path), arguments(manifest));
        assertSameRun(path + " " + mode, pvm, expected, Integer.parseInt(manifest[2]));
    }

    private static String[] manifestLine(String path) throws IOException {
        return Files.readAllLines(BUILD.resolve("manifest.tsv")).stream().map(l -> l.split("\t"))
                .filter(f -> f[0].equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError(path + " is not in the corpus manifest"));
    }

    private static List<String> arguments(String[] manifest) throws IOException {
        return manifest[3].equals("-") ? List.of() : Files.readAllLines(CORPUS_DIR.resolve(manifest[3]));
    }

    /**
     * The program under the engine; in translator mode with every unit translated on first entry, so that the
     * translator, not the decoded tier, runs the corpus (BusyboxUserModeTest runs the default tiers).
     */
    private static GuestRun pvm(ExecutionMode mode, Path binary, List<String> args)
            throws IOException, InterruptedException {
        return mode == ExecutionMode.TRANSLATOR ? GuestRun.pvmTranslatingEverything(binary, args, scratch)
                : GuestRun.pvm(mode, binary, args, scratch);
    }

    private static void assertSameRun(String what, GuestRun pvm, byte[] stdout, int exitStatus) {
        assertThat(new String(pvm.stdout(), StandardCharsets.UTF_8)).as("stdout of %s (stderr: %s)", what,
                pvm.stderr()).isEqualTo(new String(stdout, StandardCharsets.UTF_8));
        assertThat(pvm.stdout()).isEqualTo(stdout);
        assertThat(pvm.exitStatus()).as("exit status of %s (stderr: %s)", what, pvm.stderr())
                .isEqualTo(exitStatus);
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

    static Stream<Arguments> endiansAndModes() {
        return endians().flatMap(e -> Stream.of(Arguments.of(e, ExecutionMode.INTERPRETER),
                Arguments.of(e, ExecutionMode.TRANSLATOR)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("endiansAndModes")
    void kernelInterfaceMatchesQemuAndLinux(String endian, ExecutionMode mode)
            throws IOException, InterruptedException {
        requireTools();
        Path binary = OWN_BUILD.resolve("nolibc_kernel-" + endian);
        List<String> args = List.of("", "a b");
        GuestRun qemu = GuestRun.qemu(QEMU.get(endian), binary, args, scratch);
        GuestRun pvm = pvm(mode, binary, args);
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
        requireTools();
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
        requireTools();
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
