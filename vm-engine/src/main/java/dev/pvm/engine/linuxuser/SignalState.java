package dev.pvm.engine.linuxuser;

import dev.pvm.engine.cpu.CpuState;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;

/**
 * The signal state of a single-threaded process (kernel/signal.c): dispositions, the blocked mask, pending
 * signals with their siginfo, and the alternate stack; and delivery, which decides between the default action
 * and a handler frame ({@link SignalFrame}).
 */
final class SignalState {

    static final int NSIG = 64;
    static final int SIGILL = 4;
    static final int SIGTRAP = 5;
    static final int SIGABRT = 6;
    static final int SIGBUS = 7;
    static final int SIGFPE = 8;
    static final int SIGKILL = 9;
    static final int SIGSEGV = 11;
    static final int SIGCHLD = 17;
    static final int SIGCONT = 18;
    static final int SIGSTOP = 19;
    static final int SIGURG = 23;
    static final int SIGWINCH = 28;

    static final long SIG_DFL = 0;
    static final long SIG_IGN = 1;
    static final long SA_SIGINFO = 0x4;
    static final long SA_ONSTACK = 0x08000000L;
    static final long SA_NODEFER = 0x40000000L;
    static final long SA_RESETHAND = 0x80000000L;
    static final int SS_ONSTACK = 1;
    static final int SS_DISABLE = 2;

    /** si_code values (include/uapi/asm-generic/siginfo.h). */
    static final int SI_USER = 0;
    static final int SI_QUEUE = -1;
    static final int SI_TKILL = -6;
    static final int ILL_ILLOPC = 1;
    static final int ILL_PRVOPC = 5;
    static final int TRAP_BRKPT = 1;
    static final int SEGV_MAPERR = 1;
    static final int SEGV_ACCERR = 2;
    static final int BUS_ADRALN = 1;

    /** One disposition: struct sigaction as rt_sigaction reads it (handler, flags, restorer, mask). */
    record Action(long handler, long flags, long restorer, long mask) {
        static final Action DEFAULT = new Action(SIG_DFL, 0, 0, 0);
    }

    private final Action[] actions = new Action[NSIG + 1];
    @SuppressWarnings("unchecked")
    private final ArrayDeque<byte[]>[] pending = new ArrayDeque[NSIG + 1];
    long blocked;
    long altStackBase;
    long altStackSize;
    boolean altStackDisabled = true;

    SignalState() {
        java.util.Arrays.fill(actions, Action.DEFAULT);
        for (int i = 0; i <= NSIG; i++) {
            pending[i] = new ArrayDeque<>();
        }
    }

    static long bit(int sig) {
        return 1L << (sig - 1);
    }

    Action action(int sig) {
        return actions[sig];
    }

    void setAction(int sig, Action a) {
        actions[sig] = a;
        if (a.handler() == SIG_IGN) {
            pending[sig].clear();
        }
    }

    long pendingMask() {
        long m = 0;
        for (int s = 1; s <= NSIG; s++) {
            if (!pending[s].isEmpty()) {
                m |= bit(s);
            }
        }
        return m;
    }

    /** Queues a signal (standard signals at most once, as the kernel's legacy_queue). */
    void post(int sig, byte[] info) {
        if (actions[sig].handler() == SIG_IGN && sig != SIGKILL) {
            return;
        }
        if (sig < 32 && !pending[sig].isEmpty()) {
            return;
        }
        pending[sig].add(info);
    }

    /**
     * A synchronous fault (force_sig_fault): when the signal is blocked or ignored, the kernel resets it to the
     * default action and unblocks it, so the process dies.
     */
    void force(int sig, byte[] info) {
        if ((blocked & bit(sig)) != 0 || actions[sig].handler() == SIG_IGN) {
            actions[sig] = Action.DEFAULT;
            blocked &= ~bit(sig);
        }
        pending[sig].addFirst(info);
    }

    /** The lowest-numbered pending unblocked signal (synchronous ones first, as dequeue_synchronous_signal), or 0. */
    int nextDeliverable() {
        for (int s : new int[] {SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE}) {
            if (!pending[s].isEmpty() && (blocked & bit(s)) == 0) {
                return s;
            }
        }
        for (int s = 1; s <= NSIG; s++) {
            if (!pending[s].isEmpty() && ((blocked & bit(s)) == 0 || s == SIGKILL)) {
                return s;
            }
        }
        return 0;
    }

    byte[] take(int sig) {
        return pending[sig].poll();
    }

    /** Whether the default action of {@code sig} is to ignore it (SIGCHLD, SIGURG, SIGWINCH, SIGCONT). */
    static boolean ignoredByDefault(int sig) {
        return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
    }

    boolean onAltStack(long sp) {
        return !altStackDisabled && sp > altStackBase && sp - altStackBase <= altStackSize;
    }

    /** uc_stack / sigaltstack's view: ss_sp, ss_flags, ss_size. */
    long[] altStack(long sp) {
        int flags = altStackDisabled ? SS_DISABLE : onAltStack(sp) ? SS_ONSTACK : 0;
        return new long[] {altStackBase, flags, altStackSize};
    }

    /** A 128-byte siginfo in the guest's byte order. */
    static byte[] siginfo(CpuState cpu, int sig, int code, long word16, long word24) {
        ByteBuffer b = ByteBuffer.allocate(128).order(cpu.littleEndian ? ByteOrder.LITTLE_ENDIAN
                : ByteOrder.BIG_ENDIAN);
        b.putInt(0, sig);
        b.putInt(8, code);
        b.putLong(16, word16);
        b.putLong(24, word24);
        return b.array();
    }

    /** siginfo of kill/tkill: si_pid and si_uid at offset 16. */
    static byte[] killInfo(CpuState cpu, int sig, int code, int pid, int uid) {
        ByteBuffer b = ByteBuffer.allocate(128).order(cpu.littleEndian ? ByteOrder.LITTLE_ENDIAN
                : ByteOrder.BIG_ENDIAN);
        b.putInt(0, sig);
        b.putInt(8, code);
        b.putInt(16, pid);
        b.putInt(20, uid);
        return b.array();
    }
}
