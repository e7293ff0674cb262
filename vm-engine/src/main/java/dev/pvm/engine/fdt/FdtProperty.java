package dev.pvm.engine.fdt;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One property of a read device tree: a name and raw (big-endian) bytes, with typed views. */
public record FdtProperty(String name, byte[] value) {

    public FdtProperty {
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    public int length() {
        return value.length;
    }

    /** The value as 32-bit cells. */
    public int[] cells() {
        if (value.length % 4 != 0) {
            throw new FdtFormatException("property " + name + " is " + value.length + " bytes, not whole cells");
        }
        int[] cells = new int[value.length / 4];
        ByteBuffer.wrap(value).asIntBuffer().get(cells);
        return cells;
    }

    /** The single cell of a one-cell property. */
    public int u32() {
        int[] c = cells();
        if (c.length != 1) {
            throw new FdtFormatException("property " + name + " has " + c.length + " cells, not 1");
        }
        return c[0];
    }

    /** A two-cell number, high cell first. */
    public long u64() {
        int[] c = cells();
        if (c.length != 2) {
            throw new FdtFormatException("property " + name + " has " + c.length + " cells, not 2");
        }
        return ((long) c[0] << 32) | (c[1] & 0xFFFF_FFFFL);
    }

    /** The NUL-separated strings of a string or string-list property. */
    public List<String> strings() {
        List<String> result = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < value.length; i++) {
            if (value[i] == 0) {
                result.add(new String(value, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start != value.length) {
            throw new FdtFormatException("property " + name + " is not NUL-terminated");
        }
        return result;
    }

    /** The first string of a string property. */
    public String string() {
        List<String> s = strings();
        if (s.isEmpty()) {
            throw new FdtFormatException("property " + name + " is empty");
        }
        return s.getFirst();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FdtProperty p && p.name.equals(name) && Arrays.equals(p.value, value);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return name + "[" + value.length + " bytes]";
    }
}
