package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.isa.Field;

/**
 * Quadword, multiple and string loads and stores (Power ISA v3.0B Book I 3.3.4-3.3.7): lq/stq, lmw/stmw,
 * lswi/lswx/stswi/stswx.
 *
 * <p>lq/stq move a register pair: the quadword is read in the current byte order, the even register RTp gets its
 * high doubleword and RTp+1 its low one, so in little-endian mode RTp comes from EA+8 (Book I 3.3.4, as QEMU's
 * gen_lq). They need quadword alignment.
 *
 * <p>The multiple and string instructions exist only for big-endian code: in little-endian mode they take an
 * alignment interrupt (Book I 3.3.6-3.3.7; QEMU gen_align_no_le). Their invalid forms (RA, or RB, among the
 * registers loaded) are illegal instructions, as in QEMU.
 */
final class LoadStoreMultipleOps {

    private static final GuestInterrupt INVALID_FORM = new GuestInterrupt.Program(
            GuestInterrupt.ProgramReason.ILLEGAL_INSTRUCTION,
            "invalid form: RA (or RB) among the registers loaded, or an odd register pair");

    private LoadStoreMultipleOps() {
    }

    static void bind(SemanticsBinder b) {
        StorageAccess m = b.storage();
        b.bind("LQ", row -> {
            Field rtp = row.field("rtp");
            Field ra = row.field("ra");
            Field dq = row.field("dq");
            return (s, i) -> {
                int t = rtp.raw(i);
                int a = ra.raw(i);
                if ((t & 1) != 0 || t == a) {
                    s.raise(INVALID_FORM);
                    return;
                }
                long ea = s.ea((a == 0 ? 0 : s.gpr[a]) + dq.extract(i));
                if (!quadwordAligned(s, ea, "lq")) {
                    return;
                }
                long high = m.load64(s, ea + (s.littleEndian ? 8 : 0));
                long low = m.load64(s, ea + (s.littleEndian ? 0 : 8));
                s.gpr[t] = high;
                s.gpr[t + 1] = low;
            };
        });
        b.bind("STQ", row -> {
            Field rsp = row.field("rsp");
            Field ra = row.field("ra");
            Field ds = row.field("ds");
            return (s, i) -> {
                int r = rsp.raw(i);
                int a = ra.raw(i);
                if ((r & 1) != 0) {
                    s.raise(INVALID_FORM);
                    return;
                }
                long ea = s.ea((a == 0 ? 0 : s.gpr[a]) + ds.extract(i));
                if (!quadwordAligned(s, ea, "stq")) {
                    return;
                }
                m.store64(s, ea + (s.littleEndian ? 8 : 0), s.gpr[r]);
                m.store64(s, ea + (s.littleEndian ? 0 : 8), s.gpr[r + 1]);
            };
        });
        b.bind("LMW", row -> {
            Field rt = row.field("rt");
            Field ra = row.field("ra");
            Field d = row.field("d");
            return (s, i) -> {
                int t = rt.raw(i);
                int a = ra.raw(i);
                if (bigEndianOnly(s, "lmw")) {
                    return;
                }
                if (a != 0 && a >= t) {
                    s.raise(INVALID_FORM);
                    return;
                }
                long ea = s.ea((a == 0 ? 0 : s.gpr[a]) + d.extract(i));
                for (int r = t; r < 32; r++) {
                    s.gpr[r] = m.load32(s, ea) & 0xFFFF_FFFFL;
                    ea = s.ea(ea + 4);
                }
            };
        });
        b.bind("STMW", row -> {
            Field rs = row.field("rs");
            Field ra = row.field("ra");
            Field d = row.field("d");
            return (s, i) -> {
                int a = ra.raw(i);
                if (bigEndianOnly(s, "stmw")) {
                    return;
                }
                long ea = s.ea((a == 0 ? 0 : s.gpr[a]) + d.extract(i));
                for (int r = rs.raw(i); r < 32; r++) {
                    m.store32(s, ea, s.gpr[r]);
                    ea = s.ea(ea + 4);
                }
            };
        });
        b.bind("LSWI", row -> {
            Field rt = row.field("rt");
            Field ra = row.field("ra");
            Field nb = row.field("nb");
            return (s, i) -> {
                if (bigEndianOnly(s, "lswi")) {
                    return;
                }
                int n = nb.raw(i) == 0 ? 32 : nb.raw(i);
                int t = rt.raw(i);
                int a = ra.raw(i);
                // Book I 3.3.7: RA in the range loaded is invalid, RA=0 included.
                if (inRange(t, n, a)) {
                    s.raise(INVALID_FORM);
                    return;
                }
                loadString(m, s, t, a == 0 ? 0 : s.gpr[a], n);
            };
        });
        b.bind("LSWX", row -> {
            Field rt = row.field("rt");
            Field ra = row.field("ra");
            Field rb = row.field("rb");
            return (s, i) -> {
                if (bigEndianOnly(s, "lswx")) {
                    return;
                }
                int n = s.xerByteCount;
                int t = rt.raw(i);
                int a = ra.raw(i);
                if (n == 0) {
                    return;
                }
                // As QEMU's helper_lswx: RA (when not 0) or RB among the registers loaded is invalid.
                if ((a != 0 && inRange(t, n, a)) || inRange(t, n, rb.raw(i))) {
                    s.raise(INVALID_FORM);
                    return;
                }
                loadString(m, s, t, (a == 0 ? 0 : s.gpr[a]) + s.gpr[rb.raw(i)], n);
            };
        });
        b.bind("STSWI", row -> {
            Field rs = row.field("rs");
            Field ra = row.field("ra");
            Field nb = row.field("nb");
            return (s, i) -> {
                if (bigEndianOnly(s, "stswi")) {
                    return;
                }
                int a = ra.raw(i);
                storeString(m, s, rs.raw(i), a == 0 ? 0 : s.gpr[a], nb.raw(i) == 0 ? 32 : nb.raw(i));
            };
        });
        b.bind("STSWX", row -> {
            Field rs = row.field("rs");
            Field ra = row.field("ra");
            Field rb = row.field("rb");
            return (s, i) -> {
                if (bigEndianOnly(s, "stswx")) {
                    return;
                }
                int a = ra.raw(i);
                storeString(m, s, rs.raw(i), (a == 0 ? 0 : s.gpr[a]) + s.gpr[rb.raw(i)], s.xerByteCount);
            };
        });
    }

