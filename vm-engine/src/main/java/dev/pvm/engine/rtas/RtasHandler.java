package dev.pvm.engine.rtas;

/** One RTAS service's implementation: reads its arguments from the call and writes status and results. */
@FunctionalInterface
public interface RtasHandler {

    void call(RtasCall call);
}
