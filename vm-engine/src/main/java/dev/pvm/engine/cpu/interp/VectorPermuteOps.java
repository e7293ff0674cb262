package dev.pvm.engine.cpu.interp;

import static dev.pvm.engine.cpu.interp.VectorOperands.binary;
import static dev.pvm.engine.cpu.interp.VectorOperands.unary;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.isa.Field;

/**
 * Vector permute, select, merge, splat, insert/extract and logical instructions of VMX (Power ISA v3.0B Book I
 * 6.8, 6.9.4) and VSX (7.6.1.10-7.6.1.12), the VSCR moves (6.5) and the VSX moves to and from GPRs (7.6.1.4).
 */
final class VectorPermuteOps {

    private VectorPermuteOps() {
    }

    static void bind(SemanticsBinder b) {
        bindLogical(b);
        bindPermutes(b);
        bindSplatsAndMerges(b);
        bindInsertExtract(b);
        bindMoves(b);
    }

    private static void bindLogical(SemanticsBinder b) {
        for (String[] names : new String[][] {{"VAND", "XXLAND"}, {"VANDC", "XXLANDC"}, {"VOR", "XXLOR"},
                {"VXOR", "XXLXOR"}, {"VNOR", "XXLNOR"}, {"VORC", "XXLORC"}, {"VNAND", "XXLNAND"},
                {"VEQV", "XXLEQV"}}) {
            java.util.function.LongBinaryOperator f = switch (names[0]) {
                case "VAND" -> (x, y) -> x & y;
                case "VANDC" -> (x, y) -> x & ~y;
                case "VOR" -> (x, y) -> x | y;
                case "VXOR" -> (x, y) -> x ^ y;
                case "VNOR" -> (x, y) -> ~(x | y);
                case "VORC" -> (x, y) -> x | ~y;
                case "VNAND" -> (x, y) -> ~(x & y);
                default -> (x, y) -> ~(x ^ y);
            };
            for (String name : names) {
                binary(b, name, (s, x, y) -> new VectorRegister(f.applyAsLong(x.hi, y.hi), f.applyAsLong(x.lo, y.lo)));
            }
        }
        VectorOperands.ternary(b, "VSEL", (s, x, y, c) ->
                new VectorRegister((x.hi & ~c.hi) | (y.hi & c.hi), (x.lo & ~c.lo) | (y.lo & c.lo)));
        b.bind("XXSEL", row -> {
            Field t = row.field("xt");
            Field ra = row.field("xa");
            Field rb = row.field("xb");
            Field rc = row.field("xc");
            return (s, i) -> {
                int a = ra.raw(i);
                int bb = rb.raw(i);
                int c = rc.raw(i);
                long hi = (s.vsrHi[a] & ~s.vsrHi[c]) | (s.vsrHi[bb] & s.vsrHi[c]);
                long lo = (s.vsrLo[a] & ~s.vsrLo[c]) | (s.vsrLo[bb] & s.vsrLo[c]);
                s.vsrHi[t.raw(i)] = hi;
                s.vsrLo[t.raw(i)] = lo;
            };
        });
    }

    /** Byte {@code index} (0..31) of the 32-byte concatenation {@code a||b}. */
    private static int byteOf(VectorRegister a, VectorRegister b, int index) {
        return index < 16 ? a.byteAt(index) : b.byteAt(index - 16);
    }

    private static VectorRegister permute(VectorRegister a, VectorRegister b, VectorRegister c, boolean reversed) {
        VectorRegister r = new VectorRegister();
        for (int i = 0; i < 16; i++) {
            int index = c.byteAt(i) & 31;
            r.set(8, i, byteOf(a, b, reversed ? 31 - index : index));
        }
        return r;
    }

