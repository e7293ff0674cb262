package dev.pvm.engine.linuxuser;

import static dev.pvm.engine.linuxuser.LinuxErrno.EBADF;
import static dev.pvm.engine.linuxuser.LinuxErrno.EFAULT;
import static dev.pvm.engine.linuxuser.LinuxErrno.EINVAL;
import static dev.pvm.engine.linuxuser.LinuxErrno.ENOTTY;
import static dev.pvm.engine.linuxuser.LinuxErrno.ERANGE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * File and directory system calls, forwarded to the host's C library on the host's own descriptors and paths.
 * Guest buffers are handed to the host kernel in place (the guest address space is host memory); structures
 * whose layout or byte order differ between ppc64 and the host are converted: struct stat and struct statx
 * have the same field offsets on ppc64 and x86-64 (arch/powerpc/include/uapi/asm/stat.h,
 * include/uapi/linux/stat.h) and only need byte swapping for a big-endian guest, as do linux_dirent64 records;
 * open(2) flags differ in four bits (arch/powerpc/include/uapi/asm/fcntl.h); terminal ioctls have ppc64
 * numbers and a ppc64 struct termios (arch/powerpc/include/uapi/asm/ioctls.h, termbits.h).
 */
final class FileSyscalls {

    private static final int AT_FDCWD = -100;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int AT_REMOVEDIR = 0x200;
    private static final int PATH_MAX = 4096;

    // open(2) flags that differ: ppc64 value, host (x86-64 / asm-generic) value.
    private static final int[][] OPEN_FLAG_MAP = {
        {040000, 0200000},   // O_DIRECTORY
        {0100000, 0400000},  // O_NOFOLLOW
        {0200000, 0100000},  // O_LARGEFILE
        {0400000, 040000},   // O_DIRECT
    };
    private static final int DIFFERING_FLAGS_GUEST = 040000 | 0100000 | 0200000 | 0400000;
    private static final int DIFFERING_FLAGS_HOST = 0200000 | 0400000 | 0100000 | 040000;

    // ppc64 terminal ioctls: _IOR('t', 19, struct termios) etc. (asm/ioctls.h).
    private static final long TCGETS = 0x402c7413L;
    private static final long TCSETS = 0x802c7414L;
    private static final long TCSETSW = 0x802c7415L;
    private static final long TCSETSF = 0x802c7416L;
    private static final long TIOCGWINSZ = 0x40087468L;
    private static final long TIOCGPGRP = 0x40047477L;
    private static final long HOST_TIOCGWINSZ = 0x5413L;

    private final UserProcess p;
    private final BiConsumer<String, LinuxSyscalls.Syscall> on;

    FileSyscalls(UserProcess process, BiConsumer<String, LinuxSyscalls.Syscall> on) {
        this.p = process;
        this.on = on;
    }

    private ByteOrder order() {
        return p.order();
    }

    private boolean ok(long address, long length, int prot) {
        return p.memory.accessible(address, length, prot);
    }

    /** The guest's path argument, or null when it is unreadable. */
    private String path(long address) {
        return p.memory.readCString(address, PATH_MAX);
    }

    static int hostOpenFlags(int guest) {
        int host = guest & ~DIFFERING_FLAGS_GUEST;
        for (int[] m : OPEN_FLAG_MAP) {
            if ((guest & m[0]) != 0) {
                host |= m[1];
            }
        }
        return host;
    }

    static int guestOpenFlags(int host) {
        int guest = host & ~DIFFERING_FLAGS_HOST;
        for (int[] m : OPEN_FLAG_MAP) {
            if ((host & m[1]) != 0) {
                guest |= m[0];
            }
        }
        return guest;
    }

    @FunctionalInterface
    private interface PathCall {
        long call(Arena arena, MemorySegment path);
    }

    /** Runs {@code body} with the guest path at {@code address} as a host C string. */
    private long withPath(long address, PathCall body) {
        String path = path(address);
        if (path == null) {
            return -EFAULT;
        }
        try (Arena ar = Arena.ofConfined()) {
            return body.call(ar, ar.allocateFrom(path));
        }
    }

