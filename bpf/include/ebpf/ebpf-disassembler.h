/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#pragma once

#include "ebpf/ebpf-instruction.h"

#include <string>
#include <vector>

/**
 * \file
 * Text form of instructions, in the syntax ebpf-assembler.h reads.
 */

namespace ebpf
{

/**
 * One instruction. \p next is the following slot (for LDDW's upper half), or
 * nullptr. Unknown encodings print as `.raw opcode, dst, src, offset, imm`.
 */
std::string Disassemble(const Instruction& insn, const Instruction* next = nullptr);

/// A whole program, one line per instruction, prefixed with the pc.
std::string Disassemble(const std::vector<Instruction>& code);

} // namespace ebpf
