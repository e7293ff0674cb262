package dev.pvm.engine.fdt;

/**
 * Constants of the flattened device tree format (Devicetree Specification v0.4, chapter 5: "Flattened
 * Devicetree (DTB) Format"). Every number in a DTB is big-endian.
 */
public final class Fdt {

    public static final int MAGIC = 0xd00dfeed;
    /** The version we write; readers accept 16 and later. */
    public static final int VERSION = 17;
    /** The oldest version a reader of our blobs must understand (17 is backwards compatible with 16). */
    public static final int LAST_COMPATIBLE_VERSION = 16;
    /** Size of the version 17 header: ten 32-bit words. */
    public static final int HEADER_SIZE = 40;

    public static final int BEGIN_NODE = 0x1;
    public static final int END_NODE = 0x2;
    public static final int PROP = 0x3;
    public static final int NOP = 0x4;
    public static final int END = 0x9;

    private Fdt() {
    }
}