    void register() {
        HostLibc c = p.libc;
        on.accept("read", (a, b, cc, d, e, f) -> io(HostLibc.READ, (int) a, b, cc, UserAddressSpace.PROT_WRITE, -1));
        on.accept("write", (a, b, cc, d, e, f) -> io(HostLibc.WRITE, (int) a, b, cc, UserAddressSpace.PROT_READ, -1));
        on.accept("pread64", (a, b, cc, d, e, f) -> io(HostLibc.PREAD, (int) a, b, cc, UserAddressSpace.PROT_WRITE, d));
        on.accept("pwrite64", (a, b, cc, d, e, f) -> io(HostLibc.PWRITE, (int) a, b, cc, UserAddressSpace.PROT_READ,
                d));
        on.accept("readv", (a, b, cc, d, e, f) -> vector(HostLibc.READ, (int) a, b, cc, UserAddressSpace.PROT_WRITE));
        on.accept("writev", (a, b, cc, d, e, f) -> vector(HostLibc.WRITE, (int) a, b, cc, UserAddressSpace.PROT_READ));
        on.accept("open", (a, b, cc, d, e, f) -> withPath(a, (ar, path) ->
                c.call(HostLibc.OPENAT, AT_FDCWD, path, hostOpenFlags((int) b), (int) cc)));
        on.accept("openat", (a, b, cc, d, e, f) -> withPath(b, (ar, path) ->
                c.call(HostLibc.OPENAT, (int) a, path, hostOpenFlags((int) cc), (int) d)));
        on.accept("creat", (a, b, cc, d, e, f) -> withPath(a, (ar, path) ->
                c.call(HostLibc.OPENAT, AT_FDCWD, path, 01 | 0100 | 01000, (int) b)));
        on.accept("close", (a, b, cc, d, e, f) -> c.call(HostLibc.CLOSE, (int) a));
        on.accept("lseek", (a, b, cc, d, e, f) -> c.call(HostLibc.LSEEK, (int) a, b, (int) cc));
        // _llseek (fs/read_write.c SYSCALL_DEFINE5(llseek)): the offset in two 32-bit halves, the result stored
        // through a pointer; glibc's lseek uses it on powerpc64, where the table has it.
        on.accept("_llseek", (a, b, cc, d, e, f) -> {
            if (!ok(d, 8, UserAddressSpace.PROT_WRITE)) {
                return -EFAULT;
            }
            long offset = ((b & 0xFFFF_FFFFL) << 32) | (cc & 0xFFFF_FFFFL);
            long r = c.call(HostLibc.LSEEK, (int) a, offset, (int) e);
            if (r < 0) {
                return r;
            }
            p.memory.store64(d, r, order());
            return 0;
        });
        on.accept("dup", (a, b, cc, d, e, f) -> c.call(HostLibc.DUP, (int) a));
        on.accept("dup2", (a, b, cc, d, e, f) -> {
            if (a == b) { // dup2 of a descriptor onto itself checks it and answers it (fs/file.c)
                long r = c.call(HostLibc.FCNTL, (int) a, 1, 0L);
                return r < 0 ? r : b;
            }
            return c.call(HostLibc.DUP3, (int) a, (int) b, 0);
        });
        on.accept("dup3", (a, b, cc, d, e, f) -> c.call(HostLibc.DUP3, (int) a, (int) b, hostOpenFlags((int) cc)));
        on.accept("pipe", (a, b, cc, d, e, f) -> pipe(a, 0));
        on.accept("pipe2", (a, b, cc, d, e, f) -> pipe(a, hostOpenFlags((int) b)));
        on.accept("fcntl", (a, b, cc, d, e, f) -> fcntl((int) a, (int) b, cc));
        on.accept("ioctl", (a, b, cc, d, e, f) -> ioctl((int) a, b, cc));
        on.accept("fstat", (a, b, cc, d, e, f) -> stat((int) a, 0, b, AT_EMPTY_PATH));
        on.accept("stat", (a, b, cc, d, e, f) -> stat(AT_FDCWD, a, b, 0));
        on.accept("lstat", (a, b, cc, d, e, f) -> stat(AT_FDCWD, a, b, AT_SYMLINK_NOFOLLOW));
        on.accept("newfstatat", (a, b, cc, d, e, f) -> stat((int) a, b, cc, (int) d));
        on.accept("statx", (a, b, cc, d, e, f) -> statx((int) a, b, (int) cc, (int) d, e));
        on.accept("getdents64", (a, b, cc, d, e, f) -> getdents64((int) a, b, cc));
        on.accept("access", (a, b, cc, d, e, f) -> withPath(a, (ar, path) ->
                c.call(HostLibc.FACCESSAT, AT_FDCWD, path, (int) b, 0)));
        on.accept("faccessat", (a, b, cc, d, e, f) -> withPath(b, (ar, path) ->
                c.call(HostLibc.FACCESSAT, (int) a, path, (int) cc, 0)));
        on.accept("faccessat2", (a, b, cc, d, e, f) -> withPath(b, (ar, path) ->
                c.call(HostLibc.FACCESSAT, (int) a, path, (int) cc, (int) d)));
        on.accept("readlink", (a, b, cc, d, e, f) -> readlink(AT_FDCWD, a, b, cc));
        on.accept("readlinkat", (a, b, cc, d, e, f) -> readlink((int) a, b, cc, d));
        on.accept("getcwd", (a, b, cc, d, e, f) -> getcwd(a, b));
        on.accept("chdir", (a, b, cc, d, e, f) -> withPath(a, (ar, path) -> c.call(HostLibc.CHDIR, path)));
        on.accept("fchdir", (a, b, cc, d, e, f) -> c.call(HostLibc.FCHDIR, (int) a));
        on.accept("mkdir", (a, b, cc, d, e, f) -> withPath(a, (ar, path) ->
                c.call(HostLibc.MKDIRAT, AT_FDCWD, path, (int) b)));
        on.accept("mkdirat", (a, b, cc, d, e, f) -> withPath(b, (ar, path) ->
                c.call(HostLibc.MKDIRAT, (int) a, path, (int) cc)));
        on.accept("rmdir", (a, b, cc, d, e, f) -> withPath(a, (ar, path) ->
                c.call(HostLibc.UNLINKAT, AT_FDCWD, path, AT_REMOVEDIR)));
        on.accept("unlink", (a, b, cc, d, e, f) -> withPath(a, (ar, path) ->
                c.call(HostLibc.UNLINKAT, AT_FDCWD, path, 0)));
        on.accept("unlinkat", (a, b, cc, d, e, f) -> withPath(b, (ar, path) ->
                c.call(HostLibc.UNLINKAT, (int) a, path, (int) cc)));
        on.accept("rename", (a, b, cc, d, e, f) -> twoPaths(a, b, (from, to) ->
                c.call(HostLibc.RENAMEAT2, AT_FDCWD, from, AT_FDCWD, to, 0)));
        on.accept("renameat", (a, b, cc, d, e, f) -> twoPaths(b, d, (from, to) ->
                c.call(HostLibc.RENAMEAT2, (int) a, from, (int) cc, to, 0)));
        on.accept("renameat2", (a, b, cc, d, e, f) -> twoPaths(b, d, (from, to) ->
                c.call(HostLibc.RENAMEAT2, (int) a, from, (int) cc, to, (int) e)));
        on.accept("link", (a, b, cc, d, e, f) -> twoPaths(a, b, (from, to) ->
                c.call(HostLibc.LINKAT, AT_FDCWD, from, AT_FDCWD, to, 0)));
        on.accept("linkat", (a, b, cc, d, e, f) -> twoPaths(b, d, (from, to) ->
                c.call(HostLibc.LINKAT, (int) a, from, (int) cc, to, (int) e)));
        on.accept("symlink", (a, b, cc, d, e, f) -> twoPaths(a, b, (target, link) ->
                c.call(HostLibc.SYMLINKAT, target, AT_FDCWD, link)));
        on.accept("symlinkat", (a, b, cc, d, e, f) -> twoPaths(a, cc, (target, link) ->
                c.call(HostLibc.SYMLINKAT, target, (int) b, link)));
        on.accept("ftruncate", (a, b, cc, d, e, f) -> c.call(HostLibc.FTRUNCATE, (int) a, b));
        on.accept("truncate", (a, b, cc, d, e, f) -> withPath(a, (ar, path) -> c.call(HostLibc.TRUNCATE, path, b)));
        on.accept("fsync", (a, b, cc, d, e, f) -> c.call(HostLibc.FSYNC, (int) a));
        on.accept("fdatasync", (a, b, cc, d, e, f) -> c.call(HostLibc.FSYNC, (int) a));
        on.accept("fchmod", (a, b, cc, d, e, f) -> c.call(HostLibc.FCHMOD, (int) a, (int) b));
        on.accept("chmod", (a, b, cc, d, e, f) -> withPath(a, (ar, path) ->
                c.call(HostLibc.FCHMODAT, AT_FDCWD, path, (int) b, 0)));
        on.accept("fchmodat", (a, b, cc, d, e, f) -> withPath(b, (ar, path) ->
                c.call(HostLibc.FCHMODAT, (int) a, path, (int) cc, 0)));
    }

