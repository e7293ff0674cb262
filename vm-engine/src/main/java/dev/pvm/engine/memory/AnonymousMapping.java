package dev.pvm.engine.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Zero-filled host memory from {@code mmap(MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE)}.
 *
 * <p>JUSTIFICATION: {@code Arena.allocate} zero-fills with a store to every byte, which commits the whole
 * guest RAM at start (seconds and gigabytes for a large VM). An anonymous mapping is zero-filled lazily by the
 * kernel, page by page, as the guest touches it.
 */
final class AnonymousMapping {

    private static final int PROT_READ = 0x1;
    private static final int PROT_WRITE = 0x2;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MAP_NORESERVE = 0x4000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle MMAP = LINKER.downcallHandle(
            LINKER.defaultLookup().find("mmap").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle MUNMAP = LINKER.downcallHandle(
            LINKER.defaultLookup().find("munmap").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));

    private AnonymousMapping() {
    }

    /**
     * Maps {@code size} bytes of zeroed memory whose lifetime is {@code owner}'s: closing the arena unmaps it.
     *
     * @throws IllegalStateException when the kernel refuses the mapping (errno in the message)
     */
    static MemorySegment map(long size, Arena owner) {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment state = scratch.allocate(CALL_STATE);
            MemorySegment address = (MemorySegment) MMAP.invokeExact(state, MemorySegment.NULL, size,
                    PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0L);
            if (address.address() == -1L) {
                int errno = (int) ERRNO.get(state, 0L);
                throw new IllegalStateException("mmap of " + size + " bytes of guest RAM failed, errno " + errno);
            }
            // SAFETY: the kernel returned a mapping of exactly `size` readable and writable bytes at `address`;
            // it stays valid until munmap, which only the arena's cleanup calls, once, when `owner` closes.
            return address.reinterpret(size, owner, segment -> unmap(segment, size));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("mmap failed", t);
        }
    }

    private static void unmap(MemorySegment segment, long size) {
        try {
            int rc = (int) MUNMAP.invokeExact(segment, size);
            if (rc != 0) {
                throw new IllegalStateException("munmap of guest RAM failed");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("munmap failed", t);
        }
    }
}
