package dev.pvm.engine.cpu.interrupt;

/**
 * An interrupt (Power ISA v3.0B Book III chapter 7), as a value: the synchronous ones an instruction raised (the
 * vCPU stops at that instruction) and the asynchronous ones the machine presents. {@link InterruptDelivery}
 * delivers them through the interrupt vectors.
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
     * Machine check (vector 0x200): an access, in real mode or translated, to a guest physical address no memory
     * or device backs.
     *
     * @param realAddress      the guest physical address
     * @param size             access size in bytes
     * @param access           "load", "store" or "instruction fetch"
     * @param effectiveAddress the access's effective address (DAR for a load or store)
     */
    record MachineCheck(long realAddress, int size, String access, long effectiveAddress) implements GuestInterrupt {

        /** A machine check whose effective address is its real address (real mode, or not known). */
        public MachineCheck(long realAddress, int size, String access) {
            this(realAddress, size, access, realAddress);
        }

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
     * Data storage interrupt (vector 0x300, Book III 7.5.3).
     *
     * @param dsisr the DSISR bits saying why ({@link #DSISR_NO_TRANSLATION}, {@link #DSISR_STORE}, ...)
     */
    record DataStorage(long effectiveAddress, long dsisr, String why) implements GuestInterrupt {

        /** DSISR bit 33: no translation found (no PTE / invalid radix entry). */
        public static final long DSISR_NO_TRANSLATION = 1L << 30;
        /** DSISR bit 36: the access is not permitted (protection). */
        public static final long DSISR_PROTECTION = 1L << 27;
        /** DSISR bit 38: the access was a store. */
        public static final long DSISR_STORE = 1L << 25;

        @Override
        public String describe() {
            return String.format("data storage interrupt at effective address 0x%x, DSISR 0x%x (%s)",
                    effectiveAddress, dsisr, why);
        }
    }

    /** Data segment interrupt (vector 0x380, Book III 7.5.4): no SLB entry / radix segment for the address. */
    record DataSegment(long effectiveAddress, String why) implements GuestInterrupt {
        @Override
        public String describe() {
            return String.format("data segment interrupt at effective address 0x%x (%s)", effectiveAddress, why);
        }
    }

    /**
     * Instruction storage interrupt (vector 0x400, Book III 7.5.5).
     *
     * @param srr1Reason the SRR1 bits saying why (bits 33:36, 42:47; e.g. {@link #SRR1_NO_TRANSLATION})
     */
    record InstructionStorage(long effectiveAddress, long srr1Reason, String why) implements GuestInterrupt {

        /** SRR1 bit 33: no translation found. */
        public static final long SRR1_NO_TRANSLATION = 1L << 30;
        /** SRR1 bit 35: fetch from no-execute or guarded storage. */
        public static final long SRR1_NO_EXECUTE = 1L << 28;
        /** SRR1 bit 36: the fetch is not permitted (protection). */
        public static final long SRR1_PROTECTION = 1L << 27;

        @Override
        public String describe() {
            return String.format("instruction storage interrupt at effective address 0x%x, SRR1 reason 0x%x (%s)",
                    effectiveAddress, srr1Reason, why);
        }
    }

    /** Instruction segment interrupt (vector 0x480, Book III 7.5.6). */
    record InstructionSegment(long effectiveAddress, String why) implements GuestInterrupt {
        @Override
        public String describe() {
            return String.format("instruction segment interrupt at effective address 0x%x (%s)", effectiveAddress,
                    why);
        }
    }

    /** Vector unavailable interrupt (vector 0xf20, Book III 7.5.16): a VMX instruction with MSR[VEC]=0. */
    record VectorUnavailable() implements GuestInterrupt {
        @Override
        public String describe() {
            return "vector unavailable interrupt (MSR[VEC]=0)";
        }
    }

    /** VSX unavailable interrupt (vector 0xf40, Book III 7.5.17): a VSX instruction with MSR[VSX]=0. */
    record VsxUnavailable() implements GuestInterrupt {
        @Override
        public String describe() {
            return "VSX unavailable interrupt (MSR[VSX]=0)";
        }
    }

    /**
     * Facility unavailable interrupt (vector 0xf60, Book III 7.5.18): a facility FSCR disables was used.
     *
     * @param cause the facility number, which goes to FSCR[IC] ({@code dev.pvm.engine.cpu.Fscr})
     */
    record FacilityUnavailable(int cause, String what) implements GuestInterrupt {
        @Override
        public String describe() {
            return "facility unavailable interrupt (" + what + ")";
        }
    }

    /** External interrupt (vector 0x500, Book III 7.5.7): the interrupt controller asserts the vCPU's line. */
    record External() implements GuestInterrupt {
        @Override
        public String describe() {
            return "external interrupt";
        }
    }

    /** Decrementer interrupt (vector 0x900, Book III 7.5.11): DEC's most significant bit is 1. */
    record Decrementer() implements GuestInterrupt {
        @Override
        public String describe() {
            return "decrementer interrupt";
        }
    }

    /** System reset interrupt (vector 0x100, Book III 7.5.1), e.g. the hypervisor's NMI. */
    record SystemReset() implements GuestInterrupt {
        @Override
        public String describe() {
            return "system reset interrupt";
        }
    }
}
