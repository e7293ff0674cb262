package dev.pvm.engine.cpu.translate;

/** Thrown by {@link LockstepExecutor} at the first divergence. */
public final class LockstepDivergenceException extends RuntimeException {

    private final transient LockstepDivergence divergence;

    public LockstepDivergenceException(LockstepDivergence divergence) {
        super(divergence.describe());
        this.divergence = divergence;
    }

    public LockstepDivergence divergence() {
        return divergence;
    }
}
