package dev.pvm.engine.cpu;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Work other threads hand to one vCPU, run on that vCPU's own thread (QEMU's {@code async_run_on_cpu}): a TLB
 * shootdown, dropping translations of code another vCPU overwrote, or just a kick so that it looks at a new
 * interrupt. The vCPU's structures (its TLB, its translation cache) are then only ever touched by its thread.
 *
 * <p>The vCPU's executors read {@link #pending()} (one volatile read) between instructions or units and leave
 * their run when it is set; the machine then {@linkplain #drain drains} the queue before running guest code
 * again. A vCPU outside guest code (idle in H_CEDE, stopped, paused, between slices) is {@linkplain #leaveGuest
 * outside}: it drains everything posted before it next {@linkplain #enterGuest enters}, so an issuer waiting for
 * completion ({@link #awaitCompleted}) need not wait for it.
 */
public final class VcpuRequests {

    /** A posted request: what to run, and its sequence number. */
    private record Request(long ticket, Runnable work) {
    }

    private final ArrayDeque<Request> queue = new ArrayDeque<>();
    private long posted;
    private volatile long completed;
    private volatile boolean pending;
    private volatile boolean inGuest;
    /** A thread parked in {@link #awaitCompleted} (a hint for unpark: waits also time out). */
    private volatile Thread waiter;

    /**
     * Queues {@code work} for the vCPU's thread and makes its executor leave its run soon.
     *
     * @return the ticket to pass to {@link #awaitCompleted}
     */
    public long post(Runnable work) {
        long ticket;
        synchronized (queue) {
            ticket = ++posted;
            queue.add(new Request(ticket, work));
            pending = true;
        }
        return ticket;
    }

    /** Whether work is queued: executors leave their run loop when this is set. */
    public boolean pending() {
        return pending;
    }

    /** Runs everything queued, on the vCPU's own thread. */
    public void drain() {
        while (pending) {
            Request r;
            synchronized (queue) {
                r = queue.poll();
                if (r == null) {
                    pending = false;
                    return;
                }
            }
            r.work().run();
            completed = r.ticket();
            Thread waiting = waiter;
            if (waiting != null) {
                LockSupport.unpark(waiting);
            }
        }
    }

    /**
     * The vCPU's thread is about to run guest code: from now on issuers wait for it. Everything posted before is
     * run first (the volatile write of {@code inGuest} comes before the drain, so a poster that saw the vCPU
     * outside has its work run here).
     */
    public void enterGuest() {
        inGuest = true;
        drain();
    }

    /** The vCPU's thread stops running guest code (it drains first, so waiters are released). */
    public void leaveGuest() {
        drain();
        inGuest = false;
        Thread waiting = waiter;
        if (waiting != null) {
            LockSupport.unpark(waiting);
        }
    }

    /** Whether the vCPU runs guest code now. */
    public boolean inGuest() {
        return inGuest;
    }

    /**
     * Waits until the request {@code ticket} has run or the vCPU is outside guest code (where it runs the
     * request before it runs guest code again). While waiting, the calling vCPU runs its own requests
     * ({@code self}, may be null): two vCPUs that shoot down each other's TLB at once would otherwise wait
     * for each other forever.
     */
    public void awaitCompleted(long ticket, VcpuRequests self) {
        int spins = 0;
        while (completed < ticket && inGuest) {
            if (self != null) {
                self.drain();
            }
            if (++spins < 200) {
                Thread.onSpinWait();
            } else {
                waiter = Thread.currentThread();
                if (completed < ticket && inGuest) {
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
                }
                waiter = null;
            }
        }
    }
}
