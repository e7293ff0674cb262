package dev.pvm.engine.linuxuser;

import dev.pvm.engine.cpu.CpuState;
import java.io.PrintStream;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;

/**
 * One guest process's kernel-side state: its memory, its single thread's registers, signals, identity and
 * how it ended. The system call layer and the run loop share it; one thread owns it.
 */
final class UserProcess {

    final UserAddressSpace memory;
    final VirtualMemoryManager vm;
    final CpuState cpu;
    final SignalState signals = new SignalState();
    final HostLibc libc = new HostLibc();
    final UserIdentity ids;
    final int pid;
    /** Absolute host path of the executable (readlink /proc/self/exe). */
    final String executable;
    final boolean elfV1;
    final String machine;
    /** Where the runner's own reports go (unsupported calls, fatal signals). */
    final PrintStream diagnostics;
    private final Set<String> reported = new HashSet<>();

    boolean exited;
    int exitStatus;

    UserProcess(UserAddressSpace memory, VirtualMemoryManager vm, CpuState cpu, UserIdentity ids, int pid,
            String executable, boolean elfV1, PrintStream diagnostics) {
        this.memory = memory;
        this.vm = vm;
        this.cpu = cpu;
        this.ids = ids;
        this.pid = pid;
        this.executable = executable;
        this.elfV1 = elfV1;
        this.machine = cpu.littleEndian ? "ppc64le" : "ppc64";
        this.diagnostics = diagnostics;
    }

    ByteOrder order() {
        return cpu.littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    }

    /** Prints {@code message} on the diagnostics stream the first time {@code key} is seen. */
    void reportOnce(String key, String message) {
        if (reported.add(key)) {
            diagnostics.println("pvm: " + message);
            diagnostics.flush();
        }
    }

    void exit(int status) {
        exited = true;
        exitStatus = status & 0xff;
    }
}
