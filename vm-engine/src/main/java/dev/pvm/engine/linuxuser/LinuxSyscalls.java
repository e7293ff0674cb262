package dev.pvm.engine.linuxuser;

import static dev.pvm.engine.linuxuser.LinuxErrno.EFAULT;
import static dev.pvm.engine.linuxuser.LinuxErrno.EINTR;
import static dev.pvm.engine.linuxuser.LinuxErrno.EINVAL;
import static dev.pvm.engine.linuxuser.LinuxErrno.ENOMEM;
import static dev.pvm.engine.linuxuser.LinuxErrno.ENOSYS;
import static dev.pvm.engine.linuxuser.LinuxErrno.EPERM;
import static dev.pvm.engine.linuxuser.LinuxErrno.ESRCH;

import dev.pvm.engine.cpu.CpuState;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;

/**
 * The ppc64 Linux system call interface for a user-mode guest: {@code sc} with the number in r0 and arguments
 * in r3..r8; the result in r3, and on failure CR0[SO] set with the positive errno in r3
 * (arch/powerpc/kernel/syscall.c system_call_exception / syscall_exit_prepare; the ppc64 ELF ABI's "System
 * Calls" section). Handlers are registered by name through {@link SyscallTable}; a call without a handler
 * answers ENOSYS and is reported once, by name.
 *
 * <p>This class holds process, memory, time and signal calls; {@link FileSyscalls} holds files and directories.
 */
final class LinuxSyscalls {

    /** rt_sigreturn's number: the signal trampoline encodes it as an immediate. */
    static final int NR_RT_SIGRETURN = 172;
    /** CR0[SO], the error flag of a system call's return. */
    private static final int CR0_SO = 0x1000_0000;

    @FunctionalInterface
    interface Syscall {
        long call(long a, long b, long c, long d, long e, long f);
    }

    private final UserProcess p;
    private final SyscallTable table = SyscallTable.ppc64();
    private final Map<Integer, Syscall> handlers = new HashMap<>();
    private final int rtSigreturn;
    private final SecureRandom random = new SecureRandom();
    /** The mask sigsuspend replaced, restored after the handler runs (the kernel's saved_sigmask). */
    private long savedMaskForSuspend = -1;

    LinuxSyscalls(UserProcess process) {
        this.p = process;
        this.rtSigreturn = table.number("rt_sigreturn");
        if (rtSigreturn != NR_RT_SIGRETURN) {
            throw new IllegalStateException("rt_sigreturn is " + rtSigreturn + " in the table");
        }
        registerProcess();
        registerMemory();
        registerTime();
        registerSignals();
        new FileSyscalls(process, this::on).register();
        new PollSyscalls(process, this::on).register();
    }

    void on(String name, Syscall handler) {
        int nr = table.number(name);
        if (handlers.put(nr, handler) != null) {
            throw new IllegalStateException("two handlers for " + name);
        }
    }

    /** Whether a handler exists for {@code name} (tests). */
    boolean handles(String name) {
        return table.find(name).isPresent() && handlers.containsKey(table.number(name));
    }

    /** Handles the {@code sc} that stopped {@code cpu}; NIA already points past it. */
    void dispatch(CpuState cpu) {
        long nr = cpu.gpr[0];
        if (nr == rtSigreturn) {
            long mask = SignalFrame.restore(p.memory, cpu);
            p.signals.blocked = mask & ~(SignalState.bit(SignalState.SIGKILL) | SignalState.bit(SignalState.SIGSTOP));
            return;
        }
        Syscall h = nr >= 0 && nr < Integer.MAX_VALUE ? handlers.get((int) nr) : null;
        long result;
        if (h == null) {
            String name = table.name(nr);
            p.reportOnce("syscall:" + nr, "unsupported system call " + name + " (" + nr + "): answering ENOSYS");
            result = -ENOSYS;
        } else {
            result = h.call(cpu.gpr[3], cpu.gpr[4], cpu.gpr[5], cpu.gpr[6], cpu.gpr[7], cpu.gpr[8]);
        }
        if (p.exited) {
            return;
        }
        if (result < 0 && result >= -4095) {
            cpu.gpr[3] = -result;
            cpu.cr |= CR0_SO;
        } else {
            cpu.gpr[3] = result;
            cpu.cr &= ~CR0_SO;
        }
    }

