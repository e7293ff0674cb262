package dev.pvm.engine;

/**
 * The root of the engine's own failures that a caller can act on. Each subtype carries its context and maps to
 * one gRPC status in {@code api.GrpcErrors}.
 *
 * <p>Not sealed: the subtypes live in the packages that throw them, and a sealed hierarchy in the unnamed
 * module must stay in one package.
 */
public abstract class EngineException extends RuntimeException {

    protected EngineException(String message) {
        super(message);
    }

    protected EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
