/* interp: a small stack-machine bytecode interpreter with switch dispatch.
 * The guest program (below, in bytecode) loops n times doing register,
 * stack and guest-memory work; the host loop is a classic
 * `for (;;) switch (code[pc++])`, which compiles to a jump table
 * (br_table in wasm).  Checksum: final accumulator mixed with guest memory. */
#include "common.h"

enum {
    OP_HALT, OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_MUL, OP_AND,
    OP_XOR, OP_SHL, OP_SHR, OP_LT, OP_JMP, OP_JZ, OP_DUP, OP_DROP,
    OP_LOADM, OP_STOREM, OP_INC
};

#define MEM_WORDS 256
static u32 guest_mem[MEM_WORDS];
static u32 reg[8];
static u32 stack[64];

/* r0 = n, r1 = i, r2 = acc, r3 = scratch address */
static const i32 program[] = {
    /*  0 */ OP_PUSH, 0, OP_STORE, 1,          /* i = 0 */
    /*  4 */ OP_PUSH, 1, OP_STORE, 2,          /* acc = 1 */
    /* loop: */
    /*  8 */ OP_LOAD, 1, OP_LOAD, 0, OP_LT,    /* i < n ? */
    /* 13 */ OP_JZ, 67,                      /* -> end */
    /* acc = acc * 31 + (i ^ (i >> 3)) */
    /* 15 */ OP_LOAD, 2, OP_PUSH, 31, OP_MUL,
    /* 20 */ OP_LOAD, 1, OP_DUP, OP_PUSH, 3, OP_SHR, OP_XOR, OP_ADD,
    /* 28 */ OP_STORE, 2,
    /* addr = i & 255; mem[addr] = mem[addr] + acc */
    /* 30 */ OP_LOAD, 1, OP_PUSH, 255, OP_AND, OP_STORE, 3,
    /* 37 */ OP_LOAD, 3, OP_LOAD, 3, OP_LOADM, OP_LOAD, 2, OP_ADD, OP_STOREM,
    /* acc = acc ^ (mem[(acc >> 5) & 255] << 1) */
    /* 46 */ OP_LOAD, 2, OP_LOAD, 2, OP_PUSH, 5, OP_SHR, OP_PUSH, 255, OP_AND,
    /* 56 */ OP_LOADM, OP_PUSH, 1, OP_SHL, OP_XOR, OP_STORE, 2,
    /* i = i + 1; loop */
    /* 63 */ OP_INC, 1, OP_JMP, 8,           /* -> loop */
    /* end: */
    /* 67 */ OP_LOAD, 2, OP_HALT,
};

/* The interpreter runs from a mutable copy, so the compiler cannot
 * specialise execute() for the constant program. */
static i32 code[128];

static u32 execute(void) {
    int pc = 0, sp = 0;
    for (;;) {
        switch (code[pc++]) {
        case OP_HALT:   return stack[sp - 1];
        case OP_PUSH:   stack[sp++] = (u32)code[pc++]; break;
        case OP_LOAD:   stack[sp++] = reg[code[pc++]]; break;
        case OP_STORE:  reg[code[pc++]] = stack[--sp]; break;
        case OP_ADD:    sp--; stack[sp - 1] += stack[sp]; break;
        case OP_SUB:    sp--; stack[sp - 1] -= stack[sp]; break;
        case OP_MUL:    sp--; stack[sp - 1] *= stack[sp]; break;
        case OP_AND:    sp--; stack[sp - 1] &= stack[sp]; break;
        case OP_XOR:    sp--; stack[sp - 1] ^= stack[sp]; break;
        case OP_SHL:    sp--; stack[sp - 1] <<= (stack[sp] & 31); break;
        case OP_SHR:    sp--; stack[sp - 1] >>= (stack[sp] & 31); break;
        case OP_LT:     sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case OP_JMP:    pc = code[pc]; break;
        case OP_JZ:     if (stack[--sp] == 0) pc = code[pc]; else pc++; break;
        case OP_DUP:    stack[sp] = stack[sp - 1]; sp++; break;
        case OP_DROP:   sp--; break;
        case OP_LOADM:  stack[sp - 1] = guest_mem[stack[sp - 1] & (MEM_WORDS - 1)]; break;
        case OP_STOREM: sp -= 2; guest_mem[stack[sp] & (MEM_WORDS - 1)] = stack[sp + 1]; break;
        case OP_INC:    reg[code[pc++]]++; break;
        default:        return 0xBADu;
        }
    }
}

EXPORT int run(int n) {
    int len = 0;
    for (unsigned i = 0; i < sizeof program / sizeof program[0]; i++) code[len++] = program[i];
    for (int i = 0; i < MEM_WORDS; i++) guest_mem[i] = (u32)i * 2654435761u;
    for (int i = 0; i < 8; i++) reg[i] = 0;
    reg[0] = (u32)n;
    u32 acc = execute();
    u32 h = acc;
    for (int i = 0; i < MEM_WORDS; i++) h = h * 31u + guest_mem[i];
    return (int)h;
}
