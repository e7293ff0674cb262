package dev.pvm.engine.linuxuser;

import static dev.pvm.engine.linuxuser.LinuxErrno.EBADF;
import static dev.pvm.engine.linuxuser.LinuxErrno.EFAULT;
import static dev.pvm.engine.linuxuser.LinuxErrno.EINVAL;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.function.BiConsumer;

/**
 * poll, ppoll, _newselect and pselect6, answered by the host's poll(2) on the host descriptors the guest uses
 * (see {@link FileSyscalls}): the host kernel decides readiness of files, pipes and terminals exactly as Linux
 * does for the guest. struct pollfd and the POLL* bits are the same on ppc64 and x86-64 (asm-generic/poll.h,
 * powerpc has no override); only the byte order of a big-endian guest differs. select's fd_set is an array of
 * 64-bit longs in guest byte order (include/uapi/linux/posix_types.h), mapped onto pollfds the way
 * fs/select.c does (POLLIN_SET, POLLOUT_SET, POLLEX_SET). The guest is single-threaded and its signals are
 * emulated, so the sigmask arguments of ppoll/pselect6 have nothing to mask during the wait.
 */
final class PollSyscalls {

    static final int POLLIN = 0x1;
    static final int POLLPRI = 0x2;
    static final int POLLOUT = 0x4;
    static final int POLLERR = 0x8;
    static final int POLLHUP = 0x10;
    static final int POLLNVAL = 0x20;
    private static final int POLLRDNORM = 0x40;
    private static final int POLLRDBAND = 0x80;
    private static final int POLLWRNORM = 0x100;
    private static final int POLLWRBAND = 0x200;

    // fs/select.c
    private static final int POLLIN_SET = POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR;
    private static final int POLLOUT_SET = POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR;
    private static final int POLLEX_SET = POLLPRI;

    private static final int POLLFD_SIZE = 8;
    /** fs/select.c rejects nfds above RLIMIT_NOFILE with EINVAL; this is Linux's ceiling for it (nr_open). */
    private static final long MAX_FDS = 1 << 20;
    private static final int FD_SETSIZE_LIMIT = 1 << 20;

    private final UserProcess p;
    private final BiConsumer<String, LinuxSyscalls.Syscall> on;

    PollSyscalls(UserProcess process, BiConsumer<String, LinuxSyscalls.Syscall> on) {
        this.p = process;
        this.on = on;
    }

    void register() {
        // nfds is an unsigned int in the kernel's prototypes (fs/select.c): the upper half is dropped.
        on.accept("poll", (a, b, c, d, e, f) -> poll(a, b & 0xffff_ffffL, (int) c));
        on.accept("ppoll", (a, b, c, d, e, f) -> {
            int timeout = timespecMillis(c);
            return timeout < -1 ? timeout : poll(a, b & 0xffff_ffffL, timeout);
        });
        on.accept("_newselect", (a, b, c, d, e, f) -> {
            int timeout = timevalMillis(e);
            return timeout < -1 ? timeout : select((int) a, b, c, d, timeout);
        });
        on.accept("pselect6", (a, b, c, d, e, f) -> {
            int timeout = timespecMillis(e);
            return timeout < -1 ? timeout : select((int) a, b, c, d, timeout);
        });
    }

    private ByteOrder order() {
        return p.order();
    }

    private boolean ok(long address, long length, int prot) {
        return p.memory.accessible(address, length, prot);
    }

    /** A guest struct timespec as a poll(2) timeout in ms (rounded up); -1 for NULL; -errno (below -1) if bad. */
    private int timespecMillis(long address) {
        return timeoutMillis(address, 1_000_000_000L, 1_000_000L);
    }

    private int timevalMillis(long address) {
        return timeoutMillis(address, 1_000_000L, 1_000L);
    }

    private int timeoutMillis(long address, long fractionsPerSecond, long fractionsPerMilli) {
        if (address == 0) {
            return -1;
        }
        if (!ok(address, 16, UserAddressSpace.PROT_READ)) {
            return -EFAULT;
        }
        long sec = p.memory.load64(address, order());
        long frac = p.memory.load64(address + 8, order());
        if (sec < 0 || frac < 0 || frac >= fractionsPerSecond) {
            return -EINVAL;
        }
        long ms = Math.addExact(Math.multiplyExact(Math.min(sec, Integer.MAX_VALUE / 1000), 1000L),
                (frac + fractionsPerMilli - 1) / fractionsPerMilli);
        return (int) Math.min(ms, Integer.MAX_VALUE);
    }

