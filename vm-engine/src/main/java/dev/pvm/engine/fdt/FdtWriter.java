package dev.pvm.engine.fdt;

import dev.pvm.engine.fdt.FdtStructureException.Problem;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes a flattened device tree (DTB version 17) and refuses to write a malformed one.
 *
 * <p>Call order: {@code reserveMemory*} at any time; one root {@code beginNode("")}, then for each node its
 * properties before its subnodes, each {@code beginNode} matched by {@code endNode} with the token it
 * returned; then {@link #finish()} once. Misuse throws {@link FdtStructureException} naming the problem.
 *
 * <p>The layout is the one dtc produces (header, reservation map, structure block, strings block, no padding),
 * and property names share the strings block the way dtc shares them (a name that is a suffix of one already
 * stored points into it), so {@code dtc -I dtb -O dtb} reproduces our bytes.
 */
public final class FdtWriter {

    /**
     * Devicetree Specification 2.2.1: node names, with an optional unit address. The specification's 31-character
     * limit is not enforced: PAPR trees use longer names and dtc and Linux accept them.
     */
    private static final Pattern NODE_NAME = Pattern.compile("[0-9a-zA-Z,._+-]+(@[0-9a-zA-Z,._+-]+)?");
    /** Devicetree Specification 2.2.4: property names (length as for nodes: ibm,associativity-reference-points). */
    private static final Pattern PROPERTY_NAME = Pattern.compile("[0-9a-zA-Z,._+?#-]+");

    private final ByteArrayOutputStream structure = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> stringOffsets = new HashMap<>();
    private final List<long[]> reservations = new ArrayList<>();
    private final Deque<OpenNode> open = new ArrayDeque<>();
    private final Set<Integer> phandles = new HashSet<>();
    private int bootCpuId;
    private boolean rootWritten;
    private boolean finished;

    /** A node that has been begun; pass it to {@link #endNode}. */
    public static final class Node {
        private final String path;

        private Node(String path) {
            this.path = path;
        }

        public String path() {
            return path;
        }

        @Override
        public String toString() {
            return path;
        }
    }

    private static final class OpenNode {
        final Node token;
        final Set<String> properties = new HashSet<>();
        final Set<String> children = new HashSet<>();
        boolean hasChildren;

        OpenNode(Node token) {
            this.token = token;
        }
    }

    /** The physical id of the boot CPU ({@code boot_cpuid_phys} in the header); 0 by default. */
    public void setBootCpuId(int id) {
        checkNotFinished();
        this.bootCpuId = id;
    }

    /**
     * Adds a memory reservation (the guest must not use {@code [address, address + size)}).
     *
     * @throws FdtStructureException when it overlaps an earlier reservation
     */
    public void reserveMemory(long address, long size) {
        checkNotFinished();
        if (size <= 0) {
            throw new FdtStructureException(Problem.OVERLAPPING_RESERVATION, "empty memory reservation at 0x"
                    + Long.toHexString(address));
        }
        for (long[] r : reservations) {
            if (address < r[0] + r[1] && r[0] < address + size) {
                throw new FdtStructureException(Problem.OVERLAPPING_RESERVATION, String.format(
                        "memory reservation [0x%x, +0x%x) overlaps [0x%x, +0x%x)", address, size, r[0], r[1]));
            }
        }
        reservations.add(new long[] {address, size});
    }

    /**
     * Begins a node; the root is {@code ""}.
     *
     * @throws FdtStructureException for a second root, a bad or duplicate name
     */
    public Node beginNode(String name) {
        checkNotFinished();
        if (open.isEmpty()) {
            if (rootWritten) {
                throw new FdtStructureException(Problem.SECOND_ROOT, "the tree has only one root node; got '"
                        + name + "' after it ended");
            }
            if (!name.isEmpty()) {
                throw new FdtStructureException(Problem.ROOT_NOT_EMPTY_NAME, "the root node's name is empty, not '"
                        + name + "'");
            }
            rootWritten = true;
        } else {
            if (!NODE_NAME.matcher(name).matches()) {
                throw new FdtStructureException(Problem.INVALID_NAME, "invalid node name '" + name + "' under "
                        + open.peek().token.path);
            }
            OpenNode parent = open.peek();
            if (!parent.children.add(name)) {
                throw new FdtStructureException(Problem.DUPLICATE_NODE, "node " + childPath(parent, name)
                        + " is written twice");
            }
            parent.hasChildren = true;
        }
        String path = open.isEmpty() ? "/" : childPath(open.peek(), name);
        Node token = new Node(path);
        open.push(new OpenNode(token));
        word(Fdt.BEGIN_NODE);
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        structure.writeBytes(bytes);
        structure.write(0);
        pad();
        return token;
    }

    private static String childPath(OpenNode parent, String name) {
        return parent.token.path.equals("/") ? "/" + name : parent.token.path + "/" + name;
    }

    /**
     * Ends the innermost open node.
     *
     * @throws FdtStructureException when {@code node} is not the innermost open node
     */
    public void endNode(Node node) {
        checkNotFinished();
        if (open.isEmpty() || open.peek().token != node) {
            throw new FdtStructureException(Problem.END_WRONG_NODE, "cannot end " + node + ": the innermost open "
                    + "node is " + (open.isEmpty() ? "none" : open.peek().token.path));
        }
        open.pop();
        word(Fdt.END_NODE);
    }

    /**
     * A property with raw bytes.
     *
     * @throws FdtStructureException outside a node, after a subnode, for a bad or duplicate name
     */
    public void property(String name, byte[] value) {
        checkNotFinished();
        if (open.isEmpty()) {
            throw new FdtStructureException(Problem.PROPERTY_OUTSIDE_NODE, "property '" + name
                    + "' is outside any node");
        }
        OpenNode node = open.peek();
        if (node.hasChildren) {
            throw new FdtStructureException(Problem.PROPERTY_AFTER_SUBNODE, "property '" + name + "' of "
                    + node.token.path + " comes after a subnode; properties must come first");
        }
        if (!PROPERTY_NAME.matcher(name).matches()) {
            throw new FdtStructureException(Problem.INVALID_NAME, "invalid property name '" + name + "' in "
                    + node.token.path);
        }
        if (!node.properties.add(name)) {
            throw new FdtStructureException(Problem.DUPLICATE_PROPERTY, "property '" + name + "' of "
                    + node.token.path + " is written twice");
        }
        word(Fdt.PROP);
        word(value.length);
        word(stringOffset(name));
        structure.writeBytes(value);
        pad();
    }

    /** A property without a value (a boolean that is true by being present). */
    public void propertyEmpty(String name) {
        property(name, new byte[0]);
    }

    /** One 32-bit cell. */
    public void propertyU32(String name, int value) {
        propertyCells(name, value);
    }

    /** A 64-bit number as two cells, high first. */
    public void propertyU64(String name, long value) {
        propertyCells(name, (int) (value >>> 32), (int) value);
    }

    /** Cells (big-endian 32-bit words). */
    public void propertyCells(String name, int... cells) {
        ByteBuffer b = ByteBuffer.allocate(4 * cells.length);
        for (int c : cells) {
            b.putInt(c);
        }
        property(name, b.array());
    }

    /** A NUL-terminated string. */
    public void propertyString(String name, String value) {
        propertyStrings(name, value);
    }

    /** A string list: each string NUL-terminated, back to back. */
    public void propertyStrings(String name, String... values) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String v : values) {
            if (v.indexOf('\0') >= 0) {
                throw new FdtStructureException(Problem.INVALID_NAME, "string in '" + name + "' contains NUL");
            }
            b.writeBytes(v.getBytes(StandardCharsets.UTF_8));
            b.write(0);
        }
        property(name, b.toByteArray());
    }

    /**
     * {@code phandle} and {@code linux,phandle} (older kernels read the second), after checking the value is
     * unique in the tree.
     *
     * @throws FdtStructureException for 0, 0xffffffff or a value already used
     */
    public void propertyPhandle(int phandle) {
        propertyPhandleOnly(phandle);
        propertyU32("linux,phandle", phandle);
    }

    /**
     * {@code phandle} alone (QEMU's NVLink2 nodes carry no {@code linux,phandle}), after the same uniqueness check
     * as {@link #propertyPhandle}.
     *
     * @throws FdtStructureException for 0, 0xffffffff or a value already used
     */
    public void propertyPhandleOnly(int phandle) {
        if (phandle == 0 || phandle == -1) {
            throw new FdtStructureException(Problem.INVALID_PHANDLE, "phandle 0x" + Integer.toHexString(phandle)
                    + " is reserved");
        }
        if (!phandles.add(phandle)) {
            throw new FdtStructureException(Problem.DUPLICATE_PHANDLE, "phandle 0x" + Integer.toHexString(phandle)
                    + " is already used (in " + (open.isEmpty() ? "?" : open.peek().token.path) + ")");
        }
        propertyU32("phandle", phandle);
    }

    /**
     * The finished blob.
     *
     * @throws FdtStructureException when no root was written or a node is still open
     */
    public byte[] finish() {
        checkNotFinished();
        if (!rootWritten) {
            throw new FdtStructureException(Problem.NO_ROOT, "the tree has no root node");
        }
        if (!open.isEmpty()) {
            throw new FdtStructureException(Problem.UNCLOSED_NODE, "node " + open.peek().token.path
                    + " is not ended");
        }
        word(Fdt.END);
        finished = true;
        byte[] struct = structure.toByteArray();
        byte[] str = strings.toByteArray();
        int reserveOffset = Fdt.HEADER_SIZE;
        int reserveSize = 16 * (reservations.size() + 1);
        int structOffset = reserveOffset + reserveSize;
        int stringsOffset = structOffset + struct.length;
        int total = stringsOffset + str.length;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.putInt(Fdt.MAGIC);
        b.putInt(total);
        b.putInt(structOffset);
        b.putInt(stringsOffset);
        b.putInt(reserveOffset);
        b.putInt(Fdt.VERSION);
        b.putInt(Fdt.LAST_COMPATIBLE_VERSION);
        b.putInt(bootCpuId);
        b.putInt(str.length);
        b.putInt(struct.length);
        for (long[] r : reservations) {
            b.putLong(r[0]);
            b.putLong(r[1]);
        }
        b.putLong(0);
        b.putLong(0);
        b.put(struct);
        b.put(str);
        return b.array();
    }

    private void checkNotFinished() {
        if (finished) {
            throw new FdtStructureException(Problem.FINISHED, "the tree is already finished");
        }
    }

    /** Offset of the name in the strings block, reusing a stored name that ends with it (as dtc does). */
    private int stringOffset(String name) {
        Integer known = stringOffsets.get(name);
        if (known != null) {
            return known;
        }
        byte[] table = strings.toByteArray();
        byte[] wanted = (name + "\0").getBytes(StandardCharsets.US_ASCII);
        int found = indexOf(table, wanted);
        if (found < 0) {
            found = table.length;
            strings.writeBytes(wanted);
        }
        stringOffsets.put(name, found);
        return found;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private void word(int value) {
        structure.write(value >>> 24);
        structure.write(value >>> 16);
        structure.write(value >>> 8);
        structure.write(value);
    }

    private void pad() {
        while (structure.size() % 4 != 0) {
            structure.write(0);
        }
    }
}