    /** The mask a frame built right now must restore (sigsuspend's original one, once). */
    long maskToSave() {
        if (savedMaskForSuspend != -1) {
            long m = savedMaskForSuspend;
            savedMaskForSuspend = -1;
            return m;
        }
        return p.signals.blocked;
    }

    /** After sigsuspend's handlers ran (or none was due): the original mask comes back. */
    void restoreSuspendMask() {
        if (savedMaskForSuspend != -1) {
            p.signals.blocked = savedMaskForSuspend;
            savedMaskForSuspend = -1;
        }
    }

    // --- helpers ----------------------------------------------------------------------------------------

    private ByteOrder order() {
        return p.order();
    }

    private boolean writable(long address, long length) {
        return p.memory.accessible(address, length, UserAddressSpace.PROT_WRITE);
    }

    private boolean readable(long address, long length) {
        return p.memory.accessible(address, length, UserAddressSpace.PROT_READ);
    }

    private long putTimespec(long guest, long sec, long nsec) {
        if (!writable(guest, 16)) {
            return -EFAULT;
        }
        p.memory.store64(guest, sec, order());
        p.memory.store64(guest + 8, nsec, order());
        return 0;
    }

    // --- process ----------------------------------------------------------------------------------------

    private void registerProcess() {
        on("exit", (a, b, c, d, e, f) -> {
            p.exit((int) a);
            return 0;
        });
        on("exit_group", (a, b, c, d, e, f) -> {
            p.exit((int) a);
            return 0;
        });
        on("getpid", (a, b, c, d, e, f) -> p.pid);
        on("gettid", (a, b, c, d, e, f) -> p.pid);
        on("getppid", (a, b, c, d, e, f) -> p.libc.call(HostLibc.GETPPID));
        on("getuid", (a, b, c, d, e, f) -> p.ids.uid());
        on("geteuid", (a, b, c, d, e, f) -> p.ids.euid());
        on("getgid", (a, b, c, d, e, f) -> p.ids.gid());
        on("getegid", (a, b, c, d, e, f) -> p.ids.egid());
        on("getpgid", (a, b, c, d, e, f) -> p.pid);
        on("getpgrp", (a, b, c, d, e, f) -> p.pid);
        on("getsid", (a, b, c, d, e, f) -> p.pid);
        // A single thread: the clear-child-tid address is never used; the answer is the thread id.
        on("set_tid_address", (a, b, c, d, e, f) -> p.pid);
        on("set_robust_list", (a, b, c, d, e, f) -> b == 24 ? 0 : -EINVAL);
        on("sched_yield", (a, b, c, d, e, f) -> 0);
        on("sched_getaffinity", (a, b, c, d, e, f) -> {
            // One CPU. The kernel answers the bytes it wrote: a whole number of longs (kernel/sched/core.c).
            if (b < 8 || (b & 7) != 0) {
                return -EINVAL;
            }
            if (!writable(c, 8)) {
                return -EFAULT;
            }
            p.memory.store64(c, 1, order());
            return 8;
        });
        on("uname", (a, b, c, d, e, f) -> uname(a));
        on("getrandom", (a, b, c, d, e, f) -> {
            if (b < 0 || !writable(a, b)) {
                return -EFAULT;
            }
            int n = (int) Math.min(b, 1 << 25);
            byte[] bytes = new byte[n];
            random.nextBytes(bytes);
            p.memory.write(a, bytes);
            return n;
        });
        on("prlimit64", (a, b, c, d, e, f) -> a != 0 && a != p.pid ? -ESRCH : rlimit((int) b, d));
        on("getrlimit", (a, b, c, d, e, f) -> rlimit((int) a, b));
        on("ugetrlimit", (a, b, c, d, e, f) -> rlimit((int) a, b));
        on("setrlimit", (a, b, c, d, e, f) -> 0);
        // Single-threaded: a wait finds the value changed or would sleep forever.
        on("futex", (a, b, c, d, e, f) -> futex(a, (int) b, (int) c, d));
        on("wait4", (a, b, c, d, e, f) -> -LinuxErrno.ECHILD);
        on("umask", (a, b, c, d, e, f) -> p.libc.call(HostLibc.UMASK, (int) a));
        on("prctl", (a, b, c, d, e, f) -> prctl((int) a, b));
    }

