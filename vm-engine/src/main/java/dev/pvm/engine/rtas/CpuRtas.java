package dev.pvm.engine.rtas;

import java.util.function.IntPredicate;

/**
 * RTAS {@code query-cpu-stopped-state} (LoPAPR 7.3.10.1): whether a vCPU runs (2) or waits to be started (0).
 * On pseries the boot CPU runs and the secondaries stay stopped until {@code start-cpu}.
 */
public final class CpuRtas {

    /** Output of query-cpu-stopped-state. */
    public static final int STOPPED = 0;
    public static final int RUNNING = 2;

    private CpuRtas() {
    }

    /**
     * @param cpuCount how many vCPUs exist (ids 0..cpuCount-1)
     * @param running  whether a vCPU id is running
     */
    public static void register(RtasTable table, int cpuCount, IntPredicate running) {
        table.register(RtasService.QUERY_CPU_STOPPED_STATE, call -> {
            if (!call.hasShape(1, 2)) {
                call.status(RtasStatus.PARAMETER_ERROR);
                return;
            }
            int id = call.arg(0);
            if (id < 0 || id >= cpuCount) {
                call.status(RtasStatus.PARAMETER_ERROR);
                return;
            }
            call.status(RtasStatus.SUCCESS);
            call.ret(1, running.test(id) ? RUNNING : STOPPED);
        });
    }
}
