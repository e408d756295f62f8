/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#pragma once

/**
 * \file
 * Shared helpers of the VM test suites: assemble, load, and run a program in
 * both engines, checking that interpreter and JIT agree on everything
 * observable (value, fault kind/pc/address, fuel used, memory afterwards).
 */

#include "ebpf/ebpf-assembler.h"
#include "ebpf/ebpf-disassembler.h"
#include "ebpf/ebpf-program.h"
#include "ebpf/ebpf-vm.h"

#include <boost/test/unit_test.hpp>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace bpftest
{

/// Helpers the tests call: 1 add(a..e) = sum, 2 fail(), 3 sum_bytes(ptr, len) with a
/// Translate check, 4 store(ptr, value) writing 8 bytes, 5 throw().
inline std::shared_ptr<ebpf::HelperTable>
TestHelpers()
{
    auto helpers = std::make_shared<ebpf::HelperTable>();
    helpers->Register(
        1,
        "add",
        [](ebpf::HelperContext&, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e) {
            return a + b + c + d + e;
        });
    helpers->Register(
        2,
        "fail",
        [](ebpf::HelperContext& ctx, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t) {
            ctx.Fail("asked to fail");
            return uint64_t{0};
        });
    helpers->Register(
        3,
        "sum_bytes",
        [](ebpf::HelperContext& ctx, uint64_t ptr, uint64_t len, uint64_t, uint64_t, uint64_t)
            -> uint64_t {
            const uint8_t* p = static_cast<const uint8_t*>(ctx.Translate(ptr, len, false));
            if (p == nullptr)
            {
                ctx.Fail("bad buffer");
                return 0;
            }
            uint64_t sum = 0;
            for (uint64_t i = 0; i < len; ++i)
            {
                sum += p[i];
            }
            return sum;
        });
    helpers->Register(
        4,
        "store",
        [](ebpf::HelperContext& ctx, uint64_t ptr, uint64_t value, uint64_t, uint64_t, uint64_t)
            -> uint64_t {
            void* p = ctx.Translate(ptr, 8, true);
            if (p == nullptr)
            {
                ctx.Fail("bad pointer");
                return 0;
            }
            std::memcpy(p, &value, 8);
            return 0;
        });
    helpers->Register(
        5,
        "throw",
        [](ebpf::HelperContext&, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t) -> uint64_t {
            throw std::runtime_error("helper exception");
        });
    return helpers;
}

inline std::shared_ptr<const ebpf::Program>
Load(const std::string& text, std::shared_ptr<ebpf::HelperTable> helpers = TestHelpers())
{
    ebpf::AssembleResult assembled = ebpf::Assemble(text, helpers.get());
    BOOST_REQUIRE_MESSAGE(assembled, assembled.error << "\n" << text);
    ebpf::LoadResult loaded = ebpf::Program::FromInstructions(assembled.code, helpers);
    BOOST_REQUIRE_MESSAGE(loaded, loaded.error << "\n" << text);
    return loaded.program;
}

/// Error text when loading \p text fails ("" if it loads).
inline std::string
LoadError(const std::string& text, std::shared_ptr<ebpf::HelperTable> helpers = TestHelpers())
{
    ebpf::AssembleResult assembled = ebpf::Assemble(text, helpers.get());
    BOOST_REQUIRE_MESSAGE(assembled, assembled.error);
    ebpf::LoadResult loaded = ebpf::Program::FromInstructions(assembled.code, helpers);
    return loaded ? "" : loaded.error;
}

struct RunSpec
{
    std::vector<uint8_t> memory; ///< lent read-write: r1 = address, r2 = size
    ebpf::Access access = ebpf::Access::ReadWrite;
    uint64_t fuel = ebpf::kDefaultFuel;
    ebpf::VmOptions options{};
    std::string function; ///< empty: first function
    bool argsGiven = false;
    std::array<uint64_t, 5> args{};
};

struct BothResults
{
    ebpf::RunResult interpreter;
    ebpf::RunResult jit;
    std::vector<uint8_t> memory; ///< lent memory after the run
    std::vector<uint8_t> heap;
};

inline ebpf::RunResult
RunOne(const std::shared_ptr<const ebpf::Program>& program,
       const RunSpec& spec,
       ebpf::Engine engine,
       std::vector<uint8_t>& memory,
       std::vector<uint8_t>& heap)
{
    ebpf::Vm vm(program, spec.options);
    vm.SetEngine(engine);
    if (engine == ebpf::Engine::Jit && ebpf::Vm::JitSupported())
    {
        BOOST_REQUIRE_MESSAGE(vm.GetEngine() == ebpf::Engine::Jit, vm.JitError());
    }
    memory = spec.memory;
    std::array<uint64_t, 5> args = spec.args;
    if (!spec.argsGiven)
    {
        uint64_t address = memory.empty() ? 0 : vm.Lend(memory.data(), memory.size(), spec.access);
        args = {address, memory.size(), 0, 0, 0};
    }
    else if (!memory.empty())
    {
        vm.Lend(memory.data(), memory.size(), spec.access);
    }
    const ebpf::Function& f = spec.function.empty() ? program->Functions().front()
                                                    : *program->FindFunction(spec.function);
    ebpf::RunResult r = vm.Run(f, args, spec.fuel);
    heap.assign(vm.Heap(), vm.Heap() + vm.HeapSize());
    return r;
}

/// Runs in both engines and checks they agree on everything observable.
inline BothResults
RunBoth(const std::shared_ptr<const ebpf::Program>& program, const RunSpec& spec = {})
{
    BothResults out;
    std::vector<uint8_t> memoryJ;
    std::vector<uint8_t> heapJ;
    out.interpreter = RunOne(program, spec, ebpf::Engine::Interpreter, out.memory, out.heap);
    out.jit = RunOne(program, spec, ebpf::Engine::Jit, memoryJ, heapJ);
    const auto& a = out.interpreter;
    const auto& b = out.jit;
    BOOST_CHECK_EQUAL(a.ok, b.ok);
    BOOST_CHECK_EQUAL(a.value, b.value);
    BOOST_CHECK_EQUAL(a.fuelUsed, b.fuelUsed);
    BOOST_CHECK_EQUAL(static_cast<int>(a.fault.kind), static_cast<int>(b.fault.kind));
    BOOST_CHECK_EQUAL(a.fault.pc, b.fault.pc);
    BOOST_CHECK_EQUAL(a.fault.address, b.fault.address);
    BOOST_CHECK_EQUAL(a.fault.message, b.fault.message);
    BOOST_CHECK(out.memory == memoryJ);
    BOOST_CHECK(out.heap == heapJ);
    return out;
}

/// Assembles, runs in both engines, requires success and returns r0.
inline uint64_t
Eval(const std::string& text, const RunSpec& spec = {})
{
    auto program = Load(text);
    BothResults r = RunBoth(program, spec);
    BOOST_REQUIRE_MESSAGE(r.interpreter.ok, r.interpreter.fault.message << "\n" << text);
    BOOST_REQUIRE_MESSAGE(r.jit.ok, r.jit.fault.message << "\n" << text);
    return r.interpreter.value;
}

/// Assembles, runs in both engines, requires a fault and returns it.
inline ebpf::Fault
EvalFault(const std::string& text, const RunSpec& spec = {})
{
    auto program = Load(text);
    BothResults r = RunBoth(program, spec);
    BOOST_REQUIRE_MESSAGE(!r.interpreter.ok, "expected a fault:\n" << text);
    BOOST_REQUIRE(!r.jit.ok);
    return r.interpreter.fault;
}

} // namespace bpftest
