package dev.pvm.engine.hcall;

/** Hypercall return codes in r3 (LoPAPR 14.5.3; Linux arch/powerpc/include/asm/hvcall.h). */
public enum HcallStatus {
    H_SUCCESS(0),
    H_BUSY(1),
    H_HARDWARE(-1),
    H_FUNCTION(-2),
    H_PRIVILEGE(-3),
    H_PARAMETER(-4),
    H_BAD_MODE(-5),
    H_PTEG_FULL(-6),
    H_NOT_FOUND(-7),
    H_RESERVED_DABR(-8),
    H_NO_MEM(-9),
    H_AUTHORITY(-10),
    H_PERMISSION(-11),
    H_DROPPED(-12),
    H_SOURCE_PARM(-13),
    H_DEST_PARM(-14),
    H_REMOTE_PARM(-15),
    H_RESOURCE(-16),
    /** Parameter 2 (r5), 3 (r6), 4 (r7) is invalid. */
    H_P2(-55),
    H_P3(-56),
    H_P4(-57);

    private final long code;

    HcallStatus(long code) {
        this.code = code;
    }

    /** The value the guest finds in r3. */
    public long code() {
        return code;
    }
}