    /** poll(2): copies the guest's pollfds to the host, polls, and writes each revents back. */
    long poll(long fds, long nfds, int timeoutMillis) {
        if (nfds < 0 || nfds > MAX_FDS) {
            return -EINVAL;
        }
        long bytes = nfds * POLLFD_SIZE;
        if (nfds > 0 && !ok(fds, bytes, UserAddressSpace.PROT_READ | UserAddressSpace.PROT_WRITE)) {
            return -EFAULT;
        }
        try (Arena ar = Arena.ofConfined()) {
            MemorySegment host = ar.allocate(Math.max(bytes, POLLFD_SIZE), 4);
            for (long i = 0; i < nfds; i++) {
                long g = fds + i * POLLFD_SIZE;
                host.set(ValueLayout.JAVA_INT, i * POLLFD_SIZE, p.memory.load32(g, order()));
                host.set(ValueLayout.JAVA_SHORT, i * POLLFD_SIZE + 4, (short) p.memory.load16(g + 4, order()));
                host.set(ValueLayout.JAVA_SHORT, i * POLLFD_SIZE + 6, (short) 0);
            }
            long r = p.libc.call(HostLibc.POLL, host, nfds, timeoutMillis);
            if (r < 0) {
                return r;
            }
            for (long i = 0; i < nfds; i++) {
                p.memory.store16(fds + i * POLLFD_SIZE + 6,
                        host.get(ValueLayout.JAVA_SHORT, i * POLLFD_SIZE + 6) & 0xffff, order());
            }
            return r;
        }
    }

    /** select(2) on up to {@code nfds} descriptors, as pollfds; sets are rewritten to the ready ones. */
    long select(int nfds, long readSet, long writeSet, long exceptSet, int timeoutMillis) {
        if (nfds < 0 || nfds > FD_SETSIZE_LIMIT) {
            return -EINVAL;
        }
        int words = (nfds + 63) / 64;
        long[] sets = {readSet, writeSet, exceptSet};
        long[][] bits = new long[3][words];
        for (int s = 0; s < 3; s++) {
            if (sets[s] == 0 || words == 0) {
                continue;
            }
            if (!ok(sets[s], words * 8L, UserAddressSpace.PROT_READ | UserAddressSpace.PROT_WRITE)) {
                return -EFAULT;
            }
            for (int w = 0; w < words; w++) {
                bits[s][w] = p.memory.load64(sets[s] + w * 8L, order());
            }
            if (nfds % 64 != 0) {
                bits[s][words - 1] &= (1L << (nfds % 64)) - 1;
            }
        }
        int count = 0;
        int[] fdOf = new int[nfds];
        short[] events = new short[nfds];
        for (int fd = 0; fd < nfds; fd++) {
            int ev = 0;
            if (isSet(bits[0], fd)) {
                ev |= POLLIN_SET & ~(POLLHUP | POLLERR);
            }
            if (isSet(bits[1], fd)) {
                ev |= POLLOUT_SET & ~POLLERR;
            }
            if (isSet(bits[2], fd)) {
                ev |= POLLEX_SET;
            }
            if (ev != 0) {
                fdOf[count] = fd;
                events[count++] = (short) ev;
            }
        }
        long[][] ready = new long[3][words];
        long readyCount = 0;
        try (Arena ar = Arena.ofConfined()) {
            MemorySegment host = ar.allocate((long) Math.max(count, 1) * POLLFD_SIZE, 4);
            for (int i = 0; i < count; i++) {
                host.set(ValueLayout.JAVA_INT, (long) i * POLLFD_SIZE, fdOf[i]);
                host.set(ValueLayout.JAVA_SHORT, (long) i * POLLFD_SIZE + 4, events[i]);
            }
            long r = p.libc.call(HostLibc.POLL, host, (long) count, timeoutMillis);
            if (r < 0) {
                return r;
            }
            for (int i = 0; i < count; i++) {
                int fd = fdOf[i];
                int rev = host.get(ValueLayout.JAVA_SHORT, (long) i * POLLFD_SIZE + 6) & 0xffff;
                if ((rev & POLLNVAL) != 0) {
                    return -EBADF; // fs/select.c max_select_fd: a set bit naming a closed descriptor
                }
                readyCount += mark(ready[0], fd, isSet(bits[0], fd) && (rev & POLLIN_SET) != 0);
                readyCount += mark(ready[1], fd, isSet(bits[1], fd) && (rev & POLLOUT_SET) != 0);
                readyCount += mark(ready[2], fd, isSet(bits[2], fd) && (rev & POLLEX_SET) != 0);
            }
        }
        for (int s = 0; s < 3; s++) {
            if (sets[s] != 0) {
                for (int w = 0; w < words; w++) {
                    p.memory.store64(sets[s] + w * 8L, ready[s][w], order());
                }
            }
        }
        return readyCount;
    }

    private static boolean isSet(long[] set, int fd) {
        return (set[fd >>> 6] & (1L << (fd & 63))) != 0;
    }

    private static int mark(long[] set, int fd, boolean on) {
        if (on) {
            set[fd >>> 6] |= 1L << (fd & 63);
            return 1;
        }
        return 0;
    }
}
