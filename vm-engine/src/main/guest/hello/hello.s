# The built-in "hello" guest: a tiny ppc64 program entered exactly like a Linux kernel on pseries.
#
# Entry (kexec style, no firmware): r3 = physical address of the flattened device tree, r4 = r5 = 0,
# MSR = SF|ME (64-bit, big-endian, real mode). The program
#   1. switches to little-endian first when built little-endian (LITTLE defined), as Linux's FIXUP_ENDIAN does;
#   2. walks the device tree's structure block to find the console (vty reg), /rtas linux,rtas-entry and the
#      power-off token, the model string, and the memory@ nodes' sizes (nothing is hard-coded);
#   3. prints a greeting and a line of what it read through the PAPR hypercall H_PUT_TERM_CHAR;
#   4. powers off through RTAS, entered the way Linux enters it (32-bit big-endian real mode via rfid).
#
# Built twice by build.sh: big-endian with powerpc64-linux-gnu-as, little-endian with powerpc64le-linux-gnu-as
# --defsym LITTLE=1. Everything (code, strings, buffers, stack) is in one position-independent section.

        .set    H_PUT_TERM_CHAR, 0x58
        .set    FDT_MAGIC_HI, 0xd00d
        .set    FDT_MAGIC_LO, 0xfeed
        .set    FDT_BEGIN_NODE, 1
        .set    FDT_END_NODE, 2
        .set    FDT_PROP, 3
        .set    FDT_NOP, 4
        .set    FDT_END, 9
        .set    MSR_ME_RI, 0x1002           # MSR for RTAS: ME|RI, i.e. 32-bit, big-endian, real mode
        .set    FRAME, 64                   # stack frame: back chain, LR save, spills

# Big-endian fetch/store helpers: the device tree and RTAS arguments are big-endian whatever our byte order.
        .macro  LOAD_BE32 rt, ra
        .ifdef  LITTLE
        lwbrx   \rt, 0, \ra
        .else
        lwz     \rt, 0(\ra)
        .endif
        .endm

        .macro  STORE_BE32 rs, ra
        .ifdef  LITTLE
        stwbrx  \rs, 0, \ra
        .else
        stw     \rs, 0(\ra)
        .endif
        .endm

# One big-endian instruction word, whatever byte order the assembler emits.
        .macro  BE_WORD w
        .byte   ((\w) >> 24) & 0xff, ((\w) >> 16) & 0xff, ((\w) >> 8) & 0xff, (\w) & 0xff
        .endm

        .section .guest, "awx"
        .globl  _start
_start:
        .ifdef  LITTLE
        .long   0x08000048                  # BE: b .+8   LE: tdi 0,0,0x48 (never traps)
        b       native                      # LE: already little-endian
        # Big-endian words: set MSR[LE] and return to ourselves through rfid (only rfid changes LE).
        BE_WORD 0x7d6000a6                  # mfmsr   r11
        BE_WORD 0x616b0001                  # ori     r11,r11,1          MSR[LE]
        BE_WORD 0x39800000                  # li      r12,0
        BE_WORD 0x7d810164                  # mtmsrd  r12,1              EE=RI=0 while SRR0/1 are live
        BE_WORD 0x429f0005                  # bcl     20,31,.+4
        BE_WORD 0x7d8802a6                  # mflr    r12
        BE_WORD 0x398c0014                  # addi    r12,r12,20         -> native
        BE_WORD 0x7d9a03a6                  # mtsrr0  r12
        BE_WORD 0x7d7b03a6                  # mtsrr1  r11
        BE_WORD 0x4c000024                  # rfid
        .endif
native:
        bcl     20, 31, anchor              # r30 = run-time address of anchor: all data is reached from it
anchor:
        mflr    %r30
        mr      %r31, %r3                   # r31 = device tree
        addi    %r1, %r30, stack_top - anchor
        li      %r0, 0
        stdu    %r0, -FRAME(%r1)            # terminate the back chain

        li      %r20, 0                     # console: vty 0 (the first vty) until the tree names one
        mr      %r3, %r31
        LOAD_BE32 %r3, %r3
        lis     %r4, FDT_MAGIC_HI
        ori     %r4, %r4, FDT_MAGIC_LO
        cmplw   %r3, %r4
        bne     bad_tree

        addi    %r3, %r31, 8                # off_dt_struct
        LOAD_BE32 %r3, %r3
        add     %r29, %r31, %r3             # r29 = structure block cursor
        addi    %r3, %r31, 12               # off_dt_strings
        LOAD_BE32 %r3, %r3
        add     %r28, %r31, %r3             # r28 = strings block
        li      %r27, 0                     # depth: 1 inside /, 2 inside /rtas ...
        li      %r26, 0                     # name of the node being read
        li      %r25, 0                     # model string
        li      %r24, 0                     # its length without the NUL
        li      %r23, 0                     # linux,rtas-entry
        li      %r22, 0                     # power-off token
        li      %r21, 0                     # bytes of memory in all memory@ nodes
        li      %r19, 2                     # #address-cells of / (default 2)
        li      %r18, 1                     # #size-cells of / (default 1)

