/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#pragma once

#include "ebpf-exec-state.h"
#include "ebpf/ebpf-instruction.h"
#include "ebpf/ebpf-verifier.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ebpf
{
class HelperTable;

namespace detail
{

/// x86-64 machine code for a whole program, in its own mapping (written, then made
/// read+execute: never writable and executable at once).
class JitCode
{
  public:
    /// True when this build can emit and run x86-64 code.
    static bool Supported();

    /// Compiles a verified program; nullptr (and \p error) when unsupported or on failure.
    static std::unique_ptr<JitCode> Compile(const std::vector<Instruction>& code,
                                            const VerifierReport& report,
                                            const HelperTable& helpers,
                                            std::string* error);

    ~JitCode();
    JitCode(const JitCode&) = delete;
    JitCode& operator=(const JitCode&) = delete;

    /// Runs from \p entryPc; same contract as Interpret (faults in state.faultKind).
    uint64_t Run(ExecState& state, uint32_t entryPc) const;

    size_t CodeSize() const
    {
        return m_size;
    }

    struct Key
    {
    };

    explicit JitCode(Key)
    {
    }

  private:
    uint8_t* m_memory = nullptr;
    size_t m_mapped = 0;
    size_t m_size = 0;
    std::vector<uint32_t> m_offsets; ///< code offset of each instruction slot
};

} // namespace detail
} // namespace ebpf
