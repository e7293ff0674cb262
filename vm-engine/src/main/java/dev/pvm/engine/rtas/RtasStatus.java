package dev.pvm.engine.rtas;

/** RTAS return status values (LoPAPR 7.2.8, "RTAS Argument Call Buffer"). */
public final class RtasStatus {

    public static final int SUCCESS = 0;
    public static final int HARDWARE_ERROR = -1;
    public static final int BUSY = -2;
    public static final int PARAMETER_ERROR = -3;

    private RtasStatus() {
    }
}
