package dev.pvm.engine.linuxuser;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The host C library functions the user-mode runner forwards guest system calls to, through the FFM linker
 * with {@code errno} captured. Every call answers the Linux way: the result, or {@code -errno} on failure, so
 * the syscall layer passes it straight to the guest (x86-64 and ppc64 share the asm-generic errno numbers,
 * except EDEADLOCK, which nothing here returns).
 *
 * <p>JUSTIFICATION: Java's file API cannot express the semantics guests rely on (numeric descriptors shared
 * with stdio, dup2, O_APPEND offsets, getdents64 cookies, directory file descriptors), so the descriptors and
 * paths the guest sees are the host process's own. One instance per guest thread: the errno capture segment
 * is not shared.
 */
final class HostLibc {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ValueLayout I = ValueLayout.JAVA_INT;
    private static final ValueLayout L = ValueLayout.JAVA_LONG;
    private static final ValueLayout P = ValueLayout.ADDRESS;

    private static final int PROT_READ = 0x1;
    private static final int PROT_WRITE = 0x2;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MAP_NORESERVE = 0x4000;
    private static final int MADV_DONTNEED = 4;

    static final MethodHandle READ = fn("read", L, I, P, L);
    static final MethodHandle WRITE = fn("write", L, I, P, L);
    static final MethodHandle PREAD = fn("pread64", L, I, P, L, L);
    static final MethodHandle PWRITE = fn("pwrite64", L, I, P, L, L);
    static final MethodHandle OPENAT = variadic("openat", 3, I, I, P, I, I);
    static final MethodHandle CLOSE = fn("close", I, I);
    static final MethodHandle LSEEK = fn("lseek", L, I, L, I);
    static final MethodHandle FSTATAT = fn("fstatat", I, I, P, P, I);
    static final MethodHandle STATX = fn("statx", I, I, P, I, I, P);
    static final MethodHandle GETDENTS64 = fn("getdents64", L, I, P, L);
    static final MethodHandle IOCTL_PTR = variadic("ioctl", 2, I, I, L, P);
    static final MethodHandle FCNTL = variadic("fcntl", 2, I, I, I, L);
    static final MethodHandle DUP = fn("dup", I, I);
    static final MethodHandle DUP3 = fn("dup3", I, I, I, I);
    static final MethodHandle PIPE2 = fn("pipe2", I, P, I);
    static final MethodHandle FACCESSAT = fn("faccessat", I, I, P, I, I);
    static final MethodHandle READLINKAT = fn("readlinkat", L, I, P, P, L);
    static final MethodHandle GETCWD = fn("getcwd", P, P, L);
    static final MethodHandle CHDIR = fn("chdir", I, P);
    static final MethodHandle FCHDIR = fn("fchdir", I, I);
    static final MethodHandle MKDIRAT = fn("mkdirat", I, I, P, I);
    static final MethodHandle UNLINKAT = fn("unlinkat", I, I, P, I);
    static final MethodHandle RENAMEAT2 = fn("renameat2", I, I, P, I, P, I);
    static final MethodHandle LINKAT = fn("linkat", I, I, P, I, P, I);
    static final MethodHandle SYMLINKAT = fn("symlinkat", I, P, I, P);
    static final MethodHandle FTRUNCATE = fn("ftruncate", I, I, L);
    static final MethodHandle TRUNCATE = fn("truncate", I, P, L);
    static final MethodHandle FSYNC = fn("fsync", I, I);
    static final MethodHandle FCHMOD = fn("fchmod", I, I, I);
    static final MethodHandle FCHMODAT = fn("fchmodat", I, I, P, I, I);
    static final MethodHandle UMASK = fn("umask", I, I);
    static final MethodHandle UTIMENSAT = fn("utimensat", I, I, P, P, I);
    static final MethodHandle CLOCK_GETTIME = fn("clock_gettime", I, I, P);
    static final MethodHandle CLOCK_GETRES = fn("clock_getres", I, I, P);
    static final MethodHandle NANOSLEEP = fn("nanosleep", I, P, P);
    static final MethodHandle ISATTY = fn("isatty", I, I);
    static final MethodHandle GETPID = fn("getpid", I);
    static final MethodHandle GETPPID = fn("getppid", I);
    static final MethodHandle GETUID = fn("getuid", I);
    static final MethodHandle GETEUID = fn("geteuid", I);
    static final MethodHandle GETGID = fn("getgid", I);
    static final MethodHandle GETEGID = fn("getegid", I);
    static final MethodHandle GETHOSTNAME = fn("gethostname", I, P, L);
    static final MethodHandle POLL = fn("poll", I, P, L, I);

