package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.isa.Field;

/**
 * VMX loads and stores (Power ISA v3.0B Book I 6.7) and VSX loads and stores (7.6.1.1-7.6.1.3).
 *
 * <p>Byte order (Book I 6.7.1, 7.3.1): a quadword access (lvx, lxvx, lxv) moves the 16 bytes as one value, so in
 * little-endian mode memory byte 0 becomes byte element 15. The element-wise forms (lxvd2x, lxvw4x, lxvh8x)
 * load each element in the current byte order into ascending elements, and lxvb16x and the left-justified
 * lxvll/stxvll move bytes in memory order whatever the byte order.
 */
final class VectorLoadStoreOps {

    private VectorLoadStoreOps() {
    }

    @FunctionalInterface
    private interface Access {
        void run(CpuState s, int t, long ea);
    }

    static void bind(SemanticsBinder b) {
        StorageAccess m = b.storage();
        // VMX: the EA is aligned down to the quadword (lvx) or to the element (lve*x) (Book I 6.7.2).
        indexed(b, "LVX", "vrt", 32, (s, t, ea) -> loadQuad(m, s, t, ea & ~15L));
        indexed(b, "LVXL", "vrt", 32, (s, t, ea) -> loadQuad(m, s, t, ea & ~15L));
        indexed(b, "STVX", "vrs", 32, (s, t, ea) -> storeQuad(m, s, t, ea & ~15L));
        indexed(b, "STVXL", "vrs", 32, (s, t, ea) -> storeQuad(m, s, t, ea & ~15L));
        indexed(b, "LVEBX", "vrt", 32, (s, t, ea) -> loadElement(m, s, t, ea, 8));
        indexed(b, "LVEHX", "vrt", 32, (s, t, ea) -> loadElement(m, s, t, ea & ~1L, 16));
        indexed(b, "LVEWX", "vrt", 32, (s, t, ea) -> loadElement(m, s, t, ea & ~3L, 32));
        indexed(b, "STVEBX", "vrs", 32, (s, t, ea) -> storeElement(m, s, t, ea, 8));
        indexed(b, "STVEHX", "vrs", 32, (s, t, ea) -> storeElement(m, s, t, ea & ~1L, 16));
        indexed(b, "STVEWX", "vrs", 32, (s, t, ea) -> storeElement(m, s, t, ea & ~3L, 32));
        // lvsl/lvsr: permute control vectors for unaligned data (Book I 6.7.3); no storage access.
        indexed(b, "LVSL", "vrt", 32, (s, t, ea) -> shiftControl(s, t, (int) (ea & 15)));
        indexed(b, "LVSR", "vrt", 32, (s, t, ea) -> shiftControl(s, t, 16 - (int) (ea & 15)));

        // VSX vector loads and stores.
        indexed(b, "LXVX", "xt", 0, (s, t, ea) -> loadQuad(m, s, t, ea));
        indexed(b, "STXVX", "xs", 0, (s, t, ea) -> storeQuad(m, s, t, ea));
        displaced(b, "LXV", "xt", 0, (s, t, ea) -> loadQuad(m, s, t, ea));
        displaced(b, "STXV", "xs", 0, (s, t, ea) -> storeQuad(m, s, t, ea));
        // lxvp (Power ISA 3.1 Book I 7.6.1.2): a VSR pair from 32 bytes; in little-endian mode the second
        // quadword goes to the even register, both byte-reversed as quadwords.
        displaced(b, "LXVP", "xtp", 0, (s, t, ea) -> {
            loadQuad(m, s, s.littleEndian ? t + 1 : t, ea);
            loadQuad(m, s, s.littleEndian ? t : t + 1, ea + 16);
        });
        indexed(b, "LXVD2X", "xt", 0, (s, t, ea) -> loadElements(m, s, t, ea, 64));
        indexed(b, "LXVW4X", "xt", 0, (s, t, ea) -> loadElements(m, s, t, ea, 32));
        indexed(b, "LXVH8X", "xt", 0, (s, t, ea) -> loadElements(m, s, t, ea, 16));
        indexed(b, "LXVB16X", "xt", 0, (s, t, ea) -> loadElements(m, s, t, ea, 8));
        indexed(b, "STXVD2X", "xs", 0, (s, t, ea) -> storeElements(m, s, t, ea, 64));
        indexed(b, "STXVW4X", "xs", 0, (s, t, ea) -> storeElements(m, s, t, ea, 32));
        indexed(b, "STXVH8X", "xs", 0, (s, t, ea) -> storeElements(m, s, t, ea, 16));
        indexed(b, "STXVB16X", "xs", 0, (s, t, ea) -> storeElements(m, s, t, ea, 8));
        indexed(b, "LXVDSX", "xt", 0, (s, t, ea) -> {
            long v = m.load64(s, ea);
            s.vsrHi[t] = v;
            s.vsrLo[t] = v;
        });
        indexed(b, "LXVWSX", "xt", 0, (s, t, ea) -> {
            long w = m.load32(s, ea) & 0xFFFF_FFFFL;
            s.vsrHi[t] = w << 32 | w;
            s.vsrLo[t] = w << 32 | w;
        });
        // lxvl/lxvll/stxvl/stxvll: the byte count is GPR[RB] bits 0:7, at most 16 (Book I 7.6.1.2).
        withLength(b, "LXVL", (s, t, ea, n) -> loadWithLength(m, s, t, ea, n, s.littleEndian));
        withLength(b, "LXVLL", (s, t, ea, n) -> loadWithLength(m, s, t, ea, n, false));
        withLength(b, "STXVL", (s, t, ea, n) -> storeWithLength(m, s, t, ea, n, s.littleEndian));
        withLength(b, "STXVLL", (s, t, ea, n) -> storeWithLength(m, s, t, ea, n, false));

        // VSX scalar loads and stores: doubleword 0 of the VSR (FPR view for VSRs 0-31).
        indexed(b, "LXSDX", "xt", 0, (s, t, ea) -> s.vsrHi[t] = m.load64(s, ea));
        indexed(b, "STXSDX", "xs", 0, (s, t, ea) -> m.store64(s, ea, s.vsrHi[t]));
        // The v3.0 DS-form scalar loads set doubleword 1 to 0; the older X-form ones leave it (QEMU agrees).
        displaced(b, "LXSD", "vrt", 32, (s, t, ea) -> loadScalar(s, t, m.load64(s, ea)));
        displaced(b, "STXSD", "vrs", 32, (s, t, ea) -> m.store64(s, ea, s.vsrHi[t]));
        indexed(b, "LXSSPX", "xt", 0, (s, t, ea) -> s.vsrHi[t] = FloatBits.singleToDouble(m.load32(s, ea)));
        displaced(b, "LXSSP", "vrt", 32, (s, t, ea) -> loadScalar(s, t, FloatBits.singleToDouble(m.load32(s, ea))));
        indexed(b, "STXSSPX", "xs", 0, (s, t, ea) -> m.store32(s, ea, FloatBits.doubleToSingleBits(s.vsrHi[t])));
        displaced(b, "STXSSP", "vrs", 32, (s, t, ea) -> m.store32(s, ea,
                FloatBits.doubleToSingleBits(s.vsrHi[t])));
        indexed(b, "LXSIWZX", "xt", 0, (s, t, ea) -> s.vsrHi[t] = m.load32(s, ea) & 0xFFFF_FFFFL);
        indexed(b, "LXSIWAX", "xt", 0, (s, t, ea) -> s.vsrHi[t] = m.load32(s, ea));
        indexed(b, "LXSIBZX", "xt", 0, (s, t, ea) -> s.vsrHi[t] = m.load8(s, ea));
        indexed(b, "LXSIHZX", "xt", 0, (s, t, ea) -> s.vsrHi[t] = m.load16(s, ea));
        indexed(b, "STXSIWX", "xs", 0, (s, t, ea) -> m.store32(s, ea, s.vsrHi[t]));
        indexed(b, "STXSIBX", "xs", 0, (s, t, ea) -> m.store8(s, ea, s.vsrHi[t]));
        indexed(b, "STXSIHX", "xs", 0, (s, t, ea) -> m.store16(s, ea, s.vsrHi[t]));
    }