    private static boolean quadwordAligned(CpuState s, long ea, String name) {
        if ((ea & 15) != 0) {
            s.raise(new GuestInterrupt.Alignment(ea, name + " needs 16-byte alignment"));
            return false;
        }
        return true;
    }

    /** Raises the alignment interrupt these instructions take in little-endian mode; true when it did. */
    private static boolean bigEndianOnly(CpuState s, String name) {
        if (s.littleEndian) {
            s.raise(new GuestInterrupt.Alignment(s.cia, name + " is not supported in little-endian mode"));
            return true;
        }
        return false;
    }

    /** Whether register {@code r} is among the ceil(n/4) registers from {@code first}, wrapping after r31. */
    static boolean inRange(int first, int n, int r) {
        int count = (n + 3) / 4;
        return ((r - first) & 31) < count;
    }

    /**
     * Loads n bytes into the low words of RT, RT+1, ... (wrapping to r0), most significant byte first; the
     * high words, and the bytes of the last register that get no byte, are zeroed (Book I 3.3.7).
     */
    static void loadString(StorageAccess m, CpuState s, int first, long ea, int n) {
        for (int k = 0; k < n; k++) {
            int r = (first + k / 4) & 31;
            if (k % 4 == 0) {
                s.gpr[r] = 0;
            }
            s.gpr[r] |= (long) m.load8(s, s.ea(ea + k)) << (24 - 8 * (k % 4));
        }
    }

    /** Stores n bytes from the low words of RS, RS+1, ... (wrapping to r0), most significant byte first. */
    static void storeString(StorageAccess m, CpuState s, int first, long ea, int n) {
        for (int k = 0; k < n; k++) {
            int r = (first + k / 4) & 31;
            int shift = 24 - 8 * (k % 4);
            m.store8(s, s.ea(ea + k), s.gpr[r] >>> shift);
        }
    }
}
