/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#define BOOST_TEST_MODULE bpf_memory
#include "bpf-test-util.h"

#include <cstdint>
#include <cstring>

/**
 * \file
 * Loads, stores and atomics (RFC 9669 §5) at every width, and the memory
 * safety of both engines: every region (stack, read-only data, globals, heap,
 * lent buffers), accesses just past each one, huge and wrapping addresses, null
 * pointers and writes to read-only memory all end in a precise fault.
 */

using namespace bpftest;

namespace
{
std::string
Hex(uint64_t v)
{
    char b[32];
    std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
    return b;
}

const uint64_t kHeap = ebpf::region::Base(ebpf::region::kHeap);
const uint64_t kHeapSize = ebpf::VmOptions{}.heapSize;

RunSpec
WithMemory(size_t size, ebpf::Access access = ebpf::Access::ReadWrite)
{
    RunSpec spec;
    spec.memory.resize(size);
    for (size_t i = 0; i < size; ++i)
    {
        spec.memory[i] = static_cast<uint8_t>(i * 7 + 1);
    }
    spec.access = access;
    return spec;
}
} // namespace

BOOST_AUTO_TEST_CASE(loads_and_stores_at_every_width)
{
    RunSpec spec = WithMemory(32);
    auto r = RunBoth(Load("stb [%r1+0], 0x81\n"
                          "sth [%r1+2], -2\n"
                          "stw [%r1+4], 0x80000000\n"
                          "stdw [%r1+8], -3\n" // ST DW sign-extends its immediate
                          "lddw %r2, 0x1122334455667788\n"
                          "stxdw [%r1+16], %r2\n"
                          "stxw [%r1+24], %r2\n"
                          "stxh [%r1+28], %r2\n"
                          "stxb [%r1+30], %r2\n"
                          "ldxb %r0, [%r1+0]\n"
                          "ldxh %r3, [%r1+2]\n"
                          "add %r0, %r3\n"
                          "ldxw %r3, [%r1+4]\n"
                          "add %r0, %r3\n"
                          "ldxdw %r3, [%r1+8]\n"
                          "add %r0, %r3\n"
                          "exit"),
                     spec);
    BOOST_REQUIRE(r.interpreter.ok);
    BOOST_CHECK_EQUAL(r.interpreter.value, 0x81u + 0xfffeu + 0x80000000u + (~0ULL - 2));
    const uint8_t expected[32] = {0x81, 0x08, 0xfe, 0xff, 0,    0,    0,    0x80, 0xfd, 0xff, 0xff,
                                  0xff, 0xff, 0xff, 0xff, 0xff, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33,
                                  0x22, 0x11, 0x88, 0x77, 0x66, 0x55, 0x88, 0x77, 0x88, 0xda};
    BOOST_CHECK(std::memcmp(r.memory.data(), expected, 32) == 0);
}

BOOST_AUTO_TEST_CASE(sign_extending_loads)
{
    // RFC 9669 §5.2.
    RunSpec spec;
    spec.memory = {0x80, 0x00, 0x80, 0x00, 0x00, 0x80, 0x7f, 0x00};
    BOOST_CHECK_EQUAL(Eval("ldxsb %r0, [%r1+0]\nexit", spec), 0xffffffffffffff80u);
    BOOST_CHECK_EQUAL(Eval("ldxsh %r0, [%r1+2]\nexit", spec), 0x0080u);
    BOOST_CHECK_EQUAL(Eval("ldxsh %r0, [%r1+4]\nexit", spec), 0xffffffffffff8000u);
    BOOST_CHECK_EQUAL(Eval("ldxsw %r0, [%r1+2]\nexit", spec), 0xffffffff80000080u);
    BOOST_CHECK_EQUAL(Eval("ldxsw %r0, [%r1+4]\nexit", spec), 0x007f8000u);
    BOOST_CHECK_EQUAL(Eval("ldxsb %r0, [%r1+6]\nexit", spec), 0x7fu);
    // Unaligned accesses are allowed.
    BOOST_CHECK_EQUAL(Eval("ldxw %r0, [%r1+1]\nexit", spec), 0x8000u);
}

