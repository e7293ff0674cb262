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
 * <p>{@link #PASSING} lists the corpus programs (vm-engine/src/test/programs) this branch runs to the end. It
 * only grows: the C programs go through glibc, whose start-up code already uses floating-point and VSX
 * instructions (stfd, stxvd2x), so they join the list as those instruction families land. Until then they stop
 * with SIGILL, reported on stderr with the instruction word.
 */
class LinuxUserProgramsTest {

    /** Corpus binaries (manifest paths) whose output must equal QEMU's. */
    static final List<String> PASSING = List.of("le/raw_start", "be/raw_start");

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

    static Stream<String> endians() {
        return Stream.of("le", "be");
    }
}
