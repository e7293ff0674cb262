package dev.pvm.engine.fdt;

import java.util.List;

/**
 * Prints a device tree as source text exactly as {@code dtc -I dtb -O dts} (1.6) does: the same guess of
 * strings, cells and bytes, the same number formats and blank lines. Golden {@code .dts} files are written
 * with it, and a test compares it with dtc's own output.
 */
public final class DtsPrinter {

    private DtsPrinter() {
    }

    public static String print(FdtTree tree) {
        StringBuilder b = new StringBuilder("/dts-v1/;\n\n");
        for (long[] r : tree.reservations()) {
            b.append(String.format("/memreserve/\t0x%016x 0x%016x;%n", r[0], r[1]).replace(System.lineSeparator(),
                    "\n"));
        }
        node(b, tree.root(), 0);
        return b.toString();
    }

    private static void node(StringBuilder b, FdtNode n, int depth) {
        indent(b, depth);
        b.append(n.name().isEmpty() ? "/" : n.name()).append(" {\n");
        for (FdtProperty p : n.properties()) {
            indent(b, depth + 1);
            b.append(p.name());
            byte[] v = p.value();
            if (v.length > 0) {
                b.append(" = ").append(value(v));
            }
            b.append(";\n");
        }
        List<FdtNode> children = n.children();
        for (FdtNode child : children) {
            b.append('\n');
            node(b, child, depth + 1);
        }
        indent(b, depth);
        b.append("};\n");
    }

    private static void indent(StringBuilder b, int depth) {
        b.append("\t".repeat(depth));
    }

    /** dtc's guess: a string list when NUL-terminated, printable and not mostly NULs; else cells; else bytes. */
    static String value(byte[] v) {
        if (looksLikeStrings(v)) {
            StringBuilder s = new StringBuilder("\"");
            for (int i = 0; i < v.length - 1; i++) {
                s.append(escape(v[i]));
            }
            return s.append('"').toString();
        }
        if (v.length % 4 == 0) {
            StringBuilder s = new StringBuilder("<");
            for (int i = 0; i < v.length; i += 4) {
                int cell = ((v[i] & 0xff) << 24) | ((v[i + 1] & 0xff) << 16) | ((v[i + 2] & 0xff) << 8) | (v[i + 3] & 0xff);
                if (i > 0) {
                    s.append(' ');
                }
                s.append(String.format("0x%02x", cell));
            }
            return s.append('>').toString();
        }
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                s.append(' ');
            }
            s.append(String.format("%02x", v[i] & 0xff));
        }
        return s.append(']').toString();
    }

    private static boolean looksLikeStrings(byte[] v) {
        if (v.length == 0 || v[v.length - 1] != 0) {
            return false;
        }
        int nuls = 0;
        for (byte c : v) {
            if (c == 0) {
                nuls++;
            } else if (!printable(c) && "\u0007\b\t\n\u000b\f\r".indexOf((char) c) < 0) {
                return false;
            }
        }
        return nuls <= v.length - nuls;
    }

    private static boolean printable(byte c) {
        return c >= 0x20 && c < 0x7f;
    }

    private static String escape(byte c) {
        return switch (c) {
            case 0 -> "\\0";
            case 7 -> "\\a";
            case '\b' -> "\\b";
            case '\t' -> "\\t";
            case '\n' -> "\\n";
            case 0x0b -> "\\v";
            case '\f' -> "\\f";
            case '\r' -> "\\r";
            case '\\' -> "\\\\";
            case '"' -> "\\\"";
            default -> String.valueOf((char) c);
        };
    }
}
