/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#pragma once

#include "ebpf/ebpf-helpers.h"
#include "ebpf/ebpf-instruction.h"
#include "ebpf/ebpf-verifier.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

/**
 * \file
 * A loaded, relocated and verified program: immutable, shared by every Vm running it.
 */

namespace ebpf
{

namespace detail
{
struct InterpreterCode;
class JitCode;
} // namespace detail

class Program;

/// A function of a program, usable as an entry point.
struct Function
{
    std::string name;    ///< symbol name (or section name, or "main" for raw bytecode)
    std::string section; ///< ELF section it came from (empty for raw bytecode)
    uint32_t start = 0;  ///< first instruction slot
    uint32_t end = 0;    ///< one past the last slot
    bool loopFree = false;
};

/// What a loader produces before verification: code, named entry points and data images.
struct ProgramImage
{
    struct Symbol
    {
        std::string name;
        std::string section;
        uint32_t start = 0;
    };

    std::vector<Instruction> code;
    std::vector<Symbol> functions;
    std::vector<uint8_t> readOnlyData; ///< becomes region::kReadOnlyData
    std::vector<uint8_t> data;         ///< .data then zeroed .bss: region::kData
};

/// A program or the reason none could be made.
struct LoadResult
{
    std::shared_ptr<const Program> program;
    std::string error;

    explicit operator bool() const
    {
        return program != nullptr;
    }
};

class Program
{
  public:
    /// Raw bytecode: a multiple of 8 bytes, one function "main" at pc 0 (local calls add more).
    static LoadResult FromBytes(const uint8_t* data,
                                size_t size,
                                std::shared_ptr<const HelperTable> helpers);
    static LoadResult FromInstructions(std::vector<Instruction> code,
                                       std::shared_ptr<const HelperTable> helpers);
    /// An ELF64 relocatable object as clang -target bpf emits it (see ebpf-elf.cc).
    static LoadResult FromElf(const uint8_t* data,
                              size_t size,
                              std::shared_ptr<const HelperTable> helpers);
    /// Verifies an image built by any loader.
    static LoadResult FromImage(ProgramImage image, std::shared_ptr<const HelperTable> helpers);

    ~Program();
    Program(const Program&) = delete;
    Program& operator=(const Program&) = delete;

    const std::vector<Instruction>& Code() const
    {
        return m_code;
    }

    const std::vector<Function>& Functions() const
    {
        return m_functions;
    }

    /// A function by symbol name, else by section name (its first function); nullptr if none.
    const Function* FindFunction(std::string_view name) const;
    /// The function containing \p pc.
    const Function* FunctionAt(uint32_t pc) const;

    const std::vector<uint8_t>& ReadOnlyData() const
    {
        return m_readOnlyData;
    }

    const std::vector<uint8_t>& InitialData() const
    {
        return m_data;
    }

    const VerifierReport& Report() const
    {
        return m_report;
    }

    /// Every function is loop-free: every entry provably terminates.
    bool IsLoopFree() const
    {
        return m_report.loopFree;
    }

    const HelperTable& Helpers() const
    {
        return *m_helpers;
    }

    /// Internal: the interpreter's pre-decoded form.
    const detail::InterpreterCode& InterpreterCode() const
    {
        return *m_interpreterCode;
    }

    /// Internal: machine code, compiled on first use; nullptr where no JIT exists.
    const detail::JitCode* JitCode(std::string* error = nullptr) const;

    /// Private constructor made reachable for std::make_shared.
    struct Key
    {
    };

    explicit Program(Key);

  private:
    std::vector<Instruction> m_code;
    std::vector<Function> m_functions;
    std::vector<uint8_t> m_readOnlyData;
    std::vector<uint8_t> m_data;
    VerifierReport m_report;
    std::shared_ptr<const HelperTable> m_helpers;
    std::unique_ptr<detail::InterpreterCode> m_interpreterCode;
    mutable std::once_flag m_jitOnce;
    mutable std::unique_ptr<detail::JitCode> m_jitCode;
    mutable std::string m_jitError;
};

} // namespace ebpf
