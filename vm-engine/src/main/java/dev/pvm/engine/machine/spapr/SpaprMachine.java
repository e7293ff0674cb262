package dev.pvm.engine.machine.spapr;

import dev.pvm.engine.cpu.CpuModel;
import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Decrementer;
import dev.pvm.engine.cpu.InterruptInputs;
import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.TimeBase;
import dev.pvm.engine.cpu.asm.InsnAssembler;
import dev.pvm.engine.cpu.decode.Decoder;
import dev.pvm.engine.cpu.disasm.Disassembler;
import dev.pvm.engine.cpu.interrupt.CheckstopException;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.interrupt.InterruptDelivery;
import dev.pvm.engine.cpu.isa.IsaTable;
import dev.pvm.engine.cpu.mmu.HashPageSizes;
import dev.pvm.engine.cpu.mmu.PartitionMmu;
import dev.pvm.engine.cpu.translate.CpuExecutor;
import dev.pvm.engine.cpu.translate.CpuExecutors;
import dev.pvm.engine.cpu.translate.ExecutionMode;
import dev.pvm.engine.cpu.translate.MachineCodePages;
import dev.pvm.engine.cpu.translate.TranslatorExecutor;
import dev.pvm.engine.devices.nvlink2.GpuSlot;
import dev.pvm.engine.devices.nvlink2.NvLink;
import dev.pvm.engine.devices.pci.PassthroughUnavailableException;
import dev.pvm.engine.devices.pci.PciConfigRtas;
import dev.pvm.engine.devices.pci.PhbConfig;
import dev.pvm.engine.devices.pci.SpaprPhb;
import dev.pvm.engine.devices.pci.VfioPassthrough;
import dev.pvm.engine.devices.vty.ConsoleSink;
import dev.pvm.engine.devices.vty.SpaprVty;
import dev.pvm.engine.devices.xics.Xics;
import dev.pvm.engine.devices.xics.XicsHcalls;
import dev.pvm.engine.devices.xics.XicsRtas;
import dev.pvm.engine.hcall.CpuCharacteristicsHcall;
import dev.pvm.engine.hcall.CpuHcalls;
import dev.pvm.engine.hcall.HashPageTableHcalls;
import dev.pvm.engine.hcall.HcallTable;
import dev.pvm.engine.hcall.LogicalCiHcalls;
import dev.pvm.engine.hcall.PageInitHcall;
import dev.pvm.engine.hcall.ProcessTableHcall;
import dev.pvm.engine.hcall.RandomHcall;
import dev.pvm.engine.hcall.TceHcalls;
import dev.pvm.engine.hcall.TermHcalls;
import dev.pvm.engine.hcall.VcpuScheduling;
import dev.pvm.engine.hcall.VpaHcalls;
import dev.pvm.engine.machine.InvalidVmConfigException;
import dev.pvm.engine.machine.MachineConfig;
import dev.pvm.engine.machine.MemoryNode;
import dev.pvm.engine.machine.RunOutcome;
import dev.pvm.engine.memory.AddressSpace;
import dev.pvm.engine.memory.DeviceMemoryRegion;
import dev.pvm.engine.memory.HostFileRange;
import dev.pvm.engine.memory.RamRegion;
import dev.pvm.engine.rtas.ConsoleRtas;
import dev.pvm.engine.rtas.CpuControl;
import dev.pvm.engine.rtas.CpuRtas;
import dev.pvm.engine.rtas.EventRtas;
import dev.pvm.engine.rtas.OsTermRtas;
import dev.pvm.engine.rtas.PowerControl;
import dev.pvm.engine.rtas.PowerRtas;
import dev.pvm.engine.rtas.RtasFirmware;
import dev.pvm.engine.rtas.RtasTable;
import dev.pvm.engine.rtas.TimeOfDayRtas;
import dev.pvm.vfio.JnaVfioKernel;
import dev.pvm.vfio.VfioKernel;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A pseries (sPAPR) machine: guest RAM, vCPUs, the vty console, the hypercall and RTAS tables, and the device
 * tree, booted without firmware: the guest is entered kexec-style with the tree in r3, as validated on QEMU in
 * shared/facts/linux-boot-on-pseries.md (section 4).
 *
 * <p>Lifecycle: {@link #create} (allocate, register, first {@link #reset}), then either {@link #runVcpu} on one
 * thread per vCPU (the VM controller's way: SMP) or {@link #run} on a single thread that takes the vCPUs in
 * turn (deterministic: tests and the command line), until the result is not {@link RunOutcome#CONTINUE}; then
 * {@link #close}. A guest reboot ({@code system-reboot}) resets the machine inside those calls, once every vCPU
 * has left its slice.
 *
 * <p>Each vCPU runs slices of guest code on its own executor; between slices and whenever an instruction ends
 * the slice early (MSR[EE] set, rfid, a DEC write, an interrupt) the machine delivers the pending synchronous
 * interrupt and, with MSR[EE]=1, the external or decrementer interrupt (Book III 7.8 order: external first).
 * H_CEDE idles the vCPU's thread (no spinning) until its decrementer fires, its external line rises or it is
 * prodded. The boot vCPU starts at reset; the secondaries wait for RTAS start-cpu.
 */
public final class SpaprMachine implements PowerControl, InterruptInputs, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SpaprMachine.class.getName());
    /** QEMU's default cap-hpt-max-page-size: 64 KiB. */
    private static final int MAX_HASH_PAGE_SHIFT = 16;

    /** Longest a call blocks idle before returning CONTINUE (so pause and stop requests are seen). */
    private static final long MAX_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /**
     * A boot runs most of its kernel code only a few times: running code as decoded units until it has been
     * entered this often, and translating only then, saves the translation and JVM compilation of tens of
     * thousands of units (measured on Debian's 6.1 kernel: benchmarks/README.md, "Where a boot's time goes").
     */
    static final int TRANSLATE_AFTER = 2048;
    static final String TRANSLATE_AFTER_PROPERTY = TranslatorExecutor.TRANSLATE_AFTER_PROPERTY;
    /** Consecutive faults at vector entries after which the guest is considered to have no handlers. */
    private static final int MAX_FAULTS_AT_VECTOR = 8;

    private final MachineConfig config;
    private final CpuModel cpuModel;
    private final AddressSpace memory;
    private final SpaprVcpu[] vcpus;
    private final TimeBase timeBase;
    /** The partition's MMU: the HPT or the registered process table, and every vCPU's SLB and TLB. */
    private final PartitionMmu mmu;
    /** Which RAM words any vCPU translated: a store by one vCPU invalidates every vCPU's units there. */
    private final MachineCodePages codePages;
    private final Disassembler disassembler;
    private final HcallTable hcalls;
    private final RtasTable rtas;
    private final List<SpaprVty> terminals;
    private final List<SpaprPhb> phbs;
    /** The real-host devices' VFIO container, groups and device fds (holds nothing on a simulated host). */
    private final VfioPassthrough vfio;
    private final Xics xics;
    private final VpaHcalls vpa;
    private final byte[] rtasStub;
    private volatile byte[] deviceTree;
    private volatile SpaprBootInfo bootInfo;
    private final LongAdder retired = new LongAdder();
    /** Statistics: time threads spent waiting in {@link #idle} for a vCPU to become runnable. */
    private final LongAdder idleNanos = new LongAdder();
    /** The partition's LPCR bits (ILE, AIL) as H_SET_MODE set them; each vCPU copies them at a slice start. */
    private volatile long lpcr;
    private volatile boolean powerOffRequested;
    private volatile boolean resetRequested;
    private volatile String failure;

    /** Guards the slice gate and the idle waits; notified whenever a vCPU may have become runnable. */
    private final Object lock = new Object();
    /** vCPUs inside a slice: a reset waits for them to leave. */
    private int activeSlices;
    private boolean resetting;

    private SpaprMachine(MachineConfig config, CpuModel cpuModel, AddressSpace memory, ConsoleSink console,
            Clock clock, ExecutionMode mode, VfioPassthrough vfio) {
        this.config = config;
        this.vfio = vfio;
        this.cpuModel = cpuModel;
        this.memory = memory;
        this.terminals = List.of(new SpaprVty(SpaprVty.DEFAULT_REG, console));
        this.phbs = config.phbs().stream().map(p -> new SpaprPhb(p, vfio)).toList();

        this.hcalls = new HcallTable();
        this.rtas = new RtasTable(memory);
        TermHcalls.register(hcalls, terminals);
        hcalls.register(RtasTable.H_RTAS, "H_RTAS", null, rtas::hcall);
        CpuHcalls.register(hcalls, new Scheduling());
        // The MMU: QEMU's HPT size rule, and its pseries page sizes (base = actual, at most 64 KiB).
        this.mmu = new PartitionMmu(config.mmu(), memory, HptSizing.shiftForRam(config.memoryBytes()),
                HashPageSizes.power9().limitedTo(MAX_HASH_PAGE_SHIFT));
        HashPageTableHcalls.register(hcalls, mmu, memory);
        ProcessTableHcall.register(hcalls, mmu);
        ConsoleRtas.register(rtas, terminals.getFirst());
        TimeOfDayRtas.register(rtas, clock);
        PowerRtas.register(rtas, this);
        CpuRtas.register(rtas, new Cpus());
        if (!phbs.isEmpty()) {
            PciConfigRtas.register(rtas, phbs);
        }

        long start = System.nanoTime();
        // One timebase for the machine, so every vCPU reads the same time: 512 MHz from the host's monotonic
        // clock, nanoseconds * 512 / 1000.
        this.timeBase = () -> (System.nanoTime() - start) * 64 / 125;
        // The hypervisor side: XICS, the VPA, and the other non-CPU hypercalls and RTAS services.
        this.xics = new Xics(config.vcpus(), this);
        XicsHcalls.register(hcalls, xics, timeBase);
        XicsRtas.register(rtas, xics);
        xics.claim(Xics.EPOW_IRQ, false);
        xics.claim(Xics.HOTPLUG_IRQ, false);
        EventRtas.register(rtas);
        terminals.getFirst().connectInterrupt(xics.claim(vioInterrupt(terminals.getFirst().reg()), false));
        this.vpa = VpaHcalls.register(hcalls, memory, config.vcpus(), cpuModel.cacheBlockBytes());
        RandomHcall.register(hcalls, new SecureRandom());
        PageInitHcall.register(hcalls, memory, this::codeChanged);
        LogicalCiHcalls.register(hcalls, memory);
        CpuCharacteristicsHcall.register(hcalls);
        TceHcalls.register(hcalls, memory, phbs.stream().map(SpaprPhb::dmaWindow).toList());
        OsTermRtas.register(rtas, memory, message -> { });

        IsaTable isa = IsaTable.ppc64();
        Decoder decoder = new Decoder(isa);
        this.vcpus = new SpaprVcpu[config.vcpus()];
        this.codePages = new MachineCodePages(memory);
        for (int i = 0; i < vcpus.length; i++) {
            CpuState cpu = new CpuState(i);
            mmu.attach(cpu, cpuModel.slbEntries());
            CpuExecutor executor = CpuExecutors.create(mode, decoder, memory, codePages.forVcpu(cpu.requests),
                    hcalls, timeBase, cpuModel);
            if (executor instanceof TranslatorExecutor t) {
                t.translateAfter(translateAfter());
            }
            vcpus[i] = new SpaprVcpu(cpu, executor);
        }
        this.disassembler = new Disassembler(decoder);
        this.rtasStub = RtasFirmware.image(new InsnAssembler(isa));
    }

    /**
     * Arrivals at untranslated code before the translator takes it: {@value #TRANSLATE_AFTER}, or the
     * {@value #TRANSLATE_AFTER_PROPERTY} system property.
     */
    private static int translateAfter() {
        return Integer.getInteger(TRANSLATE_AFTER_PROPERTY, TRANSLATE_AFTER);
    }

    /**
     * Guest memory that may hold code changed behind the CPU's back (H_PAGE_INIT's icache flags): every vCPU drops
     * its translations, each on its own thread before it runs its next unit.
     */
    private void codeChanged() {
        for (SpaprVcpu v : vcpus) {
            v.cpu.requests.post(v.executor::codeChanged);
        }
    }

    /** Makes vCPU {@code v} leave guest code soon, to look at its interrupts and scheduling state. */
    private static void kick(SpaprVcpu v) {
        v.cpu.requests.post(NOTHING);
    }

    private static final Runnable NOTHING = () -> { };

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
        return create(config, console, clock, mode, JnaVfioKernel::new);
    }

    /**
     * As {@link #create(MachineConfig, ConsoleSink, Clock, ExecutionMode)}, reaching real-host devices through
     * {@code vfioKernel} (asked for only when a device has a VFIO group; tests give a simulated kernel).
     *
     * @throws dev.pvm.engine.devices.pci.PassthroughUnavailableException when a device's VFIO group cannot be
     *                                                                    taken (busy, not viable, ...)
     */
    public static SpaprMachine create(MachineConfig config, ConsoleSink console, Clock clock, ExecutionMode mode,
            Supplier<VfioKernel> vfioKernel) {
        VfioPassthrough vfio = VfioPassthrough.open(vfioKernel, config.phbs());
        List<RamRegion> regions = new ArrayList<>();
        try {
            for (MemoryNode node : config.memory()) {
                regions.add(RamRegion.allocate(node.base(), node.size()));
            }
        } catch (RuntimeException e) {
            regions.forEach(RamRegion::close);
            vfio.close();
            throw new InvalidVmConfigException("spec.memory_mib", "cannot allocate guest RAM: " + e.getMessage(), e);
        }
        AddressSpace memory;
        SpaprMachine machine;
        try {
            memory = withDeviceMemory(config, regions, vfio);
        } catch (RuntimeException e) {
            vfio.close();
            throw e;
        }
        try {
            machine = new SpaprMachine(config, CpuModel.POWER9, memory, console, clock, mode, vfio);
        } catch (RuntimeException e) {
            memory.close();
            vfio.close();
            throw e;
        }
        try {
            machine.reset();
        } catch (RuntimeException e) {
            machine.close();
            throw e;
        }
        return machine;
    }

    /**
     * The address space: RAM plus, for every PHB with NVLink2, each GPU's RAM and each bridge's ATSD page mapped
     * from their host files at the layout's guest addresses (spec 4.3 step 3). The layout is fixed for the VM's
     * life, so the mappings are made once; QEMU's unmap/remap at every PHB reset would map the same ranges again.
     * On a real host the ranges are the VFIO device fds' regions, mapped through {@code vfio}.
     */
    private static AddressSpace withDeviceMemory(MachineConfig config, List<RamRegion> ram, VfioPassthrough vfio) {
        List<DeviceMemoryRegion> devices = new ArrayList<>();
        try {
            for (PhbConfig phb : config.phbs()) {
                if (phb.nvlink2().isEmpty()) {
                    continue;
                }
                for (GpuSlot slot : phb.nvlink2().get().slots()) {
                    devices.add(deviceMemory(vfio, "GPU RAM of " + slot.gpuAddress(), slot.gpuAddress(), true,
                            slot.ram().base(), slot.gpuRam()));
                    for (NvLink link : slot.links()) {
                        if (link.atsd().isPresent()) {
                            devices.add(deviceMemory(vfio, "ATSD page of " + link.bridgeAddress(),
                                    link.bridgeAddress(), false, link.atsdGpa(), link.atsd().get()));
                        }
                    }
                }
            }
            return new AddressSpace(ram, devices);
        } catch (PassthroughUnavailableException e) {
            ram.forEach(RamRegion::close);
            devices.forEach(DeviceMemoryRegion::close);
            throw e;
        } catch (IOException | RuntimeException e) {
            ram.forEach(RamRegion::close);
            devices.forEach(DeviceMemoryRegion::close);
            throw new InvalidVmConfigException("devices", "cannot map NVLink2 device memory: " + e.getMessage(), e);
        }
    }

    /** A simulated device's backing file, or on a real host its VFIO region (the range names the group file). */
    private static DeviceMemoryRegion deviceMemory(VfioPassthrough vfio, String name, String hostAddress,
            boolean gpu, long base, HostFileRange range) throws IOException {
        if (HostFileRange.isVfioGroup(range.file())) {
            return vfio.mapNvLink2(name, hostAddress, gpu, base, range.size());
        }
        return DeviceMemoryRegion.map(name, base, range);
    }

    /**
     * Machine reset: every vCPU to its reset state, the boot image, RTAS stub and a fresh device tree into
     * memory, and the boot vCPU set up for kexec-style entry (r3 = tree, r4 = r5 = 0, MSR = SF|ME, big-endian).
     * Only while no vCPU runs a slice.
     */
    public void reset() {
        mmu.reset();
        for (SpaprVcpu v : vcpus) {
            v.cpu.reset(Msr.KERNEL_ENTRY);
            v.reset();
        }
        lpcr = 0;
        powerOffRequested = false;
        resetRequested = false;
        xics.reset();
        vpa.reset();
        SpaprBootInfo boot = SpaprBootLoader.load(config, memory, rtasStub);
        for (SpaprPhb phb : phbs) {
            phb.reset();
            // QEMU prints these at PHB reset and tree build (error_report); the VM runs on.
            for (String warning : phb.config().warnings()) {
                LOG.log(System.Logger.Level.WARNING, "PHB " + phb.config().index() + ": " + warning);
            }
        }
        byte[] fdt = SpaprDeviceTree.build(config, boot,
                new SpaprDeviceTree.Devices(cpuModel, hcalls, rtas, terminals, xics, phbs));
        if (fdt.length > SpaprBootLoader.FDT_MAX_SIZE) {
            throw new IllegalStateException("device tree of " + fdt.length + " bytes exceeds its "
                    + SpaprBootLoader.FDT_MAX_SIZE + "-byte area");
        }
        memory.write(boot.fdtAddress(), fdt);
        for (SpaprVcpu v : vcpus) {
            v.executor.codeChanged();
        }
        codePages.forgetAll();
        CpuState boot0 = vcpus[0].cpu;
        boot0.nia = boot.entry();
        boot0.gpr[3] = boot.fdtAddress();
        boot0.gpr[4] = 0;
        boot0.gpr[5] = 0;
        vcpus[0].started = true;
        this.bootInfo = boot;
        this.deviceTree = fdt;
        LOG.log(System.Logger.Level.DEBUG, () -> String.format("reset: entry 0x%x, device tree at 0x%x (%d bytes), "
                + "RTAS at 0x%x", boot.entry(), boot.fdtAddress(), fdt.length, boot.rtasBase()));
    }

    /**
     * Runs every vCPU in turn on the calling thread, each for at most {@code budget} instructions; when none can
     * run (all idle in H_CEDE or stopped) waits briefly for one to become runnable.
     *
     * @return CONTINUE to go on, POWERED_OFF, or Failed with the reason
     */
    public RunOutcome run(long budget) {
        boolean ranAny = false;
        for (SpaprVcpu v : vcpus) {
            if (runnable(v)) {
                ranAny = true;
                RunOutcome o = slice(v, budget);
                if (!(o instanceof RunOutcome.Continue)) {
                    return o;
                }
            }
        }
        if (!ranAny) {
            idle(null);
        }
        return outcome();
    }

    /**
     * Runs vCPU {@code index} on the calling thread (its own thread, one per vCPU) for at most {@code budget}
     * instructions, or, while it cannot run (stopped, or idle in H_CEDE), waits up to a few milliseconds for it
     * to become runnable.
     *
     * @return CONTINUE to go on, POWERED_OFF, or Failed with the reason (the same for every vCPU)
     */
    public RunOutcome runVcpu(int index, long budget) {
        SpaprVcpu v = vcpus[index];
        if (!runnable(v)) {
            idle(v);
            return outcome();
        }
        return slice(v, budget);
    }

    /** The machine-wide outcome so far. */
    private RunOutcome outcome() {
        String f = failure;
        if (f != null) {
            return new RunOutcome.Failed(f);
        }
        if (powerOffRequested) {
            return RunOutcome.POWERED_OFF;
        }
        if (resetRequested) {
            enterSlice();
            exitSlice();
        }
        return RunOutcome.CONTINUE;
    }

    private boolean runnable(SpaprVcpu v) {
        if (!v.started) {
            return false;
        }
        return !v.ceded || wakeable(v);
    }

    /** Whether a ceded vCPU has a reason to wake: an interrupt it can take, or a prod. */
    private boolean wakeable(SpaprVcpu v) {
        return v.prodded || v.externalAsserted || Decrementer.pending(v.cpu, timeBase.read());
    }

    /** Waits until {@code v} (or, for null, any vCPU) may run, a stop is requested, or a short while passed. */
    private void idle(SpaprVcpu v) {
        long started = System.nanoTime();
        try {
            waitRunnable(v, started + MAX_IDLE_NANOS);
        } finally {
            idleNanos.add(System.nanoTime() - started);
        }
    }

    private void waitRunnable(SpaprVcpu v, long deadline) {
        synchronized (lock) {
            while (true) {
                if (powerOffRequested || resetRequested || failure != null) {
                    return;
                }
                long wait = deadline - System.nanoTime();
                for (SpaprVcpu c : v == null ? vcpus : new SpaprVcpu[] {v}) {
                    if (runnable(c)) {
                        return;
                    }
                    if (c.started && c.ceded) {
                        wait = Math.min(wait, ticksToNanos(Decrementer.ticksUntilPending(c.cpu, timeBase.read())));
                    }
                }
                if (wait <= 0) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private long ticksToNanos(long ticks) {
        return ticks >= Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE
                : ticks * 1_000_000_000L / cpuModel.timebaseHz() + 1;
    }

    private void wakeAll() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /**
     * Enters the slice gate, performing a requested reset once no vCPU is inside a slice. The reset itself runs
     * outside the gate's monitor (other vCPUs wait for {@code resetting} to clear): it resets XICS, whose lock a
     * console-input thread may hold while it wakes idle vCPUs through this monitor.
     */
    private void enterSlice() {
        while (true) {
            boolean resetter = false;
            synchronized (lock) {
                try {
                    while (resetting) {
                        lock.wait();
                    }
                    if (!resetRequested || failure != null || powerOffRequested) {
                        activeSlices++;
                        return;
                    }
                    resetting = true;
                    resetter = true;
                    while (activeSlices > 0) {
                        lock.wait();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    if (resetter) {
                        resetting = false;
                        lock.notifyAll();
                    }
                    activeSlices++;
                    return;
                }
            }
            try {
                LOG.log(System.Logger.Level.INFO, "guest requested a reboot");
                reset();
            } finally {
                synchronized (lock) {
                    resetting = false;
                    lock.notifyAll();
                }
            }
        }
    }

    private void exitSlice() {
        synchronized (lock) {
            activeSlices--;
            lock.notifyAll();
        }
    }

    /** Runs {@code v} for up to {@code budget} instructions, delivering interrupts as they come. */
    private RunOutcome slice(SpaprVcpu v, long budget) {
        enterSlice();
        CpuState cpu = v.cpu;
        long done = 0;
        // From here other vCPUs' shootdowns wait for this one; it serves them between runs of its executor.
        cpu.requests.enterGuest();
        try {
            cpu.lpcr = lpcr;
            while (done < budget && failure == null && !powerOffRequested && !resetRequested && v.started) {
                cpu.requests.drain();
                if (v.ceded) {
                    if (!wakeable(v)) {
                        break;
                    }
                    v.ceded = false;
                    v.prodded = false;
                }
                if (v.yieldRequested) {
                    v.yieldRequested = false;
                    Thread.yield();
                }
                deliverAsynchronous(v);
                long n = v.executor.run(cpu, budget - done);
                done += n;
                if (done >= budget) {
                    v.samplePc();
                }
                if (cpu.pendingInterrupt != null) {
                    deliverSynchronous(v, n);
                } else if (n > 0) {
                    v.faultsAtVector = 0;
                }
            }
        } catch (CheckstopException e) {
            fail(v, "vCPU " + cpu.index + ": " + e.getMessage() + String.format(" at 0x%x", cpu.cia));
        } finally {
            cpu.requests.leaveGuest();
            retired.add(done);
            exitSlice();
        }
        return outcome();
    }

    /** With MSR[EE]=1: the external interrupt, else the decrementer interrupt, when one is pending. */
    private void deliverAsynchronous(SpaprVcpu v) {
        CpuState cpu = v.cpu;
        if ((cpu.msr & Msr.EE) == 0) {
            return;
        }
        if (v.externalAsserted) {
            v.countInterrupt(EXTERNAL);
            InterruptDelivery.deliver(cpu, EXTERNAL);
        } else if (Decrementer.pending(cpu, timeBase.read())) {
            v.countInterrupt(DECREMENTER);
            InterruptDelivery.deliver(cpu, DECREMENTER);
        }
    }

    private static final GuestInterrupt EXTERNAL = new GuestInterrupt.External();
    private static final GuestInterrupt DECREMENTER = new GuestInterrupt.Decrementer();

    /**
     * Delivers the interrupt the last instruction raised. A guest whose handler faults again at its own first
     * instruction (nothing at the vector: zeroed memory is an illegal instruction) would loop forever; that,
     * and a longer run of faults at vector entries, fails the guest with the interrupt that began it.
     *
     * @param completed instructions the slice completed before the fault
     */
    private void deliverSynchronous(SpaprVcpu v, long completed) {
        CpuState cpu = v.cpu;
        GuestInterrupt interrupt = cpu.pendingInterrupt;
        cpu.pendingInterrupt = null;
        cpu.stopRequested = false;
        boolean atVector = completed == 0 && cpu.cia == v.lastVector;
        if (!atVector) {
            v.chainRoot = interrupt;
            v.chainRootCia = cpu.cia;
            v.chainRootMsr = cpu.msr;
            v.faultsAtVector = 0;
        } else {
            v.faultsAtVector++;
        }
        long cia = cpu.cia;
        long msr = cpu.msr;
        v.countInterrupt(interrupt);
        long vector = InterruptDelivery.deliver(cpu, interrupt);
        if (atVector && (vector == v.lastVector || v.faultsAtVector >= MAX_FAULTS_AT_VECTOR)) {
            String root = GuestFailureReport.describe(v.chainRoot, cpu, v.chainRootCia, v.chainRootMsr,
                    memory, disassembler);
            String last = GuestFailureReport.describe(interrupt, cpu, cia, msr, memory, disassembler);
            fail(v, root + ", and the guest has no handler for it (" + last.substring(last.indexOf(": ") + 2)
                    + ", at the entry of vector " + String.format("0x%x", v.lastVector) + ")");
        }
        v.lastVector = vector;
    }

    private void fail(SpaprVcpu v, String reason) {
        if (failure == null) {
            failure = reason;
            LOG.log(System.Logger.Level.INFO, () -> "guest failed: " + reason + System.lineSeparator()
                    + v.cpu.summary());
        }
        stopAll();
    }

    private void stopAll() {
        for (SpaprVcpu c : vcpus) {
            c.cpu.stopRequested = true;
            kick(c);
        }
        wakeAll();
    }

    @Override
    public void requestPowerOff() {
        powerOffRequested = true;
        stopAll();
    }

    @Override
    public void requestReset() {
        resetRequested = true;
        stopAll();
    }

    /**
     * The interrupt controller's line into vCPU {@code cpu}: while asserted, the vCPU takes an external interrupt
     * as soon as MSR[EE] allows, and a vCPU idling in H_CEDE wakes up.
     */
    @Override
    public void setExternal(int cpu, boolean asserted) {
        SpaprVcpu v = vcpus[cpu];
        v.externalAsserted = asserted;
        if (asserted) {
            // The vCPU leaves its run at the next instruction or unit boundary and takes the interrupt (an IPI).
            kick(v);
            wakeAll();
        }
    }

    /** The hypercalls' view: H_CEDE, H_PROD, H_CONFER, H_SET_MODE. */
    private final class Scheduling implements VcpuScheduling {

        @Override
        public int cpuCount() {
            return vcpus.length;
        }

        @Override
        public void cede(CpuState caller) {
            SpaprVcpu v = vcpus[caller.index];
            v.cedes++;
            if (v.prodded) {
                v.prodded = false;
                return;
            }
            v.ceded = true;
            caller.stopRequested = true;
        }

        @Override
        public void prod(int target) {
            vcpus[target].prodded = true;
            wakeAll();
        }

        @Override
        public void confer(CpuState caller) {
            vcpus[caller.index].yieldRequested = true;
            caller.stopRequested = true;
        }

        @Override
        public void setPartitionLpcr(CpuState caller, long mask, long value) {
            synchronized (lock) {
                lpcr = (lpcr & ~mask) | (value & mask);
                caller.lpcr = lpcr;
            }
            // The other vCPUs pick it up at their next slice; end this one so the caller's next interrupt
            // already uses it (it has: caller.lpcr).
        }
    }

    /** RTAS's view: start-cpu, stop-self, query-cpu-stopped-state. */
    private final class Cpus implements CpuControl {

        @Override
        public int cpuCount() {
            return vcpus.length;
        }

        @Override
        public boolean running(int id) {
            return vcpus[id].started;
        }

        @Override
        public boolean start(int id, long entry, long r3) {
            SpaprVcpu v = vcpus[id];
            synchronized (lock) {
                if (v.started) {
                    return false;
                }
                // The registers are written under the lock the target's thread takes before it runs again.
                CpuState c = v.cpu;
                c.setMsr(Msr.SF | Msr.ME);
                c.nia = entry;
                c.gpr[3] = r3;
                c.pendingInterrupt = null;
                c.lpcr = lpcr;
                v.ceded = false;
                v.prodded = false;
                v.lastVector = -1;
                v.started = true;
                lock.notifyAll();
            }
            return true;
        }

        @Override
        public void stopSelf(CpuState caller) {
            vcpus[caller.index].started = false;
            caller.stopRequested = true;
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

    /** Guest instructions retired since the machine was created (across resets and vCPUs). */
    public long instructions() {
        return retired.sum();
    }

    /**
     * What the machine counted so far, as text: per vCPU its executor's counters, interrupts by kind and TLB
     * activity; hypercalls by name; time idle (the {@code boot} command's {@code --stats}).
     */
    public String statistics() {
        return new MachineStatistics(cpuModel, vcpus, hcalls, idleNanos.sum(), instructions()).toString();
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

    /** The partition's MMU. */
    public PartitionMmu mmu() {
        return mmu;
    }

    /** The interrupt controller. */
    public Xics xics() {
        return xics;
    }

    /** Whether XICS presents an interrupt to vCPU {@code index} (its external interrupt input). */
    public boolean externalInterruptAsserted(int index) {
        return vcpus[index].externalAsserted;
    }

    /**
     * The instruction at effective address {@code ea} as vCPU {@code index} would fetch it now (through its MMU
     * when MSR[IR]=1), disassembled: for diagnostics of a guest that failed or hangs.
     */
    public String describeInstruction(int index, long ea) {
        CpuState cpu = vcpus[index].cpu;
        return GuestFailureReport.instruction(cpu, ea, cpu.msr, memory, disassembler);
    }

    /** How many vCPUs the machine has. */
    public int vcpuCount() {
        return vcpus.length;
    }

    /** vCPU {@code index}'s state (tests and diagnostics; owned by the thread that runs that vCPU). */
    public CpuState cpu(int index) {
        return vcpus[index].cpu;
    }

    /** Whether vCPU {@code index} has been started (boot vCPU, or start-cpu) and not stopped itself. */
    public boolean started(int index) {
        return vcpus[index].started;
    }

    /** Frees guest RAM, unmaps device memory, then gives back the VFIO devices, groups and container. */
    @Override
    public void close() {
        mmu.close();
        memory.close();
        vfio.close();
    }
}
