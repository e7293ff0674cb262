package dev.pvm.engine.devices.xics;

import dev.pvm.engine.rtas.RtasCall;
import dev.pvm.engine.rtas.RtasService;
import dev.pvm.engine.rtas.RtasStatus;
import dev.pvm.engine.rtas.RtasTable;

/**
 * The RTAS side of XICS (LoPAPR 7.3.10.x; QEMU's xics_spapr.c): ibm,set-xive, ibm,get-xive, ibm,int-off and
 * ibm,int-on configure the interrupt sources. Linux's ics-rtas.c finds the ICS only through these four tokens.
 */
public final class XicsRtas {

    private final Xics xics;

    private XicsRtas(Xics xics) {
        this.xics = xics;
    }

    public static void register(RtasTable table, Xics xics) {
        XicsRtas rtas = new XicsRtas(xics);
        table.register(RtasService.SET_XIVE, rtas::setXive);
        table.register(RtasService.GET_XIVE, rtas::getXive);
        table.register(RtasService.INT_OFF, rtas::intOff);
        table.register(RtasService.INT_ON, rtas::intOn);
    }

    /** The source number of a one-argument call, or -1 after writing the parameter error. */
    private static int source(RtasCall call, int nret) {
        if (!call.hasShape(1, nret) || !Xics.validSource(call.arg(0) & 0xffff_ffffL)) {
            call.status(RtasStatus.PARAMETER_ERROR);
            return -1;
        }
        return call.arg(0);
    }

    /** ibm,set-xive(irq, server, priority) -> status. */
    private void setXive(RtasCall call) {
        if (!call.hasShape(3, 1)) {
            call.status(RtasStatus.PARAMETER_ERROR);
            return;
        }
        long irq = call.arg(0) & 0xffff_ffffL;
        long server = call.arg(1) & 0xffff_ffffL;
        long priority = call.arg(2) & 0xffff_ffffL;
        if (!Xics.validSource(irq) || !xics.validServer(server) || priority > 0xff) {
            call.status(RtasStatus.PARAMETER_ERROR);
            return;
        }
        xics.setXive((int) irq, (int) server, (int) priority);
        call.status(RtasStatus.SUCCESS);
    }

    /** ibm,get-xive(irq) -> status, server, priority. */
    private void getXive(RtasCall call) {
        int irq = source(call, 3);
        if (irq >= 0) {
            int[] xive = xics.xive(irq);
            call.status(RtasStatus.SUCCESS);
            call.ret(1, xive[0]);
            call.ret(2, xive[1]);
        }
    }

    /** ibm,int-off(irq) -> status. */
    private void intOff(RtasCall call) {
        int irq = source(call, 1);
        if (irq >= 0) {
            xics.mask(irq);
            call.status(RtasStatus.SUCCESS);
        }
    }

    /** ibm,int-on(irq) -> status. */
    private void intOn(RtasCall call) {
        int irq = source(call, 1);
        if (irq >= 0) {
            xics.unmask(irq);
            call.status(RtasStatus.SUCCESS);
        }
    }
}
