# Every row and extended mnemonic of ppc64.isa, for the decoder/disassembler oracle test: binutils assembles
# this file and objdump's text for each word must equal ours. Registers and immediates vary so that field
# boundaries show.
        .section .text
start:
        b       start
        bl      start
        ba      0x100
        bla     0x100
        bc      12,2,start
        bcl     20,31,1f
1:      bca     4,1,0x40
        bdnz    start
        bdz     start
        bdnz+   start
        bdnz-   start
        bdz+    start
        bdz-    start
        beq     start
        bne     cr7,start
        blt     cr1,start
        bgt     start
        bge     cr2,start
        ble     cr3,start
        bso     cr4,start
        bns     cr5,start
        beq+    start
        bne-    cr6,start
        blt+    start
        bge-    start
        beql    start
        bc      0,3,start
        bc      8,5,start
        blr
        blrl
        bctr
        bctrl
        beqlr
        bnelr   cr7
        bltlr   cr1
        bgelr
        bdnzlr
        bdzlr
        beqctr
        bnectr  cr2
        bclr    12,2,1
        bcctr   4,6,0
        sc
        sc      1
        crand   1,2,3
        crnand  4,5,6
        cror    7,8,9
        crxor   10,11,12
        crnor   13,14,15
        creqv   16,17,18
        crandc  19,20,21
        crorc   22,23,24
        crset   25
        crclr   26
        crmove  27,28
        crnot   29,30
        mcrf    cr1,cr7
        lbz     3,1(4)
        lbz     3,-1(0)
        lbzu    5,2(6)
        lhz     7,-32768(8)
        lhzu    9,32767(10)
        lha     11,4(12)
        lhau    13,6(14)
        lwz     15,8(16)
        lwzu    17,-8(18)
        ld      19,16(20)
        ldu     21,-16(22)
        lwa     23,20(24)
        stb     25,1(26)
        stbu    27,-1(28)
        sth     29,2(30)
        sthu    31,4(1)
        stw     0,8(2)
        stwu    1,-48(1)
        std     3,24(1)
        stdu    1,-112(1)
        lbzx    3,4,5
        lbzx    3,0,5
        lbzux   3,4,5
        lhzx    3,4,5
        lhzux   3,4,5
        lhax    3,4,5
        lhaux   3,4,5
        lwzx    3,4,5
        lwzux   3,4,5
        lwax    3,4,5
        lwaux   3,4,5
        ldx     3,4,5
        ldux    3,4,5
        stbx    3,4,5
        stbux   3,4,5
        sthx    3,4,5
        sthux   3,4,5
        stwx    3,4,5
        stwux   3,4,5
        stdx    3,4,5
        stdux   3,4,5
        lhbrx   3,0,5
        lwbrx   3,4,5
        ldbrx   3,0,5
        sthbrx  3,4,5
        stwbrx  3,0,5
        stdbrx  3,4,5
        lwarx   3,0,5
        lwarx   3,4,5,1
        ldarx   3,0,5
        stwcx.  3,0,5
        stdcx.  3,4,5
        addi    3,4,-1
        li      3,100
        addis   3,4,0x1234
        lis     3,-32768
        addic   3,4,7
        addic.  3,4,-7
        subfic  3,4,100
        mulli   3,4,-3
        add     3,4,5
        add.    3,4,5
        addo    3,4,5
        addo.   3,4,5
        addc    3,4,5
        adde.   3,4,5
        addme   3,4
        addzeo  3,4
        subf    3,4,5
        subfc.  3,4,5
        subfe   3,4,5
        subfme  3,4
        subfze. 3,4
        neg     3,4
        nego.   3,4
        mulld   3,4,5
        mulldo. 3,4,5
        mullw   3,4,5
        mulhd   3,4,5
        mulhdu. 3,4,5
        mulhw   3,4,5
        mulhwu  3,4,5
        divd    3,4,5
        divdu   3,4,5
        divw    3,4,5
        divwu.  3,4,5
        divdo   3,4,5
        cmpwi   3,5
        cmpdi   cr7,3,-5
        cmplwi  cr6,3,5
        cmpldi  3,65535
        cmpw    3,4
        cmpd    cr7,3,4
        cmplw   cr1,3,4
        cmpld   3,4
        twi     4,3,10
        tdi     0,0,72
        tdnei   3,0
        twnei   4,0
        tw      4,3,4
        trap
        td      31,3,4
        isel    3,4,5,6
        iseleq  3,0,5
        isellt  3,4,5
        iselgt  3,4,5
        andi.   3,4,0xff
        andis.  3,4,0x8000
        ori     3,4,0xf000
        nop
        oris    3,4,0xffff
        xori    3,4,1
        xoris   3,4,2
        and     3,4,5
        and.    3,4,5
        andc    3,4,5
        or      3,4,5
        or.     3,4,5
        mr      3,4
        mr.     3,4
        orc     3,4,5
        xor     3,4,5
        nand    3,4,5
        nor     3,4,5
        not     3,4
        eqv     3,4,5
        extsb   3,4
        extsh.  3,4
        extsw   3,4
        cntlzw  3,4
        cntlzd. 3,4
        cnttzw  3,4
        cnttzd  3,4
        popcntb 3,4
        popcntw 3,4
        popcntd 3,4
        cmpb    3,4,5
        rlwinm  3,4,5,6,7
        rlwinm. 3,4,0,24,31
        rlwinm  3,4,2,0,29
        rlwinm  3,4,30,2,31
        rlwinm  3,4,7,0,31
        rlwinm  3,4,0,0,31
        rlwnm   3,4,5,6,7
        rlwnm   3,4,5,0,31
        rlwimi  3,4,8,16,23
        rldicl  3,4,0,32
        rldicl  3,4,60,4
        rldicl  3,4,4,0
        rldicl  3,4,33,17
        rldicl. 3,4,0,0
        rldicr  3,4,4,59
        rldicr  3,4,0,59
        rldicr  3,4,5,50
        rldic   3,4,7,20
        rldimi  3,4,32,0
        rldcl   3,4,5,0
        rldcl   3,4,5,10
        rldcr   3,4,5,40
        slw     3,4,5
        srw     3,4,5
        sraw    3,4,5
        srawi   3,4,31
        sld     3,4,5
        srd     3,4,5
        srad    3,4,5
        sradi   3,4,63
        sradi.  3,4,33
        mfspr   3,1
        mflr    3
        mfctr   4
        mfxer   5
        mfsrr0  6
        mfsrr1  7
        mfdar   8
        mfdsisr 9
        mfpvr   10
        mfspr   3,272
        mfspr   3,1023
        mfspr   3,268
        mtspr   272,3
        mtlr    3
        mtctr   4
        mtxer   5
        mtsrr0  6
        mtsrr1  7
        mtdar   8
        mtdsisr 9
        mftb    3
        mftbu   4
        mfcr    3
        mfocrf  3,0x80
        mtcrf   0xff,3
        mtcrf   0x81,3
        mtocrf  0x08,3
        hwsync
        lwsync
        ptesync
        isync
        eieio
        dssall
        dss 1
        dst 3,4,2
        dstt 3,4,0
        dstst 5,6,3
        dststt 5,6,1
        dcbt    3,4
        dcbtst  0,4
        dcbst   3,4
        dcbf    0,4
        dcbz    3,4
        icbi    0,4
        mfmsr   3
        mtmsrd  3
        mtmsrd  3,1
        rfid
        slbmte  3,4
        slbie   4
        slbia
        slbia   7
        slbia   3
        slbmfee 3,4
        slbmfev 5,6
        slbmfee 3,4,1
        slbfee. 3,4
        slbsync
        tlbie   4,0
        tlbie   4,5
        tlbie   4,5,2,1,1
        tlbie   4,0,0,1,1
        tlbiel  4
        tlbiel  4,5,2,1,1
        tlbiel  4,0,3
        tlbsync
        mtspr   48,3
        mfspr   3,48
        mtspr   319,3
        mfspr   3,319
        .long   0
        .long   0x04000000
        dcbf    3,4,1
        dcbf    0,4,3
        dcbt    3,4,1
        dcbt    3,4,8
        dcbt    3,4,9
        dcbt    3,4,16
        dcbt    3,4,17
        dcbt    3,4,20
        dcbtst  3,4,16
        twlt    3,4
        twle    3,4
        twge    3,4
        twgt    3,4
        twne    3,4
        twllt   3,4
        twlle   3,4
        twlge   3,4
        twlgt   3,4
        twu     3,4
        tdeq    3,4
        tdlti   3,-1
        twui    3,5
        bdnzf   2,start
        bdzt    4*cr3+so,start
        bnelr   cr7
        beqlr   cr0,1
        bclr    20,5
        blr     1
        mfspr   3,273
        mtspr   275,3
        # Power ISA v3.0B fixed-point additions
        divde   3,4,5
        divdeo. 3,4,5
        divdeu  3,4,5
        divwe.  3,4,5
        divweuo 3,4,5
        modsd   3,4,5
        modud   3,4,5
        modsw   3,4,5
        moduw   3,4,5
        maddld  3,4,5,6
        maddhd  3,4,5,6
        maddhdu 3,4,5,6
        addex   3,4,5,0
        addpcis 3,5
        addpcis 3,-32768
        lnia    4
        extswsli 3,4,40
        extswsli. 3,4,3
        prtyw   3,4
        prtyd   3,4
        bpermd  3,4,5
        cmprb   cr1,0,3,4
        cmprb   cr7,1,3,4
        cmpeqb  cr2,3,4
        setb    3,cr4
        mcrxrx  cr5
        darn    3,0
        darn    3,2
        lbarx   3,4,5
        lbarx   3,0,5,1
        lharx   3,4,5
        lqarx   4,0,5
        stbcx.  3,4,5
        sthcx.  3,0,5
        stqcx.  4,4,5
        lq      4,16(3)
        lq      6,-32(0)
        stq     4,-16(3)
        # lmw, stmw and the string instructions are big-endian only for the assembler: their words
        .long   0xbb210008      # lmw 25,8(1)
        .long   0xbf210008      # stmw 25,8(1)
        .long   0x7c7404aa      # lswi 3,20,0 (32 bytes)
        .long   0x7c743caa      # lswi 3,20,7
        .long   0x7c642c2a      # lswx 3,4,5
        .long   0x7c6405aa      # stswi 3,4,0 (32 bytes)
        .long   0x7c642d2a      # stswx 3,4,5
        scv     0
        scv     5
        attn
        tbegin.
        tbegin. 1
        tend.
        tendall.
        tabort. 10
        yield
        miso
        mdoio
        mdoom
        or      31,31,31
        clrrwi  3,4,4
        clrrwi. 3,4,1
        mfvrsave 3
        mtvrsave 3
        mfppr   3
        mtppr   3
        mfppr32 3
        mtppr32 3
        mfdscr  3
        mtdscr  3
        mfudscr 3
        mtudscr 3
        bltlr+
        bnslr+
        bgelr-  cr7
        beqctr+ cr1
        bnectr-
        bdnzlr+
        bdzlr-
