package dev.pvm.engine.hcall;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.devices.pci.TceTable;
import dev.pvm.engine.memory.GuestMemory;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The TCE hypercalls (LoPAPR 14.5.4.2): the guest's writes to and reads of the DMA windows' translation tables,
 * one table per LIOBN. H_PUT_TCE and H_GET_TCE form {@code hcall-tce}, H_PUT_TCE_INDIRECT and H_STUFF_TCE
 * {@code hcall-multi-tce}, as QEMU's spapr_iommu.c registers them.
 *
 * <p>Checks, all answering H_PARAMETER: a LIOBN with no table (LIOBNs are 32-bit: higher bits set name none), an
 * IO bus address range the window does not cover, a TCE with bits set between the permission bits and the page
 * address (KVM's kvmppc_tce_validate; QEMU stores such a TCE as given), more than 512 TCEs or an unaligned or
 * unbacked list page for H_PUT_TCE_INDIRECT, and for H_STUFF_TCE more pages than the window has. The bus
 * address's offset within its page is ignored, as QEMU masks it. Unlike QEMU, which stops at the first bad entry
 * after changing the ones before it, the multi-TCE calls check the whole range and every TCE before they change
 * anything, as KVM's book3s_64_vio.c does. H_TOO_HARD never comes back: QEMU never answers it, and KVM uses it
 * only to hand a call from its real-mode handler to its virtual-mode one.
 */
public final class TceHcalls {

    public static final long H_GET_TCE = 0x1c;
    public static final long H_PUT_TCE = 0x20;
    /** 0x13c in Linux's hvcall.h and QEMU's spapr.h (0x134 is H_SET_XDABR). */
    public static final long H_PUT_TCE_INDIRECT = 0x13c;
    public static final long H_STUFF_TCE = 0x138;
    public static final String FUNCTION_SET = "hcall-tce";
    public static final String MULTI_FUNCTION_SET = "hcall-multi-tce";

    /** The most TCEs one H_PUT_TCE_INDIRECT takes: one 4 KiB page of them (LoPAPR; QEMU, KVM). */
    static final int MAX_INDIRECT_TCES = 512;
    private static final int LIST_PAGE = 4096;
    /** Access bits a TCE may hold below its page address: read and write. */
    private static final long PERMISSIONS = TceTable.READ | TceTable.WRITE;

    private final GuestMemory memory;
    private final Map<Long, TceTable> tables = new HashMap<>();

    private TceHcalls(GuestMemory memory, List<TceTable> tables) {
        this.memory = memory;
        for (TceTable t : tables) {
            if (this.tables.put(Integer.toUnsignedLong(t.liobn()), t) != null) {
                throw new IllegalArgumentException(String.format("LIOBN 0x%x has two TCE tables", t.liobn()));
            }
        }
    }

    /**
     * Registers the four calls over {@code tables} (the machine's DMA windows, none when it has no PHB: the calls
     * then answer H_PARAMETER for every LIOBN, as QEMU's do for an unknown one).
     *
     * @throws IllegalArgumentException when two tables share a LIOBN
     */
    public static void register(HcallTable table, GuestMemory memory, List<TceTable> tables) {
        TceHcalls calls = new TceHcalls(memory, tables);
        table.register(H_GET_TCE, "H_GET_TCE", FUNCTION_SET, calls::getTce);
        table.register(H_PUT_TCE, "H_PUT_TCE", FUNCTION_SET, calls::putTce);
        table.register(H_PUT_TCE_INDIRECT, "H_PUT_TCE_INDIRECT", MULTI_FUNCTION_SET, calls::putTceIndirect);
        table.register(H_STUFF_TCE, "H_STUFF_TCE", MULTI_FUNCTION_SET, calls::stuffTce);
    }

    /** The first TCE index of {@code npages} pages from {@code ioba}, or -1 when the window does not hold them. */
    private static int range(TceTable t, long ioba, long npages) {
        int first = t.index(ioba);
        if (first < 0 || npages < 0 || npages > t.size() - first) {
            return -1;
        }
        return first;
    }

    private static boolean valid(TceTable t, long tce) {
        return (tce & (t.pageSize() - 1) & ~PERMISSIONS) == 0;
    }

    /** H_GET_TCE(liobn, ioba): the TCE in r4. */
    private HcallStatus getTce(CpuState cpu) {
        TceTable t = tables.get(cpu.gpr[4]);
        int index = t == null ? -1 : t.index(cpu.gpr[5]);
        if (index < 0) {
            return HcallStatus.H_PARAMETER;
        }
        cpu.gpr[4] = t.get(index);
        return HcallStatus.H_SUCCESS;
    }

    /** H_PUT_TCE(liobn, ioba, tce). */
    private HcallStatus putTce(CpuState cpu) {
        TceTable t = tables.get(cpu.gpr[4]);
        int index = t == null ? -1 : t.index(cpu.gpr[5]);
        long tce = cpu.gpr[6];
        if (index < 0 || !valid(t, tce)) {
            return HcallStatus.H_PARAMETER;
        }
        t.put(index, tce);
        return HcallStatus.H_SUCCESS;
    }

    /** H_PUT_TCE_INDIRECT(liobn, ioba, tce_list, npages): npages big-endian TCEs from the guest page tce_list. */
    private HcallStatus putTceIndirect(CpuState cpu) {
        TceTable t = tables.get(cpu.gpr[4]);
        long list = cpu.gpr[6];
        long npages = cpu.gpr[7];
        if (t == null || Long.compareUnsigned(npages, MAX_INDIRECT_TCES) > 0 || (list & (LIST_PAGE - 1)) != 0
                || !memory.isBacked(list, LIST_PAGE)) {
            return HcallStatus.H_PARAMETER;
        }
        int first = range(t, cpu.gpr[5], npages);
        if (first < 0) {
            return HcallStatus.H_PARAMETER;
        }
        long[] tces = new long[(int) npages];
        for (int i = 0; i < tces.length; i++) {
            tces[i] = memory.load64(list + 8L * i, ByteOrder.BIG_ENDIAN);
            if (!valid(t, tces[i])) {
                return HcallStatus.H_PARAMETER;
            }
        }
        for (int i = 0; i < tces.length; i++) {
            t.put(first + i, tces[i]);
        }
        return HcallStatus.H_SUCCESS;
    }

    /** H_STUFF_TCE(liobn, ioba, tce_value, npages): one TCE into npages consecutive entries. */
    private HcallStatus stuffTce(CpuState cpu) {
        TceTable t = tables.get(cpu.gpr[4]);
        long tce = cpu.gpr[6];
        int first = t == null ? -1 : range(t, cpu.gpr[5], cpu.gpr[7]);
        if (first < 0 || !valid(t, tce)) {
            return HcallStatus.H_PARAMETER;
        }
        for (int i = 0; i < cpu.gpr[7]; i++) {
            t.put(first + i, tce);
        }
        return HcallStatus.H_SUCCESS;
    }
}
