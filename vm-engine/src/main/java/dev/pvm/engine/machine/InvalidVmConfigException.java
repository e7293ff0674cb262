package dev.pvm.engine.machine;

import dev.pvm.engine.EngineException;

/**
 * The VM's configuration is invalid or cannot be built (a missing kernel file, a layout that does not add up).
 * {@link #field()} names the offending item with the request's field path ({@code spec.boot.builtin}).
 */
public final class InvalidVmConfigException extends EngineException {

    private final String field;

    public InvalidVmConfigException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public InvalidVmConfigException(String field, String message, Throwable cause) {
        super(field + ": " + message, cause);
        this.field = field;
    }

    public String field() {
        return field;
    }

    /** The message without the field prefix. */
    public String detail() {
        return getMessage().substring(field.length() + 2);
    }
}
