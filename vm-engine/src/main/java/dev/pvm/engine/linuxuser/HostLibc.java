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

    private static final int PROT_READ = 0x1;
    private static final int PROT_WRITE = 0x2;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MAP_NORESERVE = 0x4000;
    private static final int MADV_DONTNEED = 4;

    /** The most arguments a function here takes. */
    private static final int MAX_ARGS = 6;

    static final Downcall READ = fn("read", Result.LONG, 3);
    static final Downcall WRITE = fn("write", Result.LONG, 3);
    static final Downcall PREAD = fn("pread64", Result.LONG, 4);
    static final Downcall PWRITE = fn("pwrite64", Result.LONG, 4);
    static final Downcall OPENAT = variadic("openat", 3, 4);
    static final Downcall CLOSE = fn("close", Result.INT, 1);
    static final Downcall LSEEK = fn("lseek", Result.LONG, 3);
    static final Downcall FSTATAT = fn("fstatat", Result.INT, 4);
    static final Downcall STATX = fn("statx", Result.INT, 5);
    static final Downcall GETDENTS64 = fn("getdents64", Result.LONG, 3);
    static final Downcall IOCTL_PTR = variadic("ioctl", 2, 3);
    static final Downcall FCNTL = variadic("fcntl", 2, 3);
    static final Downcall DUP = fn("dup", Result.INT, 1);
    static final Downcall DUP3 = fn("dup3", Result.INT, 3);
    static final Downcall PIPE2 = fn("pipe2", Result.INT, 2);
    static final Downcall FACCESSAT = fn("faccessat", Result.INT, 4);
    static final Downcall READLINKAT = fn("readlinkat", Result.LONG, 4);
    static final Downcall GETCWD = fn("getcwd", Result.POINTER, 2);
    static final Downcall CHDIR = fn("chdir", Result.INT, 1);
    static final Downcall FCHDIR = fn("fchdir", Result.INT, 1);
    static final Downcall MKDIRAT = fn("mkdirat", Result.INT, 3);
    static final Downcall UNLINKAT = fn("unlinkat", Result.INT, 3);
    static final Downcall RENAMEAT2 = fn("renameat2", Result.INT, 5);
    static final Downcall LINKAT = fn("linkat", Result.INT, 5);
    static final Downcall SYMLINKAT = fn("symlinkat", Result.INT, 3);
    static final Downcall FTRUNCATE = fn("ftruncate", Result.INT, 2);
    static final Downcall TRUNCATE = fn("truncate", Result.INT, 2);
    static final Downcall FSYNC = fn("fsync", Result.INT, 1);
    static final Downcall FCHMOD = fn("fchmod", Result.INT, 2);
    static final Downcall FCHMODAT = fn("fchmodat", Result.INT, 4);
    static final Downcall UMASK = fn("umask", Result.INT, 1);
    static final Downcall UTIMENSAT = fn("utimensat", Result.INT, 4);
    static final Downcall CLOCK_GETTIME = fn("clock_gettime", Result.INT, 2);
    static final Downcall CLOCK_GETRES = fn("clock_getres", Result.INT, 2);
    static final Downcall NANOSLEEP = fn("nanosleep", Result.INT, 2);
    static final Downcall ISATTY = fn("isatty", Result.TRUTH, 1);
    static final Downcall GETPID = fn("getpid", Result.INT, 0);
    static final Downcall GETPPID = fn("getppid", Result.INT, 0);
    static final Downcall GETUID = fn("getuid", Result.INT, 0);
    static final Downcall GETEUID = fn("geteuid", Result.INT, 0);
    static final Downcall GETGID = fn("getgid", Result.INT, 0);
    static final Downcall GETEGID = fn("getegid", Result.INT, 0);
    static final Downcall GETHOSTNAME = fn("gethostname", Result.INT, 2);
    static final Downcall POLL = fn("poll", Result.INT, 3);

    private static final Downcall MMAP = fn("mmap", Result.POINTER, 6);
    private static final Downcall MUNMAP = fn("munmap", Result.INT, 2);
    private static final Downcall MADVISE = fn("madvise", Result.INT, 3);

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment state = arena.allocate(CALL_STATE);

    /** How a function's C result type reads back from the 64-bit result register. */
    enum Result {
        /** {@code int}: the register's low 32 bits, sign-extended (the upper ones are unspecified). */
        INT,
        /** {@code long}, {@code ssize_t}, {@code off_t}. */
        LONG,
        /** A pointer: NULL reads as -1, the failure value of the others. */
        POINTER,
        /** An {@code int} truth value that is 0 on failure with errno set ({@code isatty}): 1, or {@code -errno}. */
        TRUTH
    }

    private static Downcall fn(String name, Result result, int arity) {
        return new Downcall(name, result, arity, -1);
    }

    /** A variadic function returning {@code int} (openat, ioctl, fcntl): arguments from {@code fixed} on vary. */
    private static Downcall variadic(String name, int fixed, int arity) {
        return new Downcall(name, Result.INT, arity, fixed);
    }

    /**
     * The one shape every host function is linked with: six {@code long} arguments, a {@code long} result, errno
     * captured (variadic functions add where their variadic part starts).
     *
     * <p>JUSTIFICATION: linking a new shape spins a downcall stub and a dozen method-handle classes, 10-20 ms of CPU
     * each, and with a shape per signature a short guest run needed several (its start alone calls mmap, getuid
     * and write); one shared shape is spun once. On the x86-64 and AArch64 Linux ABIs an {@code int} or pointer argument travels in a full
     * integer register whose upper bits the callee ignores, so passing every argument widened to 64 bits and
     * extra zero arguments is the same call; an {@code int} result's upper bits are unspecified and are dropped
     * ({@link Result#INT}).
     */
    private static FunctionDescriptor shape() {
        MemoryLayout[] args = new MemoryLayout[MAX_ARGS];
        Arrays.fill(args, ValueLayout.JAVA_LONG);
        return FunctionDescriptor.of(ValueLayout.JAVA_LONG, args);
    }

    /**
     * A host C function, looked up and bound to the shared shape on its first call; the shape's stub itself is
     * spun by the first call of any function.
     */
    static final class Downcall {
        private static final FunctionDescriptor SHAPE = shape();

        private final String name;
        private final Result result;
        private final int arity;
        private final int firstVariadic;
        /** Set once; two threads racing to link it both get an equivalent handle. */
        private volatile MethodHandle handle;

        Downcall(String name, Result result, int arity, int firstVariadic) {
            if (arity > MAX_ARGS) {
                throw new IllegalArgumentException(name + " takes more than " + MAX_ARGS + " arguments");
            }
            this.name = name;
            this.result = result;
            this.arity = arity;
            this.firstVariadic = firstVariadic;
        }

        MethodHandle handle() {
            MethodHandle h = handle;
            if (h == null) {
                MemorySegment symbol = LINKER.defaultLookup().find(name).orElseThrow(
                        () -> new IllegalStateException("the host C library lacks " + name));
                Linker.Option errno = Linker.Option.captureCallState("errno");
                h = LINKER.downcallHandle(symbol, SHAPE, firstVariadic < 0 ? new Linker.Option[] {errno}
                        : new Linker.Option[] {errno, Linker.Option.firstVariadicArg(firstVariadic)});
                handle = h;
            }
            return h;
        }

        /** Calls the function with errno captured in {@code state}; answers the result or {@code -errno}. */
        long invoke(MemorySegment state, long... args) {
            if (args.length != arity) {
                throw new IllegalArgumentException(name + " takes " + arity + " arguments, not " + args.length);
            }
            long[] a = args.length == MAX_ARGS ? args : Arrays.copyOf(args, MAX_ARGS);
            long raw;
            try {
                raw = (long) handle().invokeExact(state, a[0], a[1], a[2], a[3], a[4], a[5]);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("host call " + name + " failed", t);
            }
            long value = switch (result) {
                case INT -> (int) raw;
                case LONG -> raw;
                case POINTER -> raw == 0 ? -1 : raw;
                case TRUTH -> (int) raw == 0 ? -1 : 1;
            };
            return value == -1 ? -(int) ERRNO.get(state, 0L) : value;
        }
    }

    /**
     * Calls {@code function} with {@code args} ({@code Integer}, {@code Long} or native {@code MemorySegment}s,
     * passed by address; the caller keeps those alive for the call); answers the result as a long, or
     * {@code -errno} when the function reports failure (-1, or NULL for pointer results).
     */
    long call(Downcall function, Object... args) {
        long[] words = new long[args.length];
        for (int i = 0; i < args.length; i++) {
            words[i] = switch (args[i]) {
                case Integer v -> v;
                case Long v -> v;
                case MemorySegment m when m.isNative() -> m.address();
                default -> throw new IllegalArgumentException("cannot pass " + args[i] + " to " + function.name);
            };
        }
        return function.invoke(state, words);
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
            long address = MMAP.invoke(st, 0L, size, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0L);
            if (address < 0) {
                throw new IllegalStateException("cannot reserve " + size + " bytes for the guest address space, "
                        + "errno " + -address);
            }
            // SAFETY: the kernel returned `size` readable and writable bytes at `address`; they stay mapped
            // until the arena's cleanup unmaps them, once, when `owner` closes.
            return MemorySegment.ofAddress(address).reinterpret(size, owner, segment -> unmapQuietly(segment, size));
        }
    }

    private static void unmapQuietly(MemorySegment segment, long size) {
        try (Arena scratch = Arena.ofConfined()) {
            if (MUNMAP.invoke(scratch.allocate(CALL_STATE), segment.address(), size) != 0) {
                throw new IllegalStateException("munmap of the guest address space failed");
            }
        }
    }

    /** Drops the host pages of {@code range}: they read back as zeros and no longer use memory. */
    static void discard(MemorySegment range) {
        try (Arena scratch = Arena.ofConfined()) {
            long rc = MADVISE.invoke(scratch.allocate(CALL_STATE), range.address(), range.byteSize(), MADV_DONTNEED);
            if (rc != 0) {
                throw new IllegalStateException("madvise(MADV_DONTNEED) failed, errno " + -rc);
            }
        }
    }
}
