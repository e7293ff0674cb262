/*
 * A bytecode interpreter: a stack machine whose every opcode is a handler
 * called through a table of function pointers (indirect calls and returns
 * on every instruction, as in many real interpreters). The program it runs
 * counts primes below 150,000 by trial division and sums a Collatz walk for
 * each of the first 3,000 numbers.
 */
#include <stdlib.h>

#include "bench.h"

enum op { PUSH, LOAD, STORE, ADD, SUB, MUL, MOD, DIV, LT, EQ, JMP, JZ, JNZ, DUP, DROP, HALT, NOPS };

struct vm {
    const int32_t *code;
    int pc;
    int sp;
    int64_t stack[64];
    int64_t vars[16];
    int running;
    uint64_t steps;
};

typedef void (*handler)(struct vm *);

#define ARG (vm->code[vm->pc++])
#define POP (vm->stack[--vm->sp])
#define PUSHV(v) (vm->stack[vm->sp++] = (v))

static void op_push(struct vm *vm) { PUSHV(ARG); }
static void op_load(struct vm *vm) { PUSHV(vm->vars[ARG]); }
static void op_store(struct vm *vm) { vm->vars[ARG] = POP; }
static void op_add(struct vm *vm) { int64_t b = POP, a = POP; PUSHV(a + b); }
static void op_sub(struct vm *vm) { int64_t b = POP, a = POP; PUSHV(a - b); }
static void op_mul(struct vm *vm) { int64_t b = POP, a = POP; PUSHV(a * b); }
static void op_mod(struct vm *vm) { int64_t b = POP, a = POP; PUSHV(a % b); }
static void op_div(struct vm *vm) { int64_t b = POP, a = POP; PUSHV(a / b); }
static void op_lt(struct vm *vm) { int64_t b = POP, a = POP; PUSHV(a < b); }
static void op_eq(struct vm *vm) { int64_t b = POP, a = POP; PUSHV(a == b); }
static void op_jmp(struct vm *vm) { vm->pc = vm->code[vm->pc]; }
static void op_jz(struct vm *vm) { int t = ARG; if (POP == 0) vm->pc = t; }
static void op_jnz(struct vm *vm) { int t = ARG; if (POP != 0) vm->pc = t; }
static void op_dup(struct vm *vm) { int64_t a = vm->stack[vm->sp - 1]; PUSHV(a); }
static void op_drop(struct vm *vm) { vm->sp--; }
static void op_halt(struct vm *vm) { vm->running = 0; }

static const handler table[NOPS] = {
    op_push, op_load, op_store, op_add, op_sub, op_mul, op_mod, op_div,
    op_lt, op_eq, op_jmp, op_jz, op_jnz, op_dup, op_drop, op_halt,
};

static void run(struct vm *vm)
{
    vm->running = 1;
    while (vm->running) {
        int op = vm->code[vm->pc++];
        table[op](vm);
        vm->steps++;
    }
}

/* A tiny assembler with labels resolved in a second pass. */
static int32_t code[512];
static int ncode, labels[32], fix_at[64], fix_label[64], nfix;
static void emit(int v) { code[ncode++] = v; }
static void emit_jump(int op, int label) { emit(op); fix_at[nfix] = ncode; fix_label[nfix++] = label; emit(0); }
static void label(int l) { labels[l] = ncode; }

enum { N_, I_, D_, PRIME, COUNT, X_, STEPS, SUM };

int main(void)
{
    /* count = 0; for n = 2; n < 150000; n++ { prime = 1; for d = 2; d*d <= n; d++ if n % d == 0 { prime = 0; break }
     *   count += prime }  then for i = 1..3000: x = i; while x != 1: x = x%2 ? 3x+1 : x/2; sum++ */
    emit(PUSH); emit(0); emit(STORE); emit(COUNT);
    emit(PUSH); emit(2); emit(STORE); emit(N_);
    label(0);                                   /* outer loop */
    emit(LOAD); emit(N_); emit(PUSH); emit(150000); emit(LT); emit_jump(JZ, 9);
    emit(PUSH); emit(1); emit(STORE); emit(PRIME);
    emit(PUSH); emit(2); emit(STORE); emit(D_);
    label(1);                                   /* inner loop: d*d <= n  <=>  !(n < d*d) */
    emit(LOAD); emit(N_); emit(LOAD); emit(D_); emit(DUP); emit(MUL); emit(LT); emit_jump(JNZ, 3);
    emit(LOAD); emit(N_); emit(LOAD); emit(D_); emit(MOD); emit_jump(JNZ, 2);
    emit(PUSH); emit(0); emit(STORE); emit(PRIME); emit_jump(JMP, 3);
    label(2);
    emit(LOAD); emit(D_); emit(PUSH); emit(1); emit(ADD); emit(STORE); emit(D_); emit_jump(JMP, 1);
    label(3);
    emit(LOAD); emit(COUNT); emit(LOAD); emit(PRIME); emit(ADD); emit(STORE); emit(COUNT);
    emit(LOAD); emit(N_); emit(PUSH); emit(1); emit(ADD); emit(STORE); emit(N_); emit_jump(JMP, 0);
    label(9);                                   /* Collatz part */
    emit(PUSH); emit(0); emit(STORE); emit(SUM);
    emit(PUSH); emit(1); emit(STORE); emit(I_);
    label(10);
    emit(LOAD); emit(I_); emit(PUSH); emit(3001); emit(LT); emit_jump(JZ, 15);
    emit(LOAD); emit(I_); emit(STORE); emit(X_);
    label(11);
    emit(LOAD); emit(X_); emit(PUSH); emit(1); emit(EQ); emit_jump(JNZ, 14);
    emit(LOAD); emit(SUM); emit(PUSH); emit(1); emit(ADD); emit(STORE); emit(SUM);
    emit(LOAD); emit(X_); emit(PUSH); emit(2); emit(MOD); emit_jump(JZ, 12);
    emit(LOAD); emit(X_); emit(PUSH); emit(3); emit(MUL); emit(PUSH); emit(1); emit(ADD); emit(STORE); emit(X_);
    emit_jump(JMP, 11);
    label(12);
    emit(LOAD); emit(X_); emit(PUSH); emit(2); emit(DIV); emit(STORE); emit(X_); emit_jump(JMP, 11);
    label(14);
    emit(LOAD); emit(I_); emit(PUSH); emit(1); emit(ADD); emit(STORE); emit(I_); emit_jump(JMP, 10);
    label(15);
    emit(HALT);
    for (int i = 0; i < nfix; i++)
        code[fix_at[i]] = labels[fix_label[i]];

    struct vm vm = {.code = code};
    run(&vm);
    printf("interp: %lld primes below 150000, collatz steps %lld, %llu instructions\n", (long long)vm.vars[COUNT],
           (long long)vm.vars[SUM], (unsigned long long)vm.steps);
    if (vm.vars[COUNT] != 13848) {
        fprintf(stderr, "interp: wrong prime count\n");
        return 1;
    }
    bench_result("interp", (uint64_t)vm.vars[COUNT] * 1000003u ^ (uint64_t)vm.vars[SUM] ^ vm.steps << 20);
    return 0;
}