BOOST_AUTO_TEST_CASE(atomics_32_and_64)
{
    // RFC 9669 §5.3: with FETCH the old value lands in src; CMPXCHG compares with r0 and
    // always leaves the old value in r0; 32-bit forms zero-extend.
    struct Case
    {
        std::string op;
        uint64_t memoryAfter;
        uint64_t srcAfter;
    };

    const uint64_t old = 0xf0f0f0f0f0f0f0f0;
    const uint64_t src = 0x0ff000ff0ff000ff;
    const std::vector<Case> cases64 = {
        {"atomic_add", old + src, src},
        {"atomic_or", old | src, src},
        {"atomic_and", old & src, src},
        {"atomic_xor", old ^ src, src},
        {"atomic_fetch_add", old + src, old},
        {"atomic_fetch_or", old | src, old},
        {"atomic_fetch_and", old & src, old},
        {"atomic_fetch_xor", old ^ src, old},
        {"atomic_xchg", src, old},
    };
    for (const auto& c : cases64)
    {
        RunSpec spec;
        spec.memory.resize(16);
        std::memcpy(spec.memory.data() + 8, &old, 8);
        auto r = RunBoth(
            Load("lddw %r2, " + Hex(src) + "\n" + c.op + " [%r1+8], %r2\nmov %r0, %r2\nexit"),
            spec);
        BOOST_REQUIRE_MESSAGE(r.interpreter.ok, c.op << ": " << r.interpreter.fault.message);
        uint64_t after;
        std::memcpy(&after, r.memory.data() + 8, 8);
        BOOST_CHECK_MESSAGE(after == c.memoryAfter, c.op);
        BOOST_CHECK_MESSAGE(r.interpreter.value == c.srcAfter, c.op);
    }
    for (const auto& c : cases64)
    {
        const std::string op32 = "atomic32_" + c.op.substr(7);
        RunSpec spec;
        spec.memory.resize(8);
        std::memcpy(spec.memory.data() + 4, &old, 4);
        auto r = RunBoth(
            Load("lddw %r2, " + Hex(src) + "\n" + op32 + " [%r1+4], %r2\nmov %r0, %r2\nexit"),
            spec);
        BOOST_REQUIRE_MESSAGE(r.interpreter.ok, op32 << ": " << r.interpreter.fault.message);
        uint32_t after;
        std::memcpy(&after, r.memory.data() + 4, 4);
        BOOST_CHECK_MESSAGE(after == static_cast<uint32_t>(c.memoryAfter), op32);
        const bool fetches = c.srcAfter == old;
        BOOST_CHECK_MESSAGE(r.interpreter.value == (fetches ? static_cast<uint32_t>(old) : src),
                            op32);
    }
    // CMPXCHG: success and failure, 64 and 32 bits.
    RunSpec spec;
    spec.memory.resize(8);
    std::memcpy(spec.memory.data(), &old, 8);
    auto hit = RunBoth(Load("lddw %r0, " + Hex(old) +
                            "\nmov %r2, 5\n"
                            "atomic_cmpxchg [%r1+0], %r2\nexit"),
                       spec);
    BOOST_CHECK_EQUAL(hit.interpreter.value, old);
    BOOST_CHECK_EQUAL(hit.memory[0], 5);
    auto miss = RunBoth(Load("mov %r0, 1\nmov %r2, 5\natomic_cmpxchg [%r1+0], %r2\nexit"), spec);
    BOOST_CHECK_EQUAL(miss.interpreter.value, old);
    BOOST_CHECK_EQUAL(miss.memory[0], 0xf0);
    auto hit32 = RunBoth(Load("lddw %r0, 0xabcdef00f0f0f0f0\nmov %r2, 5\n"
                              "atomic32_cmpxchg [%r1+0], %r2\nexit"),
                         spec);
    BOOST_CHECK_EQUAL(hit32.interpreter.value, 0xf0f0f0f0u); // zero-extended
    BOOST_CHECK_EQUAL(hit32.memory[0], 5);
    BOOST_CHECK_EQUAL(hit32.memory[4], 0xf0);
    auto miss32 =
        RunBoth(Load("mov %r0, 1\nmov %r2, 5\natomic32_cmpxchg [%r1+4], %r2\nexit"), spec);
    BOOST_CHECK_EQUAL(miss32.interpreter.value, 0xf0f0f0f0u);
    // The source register may be the frame pointer (no fetch writes it back).
    auto fp =
        RunBoth(Load("mov %r0, 0\natomic_cmpxchg [%r1+0], %r10\nldxdw %r0, [%r1+0]\nexit"), spec);
    BOOST_CHECK_EQUAL(fp.interpreter.value, old);
    // Atomics on the stack, through r10 and through a derived pointer.
    BOOST_CHECK_EQUAL(Eval("stdw [%r10-8], 40\nmov %r2, 2\natomic_fetch_add [%r10-8], %r2\n"
                           "mov %r3, %r10\nadd %r3, -8\natomic_add [%r3+0], %r2\n"
                           "ldxdw %r0, [%r10-8]\nadd %r0, %r2\nexit"),
                      122u); // 40 + 2, then + 40 (the fetched old value), + 40
}

