/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#define BOOST_TEST_MODULE bpf_differential
#include "bpf-test-util.h"

#include <map>
#include <random>

/**
 * \file
 * Differential test: thousands of randomly generated valid programs (fixed
 * seeds, so the run is deterministic) executed by the interpreter and by the
 * JIT, which must agree on r0, the fault (kind, pc, address, message), the fuel
 * used and the memory afterwards. Programs mix every arithmetic form, byte
 * swaps, sign extensions, 64-bit immediates, loads/stores/atomics on a lent
 * region, the stack and wild pointers, forward and backward jumps (loops bounded
 * by fuel), helper calls and local calls.
 */

using namespace bpftest;
using ebpf::Instruction;

namespace
{

class Generator
{
  public:
    explicit Generator(uint64_t seed)
        : m_rng(seed)
    {
    }

    uint64_t Next()
    {
        return m_rng();
    }

    uint64_t Below(uint64_t n)
    {
        return Next() % n;
    }

    bool Chance(unsigned percent)
    {
        return Below(100) < percent;
    }

    uint64_t Value()
    {
        static const uint64_t kEdges[] = {0,
                                          1,
                                          2,
                                          31,
                                          32,
                                          63,
                                          64,
                                          0x7f,
                                          0x80,
                                          0xff,
                                          0x8000,
                                          0x7fffffff,
                                          0x80000000,
                                          0xffffffff,
                                          0x100000000,
                                          0x7fffffffffffffff,
                                          0x8000000000000000,
                                          ~0ULL,
                                          ~1ULL};
        switch (Below(4))
        {
        case 0:
            return kEdges[Below(sizeof kEdges / sizeof kEdges[0])];
        case 1:
            return Below(64);
        case 2:
            return static_cast<uint64_t>(-static_cast<int64_t>(Below(64)));
        default:
            return Next();
        }
    }

    int32_t Imm()
    {
        return static_cast<int32_t>(static_cast<uint32_t>(Value()));
    }

    /// A random ALU instruction writing r0..r8 (r9 holds the memory base).
    Instruction Alu(unsigned maxDst = 8)
    {
        using namespace ebpf::op;
        static const uint8_t kCodes[] =
            {kAdd, kSub, kMul, kDiv, kOr, kAnd, kLsh, kRsh, kNeg, kMod, kXor, kMov, kArsh, kEnd};
        const uint8_t code = kCodes[Below(sizeof kCodes)];
        const bool is64 = Chance(50);
        const uint8_t cls = is64 ? kClassAlu64 : kClassAlu;
        const uint8_t dst = static_cast<uint8_t>(Below(maxDst + 1));
        const uint8_t src = static_cast<uint8_t>(Below(11));
        if (code == kNeg)
        {
            return Instruction::Make(cls | kNeg, dst, 0, 0, 0);
        }
        if (code == kEnd)
        {
            static const int32_t kWidths[] = {16, 32, 64};
            uint8_t kind = is64 ? 0 : (Chance(50) ? kSrcX : 0);
            return Instruction::Make(cls | kEnd | kind, dst, 0, 0, kWidths[Below(3)]);
        }
        int16_t off = 0;
        if ((code == kDiv || code == kMod) && Chance(50))
        {
            off = 1; // signed
        }
        if (code == kMov && Chance(30))
        {
            static const int16_t kSx[] = {8, 16, 32};
            off = kSx[Below(is64 ? 3 : 2)];
            return Instruction::Make(cls | kMov | kSrcX, dst, src, off, 0);
        }
        if (Chance(50))
        {
            return Instruction::Make(cls | code | kSrcX, dst, src, off, 0);
        }
        return Instruction::Make(cls | code | kSrcK, dst, 0, off, Imm());
    }

