package dev.pvm.engine.devices.xics;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.TimeBase;
import dev.pvm.engine.hcall.HcallStatus;
import dev.pvm.engine.hcall.HcallTable;

/**
 * The {@code hcall-interrupt} function set (LoPAPR 14.5.4.2.x; QEMU's xics_spapr.c): the guest's view of its
 * presentation controller. The calling vCPU's index is its server number; H_IPI and H_IPOLL name a server.
 */
public final class XicsHcalls {

    public static final long H_EOI = 0x64;
    public static final long H_CPPR = 0x68;
    public static final long H_IPI = 0x6c;
    public static final long H_IPOLL = 0x70;
    public static final long H_XIRR = 0x74;
    public static final long H_XIRR_X = 0x2fc;
    public static final String FUNCTION_SET = "hcall-interrupt";

    private final Xics xics;
    private final TimeBase timeBase;

    private XicsHcalls(Xics xics, TimeBase timeBase) {
        this.xics = xics;
        this.timeBase = timeBase;
    }

    /**
     * @param timeBase what H_XIRR_X reports as the acceptance time (the guest's timebase)
     */
    public static void register(HcallTable table, Xics xics, TimeBase timeBase) {
        XicsHcalls calls = new XicsHcalls(xics, timeBase);
        table.register(H_EOI, "H_EOI", FUNCTION_SET, calls::eoi);
        table.register(H_CPPR, "H_CPPR", FUNCTION_SET, calls::cppr);
        table.register(H_IPI, "H_IPI", FUNCTION_SET, calls::ipi);
        table.register(H_IPOLL, "H_IPOLL", FUNCTION_SET, calls::ipoll);
        table.register(H_XIRR, "H_XIRR", FUNCTION_SET, calls::xirr);
        table.register(H_XIRR_X, "H_XIRR_X", FUNCTION_SET, calls::xirrX);
    }

    /** The caller's own presenter; a vCPU the controller does not serve gets H_HARDWARE, never an exception. */
    private boolean served(CpuState cpu) {
        return xics.validServer(cpu.index);
    }

    /** H_CPPR(cppr): only the low byte counts, as the register is 8 bits. */
    private HcallStatus cppr(CpuState cpu) {
        if (!served(cpu)) {
            return HcallStatus.H_HARDWARE;
        }
        xics.setCppr(cpu.index, (int) cpu.gpr[4]);
        return HcallStatus.H_SUCCESS;
    }

    /** H_IPI(server, mfrr). */
    private HcallStatus ipi(CpuState cpu) {
        if (!xics.validServer(cpu.gpr[4])) {
            return HcallStatus.H_PARAMETER;
        }
        xics.setMfrr((int) cpu.gpr[4], (int) cpu.gpr[5]);
        return HcallStatus.H_SUCCESS;
    }

    /** H_XIRR() -> r4 = XIRR. */
    private HcallStatus xirr(CpuState cpu) {
        if (!served(cpu)) {
            return HcallStatus.H_HARDWARE;
        }
        cpu.gpr[4] = xics.accept(cpu.index) & 0xffff_ffffL;
        return HcallStatus.H_SUCCESS;
    }

    /** H_XIRR_X() -> r4 = XIRR, r5 = when it was accepted. */
    private HcallStatus xirrX(CpuState cpu) {
        if (!served(cpu)) {
            return HcallStatus.H_HARDWARE;
        }
        cpu.gpr[4] = xics.accept(cpu.index) & 0xffff_ffffL;
        cpu.gpr[5] = timeBase.read();
        return HcallStatus.H_SUCCESS;
    }

    /** H_EOI(xirr): the CPPR to restore and the source to end. */
    private HcallStatus eoi(CpuState cpu) {
        if (!served(cpu)) {
            return HcallStatus.H_HARDWARE;
        }
        xics.eoi(cpu.index, (int) cpu.gpr[4]);
        return HcallStatus.H_SUCCESS;
    }

    /** H_IPOLL(server) -> r4 = XIRR, r5 = MFRR, without accepting anything. */
    private HcallStatus ipoll(CpuState cpu) {
        if (!xics.validServer(cpu.gpr[4])) {
            return HcallStatus.H_PARAMETER;
        }
        int server = (int) cpu.gpr[4];
        cpu.gpr[4] = xics.xirr(server) & 0xffff_ffffL;
        cpu.gpr[5] = xics.mfrr(server);
        return HcallStatus.H_SUCCESS;
    }
}
