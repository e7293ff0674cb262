package dev.pvm.engine.linuxuser;

import dev.pvm.engine.cpu.CpuModel;
import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Hypervisor;
import dev.pvm.engine.cpu.TimeBase;
import dev.pvm.engine.cpu.decode.Decoder;
import dev.pvm.engine.cpu.disasm.Disassembler;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.isa.IsaTable;
import dev.pvm.engine.cpu.translate.CpuExecutor;
import dev.pvm.engine.cpu.translate.CpuExecutors;
import dev.pvm.engine.cpu.translate.ExecutionMode;
import dev.pvm.engine.cpu.translate.TranslatorExecutor;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Runs a static ppc64 Linux executable in this process, as {@code qemu-ppc64le} / {@code qemu-ppc64} do: exec
 * ({@link ProgramLoader}), then a loop that runs guest instructions and handles what stops them: system calls
 * ({@link LinuxSyscalls}), faults and illegal instructions, which become signals delivered the way Linux
 * delivers them ({@link SignalFrame}), and exit.
 *
 * <p>Synchronous signals follow arch/powerpc/kernel/traps.c: an illegal instruction is SIGILL/ILL_ILLOPC, a
 * privileged one SIGILL/ILL_PRVOPC, a trap instruction SIGTRAP/TRAP_BRKPT, all with si_addr = the instruction;
 * a bad data access or fetch is SIGSEGV (SEGV_MAPERR where nothing is mapped, SEGV_ACCERR where the protection
 * forbids it; arch/powerpc/mm/fault.c) with si_addr = the address; misalignment SIGBUS/BUS_ADRALN.
 */
public final class UserModeRunner implements AutoCloseable {

    /** Address bits of the guest address space (1 TiB: the executable, the heap, mappings, the stack). */
    public static final int ADDRESS_BITS = 40;
    /**
     * Instructions per executor call: unbounded in effect, since nothing but the guest's own system calls and
     * faults interrupts a process. A budget running out inside a unit's loop would leave it at a loop head,
     * which then becomes an entry of its own: another unit translated, and compiled by the JIT, for code an
     * existing unit already holds.
     */
    private static final long SLICE = 1L << 62;

    /**
     * Options of one run.
     *
     * @param mode        how guest code runs: interpreted, translated (the default), or both in lockstep
     * @param trace       log every instruction (each one single-stepped in {@code mode})
     * @param diagnostics where the runner's own messages go
     */
    public record Options(ExecutionMode mode, boolean trace, PrintStream diagnostics) {
    }

    private final UserAddressSpace memory;
    private final UserProcess process;
    private final LinuxSyscalls syscalls;
    /**
     * Entries before a unit is translated (until then it runs decoded, through the interpreter's semantics): most of
     * a program's code runs a few times (start-up, libc's setup), and translating it, then JIT-compiling it, cost
     * more than running it decoded (busybox true 2.7 -> 2.0 s of CPU; the CPU benchmarks 0.2-1.2 s less each).
     * Once translating got cheaper (session 12: no stack map frames, a cheaper scan), 64 measured better than
     * 256: strmem 3-6 % less CPU, a busybox shell loop 4 %, busybox true 3 %, the other benchmarks the same.
     * The {@value TranslatorExecutor#TRANSLATE_AFTER_PROPERTY} system property overrides it (0: translate at once).
     */
    static final int TRANSLATE_AFTER = 64;

    private final CpuExecutor executor;
    private final Disassembler disassembler;
    private final Options options;

