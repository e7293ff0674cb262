package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.isa.Field;

/**
 * SLB and TLB management instructions (Power ISA v3.0B Book III 5.9.3 and 6.10), on the vCPU's MMU. The rows
 * are {@code @priv}: the binder adds the problem-state check. Operand errors (an SLB index beyond the SLB, a
 * reserved encoding) are illegal-instruction program interrupts, as QEMU's POWERPC_EXCP_INVAL.
 */
final class MmuOps {

    private MmuOps() {
    }

    private static GuestInterrupt invalid(String what) {
        return new GuestInterrupt.Program(GuestInterrupt.ProgramReason.ILLEGAL_INSTRUCTION, what);
    }

    static void bind(SemanticsBinder b) {
        b.bind("SLBMTE", row -> {
            Field rs = row.field("rs");
            Field rb = row.field("rb");
            return (s, i) -> {
                if (!s.mmu.slbmte(s.gpr[rs.raw(i)], s.gpr[rb.raw(i)])) {
                    s.raise(invalid("slbmte of an invalid SLB entry"));
                }
            };
        });
        b.bind("SLBIE", row -> {
            Field rb = row.field("rb");
            return (s, i) -> s.mmu.slbie(s.ea(s.gpr[rb.raw(i)]));
        });
        b.bind("SLBIA", row -> {
            Field ih = row.field("ih");
            return (s, i) -> s.mmu.slbia(ih.raw(i));
        });
        for (String name : new String[] {"SLBMFEE", "SLBMFEV"}) {
            boolean esid = name.equals("SLBMFEE");
            b.bind(name, row -> {
                Field rt = row.field("rt");
                Field rb = row.field("rb");
                return (s, i) -> {
                    long index = s.gpr[rb.raw(i)];
                    if (!s.mmu.validSlot(index)) {
                        s.raise(invalid(name.toLowerCase() + " of SLB entry " + (index & 0xfff)));
                        return;
                    }
                    s.gpr[rt.raw(i)] = esid ? s.mmu.slbmfee(index) : s.mmu.slbmfev(index);
                };
            });
        }
        // slbfee.: RT = the VSID doubleword of the entry for the EA in RB and CR0[EQ] = 1, or RT = 0 and EQ = 0;
        // CR0[SO] is XER[SO] (QEMU gen_slbfee_).
        b.bind("SLBFEE.", row -> {
            Field rt = row.field("rt");
            Field rb = row.field("rb");
            return (s, i) -> {
                long vsid = s.mmu.slbfee(s.ea(s.gpr[rb.raw(i)]));
                s.gpr[rt.raw(i)] = vsid == -1 ? 0 : vsid;
                s.setCrField(0, (vsid == -1 ? 0 : 2) | s.so);
            };
        });
        b.bind("SLBSYNC", row -> (s, i) -> {
        });
        // tlbsync: the broadcast tlbie before it are done on every vCPU when it completes (Book III 6.10.2).
        b.bind("TLBSYNC", row -> (s, i) -> s.mmu.completeShootdowns());
        for (String name : new String[] {"TLBIE", "TLBIEL"}) {
            boolean local = name.equals("TLBIEL");
            b.bind(name, row -> {
                Field rb = row.field("rb");
                Field rs = row.field("rs");
                Field ric = row.field("ric");
                Field prs = row.field("prs");
                Field r = row.field("r");
                return (s, i) -> {
                    // tlbie in 32-bit mode uses the low word of RB (QEMU do_tlbie); tlbiel all of it.
                    long address = local ? s.gpr[rb.raw(i)] : s.ea(s.gpr[rb.raw(i)]);
                    s.mmu.tlbie(address, s.gpr[rs.raw(i)], ric.raw(i), prs.raw(i) != 0, r.raw(i) != 0, local);
                };
            });
        }
    }
}