    @FunctionalInterface
    private interface TwoPathCall {
        long call(MemorySegment first, MemorySegment second);
    }

    private long twoPaths(long first, long second, TwoPathCall body) {
        String a = path(first);
        String b = path(second);
        if (a == null || b == null) {
            return -EFAULT;
        }
        try (Arena ar = Arena.ofConfined()) {
            return body.call(ar.allocateFrom(a), ar.allocateFrom(b));
        }
    }

    /** read/write/pread64/pwrite64 straight between the host descriptor and guest memory. */
    private long io(HostLibc.Downcall fn, int fd, long buf, long count, int prot, long offset) {
        if (count < 0) {
            return -EINVAL;
        }
        if (!ok(buf, count, prot)) {
            return -EFAULT;
        }
        // PROT_WRITE: the host call writes the guest buffer (read, pread64), which may hold translated code.
        MemorySegment host = (prot & UserAddressSpace.PROT_WRITE) != 0 ? p.memory.hostSliceForWrite(buf, count)
                : p.memory.hostSlice(buf, count);
        return offset < 0 ? p.libc.call(fn, fd, host, count) : p.libc.call(fn, fd, host, count, offset);
    }

    /** readv/writev as a loop of read/write over the iovecs; stops at the first short transfer. */
    private long vector(HostLibc.Downcall fn, int fd, long iov, long count, int prot) {
        if (count < 0 || count > 1024) {
            return -EINVAL;
        }
        if (!ok(iov, count * 16, UserAddressSpace.PROT_READ)) {
            return -EFAULT;
        }
        long total = 0;
        for (int i = 0; i < count; i++) {
            long base = p.memory.load64(iov + 16L * i, order());
            long len = p.memory.load64(iov + 16L * i + 8, order());
            if (len == 0) {
                continue;
            }
            long n = io(fn, fd, base, len, prot, -1);
            if (n < 0) {
                return total > 0 ? total : n;
            }
            total += n;
            if (n < len) {
                break;
            }
        }
        return total;
    }

