package dev.pvm.gateway.problem;

import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/**
 * The one place that turns failures into RFC 9457 problem+json. Field errors carry {@code field} (the first
 * offending field) and {@code errors} (all of them, each {field, message}); backing-service errors carry
 * {@code service}. Spring MVC's own exceptions (unreadable body, bad path variable, unknown route) come through
 * the base class so that they get the same shape.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);
    private static final String TYPES = "https://pvm.dev/problems/";

    @ExceptionHandler(GatewayException.class)
    ResponseEntity<ProblemDetail> gateway(GatewayException e) {
        ProblemDetail problem = switch (e) {
            case InvalidRequestException invalid -> fieldProblem(invalid.violations());
            case VmNotFoundException notFound -> {
                ProblemDetail p = problem(HttpStatus.NOT_FOUND, "vm-not-found", "VM not found", e.getMessage());
                p.setProperty("field", "id");
                yield p;
            }
            case VmConflictException conflict -> {
                ProblemDetail p = problem(HttpStatus.CONFLICT, "conflict", "Conflict with the current state",
                        e.getMessage());
                if (conflict.field() != null) {
                    p.setProperty("field", conflict.field());
                    p.setProperty("errors", List.of(new FieldViolation(conflict.field(), e.getMessage())));
                }
                yield p;
            }
            case BackingServiceUnavailableException unavailable -> {
                ProblemDetail p = problem(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable",
                        unavailable.service() + " is unavailable", e.getMessage());
                p.setProperty("service", unavailable.service());
                yield p;
            }
            case BackingServiceFailureException failure -> {
                ProblemDetail p = problem(HttpStatus.BAD_GATEWAY, "service-failure", failure.service() + " failed",
                        e.getMessage());
                p.setProperty("service", failure.service());
                yield p;
            }
            case EngineLaunchException launch -> {
                ProblemDetail p = problem(HttpStatus.BAD_GATEWAY, "engine-launch-failed", "Engine launch failed",
                        e.getMessage());
                p.setProperty("service", "vm-engine");
                yield p;
            }
        };
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String field = "";
        String message = "the body is not valid JSON for this request";
        if (e.getCause() instanceof JacksonException json) {
            field = path(json.getPath());
            message = json.getOriginalMessage().replaceAll("\\s*\\(start marker at .*", "");
            if (field.isEmpty() && json.getLocation() != null) {
                // A syntax error has no field; its position is the best pointer.
                message = "malformed JSON at line " + json.getLocation().getLineNr() + ", column "
                        + json.getLocation().getColumnNr() + ": " + message;
            }
        } else if (e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")) {
            message = "a JSON body is required";
        }
        return ResponseEntity.badRequest().body(fieldProblem(List.of(new FieldViolation(field, message))));
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String field = e.getPropertyName() == null ? "" : e.getPropertyName();
        String type = e.getRequiredType() == null ? "value" : e.getRequiredType().getSimpleName();
        return ResponseEntity.badRequest().body(fieldProblem(List.of(new FieldViolation(field,
                "'" + e.getValue() + "' is not a valid " + type))));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("unexpected failure", e);
        ProblemDetail p = problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "the gateway failed unexpectedly: " + e);
        return ResponseEntity.internalServerError().body(p);
    }

    private static ProblemDetail fieldProblem(List<FieldViolation> violations) {
        ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                violations.stream().map(v -> (v.field().isEmpty() ? "" : v.field() + ": ") + v.message())
                        .reduce((a, b) -> a + "; " + b).orElse(""));
        p.setProperty("field", violations.getFirst().field());
        p.setProperty("errors", violations);
        return p;
    }

    private static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(URI.create(TYPES + type));
        p.setTitle(title);
        return p;
    }

    /** Jackson's reference path as the JSON path a user wrote: phbs[1].index. */
    private static String path(List<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference r : references) {
            if (r.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