    private static final MethodHandle MMAP = fn("mmap", P, P, L, I, I, I, L);
    private static final MethodHandle MADVISE = fn("madvise", I, P, L, I);

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment state = arena.allocate(CALL_STATE);

    private static MethodHandle fn(String name, MemoryLayout result, MemoryLayout... args) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(
                () -> new IllegalStateException("the host C library lacks " + name)),
                FunctionDescriptor.of(result, args), Linker.Option.captureCallState("errno"));
    }

    private static MethodHandle variadic(String name, int fixed, MemoryLayout result, MemoryLayout... args) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(
                () -> new IllegalStateException("the host C library lacks " + name)),
                FunctionDescriptor.of(result, args), Linker.Option.captureCallState("errno"),
                Linker.Option.firstVariadicArg(fixed));
    }

    /**
     * Calls {@code handle} with the errno capture prepended; answers the result as a long, or {@code -errno}
     * when the function reports failure (-1, or NULL for pointer results).
     */
    long call(MethodHandle handle, Object... args) {
        Object[] all = new Object[args.length + 1];
        all[0] = state;
        System.arraycopy(args, 0, all, 1, args.length);
        Object result;
        try {
            result = handle.invokeWithArguments(Arrays.asList(all));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("host call failed", t);
        }
        long value = switch (result) {
            case Integer i -> i;
            case Long l -> l;
            case MemorySegment m -> m.address() == 0 ? -1 : m.address();
            default -> throw new IllegalStateException("unexpected host result " + result);
        };
        if (value == -1) {
            return -(int) ERRNO.get(state, 0L);
        }
        return value;
    }

    /** A NUL-terminated copy of {@code s} that lives as long as this object's scratch arena (a call). */
    MemorySegment cString(Arena scratch, String s) {
        return scratch.allocateFrom(s);
    }

    /**
     * Reserves {@code size} bytes of zero-filled, lazily committed host memory that lives until {@code owner}
     * closes.
     */
    static MemorySegment mapReservation(long size, Arena owner) {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment st = scratch.allocate(CALL_STATE);
            MemorySegment address = (MemorySegment) MMAP.invokeExact(st, MemorySegment.NULL, size,
                    PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0L);
            if (address.address() == -1L) {
                throw new IllegalStateException("cannot reserve " + size + " bytes for the guest address space, "
                        + "errno " + (int) ERRNO.get(st, 0L));
            }
            // SAFETY: the kernel returned `size` readable and writable bytes at `address`; they stay mapped
            // until the arena's cleanup unmaps them, once, when `owner` closes.
            return address.reinterpret(size, owner, segment -> unmapQuietly(segment, size));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("mmap failed", t);
        }
    }

    private static final MethodHandle MUNMAP = LINKER.downcallHandle(
            LINKER.defaultLookup().find("munmap").orElseThrow(), FunctionDescriptor.of(I, P, L));

    private static void unmapQuietly(MemorySegment segment, long size) {
        try {
            int rc = (int) MUNMAP.invokeExact(segment, size);
            if (rc != 0) {
                throw new IllegalStateException("munmap of the guest address space failed");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("munmap failed", t);
        }
    }

    /** Drops the host pages of {@code range}: they read back as zeros and no longer use memory. */
    static void discard(MemorySegment range) {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment st = scratch.allocate(CALL_STATE);
            int rc = (int) MADVISE.invokeExact(st, range, range.byteSize(), MADV_DONTNEED);
            if (rc != 0) {
                throw new IllegalStateException("madvise(MADV_DONTNEED) failed, errno " + (int) ERRNO.get(st, 0L));
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("madvise failed", t);
        }
    }
}
