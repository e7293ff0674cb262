package dev.pvm.engine.cpu.interp;

/**
 * Transactional memory (Power ISA v3.0B Book II chapter 5) on a CPU that never runs a transaction: AT_HWCAP2
 * does not advertise HTM, so software that checks (glibc's lock elision does) never starts one, and software that
 * does not sees every transaction fail at once. As in QEMU: {@code tbegin.} sets CR0 to 0b1010 (failure, the
 * transaction did not start), the other instructions act as outside a transaction and set CR0 to 0b0000.
 */
final class TransactionalMemoryOps {

    /** CR0 after tbegin.: LT=1 (failure handler path), GT=0, EQ=1 as for a failed transaction (QEMU). */
    static final int TBEGIN_FAILED = 0b1010;

    private TransactionalMemoryOps() {
    }

    static void bind(SemanticsBinder b) {
        b.bind("TBEGIN.", row -> (s, i) -> s.setCrField(0, TBEGIN_FAILED));
        b.bind("TEND.", row -> (s, i) -> s.setCrField(0, 0));
        b.bind("TABORT.", row -> (s, i) -> s.setCrField(0, 0));
    }
}
