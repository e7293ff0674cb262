package dev.pvm.engine.rtas;

/**
 * The RTAS CPU services (LoPAPR 7.3.10): {@code query-cpu-stopped-state}, {@code start-cpu} and
 * {@code stop-self}. On pseries the boot CPU runs and the secondaries stay stopped until {@code start-cpu},
 * which Linux calls from smp_startup_cpu with its secondary entry point and the CPU's number in r3.
 */
public final class CpuRtas {

    /** Output of query-cpu-stopped-state. */
    public static final int STOPPED = 0;
    public static final int RUNNING = 2;

    private CpuRtas() {
    }

    public static void register(RtasTable table, CpuControl cpus) {
        // query-cpu-stopped-state(cpu) -> status, state
        table.register(RtasService.QUERY_CPU_STOPPED_STATE, call -> {
            if (!call.hasShape(1, 2) || !valid(cpus, call.arg(0))) {
                call.status(RtasStatus.PARAMETER_ERROR);
                return;
            }
            call.status(RtasStatus.SUCCESS);
            call.ret(1, cpus.running(call.arg(0)) ? RUNNING : STOPPED);
        });
        // start-cpu(cpu, start address, r3) -> status; a running CPU is a hardware error, as on QEMU.
        table.register(RtasService.START_CPU, call -> {
            if (!call.hasShape(3, 1) || !valid(cpus, call.arg(0))) {
                call.status(RtasStatus.PARAMETER_ERROR);
                return;
            }
            boolean started = cpus.start(call.arg(0), call.arg(1) & 0xFFFF_FFFFL, call.arg(2) & 0xFFFF_FFFFL);
            call.status(started ? RtasStatus.SUCCESS : RtasStatus.HARDWARE_ERROR);
        });
        // stop-self() never returns to its caller: there is no status to write.
        table.register(RtasService.STOP_SELF, call -> cpus.stopSelf(call.caller()));
    }

    private static boolean valid(CpuControl cpus, int id) {
        return id >= 0 && id < cpus.cpuCount();
    }
}
