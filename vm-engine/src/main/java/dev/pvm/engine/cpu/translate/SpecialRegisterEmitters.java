package dev.pvm.engine.cpu.translate;

/**
 * mfspr/mtspr for LR and CTR (Book I 3.3.17), which the translator keeps in locals; other SPRs fall back.
 */
final class SpecialRegisterEmitters {

    private static final int LR = 8;
    private static final int CTR = 9;

    private SpecialRegisterEmitters() {
    }

    static void bind(EmitterTable t) {
        t.bind("MFSPR", (e, row, i) -> {
            int spr = row.field("spr").raw(i);
            if (spr != LR && spr != CTR) {
                return false;
            }
            if (spr == LR) {
                e.loadLr();
            } else {
                e.loadCtr();
            }
            e.storeGpr(row.field("rt").raw(i));
            return true;
        });
        t.bind("MTSPR", (e, row, i) -> {
            int spr = row.field("spr").raw(i);
            if (spr != LR && spr != CTR) {
                return false;
            }
            e.loadGpr(row.field("rs").raw(i));
            if (spr == LR) {
                e.storeLr();
            } else {
                e.storeCtr();
            }
            return true;
        });
    }
}