    /**
     * Loads {@code program} with {@code argv} and {@code envp}.
     *
     * @throws IOException when the program cannot be read
     */
    public UserModeRunner(Path program, List<String> argv, List<String> envp, Options options) throws IOException {
        this.options = options;
        // Parsing the instruction table is a third of the start-up's main-thread work: it overlaps loading the
        // program, and IsaTable.ppc64() below waits for it (a class initialisation, run once).
        Thread.ofPlatform().name("isa-table").daemon().start(IsaTable::ppc64);
        this.memory = new UserAddressSpace(ADDRESS_BITS);
        VirtualMemoryManager vm = new VirtualMemoryManager(memory);
        CpuState cpu = new CpuState(0);
        HostLibc probe = new HostLibc();
        UserIdentity ids = new UserIdentity((int) probe.call(HostLibc.GETUID), (int) probe.call(HostLibc.GETEUID),
                (int) probe.call(HostLibc.GETGID), (int) probe.call(HostLibc.GETEGID));
        int pid = (int) probe.call(HostLibc.GETPID);
        ProgramLoader.LoadedProgram loaded;
        try (Arena arena = Arena.ofConfined();
                FileChannel ch = FileChannel.open(program, StandardOpenOption.READ)) {
            MemorySegment file = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            loaded = ProgramLoader.load(file, program.toString(), argv, envp, vm, cpu, CpuModel.POWER9, ids);
        }
        this.process = new UserProcess(memory, vm, cpu, ids, pid, program.toAbsolutePath().normalize().toString(),
                loaded.elfV1(), options.diagnostics());
        this.syscalls = new LinuxSyscalls(process);
        dev.pvm.engine.StartupPhases.mark("program loaded");
        IsaTable isa = IsaTable.ppc64();
        dev.pvm.engine.StartupPhases.mark("table parsed");
        Decoder decoder = new Decoder(isa);
        dev.pvm.engine.StartupPhases.mark("decoder built");
        long start = System.nanoTime();
        // 512 MHz from the host's monotonic clock, as the pseries machine's timebase.
        TimeBase timeBase = () -> (System.nanoTime() - start) * 64 / 125;
        Hypervisor noHypervisor = c -> c.raise(new GuestInterrupt.Program(
                GuestInterrupt.ProgramReason.PRIVILEGED_INSTRUCTION, "sc 1 in user mode"));
        this.disassembler = new Disassembler(decoder);
        this.executor = CpuExecutors.create(options.mode(), decoder, memory, new UserTranslatorMemory(memory),
                noHypervisor, timeBase, CpuModel.POWER9);
        if (executor instanceof TranslatorExecutor t) {
            t.translateAfter(Integer.getInteger(TranslatorExecutor.TRANSLATE_AFTER_PROPERTY, TRANSLATE_AFTER));
        }
        dev.pvm.engine.StartupPhases.mark("executor built");
    }

    /** The executor running the guest (tests). */
    public CpuExecutor executor() {
        return executor;
    }

    /** The guest's registers (tests). */
    public CpuState cpu() {
        return process.cpu;
    }

    /**
     * Runs the program until it exits or a signal kills it.
     *
     * @return the exit status (128 + the signal's number when a signal killed it, as a shell reports it)
     */
    public int run() {
        CpuState cpu = process.cpu;
        Tracer tracer = options.trace() ? new Tracer(options.diagnostics(), disassembler, memory) : null;
        while (!process.exited) {
            if (tracer != null) {
                tracer.before(cpu);
            }
            if (tracer != null) {
                executor.step(cpu);
            } else {
                executor.run(cpu, SLICE);
            }
            GuestInterrupt interrupt = cpu.pendingInterrupt;
            if (interrupt != null) {
                cpu.pendingInterrupt = null;
                cpu.stopRequested = false;
                handle(cpu, interrupt);
                if (!process.exited) {
                    deliverPending(cpu);
                }
            }
            if (tracer != null) {
                // After the kernel's part too: a system call's result and a signal frame's registers show.
                tracer.after(cpu, interrupt);
            }
        }
        if (executor instanceof TranslatorExecutor translator && translator.statsReport(cpu) != null) {
            options.diagnostics().print(translator.statsReport(cpu));
        }
        dev.pvm.engine.StartupPhases.mark("guest exited");
        return process.exitStatus;
    }

    private void handle(CpuState cpu, GuestInterrupt interrupt) {
        // Every return from the kernel clears the reservation (the exit path's "stdcx." in
        // arch/powerpc/kernel/interrupt_64.S), so a larx ... stcx. pair around a system call fails.
        cpu.reservationAddress = -1;
        switch (interrupt) {
            case GuestInterrupt.SystemCall sc when sc.lev() == 0 -> syscalls.dispatch(cpu);
            case GuestInterrupt.Program p -> {
                cpu.nia = cpu.cia;
                int sig;
                int code;
                if (p.reason() == GuestInterrupt.ProgramReason.TRAP) {
                    sig = SignalState.SIGTRAP;
                    code = SignalState.TRAP_BRKPT;
                } else {
                    sig = SignalState.SIGILL;
                    code = p.reason() == GuestInterrupt.ProgramReason.PRIVILEGED_INSTRUCTION
                            ? SignalState.ILL_PRVOPC : SignalState.ILL_ILLOPC;
                    reportIllegal(cpu, p);
                }
                process.signals.force(sig, SignalState.siginfo(cpu, sig, code, cpu.cia, 0));
                trapVector = 0x700;
            }
            case GuestInterrupt.MachineCheck mc -> {
                cpu.nia = cpu.cia;
                long address = mc.realAddress();
                int code = process.memory.mapped(address) ? SignalState.SEGV_ACCERR : SignalState.SEGV_MAPERR;
                process.signals.force(SignalState.SIGSEGV,
                        SignalState.siginfo(cpu, SignalState.SIGSEGV, code, address, 0));
                cpu.dar = address;
                trapVector = mc.access().equals("instruction fetch") ? 0x400 : 0x300;
            }
            case GuestInterrupt.Alignment al -> {
                cpu.nia = cpu.cia;
                process.signals.force(SignalState.SIGBUS, SignalState.siginfo(cpu, SignalState.SIGBUS,
                        SignalState.BUS_ADRALN, al.effectiveAddress(), 0));
                cpu.dar = al.effectiveAddress();
                trapVector = 0x600;
            }
            default -> {
                cpu.nia = cpu.cia;
                process.diagnostics.println("pvm: " + interrupt.describe() + " at 0x" + Long.toHexString(cpu.cia)
                        + ": not expected in user mode; SIGILL");
                process.signals.force(SignalState.SIGILL, SignalState.siginfo(cpu, SignalState.SIGILL,
                        SignalState.ILL_ILLOPC, cpu.cia, 0));
                trapVector = 0x700;
            }
        }
    }

