package dev.pvm.engine.hcall;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.memory.GuestMemory;

/**
 * H_PAGE_INIT (LoPAPR 14.5.4.3.x, {@code hcall-copy}): zero or copy one 4 KiB page of guest RAM, optionally
 * making the instruction cache coherent with it. Flags and checks as QEMU's h_page_init: both pages must be
 * page-aligned RAM, unknown flags are H_PARAMETER.
 */
public final class PageInitHcall {

    public static final long H_PAGE_INIT = 0x2c;
    public static final String FUNCTION_SET = "hcall-copy";

    /** Flags in r4 (PAPR numbers them from bit 0 = the most significant). */
    static final long ICACHE_INVALIDATE = 1L << (63 - 40);
    static final long ICACHE_SYNCHRONIZE = 1L << (63 - 41);
    static final long ZERO_PAGE = 1L << (63 - 48);
    static final long COPY_PAGE = 1L << (63 - 49);
    private static final long KNOWN_FLAGS = ICACHE_INVALIDATE | ICACHE_SYNCHRONIZE | ZERO_PAGE | COPY_PAGE;
    static final int PAGE_SIZE = 4096;

    private final GuestMemory memory;
    private final Runnable codeChanged;

    private PageInitHcall(GuestMemory memory, Runnable codeChanged) {
        this.memory = memory;
        this.codeChanged = codeChanged;
    }

    /**
     * @param codeChanged drops translated code: what the icache flags mean for an emulator (QEMU: tb_flush)
     */
    public static void register(HcallTable table, GuestMemory memory, Runnable codeChanged) {
        PageInitHcall call = new PageInitHcall(memory, codeChanged);
        table.register(H_PAGE_INIT, "H_PAGE_INIT", FUNCTION_SET, call::pageInit);
    }

    private boolean ramPage(long address) {
        return (address & (PAGE_SIZE - 1)) == 0 && memory.isBacked(address, PAGE_SIZE);
    }

    /** H_PAGE_INIT(flags, destination, source). */
    private HcallStatus pageInit(CpuState cpu) {
        long flags = cpu.gpr[4];
        long destination = cpu.gpr[5];
        long source = cpu.gpr[6];
        if ((flags & ~KNOWN_FLAGS) != 0 || !ramPage(destination)) {
            return HcallStatus.H_PARAMETER;
        }
        if ((flags & COPY_PAGE) != 0) {
            if (!ramPage(source)) {
                return HcallStatus.H_PARAMETER;
            }
            byte[] page = new byte[PAGE_SIZE];
            memory.read(source, page);
            memory.write(destination, page);
        } else if ((flags & ZERO_PAGE) != 0) {
            memory.fill(destination, PAGE_SIZE, (byte) 0);
        }
        if ((flags & (ICACHE_SYNCHRONIZE | ICACHE_INVALIDATE)) != 0) {
            codeChanged.run();
        }
        return HcallStatus.H_SUCCESS;
    }
}
