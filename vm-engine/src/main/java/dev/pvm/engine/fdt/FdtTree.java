package dev.pvm.engine.fdt;

import java.util.List;
import java.util.Optional;

/**
 * A device tree read from a blob.
 *
 * @param root         the root node
 * @param reservations memory reservations as {address, size} pairs
 * @param bootCpuId    the header's boot_cpuid_phys
 * @param version      the header's version
 */
public record FdtTree(FdtNode root, List<long[]> reservations, int bootCpuId, int version) {

    public FdtTree {
        reservations = List.copyOf(reservations);
    }

    /** The node at an absolute path ({@code "/rtas"}); {@code "/"} is the root. */
    public Optional<FdtNode> find(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must be absolute: " + path);
        }
        return root.find(path);
    }

    /**
     * The node at an absolute path, which must exist.
     *
     * @throws FdtFormatException when there is none
     */
    public FdtNode require(String path) {
        return find(path).orElseThrow(() -> new FdtFormatException("no node " + path));
    }
}