    /** The thread's name (PR_SET_NAME / PR_GET_NAME: TASK_COMM_LEN = 16 bytes with the NUL). */
    private byte[] threadName = new byte[16];

    private long prctl(int option, long arg) {
        switch (option) {
            case 15 -> { // PR_SET_NAME (kernel/sys.c: copies at most 15 bytes and terminates)
                String name = p.memory.readCString(arg, 4096);
                if (name == null) {
                    return -EFAULT;
                }
                byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
                threadName = new byte[16];
                System.arraycopy(bytes, 0, threadName, 0, Math.min(15, bytes.length));
                return 0;
            }
            case 16 -> { // PR_GET_NAME
                if (!writable(arg, 16)) {
                    return -EFAULT;
                }
                p.memory.write(arg, threadName);
                return 0;
            }
            default -> {
                p.reportOnce("prctl:" + option, "unsupported prctl option " + option + ": answering EINVAL");
                return -EINVAL;
            }
        }
    }

    private long uname(long buf) {
        // struct new_utsname: six 65-byte fields (include/uapi/linux/utsname.h).
        if (!writable(buf, 6 * 65)) {
            return -EFAULT;
        }
        String host;
        try (Arena ar = Arena.ofConfined()) {
            MemorySegment name = ar.allocate(65);
            host = p.libc.call(HostLibc.GETHOSTNAME, name, 65L) == 0 ? name.getString(0) : "localhost";
        }
        String[] fields = {"Linux", host, System.getProperty("os.version"), "#1 SMP pvm", p.machine, "(none)"};
        p.memory.fill(buf, 6 * 65, (byte) 0);
        for (int i = 0; i < fields.length; i++) {
            byte[] bytes = fields[i].getBytes(StandardCharsets.UTF_8);
            p.memory.write(buf + 65L * i, bytes, 0, Math.min(bytes.length, 64));
        }
        return 0;
    }

    private long rlimit(int resource, long old) {
        if (resource < 0 || resource > 15) {
            return -EINVAL;
        }
        if (old == 0) {
            return 0;
        }
        if (!writable(old, 16)) {
            return -EFAULT;
        }
        // RLIMIT_STACK (3): the 8 MiB stack this runner maps; RLIMIT_NOFILE (7): the host's usual soft limit.
        long cur = -1;
        long max = -1;
        if (resource == 3) {
            cur = VirtualMemoryManager.STACK_SIZE;
        } else if (resource == 7) {
            cur = 1024;
            max = 524288;
        }
        p.memory.store64(old, cur, order());
        p.memory.store64(old + 8, max, order());
        return 0;
    }

    private long futex(long uaddr, int op, int val, long timeout) {
        int cmd = op & 0x7f; // FUTEX_PRIVATE_FLAG (128) and FUTEX_CLOCK_REALTIME (256) do not matter here
        switch (cmd) {
            case 0, 9 -> { // FUTEX_WAIT, FUTEX_WAIT_BITSET
                if (!readable(uaddr, 4)) {
                    return -EFAULT;
                }
                if (p.memory.load32(uaddr, order()) != val) {
                    return -LinuxErrno.EAGAIN;
                }
                // No other thread can wake us: with a timeout the wait times out, without one it would hang.
                if (timeout != 0) {
                    return -LinuxErrno.ETIMEDOUT;
                }
                p.reportOnce("futex-deadlock", "futex wait with no other thread to wake it: answering EINTR");
                return -EINTR;
            }
            case 1, 10 -> { // FUTEX_WAKE, FUTEX_WAKE_BITSET: nobody waits
                return 0;
            }
            default -> {
                p.reportOnce("futex:" + cmd, "unsupported futex operation " + cmd + ": answering ENOSYS");
                return -ENOSYS;
            }
        }
    }

