package dev.pvm.gateway.problem;

/** A backing service answered with an error that is not the caller's fault (HTTP 502). */
public final class BackingServiceFailureException extends GatewayException {

    private final String service;

    public BackingServiceFailureException(String service, String message, Throwable cause) {
        super(service + " failed: " + message, cause);
        this.service = service;
    }

    public String service() {
        return service;
    }
}
