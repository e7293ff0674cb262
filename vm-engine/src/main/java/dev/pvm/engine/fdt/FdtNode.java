package dev.pvm.engine.fdt;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A node of a read device tree: its name (with unit address), properties and children in blob order.
 *
 * @param name       {@code ""} for the root
 * @param properties in blob order
 * @param children   in blob order
 */
public record FdtNode(String name, List<FdtProperty> properties, List<FdtNode> children) {

    public FdtNode {
        properties = List.copyOf(properties);
        children = List.copyOf(children);
    }

    public Optional<FdtProperty> property(String propertyName) {
        for (FdtProperty p : properties) {
            if (p.name().equals(propertyName)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * The property, which must exist.
     *
     * @throws FdtFormatException when the node has no such property
     */
    public FdtProperty requireProperty(String propertyName) {
        return property(propertyName).orElseThrow(
                () -> new FdtFormatException("node '" + name + "' has no property " + propertyName));
    }

    public Optional<FdtNode> child(String childName) {
        for (FdtNode c : children) {
            if (c.name().equals(childName)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Children whose name before the unit address is {@code baseName} ({@code memory} finds memory@0...). */
    public List<FdtNode> childrenNamed(String baseName) {
        List<FdtNode> result = new ArrayList<>();
        for (FdtNode c : children) {
            int at = c.name().indexOf('@');
            String base = at < 0 ? c.name() : c.name().substring(0, at);
            if (base.equals(baseName)) {
                result.add(c);
            }
        }
        return result;
    }

    /** The node at a path relative to this one ({@code "cpus/PowerPC,POWER9@0"}). */
    public Optional<FdtNode> find(String path) {
        FdtNode n = this;
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            Optional<FdtNode> next = n.child(part);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            n = next.get();
        }
        return Optional.of(n);
    }
}
