package dev.pvm.engine.machine.spapr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.translate.ExecutionMode;
import dev.pvm.engine.loader.BuiltinGuest;
import dev.pvm.engine.machine.RunOutcome;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The built-in hello guests give the same console output and instruction count in every execution mode, with the
 * translator's default threshold (hot code translated) and with every unit translated at first use.
 */
class ExecutionModeMachineTest {

    private static String run(BuiltinGuest guest, ExecutionMode mode, long[] instructions) {
        return run(guest, mode, SpaprMachine.TRANSLATE_AFTER, instructions);
    }

    /** With {@code translateAfter} as the translator's threshold (0: everything translated at first use). */
    private static String run(BuiltinGuest guest, ExecutionMode mode, int translateAfter, long[] instructions) {
        String previous = System.getProperty(ExecutionMode.PROPERTY);
        System.setProperty(ExecutionMode.PROPERTY, mode.name().toLowerCase(java.util.Locale.ROOT));
        System.setProperty(SpaprMachine.TRANSLATE_AFTER_PROPERTY, Integer.toString(translateAfter));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (SpaprMachine m = SpaprMachine.create(SpaprMachineTest.hello(guest), console::write, Clock.systemUTC())) {
            assertThat(SpaprMachineTest.runToEnd(m)).isEqualTo(RunOutcome.POWERED_OFF);
            instructions[0] = m.instructions();
        } finally {
            System.clearProperty(SpaprMachine.TRANSLATE_AFTER_PROPERTY);
            if (previous == null) {
                System.clearProperty(ExecutionMode.PROPERTY);
            } else {
                System.setProperty(ExecutionMode.PROPERTY, previous);
            }
        }
        return console.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(value = BuiltinGuest.class, names = {"HELLO", "HELLO_BE"})
    void helloRunsAlikeInterpretedTranslatedAndInLockstep(BuiltinGuest guest) {
        long[] interpreted = new long[1];
        long[] translated = new long[1];
        long[] lockstep = new long[1];
        long[] translatedAtOnce = new long[1];
        String expected = run(guest, ExecutionMode.INTERPRETER, interpreted);
        assertThat(expected).startsWith("Hello from a pvm POWER guest");
        assertThat(run(guest, ExecutionMode.TRANSLATOR, translated)).isEqualTo(expected);
        assertThat(run(guest, ExecutionMode.TRANSLATOR, 0, translatedAtOnce)).isEqualTo(expected);
        assertThat(run(guest, ExecutionMode.LOCKSTEP, lockstep)).isEqualTo(expected);
        assertThat(translated[0]).isEqualTo(interpreted[0]);
        assertThat(translatedAtOnce[0]).isEqualTo(interpreted[0]);
        assertThat(lockstep[0]).isEqualTo(interpreted[0]);
    }
}