    private long pipe(long fds, int flags) {
        if (!ok(fds, 8, UserAddressSpace.PROT_WRITE)) {
            return -EFAULT;
        }
        try (Arena ar = Arena.ofConfined()) {
            MemorySegment two = ar.allocate(8);
            long r = p.libc.call(HostLibc.PIPE2, two, flags);
            if (r < 0) {
                return r;
            }
            p.memory.store32(fds, two.get(ValueLayout.JAVA_INT, 0), order());
            p.memory.store32(fds + 4, two.get(ValueLayout.JAVA_INT, 4), order());
            return 0;
        }
    }

    private long fcntl(int fd, int cmd, long arg) {
        return switch (cmd) {
            case 0, 1, 2, 1030 -> p.libc.call(HostLibc.FCNTL, fd, cmd, arg); // F_DUPFD, F_GETFD, F_SETFD, ..._CLOEXEC
            case 3 -> { // F_GETFL
                long r = p.libc.call(HostLibc.FCNTL, fd, cmd, 0L);
                yield r < 0 ? r : guestOpenFlags((int) r);
            }
            case 4 -> p.libc.call(HostLibc.FCNTL, fd, cmd, (long) hostOpenFlags((int) arg)); // F_SETFL
            case 5, 6, 7 -> { // F_GETLK, F_SETLK, F_SETLKW: one process, so no lock ever conflicts
                long r = p.libc.call(HostLibc.FCNTL, fd, 1, 0L);
                if (r < 0) {
                    yield r;
                }
                if (cmd == 5) {
                    if (!ok(arg, 2, UserAddressSpace.PROT_WRITE)) {
                        yield -EFAULT;
                    }
                    p.memory.store16(arg, 2, order()); // l_type = F_UNLCK
                }
                yield 0;
            }
            default -> {
                p.reportOnce("fcntl:" + cmd, "unsupported fcntl command " + cmd + ": answering EINVAL");
                yield -EINVAL;
            }
        };
    }

