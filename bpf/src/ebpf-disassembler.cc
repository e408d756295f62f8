/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ebpf/ebpf-disassembler.h"

#include <cstdio>
#include <string>

namespace ebpf
{
namespace
{

using namespace op;

std::string
Reg(unsigned r)
{
    return "%r" + std::to_string(r);
}

std::string
Signed(int64_t v)
{
    return (v >= 0 ? "+" : "") + std::to_string(v);
}

std::string
Mem(unsigned base, int16_t off)
{
    return "[" + Reg(base) + Signed(off) + "]";
}

std::string
Raw(const Instruction& insn)
{
    char buffer[96];
    std::snprintf(buffer,
                  sizeof buffer,
                  ".raw 0x%02x, %u, %u, %d, %d",
                  insn.opcode,
                  insn.Dst(),
                  insn.Src(),
                  insn.offset,
                  insn.imm);
    return buffer;
}

const char*
SizeSuffix(uint8_t opcode)
{
    switch (opcode & kSizeMask)
    {
    case kSizeB:
        return "b";
    case kSizeH:
        return "h";
    case kSizeW:
        return "w";
    default:
        return "dw";
    }
}

std::string
Alu(const Instruction& insn)
{
    const bool is64 = Class(insn.opcode) == kClassAlu64;
    const bool isX = (insn.opcode & kSrcMask) == kSrcX;
    const std::string w = is64 ? "" : "32";
    const std::string operand = isX ? Reg(insn.Src()) : std::to_string(insn.imm);
    const char* name = nullptr;
    switch (insn.opcode & kCodeMask)
    {
    case kAdd:
        name = "add";
        break;
    case kSub:
        name = "sub";
        break;
    case kMul:
        name = "mul";
        break;
    case kDiv:
        name = insn.offset == 1 ? "sdiv" : insn.offset == 0 ? "div" : nullptr;
        break;
    case kOr:
        name = "or";
        break;
    case kAnd:
        name = "and";
        break;
    case kLsh:
        name = "lsh";
        break;
    case kRsh:
        name = "rsh";
        break;
    case kNeg:
        return "neg" + w + " " + Reg(insn.Dst());
    case kMod:
        name = insn.offset == 1 ? "smod" : insn.offset == 0 ? "mod" : nullptr;
        break;
    case kXor:
        name = "xor";
        break;
    case kMov:
        if (isX && insn.offset != 0)
        {
            const char* width = insn.offset == 8    ? "b"
                                : insn.offset == 16 ? "h"
                                : insn.offset == 32 ? "w"
                                                    : nullptr;
            if (!width)
            {
                return Raw(insn);
            }
            return std::string("movsx") + width + w + " " + Reg(insn.Dst()) + ", " +
                   Reg(insn.Src());
        }
        name = "mov";
        break;
    case kArsh:
        name = "arsh";
        break;
    case kEnd: {
        const char* kind = is64 ? "bswap" : isX ? "be" : "le";
        return kind + std::to_string(insn.imm) + " " + Reg(insn.Dst());
    }
    default:
        break;
    }
    if (!name)
    {
        return Raw(insn);
    }
    return name + w + " " + Reg(insn.Dst()) + ", " + operand;
}

std::string
Jump(const Instruction& insn)
{
    const bool is64 = Class(insn.opcode) == kClassJmp;
    const bool isX = (insn.opcode & kSrcMask) == kSrcX;
    const std::string w = is64 ? "" : "32";
    const char* name = nullptr;
    switch (insn.opcode & kCodeMask)
    {
    case kJa:
        return is64 ? "ja " + Signed(insn.offset) : "gotol " + Signed(insn.imm);
    case kCall:
        if (insn.Src() == kCallLocal)
        {
            return "call_local " + Signed(insn.imm);
        }
        if (insn.Src() == kCallHelper)
        {
            return "call " + std::to_string(static_cast<uint32_t>(insn.imm));
        }
        return Raw(insn);
    case kExit:
        return "exit";
    case kJeq:
        name = "jeq";
        break;
    case kJgt:
        name = "jgt";
        break;
    case kJge:
        name = "jge";
        break;
    case kJset:
        name = "jset";
        break;
    case kJne:
        name = "jne";
        break;
    case kJsgt:
        name = "jsgt";
        break;
    case kJsge:
        name = "jsge";
        break;
    case kJlt:
        name = "jlt";
        break;
    case kJle:
        name = "jle";
        break;
    case kJslt:
        name = "jslt";
        break;
    case kJsle:
        name = "jsle";
        break;
    default:
        return Raw(insn);
    }
    return name + w + " " + Reg(insn.Dst()) + ", " +
           (isX ? Reg(insn.Src()) : std::to_string(insn.imm)) + ", " + Signed(insn.offset);
}

std::string
Atomic(const Instruction& insn)
{
    const std::string prefix = (insn.opcode & kSizeMask) == kSizeDW ? "atomic_" : "atomic32_";
    const char* name = nullptr;
    switch (insn.imm)
    {
    case kAtomicAdd:
        name = "add";
        break;
    case kAtomicOr:
        name = "or";
        break;
    case kAtomicAnd:
        name = "and";
        break;
    case kAtomicXor:
        name = "xor";
        break;
    case kAtomicAdd | kAtomicFetch:
        name = "fetch_add";
        break;
    case kAtomicOr | kAtomicFetch:
        name = "fetch_or";
        break;
    case kAtomicAnd | kAtomicFetch:
        name = "fetch_and";
        break;
    case kAtomicXor | kAtomicFetch:
        name = "fetch_xor";
        break;
    case kAtomicXchg:
        name = "xchg";
        break;
    case kAtomicCmpxchg:
        name = "cmpxchg";
        break;
    default:
        return Raw(insn);
    }
    return prefix + name + " " + Mem(insn.Dst(), insn.offset) + ", " + Reg(insn.Src());
}

} // namespace

std::string
Disassemble(const Instruction& insn, const Instruction* next)
{
    const uint8_t mode = insn.opcode & kModeMask;
    switch (Class(insn.opcode))
    {
    case kClassAlu:
    case kClassAlu64:
        return Alu(insn);
    case kClassJmp:
    case kClassJmp32:
        return Jump(insn);
    case kClassLd:
        if (insn.opcode == kLddw && insn.Src() == 0)
        {
            uint64_t value = static_cast<uint32_t>(insn.imm);
            if (next)
            {
                value |= static_cast<uint64_t>(static_cast<uint32_t>(next->imm)) << 32;
            }
            char buffer[32];
            std::snprintf(buffer, sizeof buffer, "0x%llx", static_cast<unsigned long long>(value));
            return "lddw " + Reg(insn.Dst()) + ", " + buffer;
        }
        return Raw(insn);
    case kClassLdx:
        if (mode == kModeMem || (mode == kModeMemSx && (insn.opcode & kSizeMask) != kSizeDW))
        {
            return std::string(mode == kModeMem ? "ldx" : "ldxs") + SizeSuffix(insn.opcode) + " " +
                   Reg(insn.Dst()) + ", " + Mem(insn.Src(), insn.offset);
        }
        return Raw(insn);
    case kClassSt:
        if (mode == kModeMem)
        {
            return std::string("st") + SizeSuffix(insn.opcode) + " " +
                   Mem(insn.Dst(), insn.offset) + ", " + std::to_string(insn.imm);
        }
        return Raw(insn);
    case kClassStx:
        if (mode == kModeMem)
        {
            return std::string("stx") + SizeSuffix(insn.opcode) + " " +
                   Mem(insn.Dst(), insn.offset) + ", " + Reg(insn.Src());
        }
        if (mode == kModeAtomic)
        {
            return Atomic(insn);
        }
        return Raw(insn);
    }
    return Raw(insn);
}

std::string
Disassemble(const std::vector<Instruction>& code)
{
    std::string out;
    for (size_t pc = 0; pc < code.size(); ++pc)
    {
        const Instruction* next = pc + 1 < code.size() ? &code[pc + 1] : nullptr;
        out += std::to_string(pc) + ": " + Disassemble(code[pc], next) + "\n";
        if (code[pc].opcode == op::kLddw && next)
        {
            ++pc;
        }
    }
    return out;
}

} // namespace ebpf
