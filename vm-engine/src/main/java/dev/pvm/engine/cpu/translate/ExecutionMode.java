package dev.pvm.engine.cpu.translate;

import java.util.Locale;

/** How a vCPU executes guest code. */
public enum ExecutionMode {
    /** The reference interpreter, instruction by instruction. */
    INTERPRETER,
    /** Guest code translated to JVM bytecode (the default). */
    TRANSLATOR,
    /** Translator and interpreter side by side, compared after every unit: a test tool. */
    LOCKSTEP;

    /** The system property that selects the engine's mode ({@code interpreter}, {@code translator}, {@code lockstep}). */
    public static final String PROPERTY = "pvm.cpu.mode";

    /** The mode the system property names, or {@link #TRANSLATOR}. */
    public static ExecutionMode fromSystemProperty() {
        String v = System.getProperty(PROPERTY);
        return v == null || v.isBlank() ? TRANSLATOR : parse(v);
    }

    /**
     * @throws IllegalArgumentException for an unknown name
     */
    public static ExecutionMode parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown CPU execution mode '" + name
                    + "' (interpreter, translator or lockstep)", e);
        }
    }
}
