package dev.pvm.engine.rtas;

/**
 * RTAS {@code event-scan} and {@code check-exception} (LoPAPR 7.3.3.x / 10.3.2): the guest asks for error and
 * event logs, periodically and when an event-source interrupt fires. The machine raises no EPOW or hot-plug
 * events, so both answer "no errors found" (status 1) after QEMU's argument checks (hw/ppc/spapr_events.c).
 */
public final class EventRtas {

    /** RTAS_OUT_NO_ERRORS_FOUND. */
    public static final int NO_ERRORS_FOUND = 1;

    private EventRtas() {
    }

    public static void register(RtasTable table) {
        // event-scan(event mask, critical, buffer, length) -> status
        table.register(RtasService.EVENT_SCAN, call -> call.status(call.hasShape(4, 1) ? NO_ERRORS_FOUND
                : RtasStatus.PARAMETER_ERROR));
        // check-exception(vector offset, info, mask, buffer, length, severity[, extended info]) -> status
        table.register(RtasService.CHECK_EXCEPTION, call -> call.status(
                (call.nargs() == 6 || call.nargs() == 7) && call.nret() == 1 ? NO_ERRORS_FOUND
                        : RtasStatus.PARAMETER_ERROR));
    }
}
