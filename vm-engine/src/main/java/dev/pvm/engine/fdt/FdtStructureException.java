package dev.pvm.engine.fdt;

/** The device tree being written would be malformed; {@link #problem()} says how. */
public final class FdtStructureException extends RuntimeException {

    /** Each way the writer can be misused. */
    public enum Problem {
        PROPERTY_OUTSIDE_NODE,
        PROPERTY_AFTER_SUBNODE,
        DUPLICATE_PROPERTY,
        DUPLICATE_NODE,
        SECOND_ROOT,
        ROOT_NOT_EMPTY_NAME,
        END_WRONG_NODE,
        UNCLOSED_NODE,
        NO_ROOT,
        INVALID_NAME,
        DUPLICATE_PHANDLE,
        INVALID_PHANDLE,
        OVERLAPPING_RESERVATION,
        FINISHED
    }

    private final Problem problem;

    public FdtStructureException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
