package dev.pvm.engine.fdt;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a flattened device tree blob (version 16 or later) into an {@link FdtTree}, checking the header,
 * offsets, tokens and strings as it goes.
 */
public final class FdtReader {

    private FdtReader() {
    }

    /**
     * @throws FdtFormatException when the blob is malformed (the message gives the offset)
     */
    public static FdtTree read(byte[] blob) {
        if (blob.length < Fdt.HEADER_SIZE) {
            throw new FdtFormatException("blob of " + blob.length + " bytes is shorter than the header");
        }
        ByteBuffer b = ByteBuffer.wrap(blob);
        int magic = b.getInt(0);
        if (magic != Fdt.MAGIC) {
            throw new FdtFormatException(String.format("bad magic 0x%08x (expected 0x%08x)", magic, Fdt.MAGIC));
        }
        long total = b.getInt(4) & 0xFFFF_FFFFL;
        int structOffset = b.getInt(8);
        int stringsOffset = b.getInt(12);
        int reserveOffset = b.getInt(16);
        int version = b.getInt(20);
        int bootCpu = b.getInt(28);
        int stringsSize = b.getInt(32);
        int structSize = b.getInt(36);
        if (total > blob.length) {
            throw new FdtFormatException("totalsize " + total + " exceeds the blob's " + blob.length + " bytes");
        }
        if (version < 16) {
            throw new FdtFormatException("version " + version + " is older than 16");
        }
        checkRange("structure block", structOffset, structSize, total);
        checkRange("strings block", stringsOffset, stringsSize, total);
        if (reserveOffset < Fdt.HEADER_SIZE || reserveOffset % 8 != 0 || reserveOffset >= total) {
            throw new FdtFormatException("bad reservation map offset " + reserveOffset);
        }
        List<long[]> reservations = new ArrayList<>();
        for (int off = reserveOffset; ; off += 16) {
            if (off + 16 > total) {
                throw new FdtFormatException("reservation map runs past the end");
            }
            long address = b.getLong(off);
            long size = b.getLong(off + 8);
            if (address == 0 && size == 0) {
                break;
            }
            reservations.add(new long[] {address, size});
        }
        Cursor c = new Cursor(b, structOffset, structOffset + structSize, stringsOffset, stringsSize);
        int token = c.nextToken();
        if (token != Fdt.BEGIN_NODE) {
            throw new FdtFormatException("structure block starts with token " + token + ", not BEGIN_NODE");
        }
        FdtNode root = c.node();
        token = c.nextToken();
        if (token != Fdt.END) {
            throw new FdtFormatException("token " + token + " after the root node at offset " + c.pos + ", not END");
        }
        return new FdtTree(root, reservations, bootCpu, version);
    }

    private static void checkRange(String what, int offset, int size, long total) {
        if (offset < 0 || size < 0 || (long) offset + size > total) {
            throw new FdtFormatException(what + " [" + offset + ", +" + size + ") lies outside the blob");
        }
    }

    private static final class Cursor {
        final ByteBuffer b;
        final int end;
        final int strings;
        final int stringsSize;
        int pos;

        Cursor(ByteBuffer b, int start, int end, int strings, int stringsSize) {
            this.b = b;
            this.pos = start;
            this.end = end;
            this.strings = strings;
            this.stringsSize = stringsSize;
        }

        int nextToken() {
            while (true) {
                if (pos + 4 > end) {
                    throw new FdtFormatException("structure block ends without END at offset " + pos);
                }
                int t = b.getInt(pos);
                pos += 4;
                if (t != Fdt.NOP) {
                    return t;
                }
            }
        }

        /** Reads a node whose BEGIN_NODE token was just consumed, through its END_NODE. */
        FdtNode node() {
            String name = cString(pos, end, "node name");
            pos = align(pos + name.length() + 1);
            List<FdtProperty> properties = new ArrayList<>();
            List<FdtNode> children = new ArrayList<>();
            while (true) {
                int tokenAt = pos;
                int t = nextToken();
                switch (t) {
                    case Fdt.PROP -> {
                        if (!children.isEmpty()) {
                            throw new FdtFormatException("property after a subnode in '" + name + "' at offset "
                                    + tokenAt);
                        }
                        int len = b.getInt(pos);
                        int nameOff = b.getInt(pos + 4);
                        pos += 8;
                        if (len < 0 || pos + len > end) {
                            throw new FdtFormatException("property of " + len + " bytes at offset " + tokenAt
                                    + " runs past the structure block");
                        }
                        if (nameOff < 0 || nameOff >= stringsSize) {
                            throw new FdtFormatException("property name offset " + nameOff + " at offset " + tokenAt
                                    + " is outside the strings block");
                        }
                        String propName = cString(strings + nameOff, strings + stringsSize, "property name");
                        byte[] value = new byte[len];
                        b.get(pos, value);
                        pos = align(pos + len);
                        properties.add(new FdtProperty(propName, value));
                    }
                    case Fdt.BEGIN_NODE -> children.add(node());
                    case Fdt.END_NODE -> {
                        return new FdtNode(name, properties, children);
                    }
                    default -> throw new FdtFormatException("unexpected token " + t + " at offset " + tokenAt
                            + " in node '" + name + "'");
                }
            }
        }

        String cString(int from, int limit, String what) {
            for (int i = from; i < limit; i++) {
                if (b.get(i) == 0) {
                    byte[] bytes = new byte[i - from];
                    b.get(from, bytes);
                    return new String(bytes, StandardCharsets.UTF_8);
                }
            }
            throw new FdtFormatException(what + " at offset " + from + " is not NUL-terminated");
        }

        static int align(int p) {
            return (p + 3) & ~3;
        }
    }
}
