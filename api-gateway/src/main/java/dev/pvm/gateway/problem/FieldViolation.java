package dev.pvm.gateway.problem;

import io.swagger.v3.oas.annotations.media.Schema;

/** One offending request field: its JSON path (e.g. {@code phbs[1].index}) and what is wrong with it. */
@Schema(description = "One invalid request field.")
public record FieldViolation(
        @Schema(description = "JSON path of the offending field.", example = "phbs[1].index") String field,
        @Schema(description = "What is wrong with it.", example = "duplicate PHB index 1 (also used by phbs[0])")
                String message) {}
