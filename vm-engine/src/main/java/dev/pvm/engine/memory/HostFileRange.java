package dev.pvm.engine.memory;

import java.nio.file.Path;

/**
 * A range of a host file that backs guest-visible device memory: a simulated GPU's RAM or ATSD backing file
 * (offset 0), or on a real host the VFIO device file at the region's offset (spec section 8.4: offset =
 * region index << 40). Mapping it {@code MAP_SHARED} makes the guest and the host side see the same bytes.
 *
 * @param file   the file to map
 * @param offset first byte of the range in the file
 * @param size   bytes
 */
public record HostFileRange(Path file, long offset, long size) {

    /** Where a real host's VFIO group files live: /dev/vfio/N. */
    private static final Path VFIO_DIRECTORY = Path.of("/dev/vfio");

    /**
     * @throws IllegalArgumentException for a negative offset or a non-positive size
     */
    public HostFileRange {
        if (offset < 0 || size <= 0 || offset + size < offset) {
            throw new IllegalArgumentException(String.format("bad range of %s: offset 0x%x size 0x%x", file, offset,
                    size));
        }
    }

    /**
     * Whether {@code file} is a real host's VFIO group file ({@code /dev/vfio/N}): such a range cannot be mapped by
     * path; the engine maps the region of the device fd it gets through that group.
     */
    public static boolean isVfioGroup(Path file) {
        return file.getParent() != null && file.getParent().equals(VFIO_DIRECTORY)
                && file.getFileName().toString().matches("\\d+");
    }
}