BOOST_AUTO_TEST_CASE(stack_frames_and_pointers_to_the_stack)
{
    BOOST_CHECK_EQUAL(Eval("stdw [%r10-512], 7\nstb [%r10-1], 9\nldxdw %r0, [%r10-512]\n"
                           "ldxb %r1, [%r10-1]\nadd %r0, %r1\nexit"),
                      16u);
    // The stack starts zeroed.
    BOOST_CHECK_EQUAL(Eval("ldxdw %r0, [%r10-64]\nexit"), 0u);
    // A pointer into the stack goes through the checked path and to helpers.
    BOOST_CHECK_EQUAL(Eval("stdw [%r10-16], 0x01020304\nmov %r1, %r10\nadd %r1, -16\n"
                           "mov %r2, 4\ncall sum_bytes\nexit"),
                      10u);
    // Below the whole stack there is nothing.
    auto f = EvalFault("mov %r1, %r10\nadd %r1, -4097\nldxb %r0, [%r1+0]\nexit");
    BOOST_CHECK(f.kind == ebpf::FaultKind::OutOfBoundsRead);
    BOOST_CHECK_EQUAL(f.address, ebpf::region::Base(ebpf::region::kStack) - 1);
    // Above the top of frame 0.
    f = EvalFault("mov %r1, %r10\nstxb [%r1+0], %r1\nexit");
    BOOST_CHECK(f.kind == ebpf::FaultKind::OutOfBoundsWrite);
    BOOST_CHECK_EQUAL(f.pc, 1u);
}

BOOST_AUTO_TEST_CASE(heap_bounds)
{
    const std::string heap = "lddw %r1, " + Hex(kHeap) + "\n";
    BOOST_CHECK_EQUAL(Eval(heap + "stdw [%r1+0], 3\nldxdw %r0, [%r1+0]\nexit"), 3u);
    // Last byte and last 8 bytes are fine.
    const std::string end = "lddw %r1, " + Hex(kHeap + kHeapSize) + "\n";
    BOOST_CHECK_EQUAL(Eval(end + "stb [%r1-1], 1\nstdw [%r1-8], 2\nldxdw %r0, [%r1-8]\nexit"), 2u);
    // One byte past, in every width.
    for (const char* op : {"ldxb", "ldxh", "ldxw", "ldxdw"})
    {
        unsigned size = std::string(op) == "ldxb"   ? 1
                        : std::string(op) == "ldxh" ? 2
                        : std::string(op) == "ldxw" ? 4
                                                    : 8;
        auto f = EvalFault(end + op + " %r0, [%r1-" + std::to_string(size - 1) + "]\nexit");
        BOOST_CHECK(f.kind == ebpf::FaultKind::OutOfBoundsRead);
        BOOST_CHECK_EQUAL(f.address, kHeap + kHeapSize - (size - 1));
        BOOST_CHECK_EQUAL(f.pc, 2u);
        BOOST_CHECK_MESSAGE(f.message.find("exceeds region 'heap'") != std::string::npos,
                            f.message);
    }
    for (const char* op : {"stb", "sth", "stw", "stdw"})
    {
        auto f = EvalFault(end + op + " [%r1+0], 1\nexit");
        BOOST_CHECK(f.kind == ebpf::FaultKind::OutOfBoundsWrite);
        BOOST_CHECK_EQUAL(f.address, kHeap + kHeapSize);
    }
    // Below the start is another region's window: no region there.
    auto f = EvalFault(heap + "ldxb %r0, [%r1-1]\nexit");
    BOOST_CHECK_EQUAL(f.address, kHeap - 1);
    // The rest of the 4 GiB window is unmapped too.
    f = EvalFault(heap + "lddw %r2, 0xffffffff\nadd %r1, %r2\nldxb %r0, [%r1+0]\nexit");
    BOOST_CHECK_EQUAL(f.address, kHeap + 0xffffffff);
}

