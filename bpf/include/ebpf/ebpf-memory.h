/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#pragma once

#include <cstdint>

/**
 * \file
 * The program's address space.
 *
 * Programs never see host addresses: every region lives in its own 4 GiB
 * window of a virtual address space, at `index << 32`. The same program thus
 * sees the same addresses in every run and on every host (the simulation stays
 * deterministic), a relocated program does not depend on where the host put its
 * data, and a bounds check is one table look-up: the region is `address >> 32`
 * and the offset inside it the low 32 bits. Address 0 (and everything below
 * 4 GiB) belongs to no region, so a null pointer always faults.
 */

namespace ebpf
{

/// Access rights of a region.
enum class Access : uint8_t
{
    ReadOnly,
    ReadWrite,
};

/// Fixed region indices.
namespace region
{
constexpr uint32_t kNull = 0;         ///< never mapped: catches null pointers
constexpr uint32_t kStack = 1;        ///< all call frames (r10-relative)
constexpr uint32_t kReadOnlyData = 2; ///< .rodata and string literals of the program
constexpr uint32_t kData = 3;         ///< .data and .bss of this instance
constexpr uint32_t kHeap = 4;         ///< the plugin heap of this instance
constexpr uint32_t kFirstLent = 5;    ///< memory lent by the host for one run
constexpr uint32_t kCount = 16;       ///< size of the region table
constexpr uint64_t kMaxSize = 0xffffffffULL;

/// Virtual address of the first byte of region \p index.
constexpr uint64_t
Base(uint32_t index)
{
    return static_cast<uint64_t>(index) << 32;
}

/// Name of a region, for messages.
const char* Name(uint32_t index);
} // namespace region

} // namespace ebpf