    /// A random load, store or atomic; \p base 9 is the lent region, 10 the stack.
    Instruction Memory()
    {
        using namespace ebpf::op;
        static const uint8_t kSizes[] = {kSizeB, kSizeH, kSizeW, kSizeDW};
        uint8_t size = kSizes[Below(4)];
        unsigned bytes = SizeBytes(size);
        unsigned base;
        int16_t off;
        switch (Below(10))
        {
        case 0:
        case 1:
            base = 10;
            off = static_cast<int16_t>(-static_cast<int>(bytes) -
                                       static_cast<int>(Below(512 - bytes + 1)));
            break;
        case 2:
            base = static_cast<unsigned>(Below(9)); // a wild pointer: nearly always faults
            off = static_cast<int16_t>(Next());
            break;
        default:
            base = 9;
            off = static_cast<int16_t>(static_cast<int>(Below(88)) - 12); // some past the end
            break;
        }
        const uint8_t dst = static_cast<uint8_t>(Below(9));
        const uint8_t src = static_cast<uint8_t>(Below(9));
        switch (Below(5))
        {
        case 0:
        case 1:
            if (size != kSizeDW && Chance(40))
            {
                return Instruction::Make(kClassLdx | kModeMemSx | size, dst, base, off, 0);
            }
            return Instruction::Make(kClassLdx | kModeMem | size, dst, base, off, 0);
        case 2:
            return Instruction::Make(kClassSt | kModeMem | size, base, 0, off, Imm());
        case 3:
            return Instruction::Make(kClassStx | kModeMem | size, base, src, off, 0);
        default: {
            static const int32_t kOps[] = {kAtomicAdd,
                                           kAtomicOr,
                                           kAtomicAnd,
                                           kAtomicXor,
                                           kAtomicAdd | kAtomicFetch,
                                           kAtomicOr | kAtomicFetch,
                                           kAtomicAnd | kAtomicFetch,
                                           kAtomicXor | kAtomicFetch,
                                           kAtomicXchg,
                                           kAtomicCmpxchg};
            uint8_t width = Chance(50) ? kSizeW : kSizeDW;
            if (base == 10)
            {
                off = static_cast<int16_t>(width == kSizeW ? -4 * (1 + Below(128))
                                                           : -8 * (1 + Below(64)));
            }
            return Instruction::Make(kClassStx | kModeAtomic | width,
                                     base,
                                     src,
                                     off,
                                     kOps[Below(10)]);
        }
        }
    }

    Instruction Jump(int64_t offset)
    {
        using namespace ebpf::op;
        static const uint8_t kCodes[] =
            {kJeq, kJgt, kJge, kJset, kJne, kJsgt, kJsge, kJlt, kJle, kJslt, kJsle};
        const uint8_t cls = Chance(50) ? kClassJmp : kClassJmp32;
        const uint8_t code = kCodes[Below(sizeof kCodes)];
        const uint8_t dst = static_cast<uint8_t>(Below(11));
        if (Chance(50))
        {
            return Instruction::Make(cls | code | kSrcX,
                                     dst,
                                     static_cast<uint8_t>(Below(11)),
                                     static_cast<int16_t>(offset),
                                     0);
        }
        return Instruction::Make(cls | code, dst, 0, static_cast<int16_t>(offset), Imm());
    }

    /// A whole program: main (prologue, random body, exit) and one small subfunction.
    std::vector<Instruction> Program(bool aluOnly)
    {
        using namespace ebpf::op;
        std::vector<Instruction> code;
        code.push_back(Instruction::Make(kClassAlu64 | kMov | kSrcX, 9, 1, 0, 0)); // r9 = r1
        for (uint8_t r = 0; r <= 8; ++r)
        {
            uint64_t v = Value();
            code.push_back(Instruction::Make(kLddw, r, 0, 0, static_cast<int32_t>(v)));
            code.push_back(Instruction::Make(0, 0, 0, 0, static_cast<int32_t>(v >> 32)));
        }
        const size_t bodyStart = code.size();
        const size_t bodyLength = 5 + Below(aluOnly ? 40 : 60);

        // Slots of the body are generated first with placeholders for jump targets.
        struct PendingJump
        {
            size_t at;
            size_t target;
        };

        std::vector<PendingJump> jumps;
        std::vector<size_t> localCalls;
        for (size_t i = 0; i < bodyLength; ++i)
        {
            const unsigned kind = static_cast<unsigned>(Below(100));
            if (aluOnly || kind < 50)
            {
                code.push_back(Alu());
            }
            else if (kind < 72)
            {
                code.push_back(Memory());
            }
            else if (kind < 88)
            {
                // Forward to a later body slot (or to the exit), sometimes backward.
                size_t here = code.size();
                size_t target = Chance(25) ? bodyStart + Below(here - bodyStart + 1)
                                           : here + 1 + Below(bodyLength - i);
                jumps.push_back({here, target});
                code.push_back(Jump(0));
            }
            else if (kind < 91)
            {
                uint64_t v = Value();
                uint8_t dst = static_cast<uint8_t>(Below(9));
                code.push_back(Instruction::Make(kLddw, dst, 0, 0, static_cast<int32_t>(v)));
                code.push_back(Instruction::Make(0, 0, 0, 0, static_cast<int32_t>(v >> 32)));
            }
            else if (kind < 95)
            {
                code.push_back(Instruction::Make(kCallOpcode, 0, kCallHelper, 0, 1)); // add
            }
            else if (kind < 98)
            {
                localCalls.push_back(code.size());
                code.push_back(Instruction::Make(kCallOpcode, 0, kCallLocal, 0, 0));
            }
            else
            {
                size_t here = code.size();
                jumps.push_back({here, here + 1 + Below(bodyLength - i)});
                code.push_back(Instruction::Make(kJaOpcode, 0, 0, 0, 0));
            }
        }
        const size_t exitAt = code.size();
        code.push_back(Instruction::Make(kExitOpcode, 0, 0, 0, 0));
        // Subfunction: a few operations on r0..r5 and its own stack, then exit.
        const size_t sub = code.size();
        for (size_t k = 0, n = 1 + Below(6); k < n; ++k)
        {
            code.push_back(Chance(70) ? Alu(5)
                                      : Instruction::Make(kClassStx | kModeMem | kSizeDW,
                                                          10,
                                                          static_cast<uint8_t>(Below(6)),
                                                          -8,
                                                          0));
        }
        code.push_back(Instruction::Make(kExitOpcode, 0, 0, 0, 0));
        // Resolve jumps; targets past the body go to the exit; never into an LDDW tail.
        for (const PendingJump& j : jumps)
        {
            size_t target = std::min(j.target, exitAt);
            while (target > 0 && code[target - 1].opcode == kLddw &&
                   !(target >= 2 && code[target - 2].opcode == kLddw))
            {
                --target;
            }
            code[j.at].offset =
                static_cast<int16_t>(static_cast<int64_t>(target) - static_cast<int64_t>(j.at) - 1);
        }
        for (size_t at : localCalls)
        {
            code[at].imm = static_cast<int32_t>(sub - at - 1);
        }
        return code;
    }