BOOST_AUTO_TEST_CASE(null_huge_and_wrapping_addresses)
{
    auto f = EvalFault("mov %r1, 0\nldxdw %r0, [%r1+0]\nexit");
    BOOST_CHECK(f.kind == ebpf::FaultKind::OutOfBoundsRead);
    BOOST_CHECK_EQUAL(f.address, 0u);
    BOOST_CHECK_MESSAGE(f.message.find("null") != std::string::npos, f.message);
    f = EvalFault("mov %r1, 0\nldxb %r0, [%r1-1]\nexit"); // wraps to 2^64 - 1
    BOOST_CHECK_EQUAL(f.address, ~0ULL);
    f = EvalFault("lddw %r1, 0xfffffffffffffffc\nstdw [%r1+0], 1\nexit"); // would wrap
    BOOST_CHECK(f.kind == ebpf::FaultKind::OutOfBoundsWrite);
    BOOST_CHECK_EQUAL(f.address, 0xfffffffffffffffcu);
    f = EvalFault("lddw %r1, 0x7fffffffffffffff\nldxdw %r0, [%r1+32767]\nexit");
    BOOST_CHECK_EQUAL(f.address, 0x7fffffffffffffffu + 32767);
    // An unused region index (last lent slot), and an index past the table.
    f = EvalFault("lddw %r1, 0xf00000000\nldxb %r0, [%r1+0]\nexit");
    BOOST_CHECK_MESSAGE(f.message.find("no region") != std::string::npos, f.message);
    f = EvalFault("lddw %r1, 0x1000000000\nldxb %r0, [%r1+0]\nexit");
    BOOST_CHECK_EQUAL(f.address, 0x1000000000u);
    // Atomic just past the end of a lent buffer.
    RunSpec spec = WithMemory(12);
    f = EvalFault("mov %r2, 1\natomic_add [%r1+8], %r2\nexit", spec);
    BOOST_CHECK(f.kind == ebpf::FaultKind::OutOfBoundsWrite);
    BOOST_CHECK_EQUAL(f.pc, 1u);
    BOOST_CHECK_EQUAL(Eval("mov %r2, 1\natomic32_add [%r1+8], %r2\nmov %r0, 0\nexit", spec), 0u);
}

BOOST_AUTO_TEST_CASE(lent_memory_access_rights)
{
    RunSpec ro = WithMemory(16, ebpf::Access::ReadOnly);
    BOOST_CHECK_EQUAL(Eval("ldxb %r0, [%r1+15]\nexit", ro), ro.memory[15]);
    auto f = EvalFault("stb [%r1+0], 1\nexit", ro);
    BOOST_CHECK(f.kind == ebpf::FaultKind::OutOfBoundsWrite);
    BOOST_CHECK_MESSAGE(f.message.find("read-only") != std::string::npos, f.message);
    f = EvalFault("mov %r2, 1\natomic_xchg [%r1+0], %r2\nexit", ro);
    BOOST_CHECK(f.kind == ebpf::FaultKind::OutOfBoundsWrite);
    f = EvalFault("ldxb %r0, [%r1+16]\nexit", ro);
    BOOST_CHECK(f.kind == ebpf::FaultKind::OutOfBoundsRead);
    // Helpers see the same rights.
    f = EvalFault("mov %r2, 7\ncall store\nexit", ro);
    BOOST_CHECK(f.kind == ebpf::FaultKind::HelperError);
    BOOST_CHECK_EQUAL(Eval("mov %r2, 16\ncall sum_bytes\nexit", ro), [&] {
        uint64_t s = 0;
        for (uint8_t b : ro.memory)
            s += b;
        return s;
    }());
    f = EvalFault("mov %r2, 17\ncall sum_bytes\nexit", ro);
    BOOST_CHECK(f.kind == ebpf::FaultKind::HelperError);
    BOOST_CHECK_MESSAGE(f.message.find("bad buffer") != std::string::npos, f.message);
    // A huge length must not wrap around in the helper's check.
    f = EvalFault("mov %r2, -1\ncall sum_bytes\nexit", ro);
    BOOST_CHECK(f.kind == ebpf::FaultKind::HelperError);
}