walk:
        LOAD_BE32 %r3, %r29
        addi    %r29, %r29, 4
        cmpwi   %r3, FDT_BEGIN_NODE
        beq     begin_node
        cmpwi   %r3, FDT_PROP
        beq     property
        cmpwi   %r3, FDT_END_NODE
        beq     end_node
        cmpwi   %r3, FDT_NOP
        beq     walk
        cmpwi   %r3, FDT_END
        beq     walked
        b       bad_tree

begin_node:
        addi    %r27, %r27, 1
        mr      %r26, %r29
        mr      %r3, %r29
        bl      strlen
        add     %r29, %r29, %r3
        addi    %r29, %r29, 4               # NUL, then round up to a 4-byte boundary
        clrrdi  %r29, %r29, 2
        b       walk

end_node:
        addi    %r27, %r27, -1
        b       walk

property:
        LOAD_BE32 %r17, %r29                # value length
        addi    %r3, %r29, 4
        LOAD_BE32 %r3, %r3                  # name offset
        add     %r14, %r28, %r3             # r14 = property name
        addi    %r16, %r29, 8               # r16 = value
        add     %r29, %r16, %r17
        addi    %r29, %r29, 3
        clrrdi  %r29, %r29, 2

        cmpwi   %r27, 1
        bne     not_root
        mr      %r3, %r14
        addi    %r4, %r30, s_model - anchor
        bl      streq
        cmpwi   %r3, 0
        beq     1f
        mr      %r25, %r16
        addi    %r24, %r17, -1
        b       walk
1:      mr      %r3, %r14
        addi    %r4, %r30, s_address_cells - anchor
        bl      streq
        cmpwi   %r3, 0
        beq     2f
        LOAD_BE32 %r19, %r16
        b       walk
2:      mr      %r3, %r14
        addi    %r4, %r30, s_size_cells - anchor
        bl      streq
        cmpwi   %r3, 0
        beq     walk
        LOAD_BE32 %r18, %r16
        b       walk

not_root:
        cmpwi   %r27, 2
        bne     not_depth2
        mr      %r3, %r26
        addi    %r4, %r30, s_rtas - anchor
        bl      streq
        cmpwi   %r3, 0
        beq     memory_node
        mr      %r3, %r14
        addi    %r4, %r30, s_rtas_entry - anchor
        bl      streq
        cmpwi   %r3, 0
        beq     1f
        LOAD_BE32 %r23, %r16
        b       walk
1:      mr      %r3, %r14
        addi    %r4, %r30, s_power_off - anchor
        bl      streq
        cmpwi   %r3, 0
        beq     walk
        LOAD_BE32 %r22, %r16
        b       walk

memory_node:
        mr      %r3, %r26
        addi    %r4, %r30, s_memory - anchor
        bl      startswith
        cmpwi   %r3, 0
        beq     walk
        mr      %r3, %r14
        addi    %r4, %r30, s_reg - anchor
        bl      streq
        cmpwi   %r3, 0
        beq     walk
        sldi    %r3, %r19, 2                # the size follows #address-cells cells of address
        add     %r3, %r16, %r3
        LOAD_BE32 %r4, %r3
        cmpwi   %r18, 2
        bne     1f
        addi    %r3, %r3, 4
        LOAD_BE32 %r5, %r3
        rldicr  %r4, %r4, 32, 31            # high cell << 32
        or      %r4, %r4, %r5
1:      add     %r21, %r21, %r4
        b       walk

not_depth2:
        cmpwi   %r27, 3                     # /vdevice/vty@...: its reg is the terminal number
        bne     walk
        mr      %r3, %r26
        addi    %r4, %r30, s_vty - anchor
        bl      startswith
        cmpwi   %r3, 0
        beq     walk
        mr      %r3, %r14
        addi    %r4, %r30, s_reg - anchor
        bl      streq
        cmpwi   %r3, 0
        beq     walk
        LOAD_BE32 %r20, %r16
        b       walk