    private static void loadScalar(CpuState s, int t, long value) {
        s.vsrHi[t] = value;
        s.vsrLo[t] = 0;
    }

    private static void indexed(SemanticsBinder b, String name, String reg, int base, Access access) {
        b.bind(name, row -> {
            Field r = row.field(reg);
            Field ra = row.field("ra");
            Field rb = row.field("rb");
            return (s, i) -> {
                int a = ra.raw(i);
                long ea = s.ea((a == 0 ? 0 : s.gpr[a]) + s.gpr[rb.raw(i)]);
                access.run(s, base + r.raw(i), ea);
            };
        });
    }

    private static void displaced(SemanticsBinder b, String name, String reg, int base, Access access) {
        b.bind(name, row -> {
            Field r = row.field(reg);
            Field ra = row.field("ra");
            Field disp = row.hasField("dq") ? row.field("dq") : row.field("ds");
            return (s, i) -> {
                int a = ra.raw(i);
                long ea = s.ea((a == 0 ? 0 : s.gpr[a]) + disp.extract(i));
                // extract: lxvp's XTp field is scaled (32*TX + 2*Tp).
                access.run(s, base + r.extract(i), ea);
            };
        });
    }

    @FunctionalInterface
    private interface LengthAccess {
        void run(CpuState s, int t, long ea, int length);
    }

