package dev.pvm.engine.machine.spapr;

import dev.pvm.engine.fdt.FdtNode;
import dev.pvm.engine.fdt.FdtProperty;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * One difference between a reference device tree (QEMU's) and ours, found node for node and property for
 * property; property and node order are not compared (libfdt in QEMU prepends properties).
 *
 * @param kind     what differs
 * @param path     the node's path
 * @param property the property's name, empty for a node difference
 * @param detail   the values, for the failure message
 */
record DeviceTreeDifference(Kind kind, String path, String property, String detail) {

    enum Kind {
        /** A node the reference has and ours lacks (its subtree is not reported further). */
        MISSING_NODE("missing-node"),
        /** A node only ours has. */
        EXTRA_NODE("extra-node"),
        /** A property the reference has and ours lacks. */
        MISSING("missing"),
        /** A property only ours has. */
        EXTRA("extra"),
        /** A property both have with different values. */
        VALUE("value");

        final String spelling;

        Kind(String spelling) {
            this.spelling = spelling;
        }
    }

    @Override
    public String toString() {
        return kind.spelling + " " + path + (property.isEmpty() ? "" : " " + property) + "   (" + detail + ")";
    }

    /** Every difference between {@code reference} and {@code ours}, both roots of their trees. */
    static List<DeviceTreeDifference> between(FdtNode reference, FdtNode ours) {
        List<DeviceTreeDifference> out = new ArrayList<>();
        compare("/", reference, ours, out);
        return out;
    }

    private static void compare(String path, FdtNode reference, FdtNode ours, List<DeviceTreeDifference> out) {
        for (FdtProperty p : reference.properties()) {
            Optional<FdtProperty> mine = ours.property(p.name());
            if (mine.isEmpty()) {
                out.add(new DeviceTreeDifference(Kind.MISSING, path, p.name(), "qemu " + hex(p)));
            } else if (!mine.get().equals(p)) {
                out.add(new DeviceTreeDifference(Kind.VALUE, path, p.name(), "qemu " + hex(p) + ", ours "
                        + hex(mine.get())));
            }
        }
        for (FdtProperty p : ours.properties()) {
            if (reference.property(p.name()).isEmpty()) {
                out.add(new DeviceTreeDifference(Kind.EXTRA, path, p.name(), "ours " + hex(p)));
            }
        }
        for (FdtNode child : reference.children()) {
            String childPath = (path.equals("/") ? "/" : path + "/") + child.name();
            Optional<FdtNode> mine = ours.child(child.name());
            if (mine.isEmpty()) {
                out.add(new DeviceTreeDifference(Kind.MISSING_NODE, childPath, "", "qemu has it"));
            } else {
                compare(childPath, child, mine.get(), out);
            }
        }
        for (FdtNode child : ours.children()) {
            if (reference.child(child.name()).isEmpty()) {
                String childPath = (path.equals("/") ? "/" : path + "/") + child.name();
                out.add(new DeviceTreeDifference(Kind.EXTRA_NODE, childPath, "", "ours only"));
            }
        }
    }

    private static String hex(FdtProperty p) {
        String h = HexFormat.of().formatHex(p.value());
        return p.length() == 0 ? "empty" : (h.length() > 64 ? h.substring(0, 64) + "..." : h);
    }
}