walked:
        addi    %r3, %r30, s_greeting - anchor
        li      %r4, s_greeting_end - s_greeting
        bl      puts

        # "Read from the device tree: model "<model>", <n> MiB of memory\r\n"
        addi    %r15, %r30, line - anchor
        mr      %r3, %r15
        addi    %r4, %r30, s_read - anchor
        li      %r5, s_read_end - s_read
        bl      copy
        mr      %r4, %r25
        mr      %r5, %r24
        bl      copy
        addi    %r4, %r30, s_comma - anchor
        li      %r5, s_comma_end - s_comma
        bl      copy
        srdi    %r4, %r21, 20               # bytes -> MiB
        bl      decimal
        addi    %r4, %r30, s_mib - anchor
        li      %r5, s_mib_end - s_mib
        bl      copy
        subf    %r4, %r15, %r3
        mr      %r3, %r15
        bl      puts

        cmpdi   %r23, 0
        beq     no_rtas
        cmpdi   %r22, 0
        beq     no_rtas

        # rtas_args, all big-endian words: token, nargs=2, nret=1, args = -1, -1 (no power-on time), ret
        addi    %r15, %r30, rtas_args - anchor
        mr      %r3, %r15
        STORE_BE32 %r22, %r3
        li      %r4, 2
        addi    %r3, %r15, 4
        STORE_BE32 %r4, %r3
        li      %r4, 1
        addi    %r3, %r15, 8
        STORE_BE32 %r4, %r3
        li      %r4, -1
        addi    %r3, %r15, 12
        STORE_BE32 %r4, %r3
        addi    %r3, %r15, 16
        STORE_BE32 %r4, %r3
        li      %r4, 0
        addi    %r3, %r15, 20
        STORE_BE32 %r4, %r3

        # Enter RTAS like Linux's enter_rtas: rfid to the entry with MSR = ME|RI (32-bit, big-endian, real
        # mode), r3 = the argument block, LR = where RTAS returns to.
        mr      %r3, %r15
        addi    %r12, %r30, rtas_returned - anchor
        mtlr    %r12
        mtsrr0  %r23
        li      %r12, MSR_ME_RI
        mtsrr1  %r12
        rfid

rtas_returned:
        # power-off returned, so it failed. We are in 32-bit big-endian mode: get back to our own mode.
        BE_WORD 0x7d6000a6                  # mfmsr   r11
        BE_WORD 0x39800001                  # li      r12,1
        BE_WORD 0x798cf806                  # sldi    r12,r12,63        MSR[SF]
        BE_WORD 0x7d6b6378                  # or      r11,r11,r12
        .ifdef  LITTLE
        BE_WORD 0x616b0001                  # ori     r11,r11,1         MSR[LE]
        .else
        BE_WORD 0x60000000                  # nop
        .endif
        BE_WORD 0x429f0005                  # bcl     20,31,.+4
        BE_WORD 0x7d8802a6                  # mflr    r12
        BE_WORD 0x398c0014                  # addi    r12,r12,20        -> back_home
        BE_WORD 0x7d9a03a6                  # mtsrr0  r12
        BE_WORD 0x7d7b03a6                  # mtsrr1  r11
        BE_WORD 0x4c000024                  # rfid
back_home:
        addi    %r3, %r30, s_rtas_failed - anchor
        li      %r4, s_rtas_failed_end - s_rtas_failed
        bl      puts
        trap                                # nothing left to do: stop the VM with a program interrupt

no_rtas:
        addi    %r3, %r30, s_no_rtas - anchor
        li      %r4, s_no_rtas_end - s_no_rtas
        bl      puts
        trap

bad_tree:
        addi    %r3, %r30, s_bad_tree - anchor
        li      %r4, s_bad_tree_end - s_bad_tree
        bl      puts
        trap

# puts(r3 = bytes, r4 = length): H_PUT_TERM_CHAR on terminal r20, up to 16 bytes per call, packed big-endian
# into r6 (bytes 0-7) and r7 (bytes 8-15). The hypervisor may clobber r0 and r3-r12, so the loop state lives
# in r14/r15, saved in our frame.
puts:
        mflr    %r0
        std     %r0, 16(%r1)
        stdu    %r1, -FRAME(%r1)
        std     %r14, 32(%r1)
        std     %r15, 40(%r1)
        mr      %r14, %r3
        mr      %r15, %r4
1:      cmpdi   %r15, 0
        beq     9f
        mr      %r5, %r15
        cmpldi  %r15, 16
        ble     2f
        li      %r5, 16
2:      li      %r6, 0
        li      %r7, 0
        li      %r9, 0
3:      cmpd    %r9, %r5
        bge     5f
        lbzx    %r10, %r14, %r9
        cmpdi   %r9, 8
        bge     4f
        sldi    %r6, %r6, 8
        or      %r6, %r6, %r10
        b       6f
4:      sldi    %r7, %r7, 8
        or      %r7, %r7, %r10
6:      addi    %r9, %r9, 1
        b       3b
