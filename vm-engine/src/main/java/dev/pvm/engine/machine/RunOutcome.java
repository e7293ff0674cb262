package dev.pvm.engine.machine;

/** What a slice of guest execution ended with. */
public sealed interface RunOutcome {

    /** The budget ran out (or the machine reset itself); run again. */
    record Continue() implements RunOutcome {
    }

    /** The guest powered off through RTAS. */
    record PoweredOff() implements RunOutcome {
    }

    /** The guest cannot go on; {@code reason} says where and why. */
    record Failed(String reason) implements RunOutcome {
    }

    RunOutcome CONTINUE = new Continue();
    RunOutcome POWERED_OFF = new PoweredOff();
}