    private static void withLength(SemanticsBinder b, String name, LengthAccess access) {
        b.bind(name, row -> {
            Field r = row.field(row.hasField("xt") ? "xt" : "xs");
            Field ra = row.field("ra");
            Field rb = row.field("rb");
            return (s, i) -> {
                int a = ra.raw(i);
                long ea = s.ea(a == 0 ? 0 : s.gpr[a]);
                int n = (int) Math.min(16, s.gpr[rb.raw(i)] >>> 56);
                access.run(s, r.raw(i), ea, n);
            };
        });
    }

    private static void loadQuad(StorageAccess m, CpuState s, int t, long ea) {
        long first = m.load64(s, ea);
        long second = m.load64(s, ea + 8);
        if (s.littleEndian) {
            s.vsrHi[t] = second;
            s.vsrLo[t] = first;
        } else {
            s.vsrHi[t] = first;
            s.vsrLo[t] = second;
        }
    }

    private static void storeQuad(StorageAccess m, CpuState s, int t, long ea) {
        long hi = s.vsrHi[t];
        long lo = s.vsrLo[t];
        m.store64(s, ea, s.littleEndian ? lo : hi);
        m.store64(s, ea + 8, s.littleEndian ? hi : lo);
    }

    /** Element index of the byte offset {@code ea & 15}: big-endian counts from the left, little from the right. */
    private static int elementIndex(CpuState s, long ea, int bits) {
        int eb = (int) (ea & 15);
        int index = eb / (bits / 8);
        return s.littleEndian ? 128 / bits - 1 - index : index;
    }

    private static void loadElement(StorageAccess m, CpuState s, int t, long ea, int bits) {
        long v = switch (bits) {
            case 8 -> m.load8(s, ea);
            case 16 -> m.load16(s, ea);
            default -> m.load32(s, ea);
        };
        VectorRegister r = VectorRegister.ofVsr(s, t);
        r.set(bits, elementIndex(s, ea, bits), v);
        r.toVsr(s, t);
    }

    private static void storeElement(StorageAccess m, CpuState s, int t, long ea, int bits) {
        long v = VectorRegister.get(s.vsrHi[t], s.vsrLo[t], bits, elementIndex(s, ea, bits));
        switch (bits) {
            case 8 -> m.store8(s, ea, v);
            case 16 -> m.store16(s, ea, v);
            default -> m.store32(s, ea, v);
        }
    }

    private static void shiftControl(CpuState s, int t, int first) {
        VectorRegister r = new VectorRegister();
        for (int i = 0; i < 16; i++) {
            r.set(8, i, first + i);
        }
        r.toVsr(s, t);
    }

    private static void loadElements(StorageAccess m, CpuState s, int t, long ea, int bits) {
        VectorRegister r = new VectorRegister();
        int size = bits / 8;
        for (int i = 0; i < 16 / size; i++) {
            long a = ea + (long) i * size;
            long v = switch (bits) {
                case 8 -> m.load8(s, a);
                case 16 -> m.load16(s, a);
                case 32 -> m.load32(s, a);
                default -> m.load64(s, a);
            };
            r.set(bits, i, v);
        }
        r.toVsr(s, t);
    }

    private static void storeElements(StorageAccess m, CpuState s, int t, long ea, int bits) {
        int size = bits / 8;
        for (int i = 0; i < 16 / size; i++) {
            long a = ea + (long) i * size;
            long v = VectorRegister.get(s.vsrHi[t], s.vsrLo[t], bits, i);
            switch (bits) {
                case 8 -> m.store8(s, a, v);
                case 16 -> m.store16(s, a, v);
                case 32 -> m.store32(s, a, v);
                default -> m.store64(s, a, v);
            }
        }
    }

    /**
     * lxvl (right-to-left in little-endian mode, like a quadword load of which only {@code n} bytes exist) and
     * lxvll (memory order): the bytes not loaded are zero.
     */
    private static void loadWithLength(StorageAccess m, CpuState s, int t, long ea, int n, boolean reversed) {
        VectorRegister r = new VectorRegister();
        for (int i = 0; i < n; i++) {
            r.set(8, reversed ? 15 - i : i, m.load8(s, ea + i));
        }
        r.toVsr(s, t);
    }

    private static void storeWithLength(StorageAccess m, CpuState s, int t, long ea, int n, boolean reversed) {
        for (int i = 0; i < n; i++) {
            m.store8(s, ea + i, VectorRegister.get(s.vsrHi[t], s.vsrLo[t], 8, reversed ? 15 - i : i));
        }
    }
}
