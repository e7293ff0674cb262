package dev.pvm.engine.hcall;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.interrupt.InterruptDelivery;

/**
 * The processor hypercalls (LoPAPR 14.5.4): H_CEDE, H_CONFER, H_PROD (function set {@code hcall-splpar}),
 * H_SET_MODE's endianness and alternate-interrupt-location resources ({@code hcall-set-mode}), H_SET_SPRG0
 * ({@code hcall-sprg0}) and H_SET_DABR/H_SET_XDABR ({@code hcall-dabr}), answering as QEMU's pseries does
 * (hw/ppc/spapr_hcall.c).
 */
public final class CpuHcalls {

    public static final long H_SET_SPRG0 = 0x24;
    public static final long H_SET_DABR = 0x28;
    public static final long H_CEDE = 0xe0;
    public static final long H_CONFER = 0xe4;
    public static final long H_PROD = 0xe8;
    public static final long H_SET_XDABR = 0x134;
    public static final long H_SET_MODE = 0x31c;

    /** H_SET_MODE resources (hvcall.h H_SET_MODE_RESOURCE_*). */
    static final long RESOURCE_ADDR_TRANS_MODE = 3;
    static final long RESOURCE_LE = 4;

    private CpuHcalls() {
    }

    public static void register(HcallTable table, VcpuScheduling machine) {
        table.register(H_SET_SPRG0, "H_SET_SPRG0", "hcall-sprg0", cpu -> {
            cpu.sprg[0] = cpu.gpr[4];
            return HcallStatus.H_SUCCESS;
        });
        // POWER9 has no DABR: QEMU answers both with H_HARDWARE, so Linux falls back to nothing (ptrace
        // watchpoints then use H_SET_MODE DAWR, which is refused as well).
        table.register(H_SET_DABR, "H_SET_DABR", "hcall-dabr", cpu -> HcallStatus.H_HARDWARE);
        table.register(H_SET_XDABR, "H_SET_XDABR", "hcall-dabr", cpu -> HcallStatus.H_HARDWARE);
        table.register(H_CEDE, "H_CEDE", "hcall-splpar", cpu -> {
            // PAPR: H_CEDE enables external interrupts and waits for one (QEMU h_cede).
            cpu.setMsr(cpu.msr | Msr.EE);
            machine.cede(cpu);
            return HcallStatus.H_SUCCESS;
        });
        table.register(H_CONFER, "H_CONFER", "hcall-splpar", cpu -> {
            long target = cpu.gpr[4];
            if (target != -1 && (target < 0 || target >= machine.cpuCount())) {
                return HcallStatus.H_PARAMETER;
            }
            machine.confer(cpu);
            return HcallStatus.H_SUCCESS;
        });
        table.register(H_PROD, "H_PROD", "hcall-splpar", cpu -> {
            long target = cpu.gpr[4];
            if (target < 0 || target >= machine.cpuCount()) {
                return HcallStatus.H_PARAMETER;
            }
            machine.prod((int) target);
            return HcallStatus.H_SUCCESS;
        });
        table.register(H_SET_MODE, "H_SET_MODE", "hcall-set-mode", cpu -> setMode(cpu, machine));
    }

    /** H_SET_MODE(mflags, resource, value1, value2). */
    private static HcallStatus setMode(CpuState cpu, VcpuScheduling machine) {
        long mflags = cpu.gpr[4];
        long resource = cpu.gpr[5];
        long value1 = cpu.gpr[6];
        long value2 = cpu.gpr[7];
        if (resource != RESOURCE_LE && resource != RESOURCE_ADDR_TRANS_MODE) {
            // Resources 1 (CIABR) and 2 (DAWR0) need debug facilities we do not have; others are unknown: H_P2.
            return HcallStatus.H_P2;
        }
        if (value1 != 0) {
            return HcallStatus.H_P3;
        }
        if (value2 != 0) {
            return HcallStatus.H_P4;
        }
        if (resource == RESOURCE_LE) {
            // mflags 0 = big-endian interrupts, 1 = little-endian (LPCR[ILE]).
            if (mflags != 0 && mflags != 1) {
                return HcallStatus.H_UNSUPPORTED_FLAG;
            }
            machine.setPartitionLpcr(cpu, InterruptDelivery.LPCR_ILE, mflags == 1 ? InterruptDelivery.LPCR_ILE : 0);
            return HcallStatus.H_SUCCESS;
        }
        // Alternate interrupt location: mflags is LPCR[AIL]; 1 is reserved on POWER9, 2 and 3 relocate.
        if (mflags == 1 || mflags > 3 || mflags < 0) {
            return HcallStatus.H_UNSUPPORTED_FLAG;
        }
        machine.setPartitionLpcr(cpu, InterruptDelivery.LPCR_AIL, mflags << InterruptDelivery.LPCR_AIL_SHIFT);
        return HcallStatus.H_SUCCESS;
    }
}
