/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ebpf-interpreter.h"

#include "ebpf/ebpf-helpers.h"
#include "ebpf/ebpf-vm.h"

#include <cstdint>
#include <cstring>
#include <limits>

/**
 * \file
 * The interpreter: instructions are decoded once into Op records with one
 * handler per (operation, operand, width), and run by a direct-threaded loop
 * (computed goto) that allocates nothing. Semantics follow RFC 9669 §4 and §5;
 * every operation is written with unsigned arithmetic so no C++ undefined
 * behaviour can arise from program values.
 */

namespace ebpf
{
namespace detail
{
namespace
{

// clang-format off
#define EBPF_ALU_VARIANTS(X, NAME) X(NAME##64K) X(NAME##64X) X(NAME##32K) X(NAME##32X)
#define EBPF_JMP_VARIANTS(X, NAME) X(NAME##64K) X(NAME##64X) X(NAME##32K) X(NAME##32X)
#define EBPF_HANDLERS(X)                                                                           \
    X(Invalid) X(Charge)                                                                           \
    EBPF_ALU_VARIANTS(X, Add) EBPF_ALU_VARIANTS(X, Sub) EBPF_ALU_VARIANTS(X, Mul)                  \
    EBPF_ALU_VARIANTS(X, Div) EBPF_ALU_VARIANTS(X, Sdiv) EBPF_ALU_VARIANTS(X, Or)                  \
    EBPF_ALU_VARIANTS(X, And) EBPF_ALU_VARIANTS(X, Lsh) EBPF_ALU_VARIANTS(X, Rsh)                  \
    EBPF_ALU_VARIANTS(X, Mod) EBPF_ALU_VARIANTS(X, Smod) EBPF_ALU_VARIANTS(X, Xor)                 \
    EBPF_ALU_VARIANTS(X, Mov) EBPF_ALU_VARIANTS(X, Arsh)                                           \
    X(Neg64) X(Neg32) X(Movsx8to64) X(Movsx16to64) X(Movsx32to64) X(Movsx8to32) X(Movsx16to32)    \
    X(Le16) X(Le32) X(Nop) X(Bswap16) X(Bswap32) X(Bswap64)                                        \
    X(Ja)                                                                                          \
    EBPF_JMP_VARIANTS(X, Jeq) EBPF_JMP_VARIANTS(X, Jgt) EBPF_JMP_VARIANTS(X, Jge)                  \
    EBPF_JMP_VARIANTS(X, Jset) EBPF_JMP_VARIANTS(X, Jne) EBPF_JMP_VARIANTS(X, Jsgt)                \
    EBPF_JMP_VARIANTS(X, Jsge) EBPF_JMP_VARIANTS(X, Jlt) EBPF_JMP_VARIANTS(X, Jle)                 \
    EBPF_JMP_VARIANTS(X, Jslt) EBPF_JMP_VARIANTS(X, Jsle)                                          \
    X(Call) X(CallLocal) X(Exit) X(Lddw)                                                           \
    X(Ldxb) X(Ldxh) X(Ldxw) X(Ldxdw) X(Ldxsb) X(Ldxsh) X(Ldxsw)                                    \
    X(SLdxb) X(SLdxh) X(SLdxw) X(SLdxdw) X(SLdxsb) X(SLdxsh) X(SLdxsw)                             \
    X(Stb) X(Sth) X(Stw) X(Stdw) X(SStb) X(SSth) X(SStw) X(SStdw)                                  \
    X(Stxb) X(Stxh) X(Stxw) X(Stxdw) X(SStxb) X(SStxh) X(SStxw) X(SStxdw)                          \
    X(AAdd32) X(AOr32) X(AAnd32) X(AXor32) X(AFAdd32) X(AFOr32) X(AFAnd32) X(AFXor32)              \
    X(AXchg32) X(ACmpxchg32)                                                                       \
    X(AAdd64) X(AOr64) X(AAnd64) X(AXor64) X(AFAdd64) X(AFOr64) X(AFAnd64) X(AFXor64)              \
    X(AXchg64) X(ACmpxchg64)

// clang-format on

enum Handler : uint8_t
{
#define EBPF_ENUM(name) h##name,
    EBPF_HANDLERS(EBPF_ENUM)
#undef EBPF_ENUM
    hHandlerCount
};

static_assert(hHandlerCount <= 256, "handlers are numbered in a byte");

// RFC 9669 §4.1 arithmetic. Division by zero yields 0, modulo by zero leaves dst;
// signed overflow (MIN / -1) yields MIN and MIN % -1 yields 0, with no trap.
inline uint64_t
OpAdd64(uint64_t a, uint64_t b)
{
    return a + b;
}

inline uint64_t
OpSub64(uint64_t a, uint64_t b)
{
    return a - b;
}

inline uint64_t
OpMul64(uint64_t a, uint64_t b)
{
    return a * b;
}

inline uint64_t
OpDiv64(uint64_t a, uint64_t b)
{
    return b ? a / b : 0;
}

inline uint64_t
OpSdiv64(uint64_t a, uint64_t b)
{
    if (b == 0)
    {
        return 0;
    }
    if (b == ~uint64_t{0})
    {
        return 0 - a; // -a, wrapping: MIN / -1 = MIN
    }
    return static_cast<uint64_t>(static_cast<int64_t>(a) / static_cast<int64_t>(b));
}

inline uint64_t
OpOr64(uint64_t a, uint64_t b)
{
    return a | b;
}

inline uint64_t
OpAnd64(uint64_t a, uint64_t b)
{
    return a & b;
}

inline uint64_t
OpLsh64(uint64_t a, uint64_t b)
{
    return a << (b & 63);
}

inline uint64_t
OpRsh64(uint64_t a, uint64_t b)
{
    return a >> (b & 63);
}

inline uint64_t
OpMod64(uint64_t a, uint64_t b)
{
    return b ? a % b : a;
}

inline uint64_t
OpSmod64(uint64_t a, uint64_t b)
{
    if (b == 0)
    {
        return a;
    }
    if (b == ~uint64_t{0})
    {
        return 0;
    }
    return static_cast<uint64_t>(static_cast<int64_t>(a) % static_cast<int64_t>(b));
}

inline uint64_t
OpXor64(uint64_t a, uint64_t b)
{
    return a ^ b;
}

inline uint64_t
OpMov64(uint64_t, uint64_t b)
{
    return b;
}

inline uint64_t
OpArsh64(uint64_t a, uint64_t b)
{
    return static_cast<uint64_t>(static_cast<int64_t>(a) >> (b & 63));
}

inline uint32_t
OpAdd32(uint32_t a, uint32_t b)
{
    return a + b;
}

inline uint32_t
OpSub32(uint32_t a, uint32_t b)
{
    return a - b;
}

inline uint32_t
OpMul32(uint32_t a, uint32_t b)
{
    return a * b;
}

inline uint32_t
OpDiv32(uint32_t a, uint32_t b)
{
    return b ? a / b : 0;
}

inline uint32_t
OpSdiv32(uint32_t a, uint32_t b)
{
    if (b == 0)
    {
        return 0;
    }
    if (b == ~uint32_t{0})
    {
        return 0 - a;
    }
    return static_cast<uint32_t>(static_cast<int32_t>(a) / static_cast<int32_t>(b));
}

inline uint32_t
OpOr32(uint32_t a, uint32_t b)
{
    return a | b;
}

inline uint32_t
OpAnd32(uint32_t a, uint32_t b)
{
    return a & b;
}

inline uint32_t
OpLsh32(uint32_t a, uint32_t b)
{
    return a << (b & 31);
}

inline uint32_t
OpRsh32(uint32_t a, uint32_t b)
{
    return a >> (b & 31);
}

inline uint32_t
OpMod32(uint32_t a, uint32_t b)
{
    return b ? a % b : a;
}

inline uint32_t
OpSmod32(uint32_t a, uint32_t b)
{
    if (b == 0)
    {
        return a;
    }
    if (b == ~uint32_t{0})
    {
        return 0;
    }
    return static_cast<uint32_t>(static_cast<int32_t>(a) % static_cast<int32_t>(b));
}

inline uint32_t
OpXor32(uint32_t a, uint32_t b)
{
    return a ^ b;
}

inline uint32_t
OpMov32(uint32_t, uint32_t b)
{
    return b;
}

inline uint32_t
OpArsh32(uint32_t a, uint32_t b)
{
    return static_cast<uint32_t>(static_cast<int32_t>(a) >> (b & 31));
}

// RFC 9669 §4.3 jump conditions.
inline bool
CmpJeq64(uint64_t a, uint64_t b)
{
    return a == b;
}

inline bool
CmpJgt64(uint64_t a, uint64_t b)
{
    return a > b;
}

inline bool
CmpJge64(uint64_t a, uint64_t b)
{
    return a >= b;
}

inline bool
CmpJset64(uint64_t a, uint64_t b)
{
    return (a & b) != 0;
}

inline bool
CmpJne64(uint64_t a, uint64_t b)
{
    return a != b;
}

inline bool
CmpJsgt64(uint64_t a, uint64_t b)
{
    return int64_t(a) > int64_t(b);
}

inline bool
CmpJsge64(uint64_t a, uint64_t b)
{
    return int64_t(a) >= int64_t(b);
}

inline bool
CmpJlt64(uint64_t a, uint64_t b)
{
    return a < b;
}

inline bool
CmpJle64(uint64_t a, uint64_t b)
{
    return a <= b;
}

inline bool
CmpJslt64(uint64_t a, uint64_t b)
{
    return int64_t(a) < int64_t(b);
}

inline bool
CmpJsle64(uint64_t a, uint64_t b)
{
    return int64_t(a) <= int64_t(b);
}

inline bool
CmpJeq32(uint32_t a, uint32_t b)
{
    return a == b;
}

inline bool
CmpJgt32(uint32_t a, uint32_t b)
{
    return a > b;
}

inline bool
CmpJge32(uint32_t a, uint32_t b)
{
    return a >= b;
}

inline bool
CmpJset32(uint32_t a, uint32_t b)
{
    return (a & b) != 0;
}

inline bool
CmpJne32(uint32_t a, uint32_t b)
{
    return a != b;
}

inline bool
CmpJsgt32(uint32_t a, uint32_t b)
{
    return int32_t(a) > int32_t(b);
}

inline bool
CmpJsge32(uint32_t a, uint32_t b)
{
    return int32_t(a) >= int32_t(b);
}

inline bool
CmpJlt32(uint32_t a, uint32_t b)
{
    return a < b;
}

inline bool
CmpJle32(uint32_t a, uint32_t b)
{
    return a <= b;
}

inline bool
CmpJslt32(uint32_t a, uint32_t b)
{
    return int32_t(a) < int32_t(b);
}

inline bool
CmpJsle32(uint32_t a, uint32_t b)
{
    return int32_t(a) <= int32_t(b);
}

/// Handler of an ALU instruction (class ALU or ALU64).
uint8_t
AluHandler(const Instruction& insn)
{
    using namespace op;
    const bool is64 = Class(insn.opcode) == kClassAlu64;
    const bool isX = (insn.opcode & kSrcMask) == kSrcX;
    const unsigned variant = (is64 ? 0 : 2) + (isX ? 1 : 0);
    switch (insn.opcode & kCodeMask)
    {
    case kAdd:
        return hAdd64K + variant;
    case kSub:
        return hSub64K + variant;
    case kMul:
        return hMul64K + variant;
    case kDiv:
        return (insn.offset == 1 ? hSdiv64K : hDiv64K) + variant;
    case kOr:
        return hOr64K + variant;
    case kAnd:
        return hAnd64K + variant;
    case kLsh:
        return hLsh64K + variant;
    case kRsh:
        return hRsh64K + variant;
    case kNeg:
        return is64 ? hNeg64 : hNeg32;
    case kMod:
        return (insn.offset == 1 ? hSmod64K : hMod64K) + variant;
    case kXor:
        return hXor64K + variant;
    case kMov:
        if (isX && insn.offset != 0)
        {
            if (is64)
            {
                return insn.offset == 8    ? hMovsx8to64
                       : insn.offset == 16 ? hMovsx16to64
                                           : hMovsx32to64;
            }
            return insn.offset == 8 ? hMovsx8to32 : hMovsx16to32;
        }
        return hMov64K + variant;
    case kArsh:
        return hArsh64K + variant;
    case kEnd:
        // RFC 9669 §4.2: TO_LE is a truncation on this little-endian host, TO_BE and the
        // ALU64 BSWAP a byte reversal.
        if (!is64 && !isX)
        {
            return insn.imm == 16 ? hLe16 : insn.imm == 32 ? hLe32 : hNop;
        }
        return insn.imm == 16 ? hBswap16 : insn.imm == 32 ? hBswap32 : hBswap64;
    }
    return hInvalid;
}

uint8_t
JmpHandler(const Instruction& insn)
{
    using namespace op;
    const bool is64 = Class(insn.opcode) == kClassJmp;
    const bool isX = (insn.opcode & kSrcMask) == kSrcX;
    const unsigned variant = (is64 ? 0 : 2) + (isX ? 1 : 0);
    switch (insn.opcode & kCodeMask)
    {
    case kJa:
        return hJa;
    case kJeq:
        return hJeq64K + variant;
    case kJgt:
        return hJgt64K + variant;
    case kJge:
        return hJge64K + variant;
    case kJset:
        return hJset64K + variant;
    case kJne:
        return hJne64K + variant;
    case kJsgt:
        return hJsgt64K + variant;
    case kJsge:
        return hJsge64K + variant;
    case kJlt:
        return hJlt64K + variant;
    case kJle:
        return hJle64K + variant;
    case kJslt:
        return hJslt64K + variant;
    case kJsle:
        return hJsle64K + variant;
    case kCall:
        return insn.Src() == kCallLocal ? hCallLocal : hCall;
    case kExit:
        return hExit;
    }
    return hInvalid;
}

uint8_t
MemoryHandler(const Instruction& insn)
{
    using namespace op;
    const unsigned sizeIndex = SizeClass(SizeBytes(insn.opcode)); // b h w dw = 0 1 2 3
    const uint8_t mode = insn.opcode & kModeMask;
    switch (Class(insn.opcode))
    {
    case kClassLdx: {
        const bool stack = insn.Src() == kFramePointer;
        if (mode == kModeMemSx)
        {
            return (stack ? hSLdxsb : hLdxsb) + sizeIndex;
        }
        return (stack ? hSLdxb : hLdxb) + sizeIndex;
    }
    case kClassSt:
        return (insn.Dst() == kFramePointer ? hSStb : hStb) + sizeIndex;
    case kClassStx:
        if (mode == kModeMem)
        {
            return (insn.Dst() == kFramePointer ? hSStxb : hStxb) + sizeIndex;
        }
        {
            const uint8_t base = sizeIndex == 3 ? hAAdd64 : hAAdd32;
            switch (insn.imm)
            {
            case kAtomicAdd:
                return base + 0;
            case kAtomicOr:
                return base + 1;
            case kAtomicAnd:
                return base + 2;
            case kAtomicXor:
                return base + 3;
            case kAtomicAdd | kAtomicFetch:
                return base + 4;
            case kAtomicOr | kAtomicFetch:
                return base + 5;
            case kAtomicAnd | kAtomicFetch:
                return base + 6;
            case kAtomicXor | kAtomicFetch:
                return base + 7;
            case kAtomicXchg:
                return base + 8;
            case kAtomicCmpxchg:
                return base + 9;
            }
        }
    }
    return hInvalid;
}

} // namespace

InterpreterCode
DecodeForInterpreter(const std::vector<Instruction>& code,
                     const VerifierReport& report,
                     const HelperTable& helpers)
{
    using namespace op;
    InterpreterCode out;
    out.ops.resize(code.size());
    for (size_t pc = 0; pc < code.size(); ++pc)
    {
        const Instruction& insn = code[pc];
        Op& o = out.ops[pc];
        o = Op{};
        o.dst = insn.Dst();
        o.src = insn.Src();
        o.off = insn.offset;
        const uint8_t cls = Class(insn.opcode);
        uint8_t h = hInvalid;
        switch (cls)
        {
        case kClassAlu:
            h = AluHandler(insn);
            o.imm = static_cast<uint32_t>(insn.imm);
            break;
        case kClassAlu64:
            h = AluHandler(insn);
            o.imm = static_cast<uint64_t>(static_cast<int64_t>(insn.imm));
            break;
        case kClassJmp:
        case kClassJmp32:
            h = JmpHandler(insn);
            o.imm = cls == kClassJmp ? static_cast<uint64_t>(static_cast<int64_t>(insn.imm))
                                     : static_cast<uint32_t>(insn.imm);
            if (h == hCallLocal)
            {
                o.off = static_cast<int32_t>(pc + insn.imm + 1);
            }
            else if (h == hCall)
            {
                int64_t slot = helpers.SlotOf(static_cast<uint32_t>(insn.imm));
                o.aux = static_cast<uint32_t>(slot < 0 ? 0 : slot);
            }
            else if (insn.opcode == kGotolOpcode)
            {
                o.off = static_cast<int32_t>(pc + insn.imm + 1);
            }
            else if (h != hExit)
            {
                o.off = static_cast<int32_t>(pc + insn.offset + 1);
            }
            break;
        case kClassLd:
            if (insn.opcode == kLddw && pc + 1 < code.size())
            {
                h = hLddw;
                o.imm = static_cast<uint32_t>(insn.imm) |
                        (static_cast<uint64_t>(static_cast<uint32_t>(code[pc + 1].imm)) << 32);
            }
            break;
        default:
            h = MemoryHandler(insn);
            o.imm = static_cast<uint64_t>(static_cast<int64_t>(insn.imm));
            break;
        }
        o.handler = h;
        o.realHandler = h;
        if (pc < report.blockCost.size() && report.blockCost[pc] != 0)
        {
            o.cost = report.blockCost[pc];
            o.handler = hCharge;
        }
    }
    return out;
}

uint64_t
Interpret(const InterpreterCode& code,
          ExecState& state,
          uint32_t entryPc,
          uint64_t* regs,
          uint64_t* frames)
{
    static const void* const kLabels[] = {
#define EBPF_LABEL(name) &&L_##name,
        EBPF_HANDLERS(EBPF_LABEL)
#undef EBPF_LABEL
    };
    static_assert(sizeof(kLabels) / sizeof(kLabels[0]) == hHandlerCount, "one label per handler");

    uint64_t* const R = regs;
    const Op* const base = code.ops.data();
    const Op* op = base + entryPc;
    uint64_t fuel = state.fuel;
    uint32_t depth = state.depth;
    const uint32_t maxDepth = state.maxDepth;
    const uint64_t stackDelta = state.delta[region::kStack];
    uint64_t faultAddress = 0;

#define DISPATCH goto* kLabels[op->handler]
#define NEXT                                                                                       \
    do                                                                                             \
    {                                                                                              \
        ++op;                                                                                      \
        DISPATCH;                                                                                  \
    } while (0)
#define STACK_PTR(reg) reinterpret_cast<void*>(R[reg] + static_cast<int64_t>(op->off) + stackDelta)

    DISPATCH;

L_Invalid:
    // Unreachable for verified code (second LDDW slots are never jump targets).
    state.faultKind = kExecMemory;
    state.faultPc = static_cast<uint32_t>(op - base);
    state.faultAddress = 0;
    state.fuel = fuel;
    return 0;

L_Charge:
    // Fuel, charged per basic block on entry (the JIT does exactly the same).
    if (fuel < op->cost)
    {
        state.faultKind = kExecBudget;
        state.faultPc = static_cast<uint32_t>(op - base);
        state.fuel = fuel;
        return 0;
    }
    fuel -= op->cost;
    goto* kLabels[op->realHandler];

#define ALU_HANDLERS(NAME)                                                                         \
    L_##NAME##64K : R[op->dst] = Op##NAME##64(R[op->dst], op->imm);                                \
    NEXT;                                                                                          \
    L_##NAME##64X : R[op->dst] = Op##NAME##64(R[op->dst], R[op->src]);                             \
    NEXT;                                                                                          \
    L_##NAME##32K : R[op->dst] = Op##NAME##32(static_cast<uint32_t>(R[op->dst]),                   \
                                              static_cast<uint32_t>(op->imm));                     \
    NEXT;                                                                                          \
    L_##NAME##32X : R[op->dst] = Op##NAME##32(static_cast<uint32_t>(R[op->dst]),                   \
                                              static_cast<uint32_t>(R[op->src]));                  \
    NEXT;