    // --- memory -----------------------------------------------------------------------------------------

    private void registerMemory() {
        VirtualMemoryManager vm = p.vm;
        on("brk", (a, b, c, d, e, f) -> vm.brk(a));
        on("mmap", (a, b, c, d, e, f) -> mmap(a, b, (int) c, (int) d, (int) e, f));
        on("munmap", (a, b, c, d, e, f) -> vm.munmap(a, b));
        on("mprotect", (a, b, c, d, e, f) -> vm.mprotect(a, b, (int) c));
        on("mremap", (a, b, c, d, e, f) -> vm.mremap(a, b, c, (int) d, e));
        on("madvise", (a, b, c, d, e, f) -> {
            // MADV_DONTNEED (4) on private anonymous memory: the pages read back as zeros.
            if ((a & (UserAddressSpace.PAGE_SIZE - 1)) != 0) {
                return -EINVAL;
            }
            if (c == 4 && b > 0 && p.memory.accessible(a, b, 0)) {
                long len = VirtualMemoryManager.pageUp(b);
                int prot = p.memory.protection(a);
                p.memory.map(a, len, prot);
            }
            return 0;
        });
    }

    private long mmap(long address, long length, int prot, int flags, int fd, long offset) {
        boolean anonymous = (flags & VirtualMemoryManager.MAP_ANONYMOUS) != 0;
        if ((offset & (UserAddressSpace.PAGE_SIZE - 1)) != 0) {
            return -EINVAL;
        }
        if (!anonymous && (flags & VirtualMemoryManager.MAP_SHARED) != 0 && (prot & 2) != 0) {
            p.reportOnce("mmap-shared", "writable MAP_SHARED file mappings are private copies in this runner");
        }
        long where = p.vm.mmap(address, length, prot | (anonymous ? 0 : UserAddressSpace.PROT_WRITE), flags);
        if (where < 0 || anonymous) {
            return where;
        }
        // A file mapping: the file's bytes are copied in (pread until EOF; the rest of the pages stay zero).
        long done = 0;
        while (done < length) {
            long n = p.libc.call(HostLibc.PREAD, fd, p.memory.hostSliceForWrite(where + done, length - done),
                    length - done, offset + done);
            if (n < 0) {
                p.vm.munmap(where, length);
                return n;
            }
            if (n == 0) {
                break;
            }
            done += n;
        }
        p.memory.protect(where, VirtualMemoryManager.pageUp(length), prot);
        return where;
    }

    // --- time -------------------------------------------------------------------------------------------

    private void registerTime() {
        on("clock_gettime", (a, b, c, d, e, f) -> clock(HostLibc.CLOCK_GETTIME, (int) a, b));
        on("clock_getres", (a, b, c, d, e, f) -> b == 0 ? 0 : clock(HostLibc.CLOCK_GETRES, (int) a, b));
        on("gettimeofday", (a, b, c, d, e, f) -> {
            if (a != 0) {
                java.time.Instant now = java.time.Instant.now();
                long r = putTimespec(a, now.getEpochSecond(), now.getNano() / 1000);
                if (r != 0) {
                    return r;
                }
            }
            if (b != 0) {
                if (!writable(b, 8)) {
                    return -EFAULT;
                }
                p.memory.store64(b, 0, order());
            }
            return 0;
        });
        on("time", (a, b, c, d, e, f) -> {
            long now = java.time.Instant.now().getEpochSecond();
            if (a != 0) {
                if (!writable(a, 8)) {
                    return -EFAULT;
                }
                p.memory.store64(a, now, order());
            }
            return now;
        });
        on("nanosleep", (a, b, c, d, e, f) -> sleep(a));
        on("clock_nanosleep", (a, b, c, d, e, f) -> {
            if ((b & 1) != 0) { // TIMER_ABSTIME
                if (!readable(c, 16)) {
                    return -EFAULT;
                }
                try (Arena ar = Arena.ofConfined()) {
                    MemorySegment now = ar.allocate(16);
                    p.libc.call(HostLibc.CLOCK_GETTIME, (int) a, now);
                    long deadline = p.memory.load64(c, order()) * 1_000_000_000L + p.memory.load64(c + 8, order());
                    long left = deadline - (now.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L
                            + now.get(ValueLayout.JAVA_LONG, 8));
                    return sleepNanos(left);
                }
            }
            return sleep(c);
        });
    }

