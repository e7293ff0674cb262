package dev.pvm.engine.cpu.mmu;

/** What a storage access does, which decides the permission it needs and the interrupt a failure raises. */
public enum AccessKind {
    LOAD(SoftTlb.READ),
    STORE(SoftTlb.WRITE),
    FETCH(SoftTlb.EXECUTE);

    private final int permission;

    AccessKind(int permission) {
        this.permission = permission;
    }

    /** The {@link SoftTlb} permission bit this access needs. */
    public int permission() {
        return permission;
    }
}
