package dev.pvm.engine.rtas;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.memory.GuestMemory;
import java.nio.ByteOrder;

/**
 * One RTAS call's argument buffer in guest memory (LoPAPR 7.2.7): big-endian 32-bit words {@code token,
 * nargs, nret, args[nargs], rets[nret]}.
 */
public final class RtasCall {

    private final GuestMemory memory;
    private final long buffer;
    private final int token;
    private final int nargs;
    private final int nret;
    private final CpuState caller;

    RtasCall(GuestMemory memory, long buffer, CpuState caller) {
        this.memory = memory;
        this.caller = caller;
        this.buffer = buffer;
        this.token = memory.load32(buffer, ByteOrder.BIG_ENDIAN);
        this.nargs = memory.load32(buffer + 4, ByteOrder.BIG_ENDIAN);
        this.nret = memory.load32(buffer + 8, ByteOrder.BIG_ENDIAN);
    }

    /** The vCPU that made the call (services like stop-self act on it). */
    public CpuState caller() {
        return caller;
    }

    public int token() {
        return token;
    }

    public int nargs() {
        return nargs;
    }

    public int nret() {
        return nret;
    }

    /** Whether the caller passed exactly the counts the service takes. */
    public boolean hasShape(int expectedArgs, int expectedRets) {
        return nargs == expectedArgs && nret == expectedRets;
    }

    /**
     * Input word {@code i}.
     *
     * @throws IllegalArgumentException when the caller passed fewer arguments
     */
    public int arg(int i) {
        if (i < 0 || i >= nargs) {
            throw new IllegalArgumentException("RTAS argument " + i + " of " + nargs);
        }
        return memory.load32(buffer + 12 + 4L * i, ByteOrder.BIG_ENDIAN);
    }

    /** Writes output word {@code i}; ignored when the caller asked for fewer outputs. */
    public void ret(int i, int value) {
        if (i >= 0 && i < nret) {
            memory.store32(buffer + 12 + 4L * nargs + 4L * i, value, ByteOrder.BIG_ENDIAN);
        }
    }

    /** Writes the status word (the first output). */
    public void status(int status) {
        ret(0, status);
    }
}
