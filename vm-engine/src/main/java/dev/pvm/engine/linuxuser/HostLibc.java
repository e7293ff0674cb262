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

    static final Downcall READ = fn("read", L, I, P, L);
    static final Downcall WRITE = fn("write", L, I, P, L);
    static final Downcall PREAD = fn("pread64", L, I, P, L, L);
    static final Downcall PWRITE = fn("pwrite64", L, I, P, L, L);
    static final Downcall OPENAT = variadic("openat", 3, I, I, P, I, I);
    static final Downcall CLOSE = fn("close", I, I);
    static final Downcall LSEEK = fn("lseek", L, I, L, I);
    static final Downcall FSTATAT = fn("fstatat", I, I, P, P, I);
    static final Downcall STATX = fn("statx", I, I, P, I, I, P);
    static final Downcall GETDENTS64 = fn("getdents64", L, I, P, L);
    static final Downcall IOCTL_PTR = variadic("ioctl", 2, I, I, L, P);
    static final Downcall FCNTL = variadic("fcntl", 2, I, I, I, L);
    static final Downcall DUP = fn("dup", I, I);
    static final Downcall DUP3 = fn("dup3", I, I, I, I);
    static final Downcall PIPE2 = fn("pipe2", I, P, I);
    static final Downcall FACCESSAT = fn("faccessat", I, I, P, I, I);
    static final Downcall READLINKAT = fn("readlinkat", L, I, P, P, L);
    static final Downcall GETCWD = fn("getcwd", P, P, L);
    static final Downcall CHDIR = fn("chdir", I, P);
    static final Downcall FCHDIR = fn("fchdir", I, I);
    static final Downcall MKDIRAT = fn("mkdirat", I, I, P, I);
    static final Downcall UNLINKAT = fn("unlinkat", I, I, P, I);
    static final Downcall RENAMEAT2 = fn("renameat2", I, I, P, I, P, I);
    static final Downcall LINKAT = fn("linkat", I, I, P, I, P, I);
    static final Downcall SYMLINKAT = fn("symlinkat", I, P, I, P);
    static final Downcall FTRUNCATE = fn("ftruncate", I, I, L);
    static final Downcall TRUNCATE = fn("truncate", I, P, L);
    static final Downcall FSYNC = fn("fsync", I, I);
    static final Downcall FCHMOD = fn("fchmod", I, I, I);
    static final Downcall FCHMODAT = fn("fchmodat", I, I, P, I, I);
    static final Downcall UMASK = fn("umask", I, I);
    static final Downcall UTIMENSAT = fn("utimensat", I, I, P, P, I);
    static final Downcall CLOCK_GETTIME = fn("clock_gettime", I, I, P);
    static final Downcall CLOCK_GETRES = fn("clock_getres", I, I, P);
    static final Downcall NANOSLEEP = fn("nanosleep", I, P, P);
    static final Downcall ISATTY = fn("isatty", I, I);
    static final Downcall GETPID = fn("getpid", I);
    static final Downcall GETPPID = fn("getppid", I);
    static final Downcall GETUID = fn("getuid", I);
    static final Downcall GETEUID = fn("geteuid", I);
    static final Downcall GETGID = fn("getgid", I);
    static final Downcall GETEGID = fn("getegid", I);
    static final Downcall GETHOSTNAME = fn("gethostname", I, P, L);
    static final Downcall POLL = fn("poll", I, P, L, I);

    private static final Downcall MMAP = fn("mmap", P, P, L, I, I, I, L);
    private static final Downcall MADVISE = fn("madvise", I, P, L, I);

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment state = arena.allocate(CALL_STATE);

    private static Downcall fn(String name, MemoryLayout result, MemoryLayout... args) {
        return new Downcall(name, FunctionDescriptor.of(result, args), Linker.Option.captureCallState("errno"));
    }

    private static Downcall variadic(String name, int fixed, MemoryLayout result, MemoryLayout... args) {
        return new Downcall(name, FunctionDescriptor.of(result, args), Linker.Option.captureCallState("errno"),
                Linker.Option.firstVariadicArg(fixed));
    }

    /**
     * A host C function, linked on its first call: linking spins the downcall's stub and method-handle classes,
     * about 10-20 ms of CPU each, and a short guest run calls a handful of the functions here (linking them all
     * when this class initialised was a quarter of {@code busybox true}'s start-up).
     */
    static final class Downcall {
        private final String name;
        private final FunctionDescriptor descriptor;
        private final Linker.Option[] options;
        /** Set once; two threads racing to link it both get an equivalent handle. */
        private volatile MethodHandle handle;

        Downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
            this.name = name;
            this.descriptor = descriptor;
            this.options = options;
        }

        MethodHandle handle() {
            MethodHandle h = handle;
            if (h == null) {
                h = LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(
                        () -> new IllegalStateException("the host C library lacks " + name)), descriptor, options);
                handle = h;
            }
            return h;
        }
    }

    /**
     * Calls {@code function} with the errno capture prepended; answers the result as a long, or {@code -errno}
     * when the function reports failure (-1, or NULL for pointer results).
     */
    long call(Downcall function, Object... args) {
        Object[] all = new Object[args.length + 1];
        all[0] = state;
        System.arraycopy(args, 0, all, 1, args.length);
        Object result;
        try {
            result = function.handle().invokeWithArguments(Arrays.asList(all));
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
            MemorySegment address = (MemorySegment) MMAP.handle().invokeExact(st, MemorySegment.NULL, size,
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

    private static final Downcall MUNMAP = new Downcall("munmap", FunctionDescriptor.of(I, P, L));

    private static void unmapQuietly(MemorySegment segment, long size) {
        try {
            int rc = (int) MUNMAP.handle().invokeExact(segment, size);
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
            int rc = (int) MADVISE.handle().invokeExact(st, range, range.byteSize(), MADV_DONTNEED);
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
