package dev.pvm.engine.machine.spapr;

import dev.pvm.engine.cpu.CpuModel;
import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.TimeBase;
import dev.pvm.engine.cpu.asm.InsnAssembler;
import dev.pvm.engine.cpu.decode.Decoder;
import dev.pvm.engine.cpu.disasm.Disassembler;
import dev.pvm.engine.cpu.isa.IsaTable;
import dev.pvm.engine.cpu.translate.CpuExecutor;
import dev.pvm.engine.cpu.translate.CpuExecutors;
import dev.pvm.engine.cpu.translate.ExecutionMode;
import dev.pvm.engine.devices.vty.ConsoleSink;
import dev.pvm.engine.devices.vty.SpaprVty;
import dev.pvm.engine.devices.xics.Xics;
import dev.pvm.engine.devices.xics.XicsHcalls;
import dev.pvm.engine.devices.xics.XicsRtas;
import dev.pvm.engine.hcall.CpuCharacteristicsHcall;
import dev.pvm.engine.hcall.HcallTable;
import dev.pvm.engine.hcall.LogicalCiHcalls;
import dev.pvm.engine.hcall.PageInitHcall;
import dev.pvm.engine.hcall.RandomHcall;
import dev.pvm.engine.hcall.TermHcalls;
import dev.pvm.engine.hcall.VpaHcalls;
import dev.pvm.engine.machine.InvalidVmConfigException;
import dev.pvm.engine.machine.MachineConfig;
import dev.pvm.engine.machine.MemoryNode;
import dev.pvm.engine.machine.RunOutcome;
import dev.pvm.engine.memory.AddressSpace;
import dev.pvm.engine.memory.RamRegion;
import dev.pvm.engine.rtas.ConsoleRtas;
import dev.pvm.engine.rtas.CpuRtas;
import dev.pvm.engine.rtas.EventRtas;
import dev.pvm.engine.rtas.OsTermRtas;
import dev.pvm.engine.rtas.PowerControl;
import dev.pvm.engine.rtas.PowerRtas;
import dev.pvm.engine.rtas.RtasFirmware;
import dev.pvm.engine.rtas.RtasTable;
import dev.pvm.engine.rtas.TimeOfDayRtas;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A pseries (sPAPR) machine: guest RAM, vCPUs, the vty console, the hypercall and RTAS tables, and the device
 * tree, booted without firmware: the guest is entered kexec-style with the tree in r3, as validated on QEMU in
 * shared/facts/linux-boot-on-pseries.md (section 4).
 *
 * <p>Lifecycle: {@link #create} (allocate, register, first {@link #reset}), then {@link #run} repeatedly on one
 * thread until it returns something other than {@link RunOutcome#CONTINUE}, then {@link #close}. A guest
 * reboot ({@code system-reboot}) resets the machine inside {@code run}.
 *
 * <p>Only the boot vCPU runs: secondaries stay stopped, as PAPR leaves them until {@code start-cpu}.
 */
public final class SpaprMachine implements PowerControl, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SpaprMachine.class.getName());

    private final MachineConfig config;
    private final CpuModel cpuModel;
    private final AddressSpace memory;
    private final CpuState[] cpus;
    private final boolean[] running;
    /** Runs the boot vCPU in the mode {@link #create} was given (by default the {@code pvm.cpu.mode} property's). */
    private final CpuExecutor executor;
    private final Disassembler disassembler;
    private final HcallTable hcalls;
    private final RtasTable rtas;
    private final List<SpaprVty> terminals;
    private final Xics xics;
    private final VpaHcalls vpa;
    /** The external interrupt line of each vCPU as XICS drives it (1 = asserted). */
    private final AtomicIntegerArray externalInterrupt;
    private final byte[] rtasStub;
    private volatile byte[] deviceTree;
    private volatile SpaprBootInfo bootInfo;
    private volatile long retired;
    private boolean powerOffRequested;
    private boolean resetRequested;

    private SpaprMachine(MachineConfig config, CpuModel cpuModel, AddressSpace memory, ConsoleSink console,
            Clock clock, ExecutionMode mode) {
        this.config = config;
        this.cpuModel = cpuModel;
        this.memory = memory;
        this.cpus = new CpuState[config.vcpus()];
        this.running = new boolean[config.vcpus()];
        for (int i = 0; i < cpus.length; i++) {
            cpus[i] = new CpuState(i);
        }
        this.terminals = List.of(new SpaprVty(SpaprVty.DEFAULT_REG, console));

        this.hcalls = new HcallTable();
        this.rtas = new RtasTable(memory);
        TermHcalls.register(hcalls, terminals);
        hcalls.register(RtasTable.H_RTAS, "H_RTAS", null, rtas::hcall);
        ConsoleRtas.register(rtas, terminals.getFirst());
        TimeOfDayRtas.register(rtas, clock);
        PowerRtas.register(rtas, this);
        CpuRtas.register(rtas, cpus.length, id -> running[id]);

        long start = System.nanoTime();
        // 512 MHz from the host's monotonic clock: nanoseconds * 512 / 1000.
        TimeBase timeBase = () -> (System.nanoTime() - start) * 64 / 125;
        // The hypervisor side: XICS, the VPA, and the other non-CPU hypercalls and RTAS services.
        this.externalInterrupt = new AtomicIntegerArray(cpus.length);
        this.xics = new Xics(cpus.length, (cpu, asserted) -> externalInterrupt.set(cpu, asserted ? 1 : 0));
        XicsHcalls.register(hcalls, xics, timeBase);
        XicsRtas.register(rtas, xics);
        xics.claim(Xics.EPOW_IRQ, false);
        xics.claim(Xics.HOTPLUG_IRQ, false);
        EventRtas.register(rtas);
        terminals.getFirst().connectInterrupt(xics.claim(vioInterrupt(terminals.getFirst().reg()), false));
        this.vpa = VpaHcalls.register(hcalls, memory, cpus.length, cpuModel.cacheBlockBytes());
        RandomHcall.register(hcalls, new SecureRandom());
        PageInitHcall.register(hcalls, memory, this::codeChanged);
        LogicalCiHcalls.register(hcalls, memory);
        CpuCharacteristicsHcall.register(hcalls);
        OsTermRtas.register(rtas, memory, message -> { });

        IsaTable isa = IsaTable.ppc64();
        Decoder decoder = new Decoder(isa);
        this.executor = CpuExecutors.create(mode, decoder, memory, hcalls, timeBase, cpuModel);
        this.disassembler = new Disassembler(decoder);
        this.rtasStub = RtasFirmware.image(new InsnAssembler(isa));
    }

    /** Guest memory that may hold code changed behind the CPU's back: drop translations. */
    private void codeChanged() {
        executor.codeChanged();
    }

    /** QEMU's spapr_vio_reg_to_irq for platform-assigned VIO addresses (0x71000000 + n): source 0x1100 + n. */
    private static int vioInterrupt(int reg) {
        return Xics.VIO_IRQ_BASE | (reg & 0xff);
    }

    /**
     * Allocates and boots (resets) the machine.
     *
     * @param console where the vty's output goes
     * @param clock   the host clock RTAS get-time-of-day starts from
     * @throws InvalidVmConfigException when the boot image cannot be loaded (naming the field)
     */
    public static SpaprMachine create(MachineConfig config, ConsoleSink console, Clock clock) {
        return create(config, console, clock, ExecutionMode.fromSystemProperty());
    }

    /**
     * As {@link #create(MachineConfig, ConsoleSink, Clock)}, with the vCPUs' execution mode given rather than
     * taken from the {@code pvm.cpu.mode} system property (the {@code boot} command's {@code --cpu-mode}).
     */
    public static SpaprMachine create(MachineConfig config, ConsoleSink console, Clock clock, ExecutionMode mode) {
        List<RamRegion> regions = new ArrayList<>();
        try {
            for (MemoryNode node : config.memory()) {
                regions.add(RamRegion.allocate(node.base(), node.size()));
            }
        } catch (RuntimeException e) {
            regions.forEach(RamRegion::close);
            throw new InvalidVmConfigException("spec.memory_mib", "cannot allocate guest RAM: " + e.getMessage(), e);
        }
        AddressSpace memory = new AddressSpace(regions);
        SpaprMachine machine = new SpaprMachine(config, CpuModel.POWER9, memory, console, clock, mode);
        try {
            machine.reset();
        } catch (RuntimeException e) {
            machine.close();
            throw e;
        }
        return machine;
    }

    /**
     * Machine reset: every vCPU to its reset state, the boot image, RTAS stub and a fresh device tree into
     * memory, and the boot vCPU set up for kexec-style entry (r3 = tree, r4 = r5 = 0, MSR = SF|ME, big-endian).
     */
    public void reset() {
        for (int i = 0; i < cpus.length; i++) {
            cpus[i].reset(Msr.KERNEL_ENTRY);
            running[i] = false;
        }
        powerOffRequested = false;
        resetRequested = false;
        xics.reset();
        vpa.reset();
        SpaprBootInfo boot = SpaprBootLoader.load(config, memory, rtasStub);
        byte[] fdt = SpaprDeviceTree.build(config, boot,
                new SpaprDeviceTree.Devices(cpuModel, hcalls, rtas, terminals, xics));
        if (fdt.length > SpaprBootLoader.FDT_MAX_SIZE) {
            throw new IllegalStateException("device tree of " + fdt.length + " bytes exceeds its "
                    + SpaprBootLoader.FDT_MAX_SIZE + "-byte area");
        }
        memory.write(boot.fdtAddress(), fdt);
        executor.codeChanged();
        CpuState boot0 = cpus[0];
        boot0.nia = boot.entry();
        boot0.gpr[3] = boot.fdtAddress();
        boot0.gpr[4] = 0;
        boot0.gpr[5] = 0;
        running[0] = true;
        this.bootInfo = boot;
        this.deviceTree = fdt;
        LOG.log(System.Logger.Level.DEBUG, () -> String.format("reset: entry 0x%x, device tree at 0x%x (%d bytes), "
                + "RTAS at 0x%x", boot.entry(), boot.fdtAddress(), fdt.length, boot.rtasBase()));
    }

    /**
     * Runs the guest for at most {@code budget} instructions.
     *
     * @return CONTINUE to go on, POWERED_OFF, or Failed with the reason (an interrupt we cannot deliver yet)
     */
    public RunOutcome run(long budget) {
        CpuState cpu = cpus[0];
        long done = executor.run(cpu, budget);
        retired += done;
        if (cpu.pendingInterrupt != null) {
            String reason = GuestFailureReport.describe(cpu.pendingInterrupt, cpu, memory, disassembler);
            LOG.log(System.Logger.Level.INFO, () -> "guest failed: " + reason + System.lineSeparator()
                    + cpu.summary());
            return new RunOutcome.Failed(reason);
        }
        if (powerOffRequested) {
            return RunOutcome.POWERED_OFF;
        }
        if (resetRequested) {
            LOG.log(System.Logger.Level.INFO, "guest requested a reboot");
            reset();
        }
        return RunOutcome.CONTINUE;
    }

    @Override
    public void requestPowerOff() {
        powerOffRequested = true;
        for (CpuState c : cpus) {
            c.stopRequested = true;
        }
    }

    @Override
    public void requestReset() {
        resetRequested = true;
        for (CpuState c : cpus) {
            c.stopRequested = true;
        }
    }

    /** The device tree built at the last reset (DTB). */
    public byte[] deviceTree() {
        return deviceTree.clone();
    }

    /** Where the last reset placed things. */
    public SpaprBootInfo bootInfo() {
        return bootInfo;
    }

    /** Guest instructions retired since the machine was created (across resets). */
    public long instructions() {
        return retired;
    }

    /** The console terminal. */
    public SpaprVty console() {
        return terminals.getFirst();
    }

    public MachineConfig config() {
        return config;
    }

    public AddressSpace memory() {
        return memory;
    }

    public HcallTable hcalls() {
        return hcalls;
    }

    public RtasTable rtas() {
        return rtas;
    }

    /** The interrupt controller. */
    public Xics xics() {
        return xics;
    }

    /** Whether XICS presents an interrupt to vCPU {@code index} (its external interrupt input). */
    public boolean externalInterruptAsserted(int index) {
        return externalInterrupt.get(index) != 0;
    }

    /** vCPU {@code index}'s state (tests and diagnostics; owned by the thread that runs the machine). */
    public CpuState cpu(int index) {
        return cpus[index];
    }

    /** Frees guest RAM. */
    @Override
    public void close() {
        memory.close();
    }
}