    ALU_HANDLERS(Add)
    ALU_HANDLERS(Sub)
    ALU_HANDLERS(Mul)
    ALU_HANDLERS(Div)
    ALU_HANDLERS(Sdiv)
    ALU_HANDLERS(Or)
    ALU_HANDLERS(And)
    ALU_HANDLERS(Lsh)
    ALU_HANDLERS(Rsh)
    ALU_HANDLERS(Mod)
    ALU_HANDLERS(Smod)
    ALU_HANDLERS(Xor)
    ALU_HANDLERS(Mov)
    ALU_HANDLERS(Arsh)
#undef ALU_HANDLERS

L_Neg64:
    R[op->dst] = 0 - R[op->dst];
    NEXT;
L_Neg32:
    R[op->dst] = static_cast<uint32_t>(0 - static_cast<uint32_t>(R[op->dst]));
    NEXT;
L_Movsx8to64:
    R[op->dst] = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int8_t>(R[op->src])));
    NEXT;
L_Movsx16to64:
    R[op->dst] = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int16_t>(R[op->src])));
    NEXT;
L_Movsx32to64:
    R[op->dst] = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(R[op->src])));
    NEXT;
L_Movsx8to32:
    R[op->dst] = static_cast<uint32_t>(static_cast<int32_t>(static_cast<int8_t>(R[op->src])));
    NEXT;
