/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#pragma once

#include "ebpf/ebpf-instruction.h"

#include <string>
#include <string_view>
#include <vector>

/**
 * \file
 * A small assembler for readable tests (the syntax ebpf-disassembler.h prints):
 *
 *     # comment                    mov %r0, 1        add32 %r0, %r1
 *     loop:                        ldxw %r1, [%r2+4] stxdw [%r10-8], %r1   stb [%r1], 7
 *     jeq %r1, 0, +2   jne32 %r1, %r2, loop   ja -3   gotol +70000
 *     lddw %r0, 0x123456789        call 1   call my_helper   call_local func   exit
 *     le16 %r1  be64 %r1  bswap32 %r1   movsxb %r1, %r2   movsxh32 %r1, %r2
 *     ldxsw %r1, [%r2]   atomic_fetch_add [%r1+8], %r2   atomic32_cmpxchg [%r1], %r3
 *     sdiv %r1, -1   smod32 %r1, %r2   neg %r1
 *     .raw 0x8f, 1, 2, 0, 0         # any slot (opcode, dst, src, offset, imm)
 *
 * Mnemonics ending in 32 use the 32-bit classes (ALU, JMP32). Jump targets are
 * a label or a signed slot offset; `call name` resolves through \p helperIds.
 */

namespace ebpf
{

class HelperTable;

struct AssembleResult
{
    std::vector<Instruction> code;
    std::string error; ///< "line N: ..." on failure

    explicit operator bool() const
    {
        return error.empty();
    }
};

AssembleResult Assemble(std::string_view text, const HelperTable* helpers = nullptr);

} // namespace ebpf
