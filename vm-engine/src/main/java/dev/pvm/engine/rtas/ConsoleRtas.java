package dev.pvm.engine.rtas;

import dev.pvm.engine.devices.vty.SpaprVty;

/** RTAS {@code display-character} (LoPAPR 7.3.8): one byte to the console, used by early debug output. */
public final class ConsoleRtas {

    private ConsoleRtas() {
    }

    public static void register(RtasTable table, SpaprVty console) {
        table.register(RtasService.DISPLAY_CHARACTER, call -> {
            if (call.nargs() != 1) {
                call.status(RtasStatus.PARAMETER_ERROR);
                return;
            }
            console.write(new byte[] {(byte) call.arg(0)});
            call.status(RtasStatus.SUCCESS);
        });
    }
}
