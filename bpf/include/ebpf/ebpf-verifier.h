/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#pragma once

#include "ebpf/ebpf-instruction.h"

#include <cstdint>
#include <string>
#include <vector>

/**
 * \file
 * Load-time checks of a program (everything that can be decided without running it).
 */

namespace ebpf
{

class HelperTable;

/// Upper bound on instruction slots per program (keeps JIT code and analysis bounded).
constexpr uint32_t kMaxInstructions = 1u << 16;

/// What the verifier found.
struct VerifierReport
{
    bool ok = false;
    std::string error; ///< first problem, naming the pc and the instruction
    uint32_t errorPc = 0;

    /// Sorted start pcs of the functions (given starts plus every local-call target).
    std::vector<uint32_t> functionStarts;
    /// Per function (same order): no back edge, no call into a function that has one, no
    /// recursion. Such a function runs at most as many instructions as it has, times calls.
    std::vector<bool> functionLoopFree;
    /// True when every function is loop-free: every entry point provably terminates.
    bool loopFree = false;

    /**
     * Fuel accounting (identical in interpreter and JIT): a basic block is charged its
     * instruction count (LDDW counts once) when it is entered. blockCost[pc] is that count at
     * block leaders and 0 elsewhere.
     */
    std::vector<uint32_t> blockCost;
};

/**
 * Checks, for every slot: known opcode, reserved fields zero, registers r0..r10, no write to
 * r10, r10-relative accesses inside the 512-byte frame, LDDW complete with a plain immediate;
 * for control flow: jumps land inside their function and never in the second slot of an LDDW,
 * no function can fall off its end, local-call targets exist, helper ids are registered in
 * \p helpers (when given).
 */
VerifierReport Verify(const std::vector<Instruction>& code,
                      const std::vector<uint32_t>& functionStarts,
                      const HelperTable* helpers);

} // namespace ebpf
