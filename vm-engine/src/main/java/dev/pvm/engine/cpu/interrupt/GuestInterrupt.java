package dev.pvm.engine.cpu.interrupt;

/**
 * An interrupt the guest's execution raised (Power ISA v3.0B Book III chapter 7), as a value. The vCPU stops at
 * the instruction that raised it; delivery through the interrupt vectors comes with the system-mode CPU.
 */
public sealed interface GuestInterrupt {

    /** A short description for logs and the VM's failure reason. */
    String describe();

    /** Why a program interrupt was raised (Book III 7.5.9: the SRR1 reason bits). */
    enum ProgramReason {
        ILLEGAL_INSTRUCTION("illegal instruction"),
        PRIVILEGED_INSTRUCTION("privileged instruction in problem state"),
        TRAP("trap"),
        /** An FPSCR exception whose enable bit is set, with MSR[FE0|FE1] != 0 (Book I 4.4, Book III 7.5.9). */
        FLOATING_POINT_ENABLED("floating-point enabled exception");

        private final String text;

        ProgramReason(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /**
     * Program interrupt (vector 0x700).
     *
     * @param detail what exactly was wrong (an unsupported SPR, an invalid form), or empty
     */
    record Program(ProgramReason reason, String detail) implements GuestInterrupt {
        @Override
        public String describe() {
            return "program interrupt: " + reason.text() + (detail.isEmpty() ? "" : " (" + detail + ")");
        }
    }

    /** Floating-point unavailable interrupt (vector 0x800): an FP instruction with MSR[FP]=0 (Book III 7.5.10). */
    record FloatingPointUnavailable() implements GuestInterrupt {
        @Override
        public String describe() {
            return "floating-point unavailable interrupt (MSR[FP]=0)";
        }
    }

    /** System call interrupt (vector 0xc00): {@code sc} with LEV=0, or from problem state. */
    record SystemCall(int lev) implements GuestInterrupt {
        @Override
        public String describe() {
            return "system call interrupt (sc " + lev + ")";
        }
    }

    /**
     * System call vectored interrupt (vectors 0x17000 + 0x20 * LEV, Book III 7.5.19): {@code scv LEV}. Linux
     * returns errors from it as negative values in r3 instead of CR0[SO].
     */
    record SystemCallVectored(int lev) implements GuestInterrupt {
        @Override
        public String describe() {
            return "system call vectored interrupt (scv " + lev + ")";
        }
    }

    /**
     * Machine check (vector 0x200): a real-mode access to a guest physical address no memory or device backs.
     *
     * @param realAddress the guest physical address
     * @param size        access size in bytes
     * @param access      "load", "store" or "instruction fetch"
     */
    record MachineCheck(long realAddress, int size, String access) implements GuestInterrupt {
        @Override
        public String describe() {
            return String.format("machine check: %s of %d byte%s at unbacked guest physical address 0x%x",
                    access, size, size == 1 ? "" : "s", realAddress);
        }
    }

    /** Alignment interrupt (vector 0x600): e.g. lwarx at an address that is not a multiple of 4. */
    record Alignment(long effectiveAddress, String why) implements GuestInterrupt {
        @Override
        public String describe() {
            return String.format("alignment interrupt at effective address 0x%x (%s)", effectiveAddress, why);
        }
    }

    /**
     * Data storage interrupt (vector 0x300, Book III 7.5.3): a relocated data access found no translation or was
     * not permitted. Delivery sets DAR = {@code effectiveAddress} and DSISR = {@code dsisr}.
     *
     * @param dsisr the DSISR reason bits ({@code dev.pvm.engine.cpu.mmu.StorageFault})
     */
    record DataStorage(long effectiveAddress, long dsisr, String why) implements GuestInterrupt {
        @Override
        public String describe() {
            return String.format("data storage interrupt at effective address 0x%x, DSISR 0x%08x (%s)",
                    effectiveAddress, dsisr, why);
        }
    }

    /**
     * Data segment interrupt (vector 0x380, Book III 7.5.4): no SLB entry translates the effective address (hash),
     * or the address lies in a radix quadrant the partition may not use. Delivery sets DAR.
     */
    record DataSegment(long effectiveAddress, String why) implements GuestInterrupt {
        @Override
        public String describe() {
            return String.format("data segment interrupt at effective address 0x%x (%s)", effectiveAddress, why);
        }
    }

    /**
     * Instruction storage interrupt (vector 0x400, Book III 7.5.5): an instruction fetch found no translation or
     * was not permitted.
     *
     * @param srr1Bits the reason bits delivery ORs into SRR1 ({@code dev.pvm.engine.cpu.mmu.StorageFault})
     */
    record InstructionStorage(long effectiveAddress, long srr1Bits, String why) implements GuestInterrupt {
        @Override
        public String describe() {
            return String.format("instruction storage interrupt at effective address 0x%x, SRR1 bits 0x%08x (%s)",
                    effectiveAddress, srr1Bits, why);
        }
    }

    /** Instruction segment interrupt (vector 0x480, Book III 7.5.6): the fetch address has no segment. */
    record InstructionSegment(long effectiveAddress, String why) implements GuestInterrupt {
        @Override
        public String describe() {
            return String.format("instruction segment interrupt at effective address 0x%x (%s)", effectiveAddress,
                    why);
        }
    }
}
