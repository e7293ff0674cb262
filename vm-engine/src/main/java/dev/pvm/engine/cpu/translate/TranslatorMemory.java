package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.interp.StorageAccess;
import dev.pvm.engine.cpu.runtime.CodePages;
import dev.pvm.engine.cpu.runtime.UnitMemory;
import dev.pvm.engine.cpu.runtime.WriteJournal;
import java.util.function.LongConsumer;

/**
 * How translated code reaches one kind of guest memory: which words hold code (and the store trap) and the
 * entry points units call. {@link TranslatorExecutor} asks for both once, in this order.
 * {@link RealModeTranslatorMemory} is the pseries machine's; the Linux user-mode runner has its own.
 */
public interface TranslatorMemory {

    /** The code-page tracking; {@code invalidator} takes a page number whose units must go. */
    CodePages codePages(LongConsumer invalidator);

    /**
     * The entry points units call.
     *
     * @param journal lockstep's store journal
     * @param storage the slow path: the interpreter's storage access over the tracking memory view
     */
    UnitMemory unitMemory(WriteJournal journal, StorageAccess storage);
}
