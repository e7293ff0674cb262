package dev.pvm.engine.memory;

import java.lang.reflect.Field;
import java.nio.ByteOrder;
import sun.misc.Unsafe;

/**
 * Plain loads and stores at host addresses, for the one place where a {@link java.lang.foreign.MemorySegment}
 * access costs too much: the inline fast path of guest loads and stores in translated code.
 *
 * <p>JUSTIFICATION: a {@code MemorySegment} access is some 25 force-inlined JDK methods (about 700 bytes of
 * bytecode). HotSpot's C2 stops inlining into a method once its inlined bytecode passes 8000 bytes
 * (DesiredMethodLimit) or its graph 18000 nodes (NodeCountInliningCutoff), so a unit of translated code with more
 * than a handful of guest accesses had the rest, and every helper after them, left as out-of-line calls that
 * spill all of the unit's registers. The same access through {@code sun.misc.Unsafe} is one intrinsic (ADR 0004;
 * measured in benchmarks/README.md, "Raw host access").
 *
 * <p>It is on only where the JVM runs with {@code --sun-misc-unsafe-memory-access=allow} (as {@code pvm}, the
 * gateway's engine launcher and the test JVMs start it) on a little-endian host; elsewhere {@link #ENABLED} is
 * false and callers use their segment, so no JVM ever prints Unsafe's deprecation warning on a guest's stderr.
 * Guest memory stays what it was: mapped, off-heap segments, owned by their arenas. Callers must have checked that
 * every byte of an access lies inside a mapped segment that is still alive.
 */
public final class HostAddressAccess {

    /** Whether the raw accessors may be used (see the class comment); constant, so HotSpot folds the tests. */
    public static final boolean ENABLED = "allow".equals(System.getProperty("sun.misc.unsafe.memory.access"))
            && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private static final Unsafe UNSAFE = ENABLED ? theUnsafe() : null;

    private HostAddressAccess() {
    }

    @SuppressWarnings("removal")
    private static Unsafe theUnsafe() {
        try {
            Field f = Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("removal")
    public static byte getByte(long address) {
        return UNSAFE.getByte(address);
    }

    /** Little-endian (the host's order: {@link #ENABLED} requires it), like the methods below. */
    @SuppressWarnings("removal")
    public static short getShort(long address) {
        return UNSAFE.getShort(address);
    }

    @SuppressWarnings("removal")
    public static int getInt(long address) {
        return UNSAFE.getInt(address);
    }

    @SuppressWarnings("removal")
    public static long getLong(long address) {
        return UNSAFE.getLong(address);
    }

    @SuppressWarnings("removal")
    public static void putByte(long address, byte value) {
        UNSAFE.putByte(address, value);
    }

    @SuppressWarnings("removal")
    public static void putShort(long address, short value) {
        UNSAFE.putShort(address, value);
    }

    @SuppressWarnings("removal")
    public static void putInt(long address, int value) {
        UNSAFE.putInt(address, value);
    }

    @SuppressWarnings("removal")
    public static void putLong(long address, long value) {
        UNSAFE.putLong(address, value);
    }
}