    private static void bindPermutes(SemanticsBinder b) {
        VectorOperands.ternary(b, "VPERM", (s, x, y, c) -> permute(x, y, c, false));
        VectorOperands.ternary(b, "VPERMR", (s, x, y, c) -> permute(x, y, c, true));
        // xxperm XT,XA,XB: the sources are XA||XT, the permute control XB (Book I 7.6.1.12).
        for (String name : new String[] {"XXPERM", "XXPERMR"}) {
            boolean reversed = name.equals("XXPERMR");
            b.bind(name, row -> {
                Field t = row.field("xt");
                Field ra = row.field("xa");
                Field rb = row.field("xb");
                return (s, i) -> permute(VectorRegister.ofVsr(s, ra.raw(i)), VectorRegister.ofVsr(s, t.raw(i)),
                        VectorRegister.ofVsr(s, rb.raw(i)), reversed).toVsr(s, t.raw(i));
            });
        }
        b.bind("VSLDOI", row -> {
            Field t = row.field("vrt");
            Field ra = row.field("vra");
            Field rb = row.field("vrb");
            Field shb = row.field("shb");
            return (s, i) -> {
                VectorRegister x = VectorRegister.ofVsr(s, 32 + ra.raw(i));
                VectorRegister y = VectorRegister.ofVsr(s, 32 + rb.raw(i));
                int sh = shb.raw(i);
                VectorRegister r = new VectorRegister();
                for (int k = 0; k < 16; k++) {
                    r.set(8, k, byteOf(x, y, sh + k));
                }
                r.toVsr(s, 32 + t.raw(i));
            };
        });
        b.bind("XXPERMDI", row -> {
            Field t = row.field("xt");
            Field ra = row.field("xa");
            Field rb = row.field("xb");
            Field dm = row.field("dm");
            return (s, i) -> {
                int a = ra.raw(i);
                int bb = rb.raw(i);
                int d = dm.raw(i);
                long hi = (d & 2) == 0 ? s.vsrHi[a] : s.vsrLo[a];
                long lo = (d & 1) == 0 ? s.vsrHi[bb] : s.vsrLo[bb];
                s.vsrHi[t.raw(i)] = hi;
                s.vsrLo[t.raw(i)] = lo;
            };
        });
        b.bind("XXSLDWI", row -> {
            Field t = row.field("xt");
            Field ra = row.field("xa");
            Field rb = row.field("xb");
            Field shw = row.field("shw");
            return (s, i) -> {
                VectorRegister x = VectorRegister.ofVsr(s, ra.raw(i));
                VectorRegister y = VectorRegister.ofVsr(s, rb.raw(i));
                int sh = 4 * shw.raw(i);
                VectorRegister r = new VectorRegister();
                for (int k = 0; k < 16; k++) {
                    r.set(8, k, byteOf(x, y, sh + k));
                }
                r.toVsr(s, t.raw(i));
            };
        });
        unary(b, "XXBRH", (s, x) -> new VectorRegister(swapHalves(x.hi), swapHalves(x.lo)));
        unary(b, "XXBRW", (s, x) -> new VectorRegister(swapWords(x.hi), swapWords(x.lo)));
        unary(b, "XXBRD", (s, x) -> new VectorRegister(Long.reverseBytes(x.hi), Long.reverseBytes(x.lo)));
        unary(b, "XXBRQ", (s, x) -> new VectorRegister(Long.reverseBytes(x.lo), Long.reverseBytes(x.hi)));
    }

    private static long swapHalves(long v) {
        return ((v & 0x00FF_00FF_00FF_00FFL) << 8) | ((v >>> 8) & 0x00FF_00FF_00FF_00FFL);
    }

    private static long swapWords(long v) {
        return Long.reverseBytes(Long.rotateLeft(v, 32));
    }