    private long ioctl(int fd, long request, long arg) {
        // isatty answers both questions: 1 for a terminal, else errno EBADF (no such descriptor) or ENOTTY.
        long isatty = p.libc.call(HostLibc.ISATTY, fd);
        if (isatty == -EBADF) {
            return -EBADF;
        }
        boolean tty = isatty == 1;
        if (request == TCGETS) {
            if (!tty) {
                return -ENOTTY;
            }
            if (!ok(arg, 44, UserAddressSpace.PROT_WRITE)) {
                return -EFAULT;
            }
            // A cooked terminal in ppc64's encoding (termbits.h): c_iflag ICRNL|IXON, c_oflag OPOST|ONLCR,
            // c_cflag B38400|CS8|CREAD, c_lflag ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE.
            p.memory.fill(arg, 44, (byte) 0);
            p.memory.store32(arg, 0x100 | 0x200, order());
            p.memory.store32(arg + 4, 0x1 | 0x2, order());
            p.memory.store32(arg + 8, 0xf | 0x300 | 0x800, order());
            p.memory.store32(arg + 12, 0x80 | 0x100 | 0x8 | 0x2 | 0x4 | 0x400 | 0x40 | 0x1, order());
            byte[] cc = {3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0, 0, 0}; // VINTR.. per termbits.h
            p.memory.write(arg + 16, cc);
            p.memory.store32(arg + 36, 38400, order());
            p.memory.store32(arg + 40, 38400, order());
            return 0;
        }
        if (request == TCSETS || request == TCSETSW || request == TCSETSF) {
            if (!tty) {
                return -ENOTTY;
            }
            p.reportOnce("tcsets", "terminal attribute changes (TCSETS) are accepted but not applied to the host tty");
            return 0;
        }
        if (request == TIOCGWINSZ) {
            if (!tty) {
                return -ENOTTY;
            }
            if (!ok(arg, 8, UserAddressSpace.PROT_WRITE)) {
                return -EFAULT;
            }
            try (Arena ar = Arena.ofConfined()) {
                MemorySegment ws = ar.allocate(8);
                long r = p.libc.call(HostLibc.IOCTL_PTR, fd, HOST_TIOCGWINSZ, ws);
                if (r < 0) {
                    return r;
                }
                for (int i = 0; i < 4; i++) {
                    p.memory.store16(arg + 2L * i, ws.get(ValueLayout.JAVA_SHORT, 2L * i), order());
                }
                return 0;
            }
        }
        if (request == TIOCGPGRP) {
            if (!tty) {
                return -ENOTTY;
            }
            if (!ok(arg, 4, UserAddressSpace.PROT_WRITE)) {
                return -EFAULT;
            }
            p.memory.store32(arg, p.pid, order());
            return 0;
        }
        p.reportOnce("ioctl:" + Long.toHexString(request), "unsupported ioctl 0x" + Long.toHexString(request)
                + ": answering ENOTTY");
        return -ENOTTY;
    }

    /** fstat/stat/lstat/newfstatat: the host's struct stat, byte-swapped for a big-endian guest. */
    private long stat(int dirfd, long pathAddress, long buf, int flags) {
        String path = pathAddress == 0 ? "" : path(pathAddress);
        if (path == null) {
            return -EFAULT;
        }
        if (!ok(buf, 144, UserAddressSpace.PROT_WRITE)) {
            return -EFAULT;
        }
        try (Arena ar = Arena.ofConfined()) {
            MemorySegment st = ar.allocate(144, 8);
            long r = p.libc.call(HostLibc.FSTATAT, dirfd, ar.allocateFrom(path), st, flags);
            if (r < 0) {
                return r;
            }
            // st_dev, st_ino, st_nlink (u64); st_mode, st_uid, st_gid (u32); padding; then 13 longs.
            p.memory.store64(buf, st.get(ValueLayout.JAVA_LONG, 0), order());
            p.memory.store64(buf + 8, st.get(ValueLayout.JAVA_LONG, 8), order());
            p.memory.store64(buf + 16, st.get(ValueLayout.JAVA_LONG, 16), order());
            p.memory.store32(buf + 24, st.get(ValueLayout.JAVA_INT, 24), order());
            p.memory.store32(buf + 28, st.get(ValueLayout.JAVA_INT, 28), order());
            p.memory.store32(buf + 32, st.get(ValueLayout.JAVA_INT, 32), order());
            p.memory.store32(buf + 36, 0, order());
            for (int off = 40; off < 144; off += 8) {
                p.memory.store64(buf + off, off >= 120 ? 0 : st.get(ValueLayout.JAVA_LONG, off), order());
            }
            return 0;
        }
    }

