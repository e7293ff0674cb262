#!/bin/sh
# Builds kernels.bin for TranslatorBenchmark: a flat image loaded at 0x10000 that starts with main (gcc puts
# .text.startup first); the benchmark enters it with r1 = 0xF0000 and r12 = 0x10000 (ELFv2 global entry).
set -e
cd "$(dirname "$0")"
powerpc64le-linux-gnu-gcc -O2 -ffreestanding -fno-builtin -nostdlib -static -mcpu=power9 -mno-vsx -mno-altivec \
    -msoft-float -Wl,-N -Wl,--build-id=none -fno-asynchronous-unwind-tables -Wl,-Ttext=0x10000 -Wl,-e,main -o kernels.elf kernels.c
powerpc64le-linux-gnu-objcopy -O binary -j .text kernels.elf kernels.bin
ls -l kernels.bin
