/*
 * Fixed-point instructions, one small leaf function per case, driven by
 * isa_fixed.c. Every function takes a pointer to struct io (isa_fixed.c) in
 * r3, loads the inputs a, b, c, d into r4-r7, sets XER from io.xer_in and
 * clears CR, runs the instructions under test (results in r9 and r10), then
 * stores r9, r10, XER and CR back. So each printed line shows exactly what
 * the instructions did to their target, to XER (SO OV CA OV32 CA32) and CR.
 *
 * Assembled for POWER9 (ISA 3.0B). The load/store multiple and string
 * instructions are only built big-endian: in little-endian mode they cause
 * an alignment interrupt (binutils >= 2.36 refuses them for LE; QEMU raises
 * SIGBUS; the Linux kernel would emulate them, which the ISA does not ask).
 */
        .machine power9
        .abiversion _CALL_ELF

#define IO_A      0
#define IO_B      8
#define IO_C      16
#define IO_D      24
#define IO_RT     32
#define IO_XER    40
#define IO_CR     48
#define IO_RT2    56
#define IO_XER_IN 64
#define IO_SAVE   72    /* 4 doublewords to save r28-r31 around lmw */
#define IO_MEM    128   /* 512 bytes of scratch memory, 128-byte aligned */

/* Function entry for both ABIs: ELFv1 needs a descriptor in .opd. These
 * leaf functions use no TOC, so ELFv2 needs no global entry prologue. */
#if _CALL_ELF == 2
        .macro FUNC name
        .text
        .globl \name
        .type \name, @function
        .p2align 4
\name:
        .endm
        .macro ENDFUNC name
        .size \name, . - \name
        .endm
#else
        .macro FUNC name
        .section ".opd", "aw"
        .p2align 3
        .globl \name
\name:
        .quad .L.\name, .TOC.@tocbase, 0
        .text
        .type \name, @function
        .p2align 4
.L.\name:
        .endm
        .macro ENDFUNC name
        .size \name, . - .L.\name
        .endm
#endif

        .macro PROLOGUE
        ld 4, IO_A(3)
        ld 5, IO_B(3)
        ld 6, IO_C(3)
        ld 7, IO_D(3)
        ld 8, IO_XER_IN(3)
        mtxer 8
        li 0, 0
        mtcrf 0xff, 0
        li 9, 0
        li 10, 0
        .endm
        .macro EPILOGUE
        std 9, IO_RT(3)
        std 10, IO_RT2(3)
        mfxer 8
        std 8, IO_XER(3)
        mfcr 8
        std 8, IO_CR(3)
        blr
        .endm

/* T(name, instructions...): one test function (see the file comment). A
 * C macro, not a gas one: the body is ';'-separated statements, which gas
 * would end a macro argument at. */
#define T(name, ...) FUNC t_##name; PROLOGUE; __VA_ARGS__; EPILOGUE; ENDFUNC t_##name

/* ---- add/subtract: carries (CA, CA32), overflow (OV, OV32, SO) ---- */
T(add, add 9,4,5)
T(add_rc, add. 9,4,5)
T(addo, addo 9,4,5)
T(addo_rc, addo. 9,4,5)
T(addc, addc 9,4,5)
T(addco, addco. 9,4,5)
T(adde, adde 9,4,5)
T(addeo, addeo. 9,4,5)
T(addme, addme 9,4)
T(addmeo, addmeo. 9,4)
T(addze, addze 9,4)
T(addzeo, addzeo. 9,4)
T(addic, addic 9,4,-1)
T(addic_rc, addic. 9,4,0x7fff)
T(addi, addi 9,4,-0x8000)
T(addis, addis 9,4,0x7fff)
T(subf, subf 9,4,5)
T(subfo, subfo. 9,4,5)
T(subfc, subfc 9,4,5)
T(subfco, subfco. 9,4,5)
T(subfe, subfe 9,4,5)
T(subfeo, subfeo. 9,4,5)
T(subfme, subfme 9,4)
T(subfze, subfzeo. 9,4)
T(subfic, subfic 9,4,100)
T(neg, neg 9,4)
T(nego, nego. 9,4)
        /* addex with CY=0 uses OV as carry in and out (ISA 3.0) */
T(addex, addex 9,4,5,0)

/* ---- multiply and divide ---- */
T(mulli, mulli 9,4,-3)
T(mullw, mullw 9,4,5)
T(mullwo, mullwo. 9,4,5)
T(mulld, mulld 9,4,5)
T(mulldo, mulldo. 9,4,5)
T(mulhw, mulhw. 9,4,5)
T(mulhwu, mulhwu 9,4,5)
T(mulhd, mulhd. 9,4,5)
T(mulhdu, mulhdu 9,4,5)
T(maddld, maddld 9,4,5,6)
T(maddhd, maddhd 9,4,5,6)
T(maddhdu, maddhdu 9,4,5,6)
T(divw, divw 9,4,5)
T(divwo, divwo. 9,4,5)
T(divwu, divwu 9,4,5)
T(divwuo, divwuo. 9,4,5)
T(divd, divd 9,4,5)
T(divdo, divdo. 9,4,5)
T(divdu, divdu 9,4,5)
T(divduo, divduo. 9,4,5)
T(divwe, divwe 9,4,5)
T(divweo, divweo 9,4,5)
T(divweu, divweu 9,4,5)
T(divweuo, divweuo 9,4,5)
T(divde, divde 9,4,5)
T(divdeo, divdeo. 9,4,5)
T(divdeu, divdeu 9,4,5)
T(divdeuo, divdeuo 9,4,5)
T(modsw, modsw 9,4,5)
T(moduw, moduw 9,4,5)
T(modsd, modsd 9,4,5)
T(modud, modud 9,4,5)

/* ---- logical, count, parity, compare-bytes, permute ---- */
T(and_rc, and. 9,4,5)
T(andc, andc 9,4,5)
T(or, or 9,4,5)
T(orc_rc, orc. 9,4,5)
T(xor, xor 9,4,5)
T(nand, nand 9,4,5)
T(nor_rc, nor. 9,4,5)
T(eqv, eqv 9,4,5)
T(andi, andi. 9,4,0x8001)
T(andis, andis. 9,4,0x8001)
T(ori_oris, ori 9,4,0x1234; oris 9,9,0xfedc)
T(xoris, xori 9,4,0xffff; xoris 9,9,0x8000)
T(extsb, extsb. 9,4)
T(extsh, extsh 9,4)
T(extsw, extsw. 9,4)
T(cntlzw, cntlzw. 9,4)
T(cntlzd, cntlzd 9,4)
T(cnttzw, cnttzw 9,4)
T(cnttzd, cnttzd. 9,4)
T(popcntb, popcntb 9,4)
T(popcntw, popcntw 9,4)
T(popcntd, popcntd 9,4)
T(prtyw, prtyw 9,4)
T(prtyd, prtyd 9,4)
T(cmpb, cmpb 9,4,5)
T(bpermd, bpermd 9,4,5)

/* ---- rotate and shift ---- */
T(rlwinm, rlwinm 9,4,5,8,23)
T(rlwinm_w, rlwinm. 9,4,31,28,3)  /* wrapping mask */
T(rlwnm, rlwnm 9,4,5,0,31)
T(rlwimi, mr 9,5; rlwimi 9,4,8,12,19)
T(rldicl, rldicl 9,4,13,20)
T(rldicr, rldicr. 9,4,60,15)
T(rldic, rldic 9,4,4,40)
T(rldimi, mr 9,5; rldimi 9,4,16,24)
T(rldcl, rldcl 9,4,5,8)
T(rldcr, rldcr 9,4,5,55)
T(slw, slw 9,4,5)
T(srw, srw. 9,4,5)
T(sraw, sraw 9,4,5)
T(sraw_rc, sraw. 9,4,5)
T(srawi0, srawi 9,4,0)
T(srawi31, srawi 9,4,31)
T(sld, sld 9,4,5)
T(srd, srd 9,4,5)
T(srad, srad. 9,4,5)
T(sradi0, sradi 9,4,0)
T(sradi63, sradi 9,4,63)
T(sradi32, sradi. 9,4,32)
T(extswsli, extswsli 9,4,7)

/* ---- compares, CR logic, isel, setb, mcrxrx ---- */
T(cmp_all, cmpd 0,4,5; cmpld 1,4,5; cmpw 2,4,5; cmplw 3,4,5; cmpdi 4,4,-1; cmpldi 5,4,0xffff; cmpwi 6,4,0; cmplwi 7,4,0x8000)
T(cmprb, cmprb 0,0,4,5; cmprb 1,1,4,5)
T(cmpeqb, cmpeqb 0,4,5)
T(setb, cmpd 4,5; setb 9,0; cmpld 3,4,5; setb 10,3)
T(crlogic, cmpd 0,4,5; cmpd 1,5,4; crand 8,0,5; cror 9,1,4; crxor 10,2,6; crnand 11,0,4; crnor 12,1,5; creqv 13,2,2; crandc 14,0,5; crorc 15,1,6; mcrf 4,0; mcrf 5,1)
T(mtcrf, mtcrf 0x81,4; mtocrf 0x10,5; mfocrf 10,0x80)
T(isel, cmpd 4,5; isel 9,4,5,0; isel 10,4,5,2)
T(isel_r0, cmpd 4,5; isel 9,0,5,1; cmpdi 1,5,0; isel 10,4,0,6)
T(mcrxrx, addo 8,4,5; addc 8,4,5; mcrxrx 7)
        /* traps whose conditions are never true: TO=0, or gt|ltu / lt|gt on equal operands */
T(twi, twi 0,4,0x1234; tdi 0,4,-1; tw 0,4,5; td 10,4,4; tw 24,5,5; li 9,1)

/* ---- XER through mtxer/mfxer: the defined bits survive ---- */
        /* SO OV CA (0xe0000000), OV32 CA32 (0x000c0000) and the byte count (0x7f) */
