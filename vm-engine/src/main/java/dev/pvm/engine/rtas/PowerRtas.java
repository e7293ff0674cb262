package dev.pvm.engine.rtas;

/** RTAS {@code power-off} and {@code system-reboot} (LoPAPR 7.3.3 and 7.3.5). */
public final class PowerRtas {

    private PowerRtas() {
    }

    public static void register(RtasTable table, PowerControl machine) {
        // power-off(power_on_mask_hi, power_on_mask_lo) -> status; we keep no power-on schedule.
        table.register(RtasService.POWER_OFF, call -> {
            if (!call.hasShape(2, 1)) {
                call.status(RtasStatus.PARAMETER_ERROR);
                return;
            }
            machine.requestPowerOff();
            call.status(RtasStatus.SUCCESS);
        });
        table.register(RtasService.SYSTEM_REBOOT, call -> {
            if (!call.hasShape(0, 1)) {
                call.status(RtasStatus.PARAMETER_ERROR);
                return;
            }
            machine.requestReset();
            call.status(RtasStatus.SUCCESS);
        });
    }
}
