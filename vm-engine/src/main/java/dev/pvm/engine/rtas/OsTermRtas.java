package dev.pvm.engine.rtas;

import dev.pvm.engine.memory.GuestMemory;
import dev.pvm.engine.memory.GuestMemoryAccessException;
import java.nio.charset.StandardCharsets;

/**
 * RTAS {@code ibm,os-term} (LoPAPR 7.3.9.x): the OS reports it is terminating abnormally (a Linux panic) with a
 * message. Like QEMU (spapr_rtas.c) we record the message and return: the tree advertises
 * {@code ibm,extended-os-term}, which tells the guest the call returns, so it goes on to its own panic action.
 */
public final class OsTermRtas {

    private static final System.Logger LOG = System.getLogger(OsTermRtas.class.getName());
    /** The longest message read (QEMU reads 511 bytes). */
    static final int MESSAGE_LIMIT = 511;

    private OsTermRtas() {
    }

    /**
     * @param onTerminate told the guest's message (for the VM's state), on the calling vCPU thread
     */
    public static void register(RtasTable table, GuestMemory memory, java.util.function.Consumer<String> onTerminate) {
        table.register(RtasService.OS_TERM, call -> {
            if (!call.hasShape(1, 1)) {
                call.status(RtasStatus.PARAMETER_ERROR);
                return;
            }
            String message = message(memory, call.arg(0) & 0xffff_ffffL);
            LOG.log(System.Logger.Level.ERROR, "guest OS terminated: " + message);
            onTerminate.accept(message);
            call.status(RtasStatus.SUCCESS);
        });
    }

    /** The NUL-terminated message, cut at the limit or at the end of RAM. */
    static String message(GuestMemory memory, long address) {
        byte[] text = new byte[MESSAGE_LIMIT];
        int n = 0;
        try {
            while (n < MESSAGE_LIMIT) {
                int b = memory.load8(address + n);
                if (b == 0) {
                    break;
                }
                text[n++] = (byte) b;
            }
        } catch (GuestMemoryAccessException e) {
            // The message runs off RAM: keep what was readable.
        }
        return new String(text, 0, n, StandardCharsets.UTF_8);
    }
}
