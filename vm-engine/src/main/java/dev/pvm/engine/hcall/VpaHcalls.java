package dev.pvm.engine.hcall;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.memory.GuestMemory;
import java.nio.ByteOrder;

/**
 * H_REGISTER_VPA (LoPAPR 14.11.3.x, {@code hcall-splpar}): where each vCPU's virtual processor area, SLB shadow
 * buffer and dispatch trace log live. The checks and the one VPA field written on registration follow QEMU's
 * h_register_vpa (hw/ppc/spapr_hcall.c). Registrations are per vCPU and cleared at machine reset.
 */
public final class VpaHcalls {

    public static final long H_REGISTER_VPA = 0xdc;
    public static final String FUNCTION_SET = "hcall-splpar";

    /** The subfunction in r4 (bits 16:18 of the flags). */
    static final long REGISTER_VPA = 0x0000_2000_0000_0000L;
    static final long REGISTER_DTL = 0x0000_4000_0000_0000L;
    static final long REGISTER_SLB_SHADOW = 0x0000_6000_0000_0000L;
    static final long DEREGISTER_VPA = 0x0000_a000_0000_0000L;
    static final long DEREGISTER_DTL = 0x0000_c000_0000_0000L;
    static final long DEREGISTER_SLB_SHADOW = 0x0000_e000_0000_0000L;

    /** The smallest VPA PAPR allows, and where its size and shared-processor byte are. */
    static final int VPA_MIN_SIZE = 640;
    static final int VPA_SIZE_OFFSET = 0x4;
    static final int VPA_SHARED_PROC_OFFSET = 0x9;
    /** The "shared processor" bit QEMU sets: the partition's vCPUs are time-sliced on host threads. */
    static final int VPA_SHARED_PROC = 0x2;
    static final int SLB_SHADOW_MIN_SIZE = 0x8;
    static final int DTL_MIN_SIZE = 48;
    /** No VPA, SLB shadow or log may cross a 4 KiB page. */
    private static final long PAGE = 4096;

    /** One vCPU's registrations; 0 means none. */
    public record Registration(long vpa, long slbShadow, int slbShadowSize, long dtl, int dtlSize) {
        static final Registration NONE = new Registration(0, 0, 0, 0, 0);
    }

    private final GuestMemory memory;
    private final int cacheLineBytes;
    private final Registration[] registrations;

    private VpaHcalls(GuestMemory memory, int cpus, int cacheLineBytes) {
        this.memory = memory;
        this.cacheLineBytes = cacheLineBytes;
        this.registrations = new Registration[cpus];
        reset();
    }

    /**
     * @param cpus           the vCPU count (procno in r5 names one of 0..cpus-1)
     * @param cacheLineBytes the VPA must be aligned to the data cache line ({@code d-cache-line-size})
     * @return the registrations, for the machine (reset) and for whoever maintains VPA fields later
     */
    public static VpaHcalls register(HcallTable table, GuestMemory memory, int cpus, int cacheLineBytes) {
        VpaHcalls calls = new VpaHcalls(memory, cpus, cacheLineBytes);
        table.register(H_REGISTER_VPA, "H_REGISTER_VPA", FUNCTION_SET, calls::registerVpa);
        return calls;
    }

    /** Machine reset: every vCPU loses its registrations (QEMU's spapr_cpu_reset). */
    public synchronized void reset() {
        java.util.Arrays.fill(registrations, Registration.NONE);
    }

    /** vCPU {@code cpu}'s current registrations. */
    public synchronized Registration registration(int cpu) {
        return registrations[cpu];
    }

    /** H_REGISTER_VPA(flags, procno, address). Any vCPU may register for any other. */
    private synchronized HcallStatus registerVpa(CpuState cpu) {
        long flags = cpu.gpr[4];
        long procno = cpu.gpr[5];
        long address = cpu.gpr[6];
        if (procno < 0 || procno >= registrations.length) {
            return HcallStatus.H_PARAMETER;
        }
        int target = (int) procno;
        Registration r = registrations[target];
        if (flags == REGISTER_VPA) {
            return registerVpa(target, r, address);
        } else if (flags == DEREGISTER_VPA) {
            if (r.slbShadow() != 0 || r.dtl() != 0) {
                return HcallStatus.H_RESOURCE;
            }
            registrations[target] = new Registration(0, 0, 0, 0, 0);
            return HcallStatus.H_SUCCESS;
        } else if (flags == REGISTER_SLB_SHADOW) {
            return registerSlbShadow(target, r, address);
        } else if (flags == DEREGISTER_SLB_SHADOW) {
            registrations[target] = new Registration(r.vpa(), 0, 0, r.dtl(), r.dtlSize());
            return HcallStatus.H_SUCCESS;
        } else if (flags == REGISTER_DTL) {
            return registerDtl(target, r, address);
        } else if (flags == DEREGISTER_DTL) {
            registrations[target] = new Registration(r.vpa(), r.slbShadow(), r.slbShadowSize(), 0, 0);
            return HcallStatus.H_SUCCESS;
        }
        return HcallStatus.H_PARAMETER;
    }

    private HcallStatus registerVpa(int target, Registration r, long vpa) {
        if (vpa == 0) {
            // QEMU cannot cope with a VPA at logical 0 either.
            return HcallStatus.H_HARDWARE;
        }
        if (Long.remainderUnsigned(vpa, cacheLineBytes) != 0) {
            return HcallStatus.H_PARAMETER;
        }
        int size = memory.load16(vpa + VPA_SIZE_OFFSET, ByteOrder.BIG_ENDIAN);
        if (size < VPA_MIN_SIZE || crossesPage(vpa, size)) {
            return HcallStatus.H_PARAMETER;
        }
        int shared = memory.load8(vpa + VPA_SHARED_PROC_OFFSET);
        memory.store8(vpa + VPA_SHARED_PROC_OFFSET, shared | VPA_SHARED_PROC);
        registrations[target] = new Registration(vpa, r.slbShadow(), r.slbShadowSize(), r.dtl(), r.dtlSize());
        return HcallStatus.H_SUCCESS;
    }

    private HcallStatus registerSlbShadow(int target, Registration r, long address) {
        if (address == 0) {
            return HcallStatus.H_HARDWARE;
        }
        long size = memory.load32(address + 4, ByteOrder.BIG_ENDIAN) & 0xffff_ffffL;
        if (size < SLB_SHADOW_MIN_SIZE || crossesPage(address, size)) {
            return HcallStatus.H_PARAMETER;
        }
        if (r.vpa() == 0) {
            return HcallStatus.H_RESOURCE;
        }
        registrations[target] = new Registration(r.vpa(), address, (int) size, r.dtl(), r.dtlSize());
        return HcallStatus.H_SUCCESS;
    }

    private HcallStatus registerDtl(int target, Registration r, long address) {
        if (address == 0) {
            return HcallStatus.H_HARDWARE;
        }
        long size = memory.load32(address + 4, ByteOrder.BIG_ENDIAN) & 0xffff_ffffL;
        if (size < DTL_MIN_SIZE) {
            return HcallStatus.H_PARAMETER;
        }
        if (r.vpa() == 0) {
            return HcallStatus.H_RESOURCE;
        }
        registrations[target] = new Registration(r.vpa(), r.slbShadow(), r.slbShadowSize(), address, (int) size);
        return HcallStatus.H_SUCCESS;
    }

    private static boolean crossesPage(long address, long size) {
        return Long.divideUnsigned(address, PAGE) != Long.divideUnsigned(address + size - 1, PAGE);
    }
}
