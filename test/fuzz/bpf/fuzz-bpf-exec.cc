/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * libFuzzer harness for execution: verify, then run with a fuel budget in the
 * interpreter and in the JIT, and abort if they disagree on anything
 * observable (value, fault kind/pc/address/message, fuel used, memory, heap).
 *
 * Input: 8 bytes of parameters (fuel, then the seed of a 64-byte lent buffer),
 * then raw bytecode.
 */

#include "ebpf/ebpf-program.h"
#include "ebpf/ebpf-vm.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

namespace
{
std::shared_ptr<ebpf::HelperTable>
Helpers()
{
    static std::shared_ptr<ebpf::HelperTable> helpers = [] {
        auto h = std::make_shared<ebpf::HelperTable>();
        h->Register(
            1,
            "add",
            [](ebpf::HelperContext&, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e) {
                return a + b + c + d + e;
            });
        h->Register(
            2,
            "fail",
            [](ebpf::HelperContext& ctx, uint64_t a, uint64_t, uint64_t, uint64_t, uint64_t) {
                if (a & 1)
                {
                    ctx.Fail("odd");
                }
                return a;
            });
        h->Register(
            3,
            "sum_bytes",
            [](ebpf::HelperContext& ctx, uint64_t p, uint64_t len, uint64_t, uint64_t, uint64_t)
                -> uint64_t {
                const uint8_t* bytes = static_cast<const uint8_t*>(ctx.Translate(p, len, false));
                if (!bytes)
                {
                    ctx.Fail("bad buffer");
                    return 0;
                }
                uint64_t sum = 0;
                for (uint64_t i = 0; i < len; ++i)
                {
                    sum += bytes[i];
                }
                return sum;
            });
        return h;
    }();
    return helpers;
}

struct Outcome
{
    ebpf::RunResult result;
    std::vector<uint8_t> memory;
    std::vector<uint8_t> heap;
};

Outcome
Run(const std::shared_ptr<const ebpf::Program>& program,
    ebpf::Engine engine,
    uint64_t fuel,
    uint32_t seed)
{
    ebpf::VmOptions options;
    options.heapSize = 4096;
    ebpf::Vm vm(program, options);
    vm.SetEngine(engine);
    Outcome out;
    out.memory.resize(64);
    for (size_t i = 0; i < out.memory.size(); ++i)
    {
        out.memory[i] = static_cast<uint8_t>(seed >> (i % 4 * 8)) ^ static_cast<uint8_t>(i);
    }
    uint64_t address = vm.Lend(out.memory.data(), out.memory.size(), ebpf::Access::ReadWrite);
    out.result = vm.Run(program->Functions().front(), {address, out.memory.size(), 0, 0, 0}, fuel);
    out.heap.assign(vm.Heap(), vm.Heap() + vm.HeapSize());
    return out;
}
} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 8)
    {
        return 0;
    }
    uint32_t fuelBits;
    uint32_t seed;
    std::memcpy(&fuelBits, data, 4);
    std::memcpy(&seed, data + 4, 4);
    const uint64_t fuel = fuelBits % 20000;
    ebpf::LoadResult loaded = ebpf::Program::FromBytes(data + 8, size - 8, Helpers());
    if (!loaded)
    {
        return 0;
    }
    Outcome a = Run(loaded.program, ebpf::Engine::Interpreter, fuel, seed);
    if (!ebpf::Vm::JitSupported())
    {
        return 0;
    }
    Outcome b = Run(loaded.program, ebpf::Engine::Jit, fuel, seed);
    const ebpf::RunResult& x = a.result;
    const ebpf::RunResult& y = b.result;
    if (x.ok != y.ok || x.value != y.value || x.fuelUsed != y.fuelUsed ||
        x.fault.kind != y.fault.kind || x.fault.pc != y.fault.pc ||
        x.fault.address != y.fault.address || x.fault.message != y.fault.message ||
        a.memory != b.memory || a.heap != b.heap)
    {
        std::abort(); // interpreter and JIT disagree
    }
    return 0;
}