    private static void bindSplatsAndMerges(SemanticsBinder b) {
        for (String name : new String[] {"VSPLTB", "VSPLTH", "VSPLTW", "XXSPLTW"}) {
            int bits = switch (name) {
                case "VSPLTB" -> 8;
                case "VSPLTH" -> 16;
                default -> 32;
            };
            b.bind(name, row -> {
                Field uim = row.field("uim");
                Field t = row.field(VectorOperands.target(row));
                Field rb = row.field(VectorOperands.source(row, "vrb", "xb"));
                int base = row.hasField("vrt") ? 32 : 0;
                return (s, i) -> {
                    long v = VectorRegister.get(s.vsrHi[base + rb.raw(i)], s.vsrLo[base + rb.raw(i)], bits,
                            uim.raw(i));
                    splat(s, base + t.raw(i), bits, v);
                };
            });
        }
        for (String name : new String[] {"VSPLTISB", "VSPLTISH", "VSPLTISW"}) {
            int bits = name.equals("VSPLTISB") ? 8 : name.equals("VSPLTISH") ? 16 : 32;
            b.bind(name, row -> {
                Field sim = row.field("sim");
                Field t = row.field("vrt");
                return (s, i) -> splat(s, 32 + t.raw(i), bits, sim.extract(i));
            });
        }
        b.bind("XXSPLTIB", row -> {
            Field imm = row.field("imm8");
            Field t = row.field("xt");
            return (s, i) -> splat(s, t.raw(i), 8, imm.raw(i));
        });
        for (String name : new String[] {"VMRGHB", "VMRGHH", "VMRGHW", "VMRGLB", "VMRGLH", "VMRGLW", "XXMRGHW",
                "XXMRGLW"}) {
            int bits = name.endsWith("B") ? 8 : name.endsWith("H") ? 16 : 32;
            boolean low = name.contains("RGL");
            binary(b, name, (s, x, y) -> {
                int n = 128 / bits;
                int first = low ? n / 2 : 0;
                VectorRegister r = new VectorRegister();
                for (int k = 0; k < n / 2; k++) {
                    r.set(bits, 2 * k, x.get(bits, first + k));
                    r.set(bits, 2 * k + 1, y.get(bits, first + k));
                }
                return r;
            });
        }
        for (String name : new String[] {"VMRGEW", "VMRGOW"}) {
            int odd = name.equals("VMRGOW") ? 1 : 0;
            binary(b, name, (s, x, y) -> {
                VectorRegister r = new VectorRegister();
                for (int k = 0; k < 2; k++) {
                    r.set(32, 2 * k, x.get(32, 2 * k + odd));
                    r.set(32, 2 * k + 1, y.get(32, 2 * k + odd));
                }
                return r;
            });
        }
    }

    private static void splat(CpuState s, int t, int bits, long v) {
        long dw = v & (bits == 64 ? -1L : (1L << bits) - 1);
        for (int w = bits; w < 64; w *= 2) {
            dw |= dw << w;
        }
        s.vsrHi[t] = dw;
        s.vsrLo[t] = dw;
    }

    private static void bindInsertExtract(SemanticsBinder b) {
        // vextractu[bhw]/vextractd: the element at byte offset UIM, right-justified in doubleword 0, doubleword 1
        // zero; xxextractuw the same for a word (Book I 6.8.3, 7.6.1.11).
        for (String name : new String[] {"VEXTRACTUB", "VEXTRACTUH", "VEXTRACTUW", "VEXTRACTD", "XXEXTRACTUW"}) {
            int size = switch (name) {
                case "VEXTRACTUB" -> 1;
                case "VEXTRACTUH" -> 2;
                case "VEXTRACTD" -> 8;
                default -> 4;
            };
            b.bind(name, row -> {
                Field uim = row.field("uim");
                Field t = row.field(VectorOperands.target(row));
                Field rb = row.field(VectorOperands.source(row, "vrb", "xb"));
                int base = row.hasField("vrt") ? 32 : 0;
                return (s, i) -> {
                    VectorRegister src = VectorRegister.ofVsr(s, base + rb.raw(i));
                    long v = 0;
                    for (int k = 0; k < size; k++) {
                        v = v << 8 | src.byteAt(uim.raw(i) + k);
                    }
                    s.vsrHi[base + t.raw(i)] = v;
                    s.vsrLo[base + t.raw(i)] = 0;
                };
            });
        }
        // vinsert[bhwd]/xxinsertw: the rightmost element of doubleword 0 (word 1 for xxinsertw) into byte
        // offset UIM of the target; the other bytes are unchanged.
        for (String name : new String[] {"VINSERTB", "VINSERTH", "VINSERTW", "VINSERTD", "XXINSERTW"}) {
            int size = switch (name) {
                case "VINSERTB" -> 1;
                case "VINSERTH" -> 2;
                case "VINSERTD" -> 8;
                default -> 4;
            };
            b.bind(name, row -> {
                Field uim = row.field("uim");
                Field t = row.field(VectorOperands.target(row));
                Field rb = row.field(VectorOperands.source(row, "vrb", "xb"));
                int base = row.hasField("vrt") ? 32 : 0;
                return (s, i) -> {
                    long v = s.vsrHi[base + rb.raw(i)];
                    VectorRegister r = VectorRegister.ofVsr(s, base + t.raw(i));
                    int at = uim.raw(i);
                    for (int k = 0; k < size && at + k < 16; k++) {
                        r.set(8, at + k, v >>> (8 * (size - 1 - k)));
                    }
                    r.toVsr(s, base + t.raw(i));
                };
            });
        }
        // vextu[bhw][lr]x: the element at byte index GPR[RA] (from the left, or from the right) into RT.
        for (String name : new String[] {"VEXTUBLX", "VEXTUHLX", "VEXTUWLX", "VEXTUBRX", "VEXTUHRX", "VEXTUWRX"}) {
            int size = name.charAt(5) == 'B' ? 1 : name.charAt(5) == 'H' ? 2 : 4;
            boolean right = name.endsWith("RX");
            b.bind(name, row -> {
                Field rt = row.field("rt");
                Field ra = row.field("ra");
                Field rb = row.field("vrb");
                return (s, i) -> {
                    VectorRegister src = VectorRegister.ofVsr(s, 32 + rb.raw(i));
                    int index = (int) (s.gpr[ra.raw(i)] & 15);
                    int first = right ? 16 - size - index : index;
                    long v = 0;
                    for (int k = 0; k < size; k++) {
                        v = v << 8 | src.byteAt(first + k);
                    }
                    s.gpr[rt.raw(i)] = v;
                };
            });
        }
    }

