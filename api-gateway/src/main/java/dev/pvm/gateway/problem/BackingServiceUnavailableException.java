package dev.pvm.gateway.problem;

/** A service the gateway depends on (placement-service, device-service, an engine) cannot be reached (HTTP 503). */
public final class BackingServiceUnavailableException extends GatewayException {

    private final String service;

    public BackingServiceUnavailableException(String service, String message, Throwable cause) {
        super(service + " is unavailable: " + message, cause);
        this.service = service;
    }

    public String service() {
        return service;
    }
}
