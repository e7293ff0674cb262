package dev.pvm.gateway.problem;

/**
 * Root of every failure the gateway reports to its callers. Each subtype carries what the problem+json answer
 * needs (field, service, state), and {@link ProblemDetailsAdvice} is the one place that turns them into HTTP.
 */
public abstract sealed class GatewayException extends RuntimeException
        permits InvalidRequestException, VmNotFoundException, VmConflictException, BackingServiceUnavailableException,
                BackingServiceFailureException, EngineLaunchException {

    protected GatewayException(String message) {
        super(message);
    }

    protected GatewayException(String message, Throwable cause) {
        super(message, cause);
    }
}
