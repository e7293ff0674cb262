package dev.pvm.engine.devices.pci;

/**
 * One base address register of a type-0 header (PCI Local Bus 3.0 section 6.2.5.1).
 *
 * @param index        BAR number 0..5 (a 64-bit BAR takes {@code index} and {@code index + 1})
 * @param size         bytes decoded, a power of two
 * @param space        what the BAR decodes
 * @param prefetchable the prefetchable bit (memory BARs)
 */
public record PciBar(int index, long size, Space space, boolean prefetchable) {

    /** Address space of a BAR, with the OF "ss" code of its {@code reg} entry (IEEE 1275 PCI binding 2.2.1.1). */
    public enum Space {
        IO(1), MEMORY32(2), MEMORY64(3);

        private final int ofSpaceCode;

        Space(int ofSpaceCode) {
            this.ofSpaceCode = ofSpaceCode;
        }

        public int ofSpaceCode() {
            return ofSpaceCode;
        }
    }

    /** Offset of BAR 0 in the header. */
    public static final int BAR0 = 0x10;

    /**
     * @throws IllegalArgumentException for a size that is not a power of two, an index out of 0..5, or a 64-bit
     *                                  BAR in slot 5
     */
    public PciBar {
        if (index < 0 || index > 5 || (space == Space.MEMORY64 && index == 5)) {
            throw new IllegalArgumentException("BAR index " + index + " does not fit a " + space + " BAR");
        }
        if (size < (space == Space.IO ? 4 : 16) || Long.bitCount(size) != 1) {
            throw new IllegalArgumentException("BAR size 0x" + Long.toHexString(size) + " is not a power of two "
                    + "of at least the minimum decode");
        }
    }

    /** Config offset of the BAR's (low) register. */
    public int registerOffset() {
        return BAR0 + 4 * index;
    }

    /** The read-only low bits: IO 01; memory type 00/10 and the prefetch bit (section 6.2.5.1). */
    public int flagBits() {
        return switch (space) {
            case IO -> 0x1;
            case MEMORY32 -> prefetchable ? 0x8 : 0x0;
            case MEMORY64 -> 0x4 | (prefetchable ? 0x8 : 0x0);
        };
    }
}