  private:
    std::mt19937_64 m_rng;
};

struct Tally
{
    std::map<std::string, unsigned> outcomes;
};

void
RunRandomPrograms(uint64_t firstSeed, unsigned count, bool aluOnly, Tally& tally)
{
    auto helpers = TestHelpers();
    for (unsigned i = 0; i < count; ++i)
    {
        const uint64_t seed = firstSeed + i;
        Generator gen(seed);
        std::vector<Instruction> code = gen.Program(aluOnly);
        ebpf::LoadResult loaded = ebpf::Program::FromInstructions(code, helpers);
        BOOST_REQUIRE_MESSAGE(loaded,
                              "seed " << seed << ": " << loaded.error << "\n"
                                      << ebpf::Disassemble(code));
        RunSpec spec;
        spec.memory.resize(64);
        for (auto& b : spec.memory)
        {
            b = static_cast<uint8_t>(gen.Next());
        }
        static const uint64_t kFuel[] = {40, 300, 5000};
        spec.fuel = aluOnly ? 5000 : kFuel[gen.Below(3)];
        BothResults r = RunBoth(loaded.program, spec);
        if (r.interpreter.value != r.jit.value || r.interpreter.ok != r.jit.ok ||
            r.interpreter.fault.message != r.jit.fault.message ||
            r.interpreter.fuelUsed != r.jit.fuelUsed)
        {
            // RunBoth already reported the mismatch; show the program once and stop.
            BOOST_ERROR("seed " << seed << " differs:\n" << ebpf::Disassemble(code));
            return;
        }
        tally.outcomes[r.interpreter.ok ? "ok" : ebpf::ToString(r.interpreter.fault.kind)]++;
    }
}

} // namespace

BOOST_AUTO_TEST_CASE(straight_line_arithmetic)
{
    Tally tally;
    RunRandomPrograms(1, 2000, true, tally);
    BOOST_CHECK_EQUAL(tally.outcomes["ok"], 2000u);
}

BOOST_AUTO_TEST_CASE(full_programs_with_memory_jumps_and_calls)
{
    Tally tally;
    RunRandomPrograms(100000, 4000, false, tally);
    for (const auto& [outcome, n] : tally.outcomes)
    {
        BOOST_TEST_MESSAGE(outcome << ": " << n);
    }
    // The generator must really reach every kind of ending.
    BOOST_CHECK_GT(tally.outcomes["ok"], 100u);
    BOOST_CHECK_GT(tally.outcomes["out-of-bounds read"], 50u);
    BOOST_CHECK_GT(tally.outcomes["out-of-bounds write"], 50u);
    BOOST_CHECK_GT(tally.outcomes["instruction budget exhausted"], 20u);
}
