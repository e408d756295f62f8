/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * bpf-vm-bench: speed of the eBPF VM against the same algorithms compiled
 * natively (this file, g++ -O2 in the default RelWithDebInfo build), all
 * measured in this run on this machine. One figure per line, with its unit.
 *
 *   arith   xorshift64* accumulation (a pure register loop)
 *   walk    FNV-1a-style hash over 8-byte words of the plugin heap (every load
 *           bounds-checked by the VM)
 *   helper  a loop calling a host helper (native: a non-inlined call)
 *
 * Each figure is the best of several repetitions. Ratios are VM time / native time.
 * Instructions per second count eBPF instructions executed (the fuel charged).
 *
 * Usage: bpf-vm-bench [--quick]
 */

#include "ebpf/ebpf-assembler.h"
#include "ebpf/ebpf-program.h"
#include "ebpf/ebpf-vm.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace
{

constexpr uint64_t kMultiplier = 0x2545F4914F6CDD1DULL;
constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr uint64_t kFnvPrime = 0x100000001b3ULL;

__attribute__((noinline)) uint64_t
NativeArith(uint64_t n, uint64_t x)
{
    uint64_t sum = 0;
    for (uint64_t i = 0; i < n; ++i)
    {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        sum += x * kMultiplier;
    }
    return sum;
}

__attribute__((noinline)) uint64_t
NativeWalk(const uint64_t* words, uint64_t count, uint64_t rounds)
{
    uint64_t h = kFnvOffset;
    for (uint64_t r = 0; r < rounds; ++r)
    {
        for (uint64_t i = 0; i < count; ++i)
        {
            h = (h ^ words[i]) * kFnvPrime;
        }
    }
    return h;
}

__attribute__((noinline)) uint64_t
Mix(uint64_t a, uint64_t b)
{
    return (a ^ b) * 31 + 7;
}

__attribute__((noinline)) uint64_t
NativeHelperLoop(uint64_t n, uint64_t (*mix)(uint64_t, uint64_t))
{
    uint64_t acc = 1;
    for (uint64_t i = 0; i < n; ++i)
    {
        acc = mix(acc, i);
    }
    return acc;
}

// The same algorithms in eBPF, as clang -O2 would emit them.
const char* const kArith = R"(
    mov %r0, 0
    mov %r3, %r2
    lddw %r5, 0x2545F4914F6CDD1D
    jeq %r1, 0, done
loop:
    mov %r4, %r3
    rsh %r4, 12
    xor %r3, %r4
    mov %r4, %r3
    lsh %r4, 25
    xor %r3, %r4
    mov %r4, %r3
    rsh %r4, 27
    xor %r3, %r4
    mov %r4, %r3
    mul %r4, %r5
    add %r0, %r4
    sub %r1, 1
    jne %r1, 0, loop
done:
    exit
)";

const char* const kWalk = R"(
    lddw %r0, 0xcbf29ce484222325
    lddw %r5, 0x100000001b3
outer:
    mov %r4, %r1
    mov %r6, %r2
inner:
    ldxdw %r7, [%r4+0]
    xor %r0, %r7
    mul %r0, %r5
    add %r4, 8
    sub %r6, 1
    jne %r6, 0, inner
    sub %r3, 1
    jne %r3, 0, outer
    exit
)";

const char* const kHelperLoop = R"(
    mov %r0, 1
    mov %r6, 0
    mov %r7, %r1
    jeq %r7, 0, done
loop:
    mov %r1, %r0
    mov %r2, %r6
    call mix
    add %r6, 1
    jne %r6, %r7, loop
done:
    exit
)";

double
Seconds(const std::function<void()>& work, int repetitions)
{
    double best = 1e30;
    for (int i = 0; i < repetitions; ++i)
    {
        auto start = std::chrono::steady_clock::now();
        work();
        auto stop = std::chrono::steady_clock::now();
        best = std::min(best, std::chrono::duration<double>(stop - start).count());
    }
    return best;
}

struct VmRun
{
    double seconds = 0;
    uint64_t value = 0;
    uint64_t instructions = 0;
};

VmRun
TimeVm(const std::shared_ptr<const ebpf::Program>& program,
       ebpf::Engine engine,
       const std::array<uint64_t, 5>& args,
       const std::vector<uint64_t>& heapWords,
       int repetitions)
{
    ebpf::VmOptions options;
    options.heapSize = std::max<uint64_t>(heapWords.size() * 8, 4096);
    ebpf::Vm vm(program, options);
    vm.SetEngine(engine);
    if (vm.GetEngine() != engine)
    {
        std::fprintf(stderr, "bpf-vm-bench: JIT unavailable: %s\n", vm.JitError().c_str());
    }
    if (!heapWords.empty())
    {
        std::memcpy(vm.Heap(), heapWords.data(), heapWords.size() * 8);
    }
    VmRun out;
    out.seconds = Seconds(
        [&] {
            ebpf::RunResult r = vm.Run(program->Functions().front(), args, ~0ULL >> 1);
            if (!r.ok)
            {
                std::fprintf(stderr, "bpf-vm-bench: %s\n", r.fault.message.c_str());
            }
            out.value = r.value;
            out.instructions = r.fuelUsed;
        },
        repetitions);
    return out;
}

