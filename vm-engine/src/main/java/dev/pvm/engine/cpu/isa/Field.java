package dev.pvm.engine.cpu.isa;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named bit field of a 32-bit instruction word, made of one or more pieces concatenated most significant
 * first (the ISA splits {@code spr} and the 6-bit MD-form {@code sh}/{@code mb} in the encoding).
 *
 * <p>Bit numbers in the constructor are the Power ISA's (bit 0 is the most significant bit). {@link #extract}
 * is on the interpreter's hot path: the single-piece case is a shift and a mask.
 */
public final class Field {

    private final String name;
    private final int[] isaStarts;
    private final int[] isaEnds;
    private final int[] shifts;
    private final int[] widths;
    private final int width;
    private final boolean signed;
    private final int scale;
    private final FieldKind kind;
    private final String suffix;
    private final int wordMask;
    private final boolean singlePiece;
    private final int shift0;
    private final int mask0;
    private final int signShift;

    /**
     * @param name      the ISA operand name (lower case)
     * @param isaStarts first ISA bit of each piece, most significant piece first
     * @param isaEnds   last ISA bit of each piece (inclusive)
     * @param signed    whether the value is sign-extended
     * @param scale     multiplier applied to the extracted value (4 for DS displacements), at least 1
     * @param kind      how the disassembler prints it
     * @param suffix    text printed after the mnemonic when the value is 1, or null when the field is no flag
     */
    public Field(String name, int[] isaStarts, int[] isaEnds, boolean signed, int scale, FieldKind kind, String suffix) {
        this.name = Objects.requireNonNull(name);
        if (isaStarts.length == 0 || isaStarts.length != isaEnds.length) {
            throw new IllegalArgumentException("field " + name + ": needs at least one piece");
        }
        if (scale < 1) {
            throw new IllegalArgumentException("field " + name + ": scale must be at least 1");
        }
        this.isaStarts = isaStarts.clone();
        this.isaEnds = isaEnds.clone();
        this.shifts = new int[isaStarts.length];
        this.widths = new int[isaStarts.length];
        int total = 0;
        int covered = 0;
        for (int i = 0; i < isaStarts.length; i++) {
            int a = isaStarts[i];
            int b = isaEnds[i];
            if (a < 0 || b > 31 || a > b) {
                throw new IllegalArgumentException("field " + name + ": bad piece " + a + ":" + b);
            }
            widths[i] = b - a + 1;
            shifts[i] = 31 - b;
            int pieceMask = maskOf(widths[i]) << shifts[i];
            if ((covered & pieceMask) != 0) {
                throw new IllegalArgumentException("field " + name + ": pieces overlap at bits " + a + ":" + b);
            }
            covered |= pieceMask;
            total += widths[i];
        }
        if (total > 32) {
            throw new IllegalArgumentException("field " + name + ": wider than 32 bits");
        }
        this.width = total;
        this.signed = signed;
        this.scale = scale;
        this.kind = Objects.requireNonNull(kind);
        this.suffix = suffix;
        this.wordMask = covered;
        this.singlePiece = isaStarts.length == 1;
        this.shift0 = shifts[0];
        this.mask0 = maskOf(widths[0]);
        this.signShift = 32 - total;
    }

    private static int maskOf(int width) {
        return width == 32 ? -1 : (1 << width) - 1;
    }

    public String name() {
        return name;
    }

    /** Total width in bits. */
    public int width() {
        return width;
    }

    public boolean signed() {
        return signed;
    }

    public int scale() {
        return scale;
    }

    public FieldKind kind() {
        return kind;
    }

    /** The flag's mnemonic suffix, or null when the field is no flag. */
    public String suffix() {
        return suffix;
    }

    /** The bits of the instruction word this field occupies (Java bit order: bit 0 = least significant). */
    public int wordMask() {
        return wordMask;
    }

    /**
     * The field's raw bits, unsigned and unscaled. Kept under C1's inlining limit (35 bytecodes) for the
     * single-piece case, which is nearly every operand the interpreter's semantics extract.
     */
    public int raw(int insn) {
        return singlePiece ? (insn >>> shift0) & mask0 : rawPieces(insn);
    }

    private int rawPieces(int insn) {
        int value = 0;
        for (int i = 0; i < shifts.length; i++) {
            value = (value << widths[i]) | ((insn >>> shifts[i]) & maskOf(widths[i]));
        }
        return value;
    }

    /** The field's value: sign-extended when signed, multiplied by the scale. */
    public int extract(int insn) {
        int value = raw(insn);
        if (signed) {
            value = (value << signShift) >> signShift;
        }
        return value * scale;
    }

    /**
     * The instruction bits that encode {@code value} in this field (to be OR-ed into a word).
     *
     * @throws IllegalArgumentException when the value does not fit or is not a multiple of the scale
     */
    public int encode(long value) {
        if (value % scale != 0) {
            throw new IllegalArgumentException(name + " must be a multiple of " + scale + ": " + value);
        }
        long v = value / scale;
        long min = signed ? -(1L << (width - 1)) : 0;
        long max = signed ? (1L << (width - 1)) - 1 : (1L << width) - 1;
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + " out of range "
                    + (min * scale) + ".." + (max * scale) + ": " + value);
        }
        return encodeRaw((int) v & maskOf(width));
    }

    /** The instruction bits for raw (unsigned, unscaled) field bits. */
    public int encodeRaw(int raw) {
        int bits = 0;
        int remaining = width;
        for (int i = 0; i < shifts.length; i++) {
            remaining -= widths[i];
            int piece = (raw >>> remaining) & maskOf(widths[i]);
            bits |= piece << shifts[i];
        }
        return bits;
    }

    /** The pieces as the table writes them, e.g. {@code 16:20 11:15}. */
    public String pieces() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < isaStarts.length; i++) {
            if (i > 0) {
                b.append(' ');
            }
            b.append(isaStarts[i]);
            if (isaEnds[i] != isaStarts[i]) {
                b.append(':').append(isaEnds[i]);
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return name + "[" + pieces() + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Field f && f.name.equals(name) && Arrays.equals(f.isaStarts, isaStarts)
                && Arrays.equals(f.isaEnds, isaEnds) && f.signed == signed && f.scale == scale
                && f.kind == kind && Objects.equals(f.suffix, suffix);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(isaStarts), Arrays.hashCode(isaEnds));
    }
}