T(xer_bits, mfxer 9; lis 8,0xe00c; ori 8,8,0x7f; mtxer 8; mfxer 10)

/* ---- branches: CTR loops, conditional and indirect ---- */
T(bdnz, andi. 4,4,0xff; addi 4,4,1; mtctr 4; 1: addi 9,9,1; bdnz 1b; mfctr 10)
T(bdnzt, andi. 6,5,0x3f; addi 6,6,2; mtctr 6; li 8,0; 1: addi 9,9,1; cmpd 1,9,8; addi 8,8,1; bdnzf 5,1b; mfctr 10)
T(bcond, cmpd 4,5; blt 1f; ori 9,9,1; 1: bgt 2f; ori 9,9,2; 2: beq 3f; ori 9,9,4; 3: bns 4f; ori 9,9,8; 4: bge- 5f; ori 9,9,16; 5: ble+ 6f; ori 9,9,32; 6: nop)
T(bctr, mflr 11; bl 1f; 1: mflr 8; mtlr 11; addi 8,8,(2f-1b); mtctr 8; cmpd 4,5; li 9,1; bgtctr; li 9,2; 2: addi 9,9,16; addi 8,8,(3f-2b); mtctr 8; bltctr- ; ori 10,10,1; 3: nop)

/* ---- loads and stores ---- */
        /* index registers are cut to 0..31 (rldicl ...,0,59) to stay inside io.mem */
T(lbrx, addi 11,3,IO_MEM; rldicl 12,5,0,59; lhbrx 9,11,12; rldicl 12,6,0,59; lwbrx 10,11,12)
T(ldbrx, addi 11,3,IO_MEM; rldicl 12,5,0,59; ldbrx 9,11,12; ld 10,0(11))
T(stbrx, addi 11,3,IO_MEM; rldicl 12,5,0,59; sthbrx 4,11,12; rldicl 12,6,0,59; stwbrx 4,11,12; addi 12,12,8; stdbrx 4,11,12; ld 9,0(11); lwz 10,0(11))
T(update, addi 11,3,IO_MEM; lbzu 9,3(11); lhau 8,5(11); rldicl 12,5,0,59; lwzux 10,11,12; add 9,9,8; addi 12,3,IO_MEM; subf 8,12,11; rldimi 10,8,48,0)
T(lwa, addi 11,3,IO_MEM; lwa 9,4(11); lha 10,2(11); rldicl 12,5,0,59; lwax 8,11,12; xor 10,10,8)
T(stores, addi 11,3,IO_MEM; stb 4,0(11); sth 4,2(11); stw 4,4(11); std 4,8(11); stdu 5,16(11); rldicl 12,6,0,59; stwux 4,11,12; addi 12,3,IO_MEM; subf 10,12,11; ld 9,0(12))
T(lq, addi 11,3,IO_MEM; lq 10,0(11); mr 9,10; mr 10,11)
T(stq, addi 11,3,IO_MEM; mr 8,4; mr 9,5; stq 8,32(11); ld 9,32(11); ld 10,40(11))
T(dcbz, addi 11,3,IO_MEM+130; dcbz 0,11; dcbt 0,11; dcbtst 0,11; dcbst 0,11; dcbf 0,11; icbi 0,11; sync; isync; li 9,1)
T(tb, mftb 9; mfspr 10,268; subf 10,9,10)
/* VRSAVE is a 32-bit SPR; QEMU 7.2 keeps all 64 bits written, so the driver
 * prints the low word only, and not the initial value (0 under qemu-user,
 * 0xffffffff under Linux). */
T(vrsave, mfvrsave 8; mtvrsave 4; mfvrsave 9; mfspr 10,256; mtvrsave 8)
T(darn, darn 9,1; darn 10,2)
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        /* lmw/stmw touch r28-r31 (non-volatile): save them in io first. */
T(lmw, std 28,IO_SAVE(3); std 29,IO_SAVE+8(3); std 30,IO_SAVE+16(3); std 31,IO_SAVE+24(3); addi 11,3,IO_MEM; lmw 28,4(11); rldimi 29,28,32,0; rldimi 31,30,32,0; mr 9,29; mr 10,31; stmw 28,64(11); ld 28,IO_SAVE(3); ld 29,IO_SAVE+8(3); ld 30,IO_SAVE+16(3); ld 31,IO_SAVE+24(3))
T(lswi, addi 12,3,IO_MEM; lswi 9,12,7)
T(lswx, addi 12,3,IO_MEM; rldicl 11,5,0,61; li 8,6; mtxer 8; lswx 9,12,11)
T(stswi, addi 12,3,IO_MEM; mr 9,4; mr 10,5; stswi 9,12,7; ld 9,0(12))
T(stswx, addi 12,3,IO_MEM; mr 9,4; mr 10,5; rldicl 11,6,0,61; li 8,5; mtxer 8; stswx 9,12,11; ld 10,0(12))
#endif

        .section .note.GNU-stack, "", @progbits
