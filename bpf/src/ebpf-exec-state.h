/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#pragma once

#include "ebpf/ebpf-memory.h"

#include <cstddef>
#include <cstdint>

/**
 * \file
 * The state both engines share during a run. The JIT addresses it through one
 * host register, so its layout is part of the generated code's contract: keep it
 * standard-layout and refer to fields through offsetof only.
 */

namespace ebpf
{
class Vm;

namespace detail
{

/// Internal fault codes written by the engines (mapped to FaultKind by the Vm).
enum ExecFault : uint32_t
{
    kExecOk = 0,
    kExecMemory = 1, ///< faultPc/faultAddress set; the Vm classifies from the instruction
    kExecBudget = 2,
    kExecCallDepth = 3,
    kExecHelper = 4,
};

/// Access sizes 1, 2, 4, 8 bytes map to size classes 0..3.
constexpr unsigned
SizeClass(unsigned bytes)
{
    return bytes == 1 ? 0 : bytes == 2 ? 1 : bytes == 4 ? 2 : 3;
}

struct ExecState
{
    /**
     * Bounds of each region per access size class: an access of that size at
     * address a in region i = a >> 32 is allowed iff a < readLimit[s][i] (resp.
     * writeLimit). A limit is Base(i) + size - bytes + 1, or Base(i) when nothing fits
     * (also for unused and read-only regions), so one unsigned comparison covers
     * "inside the region", "whole access fits" and "permission". Offsets are 32-bit,
     * so no addition here can overflow.
     */
    uint64_t readLimit[4][region::kCount];
    uint64_t writeLimit[4][region::kCount];
    /// host address = virtual address + delta[i] (mod 2^64).
    uint64_t delta[region::kCount];

    uint64_t args[5];    ///< r1..r5 at entry, and across helper calls (JIT)
    uint64_t fuel;       ///< remaining budget
    uint64_t stackTop;   ///< host address of the top of frame 0
    uint64_t savedRsp;   ///< JIT: host stack pointer to unwind to on a fault
    uint64_t scratch[2]; ///< JIT: registers saved around x86 division
    uint64_t faultAddress;
    uint32_t faultKind; ///< ExecFault
    uint32_t faultPc;
    uint32_t depth; ///< frames in use (1 = entry function)
    uint32_t maxDepth;
    Vm* vm;
};

} // namespace detail
} // namespace ebpf
