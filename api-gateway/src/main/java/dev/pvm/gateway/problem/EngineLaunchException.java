package dev.pvm.gateway.problem;

/** The engine process could not be started or did not come up (no jar, no port file in time, early exit). */
public final class EngineLaunchException extends GatewayException {

    public EngineLaunchException(String message) {
        super(message);
    }

    public EngineLaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