    /** The interrupt vector of the last stop, recorded in the frame's pt_regs.trap (0xc00 for sc). */
    private int trapVector = 0xc00;

    private void reportIllegal(CpuState cpu, GuestInterrupt.Program p) {
        int word;
        try {
            word = memory.load32(cpu.cia, process.order());
        } catch (RuntimeException e) {
            word = 0;
        }
        String text = disassembler.disassemble(word, cpu.cia);
        process.reportOnce("illegal:" + Long.toHexString(cpu.cia), String.format(
                "%s at 0x%x: word 0x%08x (%s): SIGILL", p.describe(), cpu.cia, word, text));
    }

    /** Delivers every pending unblocked signal: a handler frame each, or the default action. */
    private void deliverPending(CpuState cpu) {
        SignalState s = process.signals;
        int sig;
        while (!process.exited && (sig = s.nextDeliverable()) != 0) {
            byte[] info = s.take(sig);
            SignalState.Action a = s.action(sig);
            if (a.handler() == SignalState.SIG_IGN) {
                continue;
            }
            if (a.handler() == SignalState.SIG_DFL) {
                if (SignalState.ignoredByDefault(sig)) {
                    continue;
                }
                process.diagnostics.printf("pvm: guest killed by signal %d at pc 0x%x%n", sig, cpu.nia);
                process.diagnostics.flush();
                process.exit(128 + sig);
                return;
            }
            long sp = cpu.gpr[1];
            long[] altStack = s.altStack(sp);
            if ((a.flags() & SignalState.SA_ONSTACK) != 0 && !s.altStackDisabled && !s.onAltStack(sp)) {
                sp = s.altStackBase + s.altStackSize;
            }
            long frame = (sp - SignalFrame.FRAME_SIZE) & ~15L;
            long oldMask = syscalls.maskToSave();
            if (!memory.accessible(frame - SignalFrame.SIGNAL_FRAMESIZE,
                    SignalFrame.FRAME_SIZE + SignalFrame.SIGNAL_FRAMESIZE, UserAddressSpace.PROT_WRITE)) {
                // signal_setup_done with a failed frame: force SIGSEGV (kernel/signal.c force_sigsegv).
                process.diagnostics.printf("pvm: cannot build the frame for signal %d at 0x%x: killed by SIGSEGV%n",
                        sig, frame);
                process.exit(128 + SignalState.SIGSEGV);
                return;
            }
            SignalFrame.build(memory, cpu, frame, sig, a.handler(), (a.flags() & SignalState.SA_SIGINFO) != 0,
                    process.elfV1, trapVector, info, oldMask, altStack, cpu.dar, process.vm.sigreturnTrampoline());
            trapVector = 0xc00;
            s.blocked |= a.mask();
            if ((a.flags() & SignalState.SA_NODEFER) == 0) {
                s.blocked |= SignalState.bit(sig);
            }
            s.blocked &= ~(SignalState.bit(SignalState.SIGKILL) | SignalState.bit(SignalState.SIGSTOP));
            if ((a.flags() & SignalState.SA_RESETHAND) != 0) {
                s.setAction(sig, SignalState.Action.DEFAULT);
            }
        }
        syscalls.restoreSuspendMask();
        trapVector = 0xc00;
    }

    @Override
    public void close() {
        memory.close();
    }
}