    private long clock(HostLibc.Downcall fn, int clock, long guest) {
        try (Arena ar = Arena.ofConfined()) {
            MemorySegment ts = ar.allocate(16);
            long r = p.libc.call(fn, clock, ts);
            if (r < 0) {
                return r;
            }
            return putTimespec(guest, ts.get(ValueLayout.JAVA_LONG, 0), ts.get(ValueLayout.JAVA_LONG, 8));
        }
    }

    private long sleep(long request) {
        if (!readable(request, 16)) {
            return -EFAULT;
        }
        long sec = p.memory.load64(request, order());
        long nsec = p.memory.load64(request + 8, order());
        if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) {
            return -EINVAL;
        }
        return sleepNanos(sec * 1_000_000_000L + nsec);
    }

    private long sleepNanos(long nanos) {
        if (nanos > 0) {
            try {
                Thread.sleep(java.time.Duration.ofNanos(nanos));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -EINTR;
            }
        }
        return 0;
    }

    // --- signals ----------------------------------------------------------------------------------------

    private void registerSignals() {
        SignalState s = p.signals;
        on("rt_sigaction", (a, b, c, d, e, f) -> {
            int sig = (int) a;
            if (sig < 1 || sig > SignalState.NSIG || d != 8) {
                return -EINVAL;
            }
            if (b != 0 && (sig == SignalState.SIGKILL || sig == SignalState.SIGSTOP)) {
                return -EINVAL;
            }
            // struct sigaction (kernel, __ARCH_HAS_SA_RESTORER): handler, flags, restorer, mask.
            SignalState.Action old = s.action(sig);
            if (b != 0) {
                if (!readable(b, 32)) {
                    return -EFAULT;
                }
                s.setAction(sig, new SignalState.Action(p.memory.load64(b, order()),
                        p.memory.load64(b + 8, order()), p.memory.load64(b + 16, order()),
                        p.memory.load64(b + 24, order())));
            }
            if (c != 0) {
                if (!writable(c, 32)) {
                    return -EFAULT;
                }
                p.memory.store64(c, old.handler(), order());
                p.memory.store64(c + 8, old.flags(), order());
                p.memory.store64(c + 16, old.restorer(), order());
                p.memory.store64(c + 24, old.mask(), order());
            }
            return 0;
        });
        on("rt_sigprocmask", (a, b, c, d, e, f) -> {
            if (d != 8) {
                return -EINVAL;
            }
            long old = s.blocked;
            if (b != 0) {
                if (!readable(b, 8)) {
                    return -EFAULT;
                }
                long set = p.memory.load64(b, order());
                long next = switch ((int) a) {
                    case 0 -> old | set;   // SIG_BLOCK
                    case 1 -> old & ~set;  // SIG_UNBLOCK
                    case 2 -> set;         // SIG_SETMASK
                    default -> Long.MIN_VALUE;
                };
                if (next == Long.MIN_VALUE && a != 2) {
                    return -EINVAL;
                }
                s.blocked = next & ~(SignalState.bit(SignalState.SIGKILL) | SignalState.bit(SignalState.SIGSTOP));
            }
            if (c != 0) {
                if (!writable(c, 8)) {
                    return -EFAULT;
                }
                p.memory.store64(c, old, order());
            }
            return 0;
        });
        on("rt_sigpending", (a, b, c, d, e, f) -> {
            if (!writable(a, 8)) {
                return -EFAULT;
            }
            p.memory.store64(a, s.pendingMask() & s.blocked, order());
            return 0;
        });
        on("rt_sigsuspend", (a, b, c, d, e, f) -> {
            if (b != 8) {
                return -EINVAL;
            }
            if (!readable(a, 8)) {
                return -EFAULT;
            }
            savedMaskForSuspend = s.blocked;
            s.blocked = p.memory.load64(a, order())
                    & ~(SignalState.bit(SignalState.SIGKILL) | SignalState.bit(SignalState.SIGSTOP));
            if (s.nextDeliverable() == 0) {
                p.reportOnce("sigsuspend", "sigsuspend with no deliverable signal would sleep forever: EINTR");
                restoreSuspendMask();
            }
            return -EINTR;
        });
        on("sigaltstack", (a, b, c, d, e, f) -> {
            long sp = p.cpu.gpr[1];
            long[] old = s.altStack(sp);
            if (a != 0) {
                if (!readable(a, 24)) {
                    return -EFAULT;
                }
                if (s.onAltStack(sp)) {
                    return -EPERM;
                }
                long base = p.memory.load64(a, order());
                int flags = p.memory.load32(a + 8, order());
                long size = p.memory.load64(a + 16, order());
                if ((flags & SignalState.SS_DISABLE) != 0) {
                    s.altStackDisabled = true;
                    s.altStackBase = 0;
                    s.altStackSize = 0;
                } else if ((flags & ~SignalState.SS_ONSTACK & ~(1 << 31)) != 0) {
                    return -EINVAL;
                } else if (size < 2048) { // MINSIGSTKSZ (arch/powerpc/include/uapi/asm/signal.h)
                    return -ENOMEM;
                } else {
                    s.altStackDisabled = false;
                    s.altStackBase = base;
                    s.altStackSize = size;
                }
            }
            if (b != 0) {
                if (!writable(b, 24)) {
                    return -EFAULT;
                }
                p.memory.store64(b, old[0], order());
                p.memory.store32(b + 8, (int) old[1], order());
                p.memory.store32(b + 12, 0, order());
                p.memory.store64(b + 16, old[2], order());
            }
            return 0;
        });
        on("kill", (a, b, c, d, e, f) -> sendToSelf((int) a, (int) b, SignalState.SI_USER));
        on("tkill", (a, b, c, d, e, f) -> sendToSelf((int) a, (int) b, SignalState.SI_TKILL));
        on("tgkill", (a, b, c, d, e, f) -> a != p.pid ? -ESRCH : sendToSelf((int) b, (int) c, SignalState.SI_TKILL));
        on("rt_sigqueueinfo", (a, b, c, d, e, f) -> {
            int sig = (int) b;
            if (a != p.pid) {
                return -ESRCH;
            }
            if (sig < 0 || sig > SignalState.NSIG) {
                return -EINVAL;
            }
            if (!readable(c, 128)) {
                return -EFAULT;
            }
            byte[] info = new byte[128];
            p.memory.read(c, info);
            // The kernel keeps the caller's si_code (negative: SI_QUEUE) and sets si_signo.
            java.nio.ByteBuffer.wrap(info).order(order()).putInt(0, sig);
            if (sig != 0) {
                s.post(sig, info);
            }
            return 0;
        });
    }

    private long sendToSelf(int pid, int sig, int code) {
        if (pid != p.pid && pid != 0 && pid != -1 && pid != -p.pid) {
            return -ESRCH;
        }
        if (sig < 0 || sig > SignalState.NSIG) {
            return -EINVAL;
        }
        if (sig != 0) {
            p.signals.post(sig, SignalState.killInfo(p.cpu, sig, code, p.pid, p.ids.uid()));
        }
        return 0;
    }

}
