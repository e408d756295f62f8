/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ebpf/ebpf-verifier.h"

#include "ebpf/ebpf-disassembler.h"
#include "ebpf/ebpf-helpers.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace ebpf
{
namespace
{

using namespace op;

/// Slot kinds found in the first pass.
enum SlotKind : uint8_t
{
    kPlain,
    kWideFirst,  ///< first slot of an LDDW
    kWideSecond, ///< second slot of an LDDW: never a jump target, never executed
};

/// Memory access through r10 with a constant offset must stay in the current 512-byte frame.
std::string
CheckStackAccess(const Instruction& insn, unsigned base)
{
    if (base != kFramePointer)
    {
        return "";
    }
    int64_t off = insn.offset;
    int64_t size = SizeBytes(insn.opcode);
    if (off < -kStackFrameSize || off + size > 0)
    {
        return "stack access [r10" + std::to_string(off) + "] of " + std::to_string(size) +
               " bytes outside the 512-byte frame";
    }
    return "";
}

std::string
CheckRegs(const Instruction& insn)
{
    if (insn.Dst() > 10)
    {
        return "destination register r" + std::to_string(insn.Dst()) + " does not exist";
    }
    if (insn.Src() > 10)
    {
        return "source register r" + std::to_string(insn.Src()) + " does not exist";
    }
    return "";
}

/// RFC 9669 §4.1, §4.2: arithmetic and byte swaps.
std::string
CheckAlu(const Instruction& insn)
{
    const uint8_t code = insn.opcode & kCodeMask;
    const bool isX = (insn.opcode & kSrcMask) == kSrcX;
    const bool is64 = Class(insn.opcode) == kClassAlu64;
    if (insn.Dst() == kFramePointer)
    {
        return "r10 is read-only";
    }
    switch (code)
    {
    case kAdd:
    case kSub:
    case kMul:
    case kOr:
    case kAnd:
    case kLsh:
    case kRsh:
    case kXor:
    case kArsh:
    case kDiv:
    case kMod:
        if (insn.offset != 0 && !((code == kDiv || code == kMod) && insn.offset == 1))
        {
            return "reserved offset field is not zero";
        }
        break;
    case kNeg:
        if (isX)
        {
            return "NEG takes no source operand";
        }
        if (insn.Src() != 0 || insn.imm != 0 || insn.offset != 0)
        {
            return "reserved fields of NEG are not zero";
        }
        return "";
    case kMov:
        if (isX && insn.offset != 0)
        {
            // MOVSX, RFC 9669 §4.1: 8, 16 (and 32 for ALU64) bit sources.
            if (!(insn.offset == 8 || insn.offset == 16 || (is64 && insn.offset == 32)))
            {
                return "invalid MOVSX width " + std::to_string(insn.offset);
            }
        }
        else if (insn.offset != 0)
        {
            return "reserved offset field is not zero";
        }
        break;
    case kEnd:
        if (is64 && isX)
        {
            return "invalid byte swap (ALU64 class with source bit set)";
        }
        if (insn.Src() != 0 || insn.offset != 0)
        {
            return "reserved fields of a byte swap are not zero";
        }
        if (insn.imm != 16 && insn.imm != 32 && insn.imm != 64)
        {
            return "byte swap width " + std::to_string(insn.imm) + " is not 16, 32 or 64";
        }
        return "";
    default:
        return "unknown arithmetic operation";
    }
    if (!isX && insn.Src() != 0)
    {
        return "reserved source register field is not zero";
    }
    if (isX && insn.imm != 0)
    {
        return "reserved immediate field is not zero";
    }
    return "";
}

/// RFC 9669 §5: loads and stores (LDDW is checked by the caller).
std::string
CheckMemory(const Instruction& insn)
{
    const uint8_t cls = Class(insn.opcode);
    const uint8_t mode = insn.opcode & kModeMask;
    const uint8_t size = insn.opcode & kSizeMask;
    if (mode == kModeAbs || mode == kModeInd)
    {
        return "legacy packet access (RFC 9669 §5.5) is not supported";
    }
    switch (cls)
    {
    case kClassLdx:
        if (mode != kModeMem && mode != kModeMemSx)
        {
            return "unknown load mode";
        }
        if (mode == kModeMemSx && size == kSizeDW)
        {
            return "sign-extending load of 8 bytes does not exist";
        }
        if (insn.Dst() == kFramePointer)
        {
            return "r10 is read-only";
        }
        if (insn.imm != 0)
        {
            return "reserved immediate field is not zero";
        }
        return CheckStackAccess(insn, insn.Src());
    case kClassSt:
        if (mode != kModeMem)
        {
            return "unknown store mode";
        }
        if (insn.Src() != 0)
        {
            return "reserved source register field is not zero";
        }
        return CheckStackAccess(insn, insn.Dst());
    case kClassStx:
        if (mode == kModeMem)
        {
            if (insn.imm != 0)
            {
                return "reserved immediate field is not zero";
            }
            return CheckStackAccess(insn, insn.Dst());
        }
        if (mode == kModeAtomic)
        {
            if (size != kSizeW && size != kSizeDW)
            {
                return "atomic operations are 32 or 64 bits wide";
            }
            switch (insn.imm)
            {
            case kAtomicAdd:
            case kAtomicOr:
            case kAtomicAnd:
            case kAtomicXor:
            case kAtomicCmpxchg:
                break;
            case kAtomicAdd | kAtomicFetch:
            case kAtomicOr | kAtomicFetch:
            case kAtomicAnd | kAtomicFetch:
            case kAtomicXor | kAtomicFetch:
            case kAtomicXchg:
                if (insn.Src() == kFramePointer)
                {
                    return "r10 is read-only (fetching atomic writes its source register)";
                }
                break;
            default:
                return "unknown atomic operation " + std::to_string(insn.imm);
            }
            return CheckStackAccess(insn, insn.Dst());
        }
        return "unknown store mode";
    default:
        return "unknown load class";
    }
}

} // namespace

VerifierReport
Verify(const std::vector<Instruction>& code,
       const std::vector<uint32_t>& functionStarts,
       const HelperTable* helpers)
{
    VerifierReport report;
    const size_t n = code.size();
    auto fail = [&](uint32_t pc, const std::string& why) {
        report.ok = false;
        report.errorPc = pc;
        report.error = "pc " + std::to_string(pc) + ": " + why;
        if (pc < n)
        {
            report.error +=
                " (" + Disassemble(code[pc], pc + 1 < n ? &code[pc + 1] : nullptr) + ")";
        }
        return report;
    };
    if (n == 0)
    {
        report.error = "empty program";
        return report;
    }
    if (n > kMaxInstructions)
    {
        report.error = "program of " + std::to_string(n) + " slots exceeds the limit of " +
                       std::to_string(kMaxInstructions);
        return report;
    }

    // Pass 1: each slot on its own.
    std::vector<uint8_t> kind(n, kPlain);
    std::vector<uint32_t> starts;
    starts.push_back(0);
    for (uint32_t start : functionStarts)
    {
        if (start >= n)
        {
            return fail(start, "function start beyond the end of the program");
        }
        starts.push_back(start);
    }
    for (uint32_t pc = 0; pc < n; ++pc)
    {
        if (kind[pc] == kWideSecond)
        {
            continue;
        }
        const Instruction& insn = code[pc];
        std::string why = CheckRegs(insn);
        if (!why.empty())
        {
            return fail(pc, why);
        }
        const uint8_t cls = Class(insn.opcode);
        switch (cls)
        {
        case kClassAlu:
        case kClassAlu64:
            why = CheckAlu(insn);
            break;
        case kClassJmp:
        case kClassJmp32: {
            const uint8_t code8 = insn.opcode & kCodeMask;
            const bool isX = (insn.opcode & kSrcMask) == kSrcX;
            if (code8 == kJa)
            {
                if (isX || insn.regs != 0 || (cls == kClassJmp ? insn.imm : insn.offset) != 0)
                {
                    why = "reserved fields of JA are not zero";
                }
            }
            else if (code8 == kCall || code8 == kExit)
            {
                if (cls != kClassJmp || isX)
                {
                    why = "unknown jump operation";
                }
                else if (code8 == kExit)
                {
                    if (insn.regs != 0 || insn.offset != 0 || insn.imm != 0)
                    {
                        why = "reserved fields of EXIT are not zero";
                    }
                }
                else if (insn.Dst() != 0 || insn.offset != 0)
                {
                    why = "reserved fields of CALL are not zero";
                }
                else if (insn.Src() == kCallHelper)
                {
                    if (!helpers || !helpers->FindById(static_cast<uint32_t>(insn.imm)))
                    {
                        why = "call to unregistered helper " +
                              std::to_string(static_cast<uint32_t>(insn.imm));
                    }
                }
                else if (insn.Src() == kCallLocal)
                {
                    int64_t target = int64_t{pc} + insn.imm + 1;
                    if (target < 0 || target >= static_cast<int64_t>(n))
                    {
                        why =
                            "local call target " + std::to_string(target) + " outside the program";
                    }
                    else
                    {
                        starts.push_back(static_cast<uint32_t>(target));
                    }
                }
                else if (insn.Src() == kCallBtf)
                {
                    why = "helper calls by BTF id are not supported";
                }
                else
                {
                    why = "unknown CALL source " + std::to_string(insn.Src());
                }
            }
            else if (code8 > kJsle)
            {
                why = "unknown jump operation";
            }
            else if (!isX && insn.Src() != 0)
            {
                why = "reserved source register field is not zero";
            }
            else if (isX && insn.imm != 0)
            {
                why = "reserved immediate field is not zero";
            }
            break;
        }
        case kClassLd:
            if (insn.opcode != kLddw)
            {
                why = (insn.opcode & kModeMask) == kModeAbs || (insn.opcode & kModeMask) == kModeInd
                          ? "legacy packet access (RFC 9669 §5.5) is not supported"
                          : "unknown load operation";
            }
            else if (insn.Src() != 0)
            {
                why = "LDDW with source " + std::to_string(insn.Src()) +
                      " (map or BTF pseudo reference) is not supported: only plain immediates";
            }
            else if (insn.Dst() == kFramePointer)
            {
                why = "r10 is read-only";
            }
            else if (insn.offset != 0)
            {
                why = "reserved offset field is not zero";
            }
            else if (pc + 1 >= n)
            {
                why = "LDDW lacks its second slot";
            }
            else if (code[pc + 1].opcode != 0 || code[pc + 1].regs != 0 || code[pc + 1].offset != 0)
            {
                why = "second slot of LDDW has non-zero reserved fields";
            }
            else
            {
                kind[pc] = kWideFirst;
                kind[pc + 1] = kWideSecond;
            }
            break;
        default:
            why = CheckMemory(insn);
            break;
        }
        if (!why.empty())
        {
            return fail(pc, why);
        }
    }

    // Functions: the given entries, pc 0 and every local-call target.
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    for (uint32_t s : starts)
    {
        if (kind[s] == kWideSecond)
        {
            return fail(s, "function starts in the second slot of an LDDW");
        }
    }
    const size_t nf = starts.size();
    std::vector<uint32_t> functionOf(n);
    for (size_t f = 0; f < nf; ++f)
    {
        uint32_t end = f + 1 < nf ? starts[f + 1] : static_cast<uint32_t>(n);
        for (uint32_t pc = starts[f]; pc < end; ++pc)
        {
            functionOf[pc] = static_cast<uint32_t>(f);
        }
    }

    // Pass 2: control flow. Jumps stay inside their function and land on an instruction.
    std::vector<uint8_t> leader(n, 0);
    for (uint32_t s : starts)
    {
        leader[s] = 1;
    }
    auto jumpTarget = [&](uint32_t pc) -> int64_t {
        const Instruction& insn = code[pc];
        if (insn.opcode == kGotolOpcode)
        {
            return int64_t{pc} + insn.imm + 1;
        }
        return int64_t{pc} + insn.offset + 1;
    };
    for (uint32_t pc = 0; pc < n; ++pc)
    {
        if (kind[pc] == kWideSecond)
        {
            continue;
        }
        const Instruction& insn = code[pc];
        const uint8_t cls = Class(insn.opcode);
        if (cls != kClassJmp && cls != kClassJmp32)
        {
            continue;
        }
        const uint8_t code8 = insn.opcode & kCodeMask;
        if (code8 == kExit || code8 == kCall)
        {
            if (pc + 1 < n)
            {
                leader[pc + 1] = 1;
            }
            continue;
        }
        int64_t target = jumpTarget(pc);
        uint32_t f = functionOf[pc];
        int64_t fStart = starts[f];
        int64_t fEnd = f + 1 < nf ? starts[f + 1] : static_cast<int64_t>(n);
        if (target < fStart || target >= fEnd)
        {
            return fail(pc,
                        "jump target " + std::to_string(target) + " outside its function [" +
                            std::to_string(fStart) + ", " + std::to_string(fEnd) + ")");
        }
        if (kind[target] == kWideSecond)
        {
            return fail(pc, "jump into the middle of an LDDW at " + std::to_string(target));
        }
        leader[target] = 1;
        if (pc + 1 < n)
        {
            leader[pc + 1] = 1;
        }
    }
    // No function may fall off its end: its last instruction is EXIT or an unconditional jump.
    for (size_t f = 0; f < nf; ++f)
    {
        uint32_t end = f + 1 < nf ? starts[f + 1] : static_cast<uint32_t>(n);
        uint32_t last = end - 1;
        if (kind[last] == kWideSecond)
        {
            return fail(last - 1, "execution can fall off the end of the function");
        }
        uint8_t opc = code[last].opcode;
        if (opc != kExitOpcode && opc != kJaOpcode && opc != kGotolOpcode)
        {
            return fail(last,
                        last + 1 == n ? "execution can fall off the end of the program"
                                      : "execution can fall into the next function");
        }
    }

    // Fuel: each basic block is charged its instruction count on entry.
    report.blockCost.assign(n, 0);
    {
        uint32_t current = 0;
        for (uint32_t pc = 0; pc < n; ++pc)
        {
            if (leader[pc])
            {
                current = pc;
            }
            if (kind[pc] != kWideSecond)
            {
                report.blockCost[current]++;
            }
        }
    }

    // Loops: a back edge in a function's control-flow graph, found by depth-first search.
    std::vector<uint8_t> intraLoop(nf, 0);
    std::vector<std::vector<uint32_t>> callees(nf);
    {
        std::vector<uint8_t> color(n, 0);                // 0 new, 1 on the DFS path, 2 done
        std::vector<std::pair<uint32_t, uint8_t>> stack; // pc, next successor index
        auto successors = [&](uint32_t pc, uint32_t out[2]) -> unsigned {
            const Instruction& insn = code[pc];
            const uint8_t cls = Class(insn.opcode);
            if (kind[pc] == kWideFirst)
            {
                out[0] = pc + 2;
                return 1;
            }
            if (cls == kClassJmp || cls == kClassJmp32)
            {
                const uint8_t code8 = insn.opcode & kCodeMask;
                if (code8 == kExit)
                {
                    return 0;
                }
                if (code8 == kCall)
                {
                    out[0] = pc + 1;
                    return 1;
                }
                out[0] = static_cast<uint32_t>(jumpTarget(pc));
                if (code8 == kJa)
                {
                    return 1;
                }
                out[1] = pc + 1;
                return 2;
            }
            out[0] = pc + 1;
            return 1;
        };
        for (size_t f = 0; f < nf; ++f)
        {
            stack.clear();
            stack.emplace_back(starts[f], 0);
            color[starts[f]] = 1;
            while (!stack.empty())
            {
                auto& [pc, next] = stack.back();
                uint32_t succ[2];
                unsigned count = successors(pc, succ);
                if (next < count)
                {
                    uint32_t s = succ[next++];
                    if (color[s] == 1)
                    {
                        intraLoop[f] = 1;
                    }
                    else if (color[s] == 0)
                    {
                        color[s] = 1;
                        stack.emplace_back(s, 0);
                    }
                    continue;
                }
                const Instruction& insn = code[pc];
                if (insn.opcode == kCallOpcode && insn.Src() == kCallLocal)
                {
                    uint32_t target = static_cast<uint32_t>(int64_t{pc} + insn.imm + 1);
                    callees[f].push_back(functionOf[target]);
                }
                color[pc] = 2;
                stack.pop_back();
            }
        }
    }
    // Across calls: a function loops if it loops itself, calls one that does, or recurses.
    std::vector<uint8_t> bad(intraLoop);
    {
        std::vector<uint8_t> state(nf, 0); // 0 new, 1 on the path, 2 done
        std::vector<std::pair<uint32_t, size_t>> stack;
        for (uint32_t root = 0; root < nf; ++root)
        {
            if (state[root] != 0)
            {
                continue;
            }
            stack.emplace_back(root, 0);
            state[root] = 1;
            while (!stack.empty())
            {
                auto& [f, next] = stack.back();
                if (next < callees[f].size())
                {
                    uint32_t g = callees[f][next++];
                    if (state[g] == 1)
                    {
                        bad[f] = 1; // recursion
                    }
                    else if (state[g] == 0)
                    {
                        state[g] = 1;
                        stack.emplace_back(g, 0);
                    }
                    else if (bad[g])
                    {
                        bad[f] = 1;
                    }
                    continue;
                }
                uint32_t done = f;
                state[done] = 2;
                stack.pop_back();
                if (bad[done] && !stack.empty())
                {
                    bad[stack.back().first] = 1;
                }
            }
        }
        // A function on a recursive cycle marks every function on the DFS path to it; the
        // propagation above covers callers. Iterate to a fixed point for callers finished
        // before the bad callee was discovered through another path.
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (size_t f = 0; f < nf; ++f)
            {
                if (bad[f])
                {
                    continue;
                }
                for (uint32_t g : callees[f])
                {
                    if (bad[g])
                    {
                        bad[f] = 1;
                        changed = true;
                        break;
                    }
                }
            }
        }
    }
    report.functionStarts = starts;
    report.functionLoopFree.resize(nf);
    report.loopFree = true;
    for (size_t f = 0; f < nf; ++f)
    {
        report.functionLoopFree[f] = !bad[f];
        report.loopFree = report.loopFree && !bad[f];
    }
    report.ok = true;
    return report;
}

} // namespace ebpf