L_Movsx16to32:
    R[op->dst] = static_cast<uint32_t>(static_cast<int32_t>(static_cast<int16_t>(R[op->src])));
    NEXT;
L_Le16:
    R[op->dst] = static_cast<uint16_t>(R[op->dst]);
    NEXT;
L_Le32:
    R[op->dst] = static_cast<uint32_t>(R[op->dst]);
    NEXT;
L_Nop:
    NEXT;
L_Bswap16:
    R[op->dst] = __builtin_bswap16(static_cast<uint16_t>(R[op->dst]));
    NEXT;
L_Bswap32:
    R[op->dst] = __builtin_bswap32(static_cast<uint32_t>(R[op->dst]));
    NEXT;
L_Bswap64:
    R[op->dst] = __builtin_bswap64(R[op->dst]);
    NEXT;

L_Ja:
    op = base + op->off;
    DISPATCH;

#define JMP_HANDLERS(NAME)                                                                         \
    L_##NAME##64K : if (Cmp##NAME##64(R[op->dst], op->imm))                                        \
    {                                                                                              \
        op = base + op->off;                                                                       \
        DISPATCH;                                                                                  \
    }                                                                                              \
    NEXT;                                                                                          \
    L_##NAME##64X : if (Cmp##NAME##64(R[op->dst], R[op->src]))                                     \
    {                                                                                              \
        op = base + op->off;                                                                       \
        DISPATCH;                                                                                  \
    }                                                                                              \
    NEXT;                                                                                          \
    L_##NAME##32K                                                                                  \
        : if (Cmp##NAME##32(static_cast<uint32_t>(R[op->dst]), static_cast<uint32_t>(op->imm)))    \
    {                                                                                              \
        op = base + op->off;                                                                       \
        DISPATCH;                                                                                  \
    }                                                                                              \
    NEXT;                                                                                          \
    L_##NAME##32X                                                                                  \
        : if (Cmp##NAME##32(static_cast<uint32_t>(R[op->dst]), static_cast<uint32_t>(R[op->src]))) \
    {                                                                                              \
        op = base + op->off;                                                                       \
        DISPATCH;                                                                                  \
    }                                                                                              \
    NEXT;

    JMP_HANDLERS(Jeq)
    JMP_HANDLERS(Jgt)
    JMP_HANDLERS(Jge)
    JMP_HANDLERS(Jset)
    JMP_HANDLERS(Jne)
    JMP_HANDLERS(Jsgt)
    JMP_HANDLERS(Jsge)
    JMP_HANDLERS(Jlt)
    JMP_HANDLERS(Jle)
    JMP_HANDLERS(Jslt)
    JMP_HANDLERS(Jsle)
#undef JMP_HANDLERS

L_Call:
    // Helpers see the remaining fuel and may charge it; r1..r5 stay as they were.
    state.fuel = fuel;
    R[0] = state.vm->CallHelper(op->aux, static_cast<uint32_t>(op - base), R + 1);
    fuel = state.fuel;
    if (state.faultKind != kExecOk)
    {
        return 0;
    }
    NEXT;

L_CallLocal:
    // RFC 9669 §4.3.2: a local call gets a fresh 512-byte frame; r6..r9 are restored at
    // its EXIT.
    if (depth >= maxDepth)
    {
        state.faultKind = kExecCallDepth;
        state.faultPc = static_cast<uint32_t>(op - base);
        state.fuel = fuel;
        return 0;
    }
    {
        uint64_t* frame = frames + 5 * (depth - 1);
        frame[0] = static_cast<uint64_t>(op - base) + 1;
        frame[1] = R[6];
        frame[2] = R[7];
        frame[3] = R[8];
        frame[4] = R[9];
        ++depth;
        R[10] -= kStackFrameSize;
        op = base + op->off;
    }
    DISPATCH;

L_Exit:
    if (depth == 1)
    {
        state.fuel = fuel;
        state.depth = depth;
        return R[0];
    }
    {
        --depth;
        const uint64_t* frame = frames + 5 * (depth - 1);
        R[6] = frame[1];
        R[7] = frame[2];
        R[8] = frame[3];
        R[9] = frame[4];
        R[10] += kStackFrameSize;
        op = base + frame[0];
    }
    DISPATCH;

L_Lddw:
    R[op->dst] = op->imm;
    op += 2;
    DISPATCH;

    // Checked accesses: the region is the upper half of the address; one comparison against
    // the precomputed limit covers bounds, size and permission (see ExecState).
#define CHECKED_ADDRESS(BASE_REG, LIMIT, SC)                                                       \
    const uint64_t a = R[BASE_REG] + static_cast<uint64_t>(static_cast<int64_t>(op->off));         \
    const uint64_t i = a >> 32;                                                                    \
    if (i >= region::kCount || a >= state.LIMIT[SC][i])                                            \
    {                                                                                              \
        faultAddress = a;                                                                          \
        goto memoryFault;                                                                          \
    }                                                                                              \
    void* const p = reinterpret_cast<void*>(a + state.delta[i])

#define LOAD(NAME, TYPE, SC, EXT)                                                                  \
    L_##NAME:                                                                                      \
    {                                                                                              \
        CHECKED_ADDRESS(op->src, readLimit, SC);                                                   \
        TYPE v;                                                                                    \
        std::memcpy(&v, p, sizeof v);                                                              \
        R[op->dst] = static_cast<uint64_t>(static_cast<EXT>(v));                                   \
        NEXT;                                                                                      \
    }                                                                                              \
    L_S##NAME:                                                                                     \
    {                                                                                              \
        TYPE v;                                                                                    \
        std::memcpy(&v, STACK_PTR(kFramePointer), sizeof v);                                       \
        R[op->dst] = static_cast<uint64_t>(static_cast<EXT>(v));                                   \
        NEXT;                                                                                      \
    }

    LOAD(Ldxb, uint8_t, 0, uint64_t)
    LOAD(Ldxh, uint16_t, 1, uint64_t)
    LOAD(Ldxw, uint32_t, 2, uint64_t)
    LOAD(Ldxdw, uint64_t, 3, uint64_t)
    // RFC 9669 §5.2: sign-extending loads.
    LOAD(Ldxsb, int8_t, 0, int64_t)
    LOAD(Ldxsh, int16_t, 1, int64_t)
    LOAD(Ldxsw, int32_t, 2, int64_t)
#undef LOAD

#define STORE(NAME, TYPE, SC, VALUE)                                                               \
    L_##NAME:                                                                                      \
    {                                                                                              \
        CHECKED_ADDRESS(op->dst, writeLimit, SC);                                                  \
        const TYPE v = static_cast<TYPE>(VALUE);                                                   \
        std::memcpy(p, &v, sizeof v);                                                              \
        NEXT;                                                                                      \
    }                                                                                              \
    L_S##NAME:                                                                                     \
    {                                                                                              \
        const TYPE v = static_cast<TYPE>(VALUE);                                                   \
        std::memcpy(STACK_PTR(kFramePointer), &v, sizeof v);                                       \
        NEXT;                                                                                      \
    }

    STORE(Stb, uint8_t, 0, op->imm)
    STORE(Sth, uint16_t, 1, op->imm)
    STORE(Stw, uint32_t, 2, op->imm)
    STORE(Stdw, uint64_t, 3, op->imm)
    STORE(Stxb, uint8_t, 0, R[op->src])
    STORE(Stxh, uint16_t, 1, R[op->src])
    STORE(Stxw, uint32_t, 2, R[op->src])
    STORE(Stxdw, uint64_t, 3, R[op->src])
#undef STORE

    // RFC 9669 §5.3. The VM is single-threaded, so a plain read-modify-write is atomic.
#define ATOMIC(NAME, TYPE, SC, BODY)                                                               \
    L_##NAME:                                                                                      \
    {                                                                                              \
        CHECKED_ADDRESS(op->dst, writeLimit, SC);                                                  \
        TYPE old;                                                                                  \
        std::memcpy(&old, p, sizeof old);                                                          \
        const TYPE src = static_cast<TYPE>(R[op->src]);                                            \
        TYPE value = old;                                                                          \
        BODY;                                                                                      \
        std::memcpy(p, &value, sizeof value);                                                      \
        NEXT;                                                                                      \
    }
#define ATOMICS(W, TYPE, SC)                                                                       \
    ATOMIC(AAdd##W, TYPE, SC, value = old + src)                                                   \
    ATOMIC(AOr##W, TYPE, SC, value = old | src)                                                    \
    ATOMIC(AAnd##W, TYPE, SC, value = old & src)                                                   \
    ATOMIC(AXor##W, TYPE, SC, value = old ^ src)                                                   \
    ATOMIC(AFAdd##W, TYPE, SC, value = old + src; R[op->src] = old)                                \
    ATOMIC(AFOr##W, TYPE, SC, value = old | src; R[op->src] = old)                                 \
    ATOMIC(AFAnd##W, TYPE, SC, value = old & src; R[op->src] = old)                                \
    ATOMIC(AFXor##W, TYPE, SC, value = old ^ src; R[op->src] = old)                                \
    ATOMIC(AXchg##W, TYPE, SC, value = src; R[op->src] = old)                                      \
    ATOMIC(ACmpxchg##W, TYPE, SC, if (old == static_cast<TYPE>(R[0])) value = src; R[0] = old)

    ATOMICS(32, uint32_t, 2)
    ATOMICS(64, uint64_t, 3)
#undef ATOMICS
#undef ATOMIC
#undef CHECKED_ADDRESS

memoryFault:
    state.faultKind = kExecMemory;
    state.faultPc = static_cast<uint32_t>(op - base);
    state.faultAddress = faultAddress;
    state.fuel = fuel;
    return 0;

#undef STACK_PTR
#undef NEXT
#undef DISPATCH
}

} // namespace detail
} // namespace ebpf
