package dev.pvm.engine.machine.spapr;

import dev.pvm.engine.cpu.CpuModel;
import dev.pvm.engine.cpu.mmu.SoftTlb;
import dev.pvm.engine.cpu.translate.TranslatorExecutor;
import dev.pvm.engine.hcall.HcallTable;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;

/**
 * A readable profile of a machine's run so far: per vCPU the units translated, interrupts delivered by kind,
 * H_CEDE calls, TLB activity and where its slices ended (a sampling profile by guest address, which
 * {@code nm} on the kernel turns into function names); the hypercalls by name; and the time spent idle. It tells where a boot's time goes without a profiler attached.
 */
final class MachineStatistics {

    /** How many of the most sampled guest addresses to list. */
    private static final int TOP_ADDRESSES = 25;

    private final String text;

    MachineStatistics(CpuModel model, SpaprVcpu[] vcpus, HcallTable hcalls, long idleNanos, long instructions) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("statistics: %,d instructions; idle (waiting for a vCPU to become runnable) %.2f s; "
                + "timebase %d Hz%n", instructions, idleNanos / 1e9, model.timebaseHz()));
        for (SpaprVcpu v : vcpus) {
            b.append(String.format("vCPU %d: %,d instructions, %,d H_CEDE%n", v.cpu.index, v.cpu.instructions,
                    v.cedes));
            if (v.executor instanceof TranslatorExecutor t) {
                b.append(String.format("  units translated: %,d%n", t.translatedUnits()));
                String translator = t.statsReport(v.cpu); // with -Dpvm.translator.stats=true
                if (translator != null) {
                    translator.lines().forEach(line -> b.append("  ").append(line).append(System.lineSeparator()));
                }
            }
            Map<String, Long> kinds = new TreeMap<>();
            v.interrupts.forEach((k, n) -> kinds.put(k.getSimpleName(), n[0]));
            b.append("  interrupts: ").append(kinds).append(System.lineSeparator());
            b.append("  where slices ended (a sampling profile by guest address):");
            v.pcSamples.entrySet().stream()
                    .sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0])).limit(TOP_ADDRESSES)
                    .forEach(e -> b.append(String.format(" 0x%x %d;", e.getKey(), e.getValue()[0])));
            b.append(System.lineSeparator());
            SoftTlb tlb = v.cpu.mmu.tlb();
            b.append(String.format("  TLB: %,d fills (misses; %,.0f per 1 M instructions), %,d full flushes, %,d HPTE"
                    + " invalidations (%,d entries dropped)%n", tlb.fills(),
                    tlb.fills() * 1e6 / Math.max(1, v.cpu.instructions), tlb.fullFlushes(), tlb.hpteFlushes(),
                    tlb.hpteEntriesDropped()));
        }
        b.append("hypercalls: ").append(hcalls.callCounts()).append(System.lineSeparator());
        b.append(jvmLine()).append(System.lineSeparator());
        this.text = b.toString();
    }

    /**
     * The engine process's CPU time and the JVM's share of it: the same guest work (instructions, interrupts,
     * hypercalls) takes from run to run as much more CPU as the host lends the vCPU thread less of a core, and this
     * line tells that apart from more JIT compilation or GC.
     */
    private static String jvmLine() {
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long jitMillis = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
        double processSeconds = ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() / 1e9 : -1;
        return String.format("JVM: process CPU %.2f s, JIT compilation %.2f s, GC %.2f s", processSeconds,
                jitMillis / 1e3, gcMillis / 1e3);
    }

    @Override
    public String toString() {
        return text;
    }
}
