package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.isa.Field;
import java.util.Locale;

/**
 * Load and reserve, store conditional (Power ISA v3.0B Book II 4.6.2): lbarx/lharx/lwarx/ldarx/lqarx and
 * stbcx./sthcx./stwcx./stdcx./stqcx.
 *
 * <p>A reservation records the real address, the size and the value read. A store conditional stores, and sets
 * CR0[EQ], only when a reservation exists for the same address and size and storage still holds the value read
 * (as QEMU decides it); otherwise nothing is stored. Either way the reservation is gone afterwards (Book II
 * 4.6.1). Checking the value is what makes a store to the location, by this vCPU or any other, or a dcbz, lose
 * the reservation; an unrelated store keeps it. The check and the store are one host compare-and-exchange with
 * the reserved value as the expected one (QEMU's TCG does the same, {@code tcg_gen_atomic_cmpxchg}), so with
 * vCPUs on their own threads no other vCPU's store can fall between them. The EH hint is accepted and has no
 * effect.
 *
 * <p>stqcx. has no 16-byte host exchange: it exchanges the two doublewords one after the other under one lock
 * that all stqcx. share, putting the first back if the second fails; only a plain store by another vCPU that
 * lands between the two exchanges can see the quadword half written.
 *
 * <p>An access that is not aligned to its size takes an alignment interrupt (Book III 7.5.8).
 */
final class ReservationOps {

    private static final GuestInterrupt INVALID_PAIR = new GuestInterrupt.Program(
            GuestInterrupt.ProgramReason.ILLEGAL_INSTRUCTION,
            "invalid form: lqarx/stqcx. need an even register pair that does not hold RA or RB");

    /** Serializes stqcx. (see the class comment). */
    private static final Object QUADWORD_LOCK = new Object();

    private ReservationOps() {
    }

    static void bind(SemanticsBinder b) {
        StorageAccess m = b.storage();
        loadAndReserve(b, "LBARX", 1, m);
        loadAndReserve(b, "LHARX", 2, m);
        loadAndReserve(b, "LWARX", 4, m);
        loadAndReserve(b, "LDARX", 8, m);
        storeConditional(b, "STBCX.", 1, m);
        storeConditional(b, "STHCX.", 2, m);
        storeConditional(b, "STWCX.", 4, m);
        storeConditional(b, "STDCX.", 8, m);
        b.bind("LQARX", row -> {
            Field rtp = row.field("rtp");
            Field ra = row.field("ra");
            Field rb = row.field("rb");
            return (s, i) -> {
                int t = rtp.raw(i);
                if ((t & 1) != 0 || t == ra.raw(i) || t == rb.raw(i)) {
                    s.raise(INVALID_PAIR);
                    return;
                }
                long ea = indexedEa(s, ra, rb, i);
                if (!aligned(s, ea, 16, "lqarx")) {
                    return;
                }
                long high = m.load64(s, ea + (s.littleEndian ? 8 : 0));
                long low = m.load64(s, ea + (s.littleEndian ? 0 : 8));
                reserve(s, m.loadAddress(s, ea), 16, high, low);
                s.gpr[t] = high;
                s.gpr[t + 1] = low;
            };
        });
        b.bind("STQCX.", row -> {
            Field rsp = row.field("rsp");
            Field ra = row.field("ra");
            Field rb = row.field("rb");
            return (s, i) -> {
                int r = rsp.raw(i);
                if ((r & 1) != 0) {
                    s.raise(INVALID_PAIR);
                    return;
                }
                long ea = indexedEa(s, ra, rb, i);
                if (!aligned(s, ea, 16, "stqcx.")) {
                    return;
                }
                long highEa = ea + (s.littleEndian ? 8 : 0);
                long lowEa = ea + (s.littleEndian ? 0 : 8);
                boolean store = false;
                if (holds(s, m.storeAddress(s, ea), 16)) {
                    synchronized (QUADWORD_LOCK) {
                        if (m.compareAndSet(s, highEa, 8, s.reservationValue, s.gpr[r])) {
                            store = m.compareAndSet(s, lowEa, 8, s.reservationValue2, s.gpr[r + 1]);
                            if (!store) {
                                m.compareAndSet(s, highEa, 8, s.gpr[r], s.reservationValue);
                            }
                        }
                    }
                }
                finish(s, store);
            };
        });
    }

    static long indexedEa(CpuState s, Field ra, Field rb, int insn) {
        int a = ra.raw(insn);
        return s.ea((a == 0 ? 0 : s.gpr[a]) + s.gpr[rb.raw(insn)]);
    }

    private static boolean aligned(CpuState s, long ea, int size, String name) {
        if ((ea & (size - 1)) != 0) {
            s.raise(new GuestInterrupt.Alignment(ea, name + " needs " + size + "-byte alignment"));
            return false;
        }
        return true;
    }

    private static void reserve(CpuState s, long real, int size, long value, long value2) {
        s.reservationAddress = real;
        s.reservationSize = size;
        s.reservationValue = value;
        s.reservationValue2 = value2;
    }

    private static boolean holds(CpuState s, long real, int size) {
        return s.reservationAddress == real && s.reservationSize == size;
    }

    /** CR0 = 0b00 || stored || XER[SO]; the reservation is cleared whatever happened. */
    private static void finish(CpuState s, boolean stored) {
        s.reservationAddress = -1;
        s.setCrField(0, (stored ? 2 : 0) | s.so);
    }

    private static long load(StorageAccess m, CpuState s, long ea, int size) {
        return switch (size) {
            case 1 -> m.load8(s, ea);
            case 2 -> m.load16(s, ea);
            case 4 -> m.load32(s, ea) & 0xFFFF_FFFFL;
            default -> m.load64(s, ea);
        };
    }

    private static void loadAndReserve(SemanticsBinder b, String name, int size, StorageAccess m) {
        String text = name.toLowerCase(Locale.ROOT);
        b.bind(name, row -> {
            Field rt = row.field("rt");
            Field ra = row.field("ra");
            Field rb = row.field("rb");
            return (s, i) -> {
                long ea = indexedEa(s, ra, rb, i);
                if (!aligned(s, ea, size, text)) {
                    return;
                }
                long value = load(m, s, ea, size);
                reserve(s, m.loadAddress(s, ea), size, value, 0);
                s.gpr[rt.raw(i)] = value;
            };
        });
    }

    private static void storeConditional(SemanticsBinder b, String name, int size, StorageAccess m) {
        String text = name.toLowerCase(Locale.ROOT);
        b.bind(name, row -> {
            Field rs = row.field("rs");
            Field ra = row.field("ra");
            Field rb = row.field("rb");
            return (s, i) -> {
                long ea = indexedEa(s, ra, rb, i);
                if (!aligned(s, ea, size, text)) {
                    return;
                }
                boolean store = holds(s, m.storeAddress(s, ea), size)
                        && m.compareAndSet(s, ea, size, s.reservationValue, s.gpr[rs.raw(i)]);
                finish(s, store);
            };
        });
    }
}
