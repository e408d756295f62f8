/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ebpf-interpreter.h"
#include "ebpf-jit-x86-64.h"
#include "ebpf/ebpf-program.h"
#include "ebpf/ebpf-verifier.h"

#include <algorithm>
#include <cstring>

/**
 * \file
 * Program construction: raw bytecode or a loader's image, verified, then
 * pre-decoded for the interpreter. JIT code is produced on first use.
 */

namespace ebpf
{

Program::Program(Key)
{
}

Program::~Program() = default;

LoadResult
Program::FromBytes(const uint8_t* data, size_t size, std::shared_ptr<const HelperTable> helpers)
{
    if (size % sizeof(Instruction) != 0)
    {
        return {nullptr,
                "bytecode of " + std::to_string(size) +
                    " bytes is not a whole number of 8-byte "
                    "instructions"};
    }
    if (size / sizeof(Instruction) > kMaxInstructions)
    {
        return {nullptr,
                "program exceeds the limit of " + std::to_string(kMaxInstructions) +
                    " instructions"};
    }
    std::vector<Instruction> code(size / sizeof(Instruction));
    if (size != 0)
    {
        std::memcpy(code.data(), data, size);
    }
    return FromInstructions(std::move(code), std::move(helpers));
}

LoadResult
Program::FromInstructions(std::vector<Instruction> code, std::shared_ptr<const HelperTable> helpers)
{
    ProgramImage image;
    image.code = std::move(code);
    image.functions.push_back({"main", "", 0});
    return FromImage(std::move(image), std::move(helpers));
}

LoadResult
Program::FromImage(ProgramImage image, std::shared_ptr<const HelperTable> helpers)
{
    if (!helpers)
    {
        helpers = std::make_shared<HelperTable>();
    }
    if (image.readOnlyData.size() > region::kMaxSize || image.data.size() > region::kMaxSize)
    {
        return {nullptr, "data sections exceed 4 GiB"};
    }
    std::vector<uint32_t> starts;
    for (const auto& f : image.functions)
    {
        starts.push_back(f.start);
    }
    VerifierReport report = Verify(image.code, starts, helpers.get());
    if (!report.ok)
    {
        std::string where;
        for (const auto& f : image.functions)
        {
            if (f.start <= report.errorPc)
            {
                where = f.name;
            }
        }
        return {nullptr,
                "verifier: " + report.error +
                    (where.empty() ? "" : " in function '" + where + "'")};
    }

    auto program = std::make_shared<Program>(Key{});
    // Functions: named ones from the image, unnamed local-call targets as "fn_<pc>".
    const auto& fs = report.functionStarts;
    for (size_t i = 0; i < fs.size(); ++i)
    {
        Function f;
        f.start = fs[i];
        f.end = i + 1 < fs.size() ? fs[i + 1] : static_cast<uint32_t>(image.code.size());
        f.loopFree = report.functionLoopFree[i];
        bool named = false;
        for (const auto& sym : image.functions)
        {
            if (sym.start == f.start)
            {
                Function copy = f;
                copy.name = sym.name;
                copy.section = sym.section;
                program->m_functions.push_back(copy);
                named = true;
            }
        }
        if (!named)
        {
            f.name = "fn_" + std::to_string(f.start);
            program->m_functions.push_back(f);
        }
    }
    program->m_code = std::move(image.code);
    program->m_readOnlyData = std::move(image.readOnlyData);
    program->m_data = std::move(image.data);
    program->m_helpers = std::move(helpers);
    program->m_interpreterCode = std::make_unique<detail::InterpreterCode>(
        detail::DecodeForInterpreter(program->m_code, report, *program->m_helpers));
    program->m_report = std::move(report);
    return {program, ""};
}

const Function*
Program::FindFunction(std::string_view name) const
{
    for (const auto& f : m_functions)
    {
        if (f.name == name)
        {
            return &f;
        }
    }
    const Function* best = nullptr;
    for (const auto& f : m_functions)
    {
        if (f.section == name && (best == nullptr || f.start < best->start))
        {
            best = &f;
        }
    }
    return best;
}

const Function*
Program::FunctionAt(uint32_t pc) const
{
    const Function* found = nullptr;
    for (const auto& f : m_functions)
    {
        if (f.start <= pc && pc < f.end)
        {
            found = &f;
        }
    }
    return found;
}

const detail::JitCode*
Program::JitCode(std::string* error) const
{
    std::call_once(m_jitOnce, [this] {
        m_jitCode = detail::JitCode::Compile(m_code, m_report, *m_helpers, &m_jitError);
    });
    if (!m_jitCode && error)
    {
        *error = m_jitError;
    }
    return m_jitCode.get();
}

} // namespace ebpf
