package dev.pvm.engine.linuxuser;

import dev.pvm.engine.cpu.interp.StorageAccess;
import dev.pvm.engine.cpu.runtime.CodePages;
import dev.pvm.engine.cpu.runtime.UnitMemory;
import dev.pvm.engine.cpu.runtime.WriteJournal;
import dev.pvm.engine.cpu.translate.TranslatorMemory;
import java.util.function.LongConsumer;

/** Translated code over a Linux process's {@link UserAddressSpace}: its code pages and its inline accesses. */
final class UserTranslatorMemory implements TranslatorMemory {

    private final UserAddressSpace space;
    private UserCodePages pages;

    UserTranslatorMemory(UserAddressSpace space) {
        this.space = space;
    }

    @Override
    public CodePages codePages(LongConsumer invalidator) {
        pages = new UserCodePages(space, invalidator);
        return pages;
    }

    @Override
    public UnitMemory unitMemory(WriteJournal journal, StorageAccess storage) {
        if (pages == null) {
            throw new IllegalStateException("codePages first: stores check them");
        }
        return UserTranslatorRuntime.of(space, pages, storage);
    }
}
