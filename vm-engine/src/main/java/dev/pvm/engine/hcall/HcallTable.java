package dev.pvm.engine.hcall;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Hypervisor;
import dev.pvm.engine.memory.GuestMemoryAccessException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The machine's hypercalls: dispatch of {@code sc 1} by the number in r3, and the source of the device tree's
 * {@code ibm,hypertas-functions} (the function sets of the registered calls), so the two cannot drift apart.
 *
 * <p>PAPR hypercall numbers are multiples of 4 up to 0x450ish; 0xf000 and up is the range QEMU and KVM keep
 * for their own calls (H_RTAS). An unknown number answers H_FUNCTION and is logged once; a handler that touches
 * guest memory the guest has not got answers H_PARAMETER (the guest passed a bad address), never an exception.
 */
public final class HcallTable implements Hypervisor {

    private static final System.Logger LOG = System.getLogger(HcallTable.class.getName());

    /** Where the implementation-private hypercalls start (QEMU's KVMPPC_HCALL_BASE). */
    public static final int PRIVATE_BASE = 0xf000;

    private record Entry(String name, String functionSet, HcallHandler handler, LongAdder calls) {
    }

    /**
     * The order QEMU's spapr_dt_rtas lists the function sets in {@code ibm,hypertas-functions}; sets it does not
     * know follow in registration order.
     */
    private static final List<String> QEMU_ORDER = List.of("hcall-pft", "hcall-term", "hcall-dabr",
            "hcall-interrupt", "hcall-tce", "hcall-vio", "hcall-splpar", "hcall-join", "hcall-bulk", "hcall-set-mode",
            "hcall-sprg0", "hcall-copy", "hcall-debug", "hcall-vphn", "hcall-rpt-invalidate", "hcall-multi-tce",
            "hcall-hpt-resize", "hcall-watchdog");

    private final Map<Long, Entry> entries = new LinkedHashMap<>();
    private final Set<Long> reportedUnknown = ConcurrentHashMap.newKeySet();

    /**
     * Registers a hypercall.
     *
     * @param number      the hypercall number (r3)
     * @param name        PAPR spelling, for logs ({@code H_PUT_TERM_CHAR})
     * @param functionSet the {@code ibm,hypertas-functions} entry it belongs to ({@code hcall-term}), or null
     *                    for a call that is not advertised there: the implementation-private ones, and PAPR calls
     *                    the guest learns of another way (H_RANDOM through the device tree's ibm,random node,
     *                    H_GET_CPU_CHARACTERISTICS by probing, H_REGISTER_PROC_TBL through ibm,arch-vec-5)
     * @throws IllegalArgumentException for a number that is not a multiple of 4 or already registered
     */
    public void register(long number, String name, String functionSet, HcallHandler handler) {
        if (number <= 0 || number % 4 != 0) {
            throw new IllegalArgumentException(String.format("%s: hypercall number 0x%x is not a positive multiple "
                    + "of 4", name, number));
        }
        if (number >= PRIVATE_BASE && functionSet != null) {
            throw new IllegalArgumentException(name + ": private hypercalls (0xf000 and up) belong to no function "
                    + "set");
        }
        Entry previous = entries.putIfAbsent(number, new Entry(name, functionSet, handler, new LongAdder()));
        if (previous != null) {
            throw new IllegalArgumentException(String.format("hypercall 0x%x registered twice (%s, %s)", number,
                    previous.name(), name));
        }
    }

    @Override
    public void hypercall(CpuState cpu) {
        long number = cpu.gpr[3];
        Entry e = entries.get(number);
        HcallStatus status;
        if (e == null) {
            if (reportedUnknown.add(number)) {
                LOG.log(System.Logger.Level.WARNING, String.format(
                        "guest called unknown hypercall 0x%x at 0x%x; answering H_FUNCTION (reported once)",
                        number, cpu.cia));
            }
            status = HcallStatus.H_FUNCTION;
        } else {
            e.calls().increment();
            try {
                status = e.handler().handle(cpu);
            } catch (GuestMemoryAccessException bad) {
                LOG.log(System.Logger.Level.DEBUG, () -> String.format("%s at 0x%x: %s", e.name(), cpu.cia,
                        bad.getMessage()));
                status = HcallStatus.H_PARAMETER;
            }
        }
        cpu.gpr[3] = status.code();
    }

    /**
     * The {@code ibm,hypertas-functions} strings: each registered function set once, in QEMU's order (unknown
     * sets last, in registration order), so the tree does not depend on the order machine parts register in.
     */
    public List<String> functionSets() {
        Set<String> sets = new LinkedHashSet<>();
        for (Entry e : entries.values()) {
            if (e.functionSet() != null) {
                sets.add(e.functionSet());
            }
        }
        List<String> ordered = new ArrayList<>(sets);
        ordered.sort(Comparator.comparingInt(s -> {
            int i = QEMU_ORDER.indexOf(s);
            return i < 0 ? QEMU_ORDER.size() : i;
        }));
        return ordered;
    }

    /** The registered hypercall numbers with their names, in registration order. */
    public Map<Long, String> registered() {
        Map<Long, String> result = new LinkedHashMap<>();
        entries.forEach((k, v) -> result.put(k, v.name()));
        return result;
    }

    /** How often each hypercall was made, by name, for those made at least once (statistics). */
    public Map<String, Long> callCounts() {
        Map<String, Long> result = new LinkedHashMap<>();
        entries.values().forEach(e -> {
            long n = e.calls().sum();
            if (n > 0) {
                result.put(e.name(), n);
            }
        });
        return result;
    }

    public boolean isRegistered(long number) {
        return entries.containsKey(number);
    }
}