    /** Field sizes of struct statx in order (include/uapi/linux/stat.h), for byte-swapping. */
    private static final int[] STATX_FIELDS = {4, 4, 8, 4, 4, 4, 2, 2, 8, 8, 8, 8,
        8, 4, 4, 8, 4, 4, 8, 4, 4, 8, 4, 4, 4, 4, 4, 4, 8, 4, 4};

    private long statx(int dirfd, long pathAddress, int flags, int mask, long buf) {
        String path = path(pathAddress);
        if (path == null) {
            return -EFAULT;
        }
        if (!ok(buf, 256, UserAddressSpace.PROT_WRITE)) {
            return -EFAULT;
        }
        try (Arena ar = Arena.ofConfined()) {
            MemorySegment st = ar.allocate(256, 8);
            long r = p.libc.call(HostLibc.STATX, dirfd, ar.allocateFrom(path), flags, mask, st);
            if (r < 0) {
                return r;
            }
            swapFields(st, STATX_FIELDS);
            p.memory.write(buf, st);
            return 0;
        }
    }

    /** Reverses the bytes of each field in place when the guest is big-endian (the host is little-endian). */
    private void swapFields(MemorySegment s, int[] sizes) {
        if (order() == ByteOrder.LITTLE_ENDIAN) {
            return;
        }
        long off = 0;
        for (int size : sizes) {
            switch (size) {
                case 2 -> s.set(ValueLayout.JAVA_SHORT, off, Short.reverseBytes(s.get(ValueLayout.JAVA_SHORT, off)));
                case 4 -> s.set(ValueLayout.JAVA_INT, off, Integer.reverseBytes(s.get(ValueLayout.JAVA_INT, off)));
                default -> s.set(ValueLayout.JAVA_LONG, off, Long.reverseBytes(s.get(ValueLayout.JAVA_LONG, off)));
            }
            off += size;
        }
    }

    private long getdents64(int fd, long buf, long count) {
        if (!ok(buf, count, UserAddressSpace.PROT_WRITE)) {
            return -EFAULT;
        }
        MemorySegment host = p.memory.hostSliceForWrite(buf, count);
        long n = p.libc.call(HostLibc.GETDENTS64, fd, host, count);
        if (n > 0 && order() == ByteOrder.BIG_ENDIAN) {
            // struct linux_dirent64: d_ino u64, d_off s64, d_reclen u16, d_type u8, d_name[].
            long off = 0;
            while (off < n) {
                int reclen = host.get(ValueLayout.JAVA_SHORT, off + 16) & 0xffff;
                swapFields(host.asSlice(off), new int[] {8, 8, 2});
                off += reclen;
            }
        }
        return n;
    }

    private long readlink(int dirfd, long pathAddress, long buf, long size) {
        String path = path(pathAddress);
        if (path == null) {
            return -EFAULT;
        }
        if (size <= 0) {
            return -EINVAL;
        }
        if (!ok(buf, size, UserAddressSpace.PROT_WRITE)) {
            return -EFAULT;
        }
        if (path.equals("/proc/self/exe") || path.equals("/proc/" + p.pid + "/exe")) {
            // The guest program, not the JVM (what the kernel's proc_exe_link answers for the guest).
            byte[] exe = p.executable.getBytes(StandardCharsets.UTF_8);
            int n = (int) Math.min(exe.length, size);
            p.memory.write(buf, exe, 0, n);
            return n;
        }
        try (Arena ar = Arena.ofConfined()) {
            return p.libc.call(HostLibc.READLINKAT, dirfd, ar.allocateFrom(path),
                    p.memory.hostSliceForWrite(buf, size), size);
        }
    }

    private long getcwd(long buf, long size) {
        try (Arena ar = Arena.ofConfined()) {
            MemorySegment tmp = ar.allocate(PATH_MAX);
            long r = p.libc.call(HostLibc.GETCWD, tmp, (long) PATH_MAX);
            if (r < 0) {
                return r;
            }
            byte[] cwd = tmp.getString(0).getBytes(StandardCharsets.UTF_8);
            if (cwd.length + 1 > size) {
                return -ERANGE;
            }
            if (!ok(buf, cwd.length + 1, UserAddressSpace.PROT_WRITE)) {
                return -EFAULT;
            }
            p.memory.write(buf, cwd);
            p.memory.store8(buf + cwd.length, 0);
            // The system call answers the length including the NUL (fs/d_path.c).
            return cwd.length + 1;
        }
    }
}
