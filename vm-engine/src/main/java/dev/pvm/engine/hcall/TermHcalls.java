package dev.pvm.engine.hcall;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.devices.vty.SpaprVty;
import java.util.List;

/**
 * The {@code hcall-term} function set: the virtual terminal hypercalls (LoPAPR 14.5.4.7). Linux's hvc_vio and
 * udbg console drivers use them, passing the vty's {@code reg} as the terminal number; like QEMU we also
 * accept 0 as "the first vty" because early boot code does not know the number yet.
 */
public final class TermHcalls {

    public static final long H_GET_TERM_CHAR = 0x54;
    public static final long H_PUT_TERM_CHAR = 0x58;
    public static final String FUNCTION_SET = "hcall-term";

    private final List<SpaprVty> terminals;

    private TermHcalls(List<SpaprVty> terminals) {
        this.terminals = List.copyOf(terminals);
    }

    public static void register(HcallTable table, List<SpaprVty> terminals) {
        TermHcalls calls = new TermHcalls(terminals);
        table.register(H_GET_TERM_CHAR, "H_GET_TERM_CHAR", FUNCTION_SET, calls::getTermChar);
        table.register(H_PUT_TERM_CHAR, "H_PUT_TERM_CHAR", FUNCTION_SET, calls::putTermChar);
    }

    private SpaprVty lookup(long termno) {
        if (termno == 0 && !terminals.isEmpty()) {
            return terminals.getFirst();
        }
        for (SpaprVty t : terminals) {
            if (t.reg() == termno) {
                return t;
            }
        }
        return null;
    }

    /** r4 = terminal, r5 = length (at most 16), r6/r7 = the bytes packed big-endian, first byte highest. */
    private HcallStatus putTermChar(CpuState cpu) {
        SpaprVty vty = lookup(cpu.gpr[4]);
        long length = cpu.gpr[5];
        if (vty == null || length < 0 || length > 16) {
            return HcallStatus.H_PARAMETER;
        }
        byte[] bytes = new byte[(int) length];
        for (int i = 0; i < length; i++) {
            long word = i < 8 ? cpu.gpr[6] : cpu.gpr[7];
            bytes[i] = (byte) (word >>> (56 - 8 * (i % 8)));
        }
        vty.write(bytes);
        return HcallStatus.H_SUCCESS;
    }

    /** r4 = terminal; returns r4 = length (0 when nothing is waiting), r5/r6 = up to 16 bytes packed. */
    private HcallStatus getTermChar(CpuState cpu) {
        SpaprVty vty = lookup(cpu.gpr[4]);
        if (vty == null) {
            return HcallStatus.H_PARAMETER;
        }
        byte[] buffer = new byte[16];
        int n = vty.read(buffer);
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 16; i++) {
            long b = i < n ? buffer[i] & 0xffL : 0;
            if (i < 8) {
                hi |= b << (56 - 8 * i);
            } else {
                lo |= b << (56 - 8 * (i - 8));
            }
        }
        cpu.gpr[4] = n;
        cpu.gpr[5] = hi;
        cpu.gpr[6] = lo;
        return HcallStatus.H_SUCCESS;
    }
}
