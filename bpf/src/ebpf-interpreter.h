/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#pragma once

#include "ebpf-exec-state.h"
#include "ebpf/ebpf-instruction.h"
#include "ebpf/ebpf-verifier.h"

#include <cstdint>
#include <vector>

namespace ebpf
{
class HelperTable;

namespace detail
{

/// A pre-decoded instruction: one handler per (operation, operand kind, width) so the
/// dispatch loop never decodes fields again.
struct Op
{
    uint8_t handler;     ///< what runs (the charge handler at block leaders)
    uint8_t realHandler; ///< what runs after the charge at a leader
    uint8_t dst;
    uint8_t src;
    int32_t off;   ///< memory offset, or absolute target pc of jumps and local calls
    uint32_t aux;  ///< helper slot of calls
    uint32_t cost; ///< block cost at leaders (VerifierReport::blockCost)
    uint64_t imm;  ///< immediate, already extended as the operation needs
};

struct InterpreterCode
{
    std::vector<Op> ops;
};

/// Decodes a verified program.
InterpreterCode DecodeForInterpreter(const std::vector<Instruction>& code,
                                     const VerifierReport& report,
                                     const HelperTable& helpers);

/**
 * Runs from \p entryPc with registers \p regs (r0..r10, r10 = virtual frame top).
 * \p frames holds 5 words per frame beyond the first. On a fault, state.faultKind is set and
 * the return value is meaningless.
 */
uint64_t Interpret(const InterpreterCode& code,
                   ExecState& state,
                   uint32_t entryPc,
                   uint64_t* regs,
                   uint64_t* frames);

} // namespace detail
} // namespace ebpf