std::shared_ptr<const ebpf::Program>
Build(const char* text, const std::shared_ptr<ebpf::HelperTable>& helpers)
{
    ebpf::AssembleResult code = ebpf::Assemble(text, helpers.get());
    if (!code)
    {
        std::fprintf(stderr, "bpf-vm-bench: %s\n", code.error.c_str());
        std::exit(1);
    }
    ebpf::LoadResult loaded = ebpf::Program::FromInstructions(code.code, helpers);
    if (!loaded)
    {
        std::fprintf(stderr, "bpf-vm-bench: %s\n", loaded.error.c_str());
        std::exit(1);
    }
    return loaded.program;
}

void
Figure(const std::string& name, double value, const char* unit)
{
    std::printf("%-36s %12.3f %s\n", name.c_str(), value, unit);
}

} // namespace

int
main(int argc, char** argv)
{
    const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    const int repetitions = quick ? 2 : 5;
    const uint64_t scale = quick ? 1 : 10;
    volatile uint64_t sink = 0;

    auto helpers = std::make_shared<ebpf::HelperTable>();
    helpers->Register(
        1,
        "mix",
        [](ebpf::HelperContext&, uint64_t a, uint64_t b, uint64_t, uint64_t, uint64_t) {
            return Mix(a, b);
        });
    const bool jit = ebpf::Vm::JitSupported();
    std::printf("# bpf-vm-bench: VM time relative to native g++ code, same run, best of %d\n",
                repetitions);
    std::printf("%-36s %12s\n", "jit.available", jit ? "yes" : "no");

    uint64_t totalInstructions[2] = {0, 0};
    double totalSeconds[2] = {0, 0};
    bool agree = true;
    auto report = [&](const std::string& name,
                      double native,
                      uint64_t nativeValue,
                      const std::shared_ptr<const ebpf::Program>& program,
                      const std::array<uint64_t, 5>& args,
                      const std::vector<uint64_t>& heap,
                      uint64_t iterations) {
        Figure(name + ".native", native * 1e9 / iterations, "ns/iteration");
        const ebpf::Engine engines[2] = {ebpf::Engine::Interpreter, ebpf::Engine::Jit};
        const char* names[2] = {"interpreter", "jit"};
        for (int e = 0; e < (jit ? 2 : 1); ++e)
        {
            VmRun r = TimeVm(program, engines[e], args, heap, repetitions);
            agree = agree && r.value == nativeValue;
            Figure(name + "." + names[e], r.seconds * 1e9 / iterations, "ns/iteration");
            Figure(name + "." + names[e] + ".ratio", r.seconds / native, "x native");
            totalInstructions[e] += r.instructions;
            totalSeconds[e] += r.seconds;
        }
    };

    {
        const uint64_t n = 2000000 * scale;
        volatile uint64_t seed = 88172645463325252ULL;
        uint64_t value = 0;
        double native = Seconds([&] { value = NativeArith(n, seed); }, repetitions);
        sink = sink + value;
        report("arith", native, value, Build(kArith, helpers), {n, seed}, {}, n);
    }
    {
        const uint64_t words = 4096; // 32 KiB of heap
        const uint64_t rounds = 50 * scale;
        std::vector<uint64_t> heap(words);
        uint64_t x = 1;
        for (auto& w : heap)
        {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            w = x;
        }
        uint64_t value = 0;
        double native =
            Seconds([&] { value = NativeWalk(heap.data(), words, rounds); }, repetitions);
        sink = sink + value;
        report("walk",
               native,
               value,
               Build(kWalk, helpers),
               {ebpf::region::Base(ebpf::region::kHeap), words, rounds},
               heap,
               words * rounds);
    }
    {
        const uint64_t n = 200000 * scale;
        uint64_t (*volatile mix)(uint64_t, uint64_t) = &Mix;
        uint64_t value = 0;
        double native = Seconds([&] { value = NativeHelperLoop(n, mix); }, repetitions);
        sink = sink + value;
        report("helper", native, value, Build(kHelperLoop, helpers), {n}, {}, n);
    }
    Figure("interpreter.instructions_per_second",
           totalInstructions[0] / totalSeconds[0] / 1e6,
           "million instructions/s");
    if (jit)
    {
        Figure("jit.instructions_per_second",
               totalInstructions[1] / totalSeconds[1] / 1e6,
               "million instructions/s");
    }
    std::printf("%-36s %12s\n", "results.agree_with_native", agree ? "yes" : "NO");
    return agree ? 0 : 1;
}