    private static void bindMoves(SemanticsBinder b) {
        b.bind("MFVSCR", row -> {
            Field t = row.field("vrt");
            return (s, i) -> {
                s.vsrHi[32 + t.raw(i)] = 0;
                s.vsrLo[32 + t.raw(i)] = s.vscr & 0xFFFF_FFFFL;
            };
        });
        b.bind("MTVSCR", row -> {
            Field rb = row.field("vrb");
            return (s, i) -> s.vscr = (int) s.vsrLo[32 + rb.raw(i)] & VectorIntegerOps.VSCR_MASK;
        });
        for (String name : new String[] {"MFVSRD", "MFVSRWZ", "MFVSRLD"}) {
            b.bind(name, row -> {
                Field ra = row.field("ra");
                Field xs = row.field("xs");
                return switch (name) {
                    case "MFVSRD" -> (s, i) -> s.gpr[ra.raw(i)] = s.vsrHi[xs.raw(i)];
                    case "MFVSRWZ" -> (s, i) -> s.gpr[ra.raw(i)] = s.vsrHi[xs.raw(i)] & 0xFFFF_FFFFL;
                    default -> (s, i) -> s.gpr[ra.raw(i)] = s.vsrLo[xs.raw(i)];
                };
            });
        }
        for (String name : new String[] {"MTVSRD", "MTVSRWA", "MTVSRWZ", "MTVSRWS"}) {
            b.bind(name, row -> {
                Field ra = row.field("ra");
                Field xt = row.field("xt");
                return switch (name) {
                    case "MTVSRD" -> (s, i) -> s.vsrHi[xt.raw(i)] = s.gpr[ra.raw(i)];
                    case "MTVSRWA" -> (s, i) -> s.vsrHi[xt.raw(i)] = (int) s.gpr[ra.raw(i)];
                    case "MTVSRWZ" -> (s, i) -> s.vsrHi[xt.raw(i)] = s.gpr[ra.raw(i)] & 0xFFFF_FFFFL;
                    default -> (s, i) -> splat(s, xt.raw(i), 32, s.gpr[ra.raw(i)]);
                };
            });
        }
        b.bind("MTVSRDD", row -> {
            Field ra = row.field("ra");
            Field rb = row.field("rb");
            Field xt = row.field("xt");
            return (s, i) -> {
                int a = ra.raw(i);
                s.vsrHi[xt.raw(i)] = a == 0 ? 0 : s.gpr[a];
                s.vsrLo[xt.raw(i)] = s.gpr[rb.raw(i)];
            };
        });
    }
}