BOOST_AUTO_TEST_CASE(lent_memory_ends_with_the_run)
{
    auto program = Load("ldxb %r0, [%r1+0]\nexit");
    for (ebpf::Engine engine : {ebpf::Engine::Interpreter, ebpf::Engine::Jit})
    {
        ebpf::Vm vm(program);
        vm.SetEngine(engine);
        uint8_t buffer[4] = {42, 0, 0, 0};
        uint64_t address = vm.Lend(buffer, sizeof buffer, ebpf::Access::ReadOnly);
        BOOST_CHECK_EQUAL(address, ebpf::region::Base(ebpf::region::kFirstLent));
        auto r = vm.Run("main", {address});
        BOOST_CHECK(r.ok);
        BOOST_CHECK_EQUAL(r.value, 42u);
        r = vm.Run("main", {address}); // not lent any more
        BOOST_CHECK(!r.ok);
        BOOST_CHECK(r.fault.kind == ebpf::FaultKind::OutOfBoundsRead);
        // Slots run out after 11 loans; bigger than 4 GiB - 1 is refused.
        for (uint32_t i = ebpf::region::kFirstLent; i < ebpf::region::kCount; ++i)
        {
            BOOST_CHECK_NE(vm.Lend(buffer, 4, ebpf::Access::ReadOnly), 0u);
        }
        BOOST_CHECK_EQUAL(vm.Lend(buffer, 4, ebpf::Access::ReadOnly), 0u);
        vm.ClearLent();
        BOOST_CHECK_EQUAL(vm.Lend(buffer, 0x100000000ULL, ebpf::Access::ReadOnly), 0u);
        BOOST_CHECK_EQUAL(vm.Lend(nullptr, 4, ebpf::Access::ReadOnly), 0u);
    }
}

BOOST_AUTO_TEST_CASE(read_only_data_and_globals)
{
    ebpf::ProgramImage image;
    ebpf::AssembleResult code =
        ebpf::Assemble("lddw %r1, 0x200000000\n"
                       "ldxw %r0, [%r1+4]\n" // rodata
                       "lddw %r2, 0x300000000\n"
                       "ldxdw %r3, [%r2+0]\n" // .data
                       "add %r3, 1\n"
                       "stxdw [%r2+0], %r3\n"
                       "add %r0, %r3\n"
                       "exit\n"
                       "writer: lddw %r1, 0x200000000\nstb [%r1+0], 1\nexit\n");
    BOOST_REQUIRE(code);
    image.code = code.code;
    image.functions = {{"reader", ".text", 0}, {"writer", ".text", 10}};
    image.readOnlyData = {1, 2, 3, 4, 0x10, 0, 0, 0};
    image.data = {100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    auto loaded = ebpf::Program::FromImage(image, TestHelpers());
    BOOST_REQUIRE_MESSAGE(loaded, loaded.error);
    for (ebpf::Engine engine : {ebpf::Engine::Interpreter, ebpf::Engine::Jit})
    {
        ebpf::Vm vm(loaded.program);
        vm.SetEngine(engine);
        auto r = vm.Run("reader");
        BOOST_REQUIRE(r.ok);
        BOOST_CHECK_EQUAL(r.value, 0x10u + 101);
        r = vm.Run("reader"); // globals persist across runs of one instance
        BOOST_CHECK_EQUAL(r.value, 0x10u + 102);
        vm.ResetGlobals();
        BOOST_CHECK_EQUAL(vm.Run("reader").value, 0x10u + 101);
        r = vm.Run("writer");
        BOOST_CHECK(!r.ok);
        BOOST_CHECK(r.fault.kind == ebpf::FaultKind::OutOfBoundsWrite);
        BOOST_CHECK_EQUAL(r.fault.address, 0x200000000u);
        BOOST_CHECK_MESSAGE(r.fault.message.find("'rodata' is read-only") != std::string::npos,
                            r.fault.message);
        // Another instance of the same program has its own globals.
        ebpf::Vm other(loaded.program);
        BOOST_CHECK_EQUAL(other.Run("reader").value, 0x10u + 101);
    }
}

BOOST_AUTO_TEST_CASE(host_translate)
{
    auto program = Load("exit");
    ebpf::Vm vm(program);
    BOOST_CHECK(vm.Translate(kHeap, kHeapSize, true) == vm.Heap());
    BOOST_CHECK(vm.Translate(kHeap + kHeapSize, 0, true) != nullptr);
    BOOST_CHECK(vm.Translate(kHeap + kHeapSize, 1, false) == nullptr);
    BOOST_CHECK(vm.Translate(kHeap + 1, ~0ULL, false) == nullptr);
    BOOST_CHECK(vm.Translate(0, 1, false) == nullptr);
    BOOST_CHECK(vm.Translate(~0ULL, 1, false) == nullptr);
}