5:      # left-justify: r6 holds min(n,8) bytes, r7 holds n-8 bytes when n > 8
        mr      %r8, %r5
        cmpdi   %r8, 8
        ble     7f
        li      %r8, 8
7:      subfic  %r8, %r8, 8
        sldi    %r8, %r8, 3
        sld     %r6, %r6, %r8
        addi    %r8, %r5, -8
        cmpdi   %r8, 0
        ble     8f
        subfic  %r8, %r8, 8
        sldi    %r8, %r8, 3
        sld     %r7, %r7, %r8
8:      mr      %r11, %r5
        li      %r3, H_PUT_TERM_CHAR
        mr      %r4, %r20
        sc      1
        cmpdi   %r3, 0
        bne     9f                          # the console refused: drop the rest
        add     %r14, %r14, %r11
        subf    %r15, %r11, %r15
        b       1b
9:      ld      %r14, 32(%r1)
        ld      %r15, 40(%r1)
        addi    %r1, %r1, FRAME
        ld      %r0, 16(%r1)
        mtlr    %r0
        blr

# strlen(r3) -> r3
strlen:
        mr      %r4, %r3
1:      lbz     %r5, 0(%r4)
        cmpwi   %r5, 0
        beq     2f
        addi    %r4, %r4, 1
        b       1b
2:      subf    %r3, %r3, %r4
        blr

# streq(r3, r4) -> r3 = 1 when the NUL-terminated strings are equal, else 0
streq:
1:      lbz     %r5, 0(%r3)
        lbz     %r6, 0(%r4)
        cmpw    %r5, %r6
        bne     2f
        cmpwi   %r5, 0
        beq     3f
        addi    %r3, %r3, 1
        addi    %r4, %r4, 1
        b       1b
2:      li      %r3, 0
        blr
3:      li      %r3, 1
        blr

# startswith(r3 = string, r4 = prefix) -> r3 = 1 when string begins with prefix
startswith:
1:      lbz     %r6, 0(%r4)
        cmpwi   %r6, 0
        beq     3f
        lbz     %r5, 0(%r3)
        cmpw    %r5, %r6
        bne     2f
        addi    %r3, %r3, 1
        addi    %r4, %r4, 1
        b       1b
2:      li      %r3, 0
        blr
3:      li      %r3, 1
        blr

# copy(r3 = destination, r4 = source, r5 = length) -> r3 = destination + length
copy:
        cmpdi   %r5, 0
        beqlr
        mtctr   %r5
1:      lbz     %r6, 0(%r4)
        stb     %r6, 0(%r3)
        addi    %r3, %r3, 1
        addi    %r4, %r4, 1
        bdnz    1b
        blr

# decimal(r3 = destination, r4 = unsigned value) -> r3 = end of the digits
decimal:
        addi    %r7, %r1, -32               # digits are built backwards below the stack pointer
        mr      %r8, %r7
        li      %r9, 10
1:      divdu   %r5, %r4, %r9
        mulld   %r6, %r5, %r9
        subf    %r6, %r6, %r4               # r6 = value % 10
        addi    %r6, %r6, 48                # '0'
        stbu    %r6, -1(%r8)
        mr.     %r4, %r5
        bne     1b
2:      lbz     %r6, 0(%r8)
        stb     %r6, 0(%r3)
        addi    %r3, %r3, 1
        addi    %r8, %r8, 1
        cmpld   %r8, %r7
        blt     2b
        blr

s_model:            .asciz  "model"
s_address_cells:    .asciz  "#address-cells"
s_size_cells:       .asciz  "#size-cells"
s_rtas:             .asciz  "rtas"
s_rtas_entry:       .asciz  "linux,rtas-entry"
s_power_off:        .asciz  "power-off"
s_memory:           .asciz  "memory@"
s_vty:              .asciz  "vty@"
s_reg:              .asciz  "reg"
s_greeting:
        .ifdef  LITTLE
        .ascii  "Hello from a pvm POWER guest (ppc64le)\r\n"
        .else
        .ascii  "Hello from a pvm POWER guest (ppc64)\r\n"
        .endif
s_greeting_end:
s_read:             .ascii  "Read from the device tree: model \""
s_read_end:
s_comma:            .ascii  "\", "
s_comma_end:
s_mib:              .ascii  " MiB of memory\r\n"
s_mib_end:
s_rtas_failed:      .ascii  "RTAS power-off returned: cannot power off\r\n"
s_rtas_failed_end:
s_no_rtas:          .ascii  "No RTAS power-off in the device tree\r\n"
s_no_rtas_end:
s_bad_tree:         .ascii  "r3 does not point at a flattened device tree\r\n"
s_bad_tree_end:

        .balign 8
rtas_args:          .space  32
line:               .space  256
        .balign 16
stack:              .space  4096
stack_top:
