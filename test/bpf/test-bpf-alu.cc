/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#define BOOST_TEST_MODULE bpf_alu
#include "bpf-test-util.h"

#include <cstdint>
#include <limits>
#include <map>

/**
 * \file
 * Every arithmetic, byte-swap and jump opcode (RFC 9669 §4) on edge values, in
 * the interpreter and the JIT, against an independent reference model written
 * here from the RFC text, plus hand-computed cases for the tricky corners.
 */

using namespace bpftest;

namespace
{

const std::vector<uint64_t> kValues = {
    0,
    1,
    2,
    7,
    31,
    32,
    33,
    63,
    64,
    65,
    0x7f,
    0x80,
    0xff,
    0x7fff,
    0x8000,
    0x7fffffff,
    0x80000000,
    0xffffffff,
    0x100000000,
    0x123456789abcdef0,
    0x7fffffffffffffff,
    0x8000000000000000,
    0x8000000000000001,
    0xfffffffffffffffe,
    0xffffffffffffffff,
    0xfffffffffffffff9, // -7
};

/// Reference semantics (RFC 9669 §4.1), deliberately written differently from the VM.
uint64_t
Reference(const std::string& op, bool is64, uint64_t a, uint64_t b)
{
    if (!is64)
    {
        a &= 0xffffffff;
        b &= 0xffffffff;
    }
    const unsigned bits = is64 ? 64 : 32;
    const uint64_t mask = is64 ? ~0ULL : 0xffffffffULL;
    auto toSigned = [&](uint64_t v) -> __int128 {
        return is64 ? static_cast<__int128>(static_cast<int64_t>(v))
                    : static_cast<__int128>(static_cast<int32_t>(static_cast<uint32_t>(v)));
    };
    auto fromSigned = [&](__int128 v) -> uint64_t { return static_cast<uint64_t>(v) & mask; };
    uint64_t r = 0;
    if (op == "add")
        r = a + b;
    else if (op == "sub")
        r = a - b;
    else if (op == "mul")
        r = a * b;
    else if (op == "div")
        r = b == 0 ? 0 : a / b;
    else if (op == "mod")
        r = b == 0 ? a : a % b;
    else if (op == "sdiv")
    {
        // Computed in 128 bits, then truncated: MIN / -1 wraps to MIN.
        r = b == 0 ? 0 : fromSigned(toSigned(a) / toSigned(b));
    }
    else if (op == "smod")
        r = b == 0 ? a : fromSigned(toSigned(a) % toSigned(b));
    else if (op == "or")
        r = a | b;
    else if (op == "and")
        r = a & b;
    else if (op == "xor")
        r = a ^ b;
    else if (op == "mov")
        r = b;
    else if (op == "lsh")
        r = a << (b % bits);
    else if (op == "rsh")
        r = a >> (b % bits);
    else if (op == "arsh")
        r = fromSigned(toSigned(a) >> (b % bits));
    return r & mask;
}

bool
ReferenceJump(const std::string& op, bool is64, uint64_t a, uint64_t b)
{
    if (!is64)
    {
        a &= 0xffffffff;
        b &= 0xffffffff;
    }
    int64_t sa = is64 ? static_cast<int64_t>(a) : static_cast<int32_t>(static_cast<uint32_t>(a));
    int64_t sb = is64 ? static_cast<int64_t>(b) : static_cast<int32_t>(static_cast<uint32_t>(b));
    if (op == "jeq")
        return a == b;
    if (op == "jne")
        return a != b;
    if (op == "jgt")
        return a > b;
    if (op == "jge")
        return a >= b;
    if (op == "jlt")
        return a < b;
    if (op == "jle")
        return a <= b;
    if (op == "jset")
        return (a & b) != 0;
    if (op == "jsgt")
        return sa > sb;
    if (op == "jsge")
        return sa >= sb;
    if (op == "jslt")
        return sa < sb;
    if (op == "jsle")
        return sa <= sb;
    BOOST_FAIL("unknown jump " << op);
    return false;
}

/// Runs \p program (reading a at [r1], b at [r1+8]) over all value pairs in both engines.
void
Sweep(const std::string& text,
      const std::vector<uint64_t>& as,
      const std::vector<uint64_t>& bs,
      const std::function<uint64_t(uint64_t, uint64_t)>& expected)
{
    auto program = Load(text);
    for (ebpf::Engine engine : {ebpf::Engine::Interpreter, ebpf::Engine::Jit})
    {
        ebpf::Vm vm(program);
        vm.SetEngine(engine);
        for (uint64_t a : as)
        {
            for (uint64_t b : bs)
            {
                uint64_t in[2] = {a, b};
                uint64_t address = vm.Lend(in, sizeof in, ebpf::Access::ReadOnly);
                ebpf::RunResult r = vm.Run(program->Functions().front(), {address, 16, 0, 0, 0});
                BOOST_REQUIRE_MESSAGE(r.ok, r.fault.message);
                uint64_t want = expected(a, b);
                if (r.value != want)
                {
                    BOOST_ERROR((engine == ebpf::Engine::Jit ? "jit: " : "interpreter: ")
                                << text << "\n a=" << std::hex << a << " b=" << b << " got "
                                << r.value << " want " << want);
                    return;
                }
            }
        }
    }
}

const std::vector<std::string> kAluOps = {"add",
                                          "sub",
                                          "mul",
                                          "div",
                                          "sdiv",
                                          "or",
                                          "and",
                                          "lsh",
                                          "rsh",
                                          "mod",
                                          "smod",
                                          "xor",
                                          "mov",
                                          "arsh"};
const std::vector<std::string> kJumpOps =
    {"jeq", "jne", "jgt", "jge", "jlt", "jle", "jset", "jsgt", "jsge", "jslt", "jsle"};

} // namespace

BOOST_AUTO_TEST_CASE(alu_register_operands_match_reference)
{
    for (const auto& op : kAluOps)
    {
        for (bool is64 : {true, false})
        {
            std::string text = "ldxdw %r0, [%r1+0]\nldxdw %r2, [%r1+8]\n" + op +
                               (is64 ? "" : "32") + " %r0, %r2\nexit\n";
            Sweep(text, kValues, kValues, [&](uint64_t a, uint64_t b) {
                return Reference(op, is64, a, b);
            });
        }
    }
}

BOOST_AUTO_TEST_CASE(alu_immediate_operands_match_reference)
{
    // RFC 9669 §4.1: for ALU64 the immediate is sign-extended to 64 bits (also for the
    // unsigned DIV and MOD); for ALU it is used as 32 bits.
    const std::vector<int32_t> imms =
        {0, 1, 2, 7, 31, 32, 33, 63, 64, 65, -1, -2, -7, 0x7fffffff, INT32_MIN, 0x12345678};
    for (const auto& op : kAluOps)
    {
        for (bool is64 : {true, false})
        {
            for (int32_t imm : imms)
            {
                std::string text = "ldxdw %r0, [%r1+0]\n" + op + (is64 ? "" : "32") + " %r0, " +
                                   std::to_string(imm) + "\nexit\n";
                uint64_t b = static_cast<uint64_t>(static_cast<int64_t>(imm));
                Sweep(text, kValues, {0}, [&](uint64_t a, uint64_t) {
                    return Reference(op, is64, a, b);
                });
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(jumps_match_reference)
{
    for (const auto& op : kJumpOps)
    {
        for (bool is64 : {true, false})
        {
            const std::string name = op + (is64 ? "" : "32");
            std::string regs = "ldxdw %r0, [%r1+0]\nldxdw %r2, [%r1+8]\n" + name +
                               " %r0, %r2, taken\nmov %r0, 0\nexit\ntaken: mov %r0, 1\nexit\n";
            Sweep(regs, kValues, kValues, [&](uint64_t a, uint64_t b) {
                return ReferenceJump(op, is64, a, b) ? 1 : 0;
            });
            for (int32_t imm : {0, 1, -1, 0x7fffffff, INT32_MIN, 32, -7})
            {
                std::string text = "ldxdw %r0, [%r1+0]\n" + name + " %r0, " + std::to_string(imm) +
                                   ", +2\nmov %r0, 0\nexit\nmov %r0, 1\nexit\n";
                uint64_t b = static_cast<uint64_t>(static_cast<int64_t>(imm));
                Sweep(text, kValues, {0}, [&](uint64_t a, uint64_t) {
                    return ReferenceJump(op, is64, a, b) ? 1 : 0;
                });
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(division_corner_cases)
{
    // RFC 9669 §4.1: x / 0 = 0, x % 0 = x; signed MIN / -1 = MIN and MIN % -1 = 0.
    BOOST_CHECK_EQUAL(Eval("mov %r0, 77\nmov %r1, 0\ndiv %r0, %r1\nexit"), 0u);
    BOOST_CHECK_EQUAL(Eval("mov %r0, 77\nmov %r1, 0\nmod %r0, %r1\nexit"), 77u);
    BOOST_CHECK_EQUAL(Eval("lddw %r0, 0xffffffff12345678\nmov %r1, 0\nmod32 %r0, %r1\nexit"),
                      0x12345678u); // ALU: upper half zeroed even when dst is kept
    BOOST_CHECK_EQUAL(Eval("lddw %r0, 0xffffffff12345678\ndiv32 %r0, 0\nexit"), 0u);
    BOOST_CHECK_EQUAL(Eval("lddw %r0, 0x8000000000000000\nsdiv %r0, -1\nexit"),
                      0x8000000000000000u);
    BOOST_CHECK_EQUAL(Eval("lddw %r0, 0x8000000000000000\nmov %r1, -1\nsdiv %r0, %r1\nexit"),
                      0x8000000000000000u);
    BOOST_CHECK_EQUAL(Eval("lddw %r0, 0x8000000000000000\nsmod %r0, -1\nexit"), 0u);
    BOOST_CHECK_EQUAL(Eval("mov32 %r0, 0x80000000\nsdiv32 %r0, -1\nexit"), 0x80000000u);
    BOOST_CHECK_EQUAL(Eval("mov32 %r0, 0x80000000\nmov %r1, -1\nsmod32 %r0, %r1\nexit"), 0u);
    BOOST_CHECK_EQUAL(Eval("mov %r0, -7\nsdiv %r0, 2\nexit"), static_cast<uint64_t>(-3));
    BOOST_CHECK_EQUAL(Eval("mov %r0, -7\nsmod %r0, 2\nexit"), static_cast<uint64_t>(-1));
    BOOST_CHECK_EQUAL(Eval("mov %r0, 7\nsmod %r0, -2\nexit"), 1u);
    BOOST_CHECK_EQUAL(Eval("mov %r0, -7\nsdiv %r0, 0\nexit"), 0u);
    BOOST_CHECK_EQUAL(Eval("mov %r0, -7\nsmod %r0, 0\nexit"), static_cast<uint64_t>(-7));
    // Unsigned 64-bit division by a negative immediate divides by 2^64 - 1.
    BOOST_CHECK_EQUAL(Eval("mov %r0, 5\ndiv %r0, -1\nexit"), 0u);
    BOOST_CHECK_EQUAL(Eval("mov %r0, -1\ndiv %r0, -1\nexit"), 1u);
    // 32-bit unsigned: imm -1 is 0xffffffff.
    BOOST_CHECK_EQUAL(Eval("mov32 %r0, -1\ndiv32 %r0, -1\nexit"), 1u);
    // r0 and r3 live in the registers x86 division uses: check they survive.
    BOOST_CHECK_EQUAL(Eval("mov %r0, 100\nmov %r3, 7\nmov %r4, 9\ndiv %r4, %r3\n"
                           "add %r0, %r3\nadd %r0, %r4\nexit"),
                      108u);
    BOOST_CHECK_EQUAL(Eval("mov %r3, 100\nmov %r0, 7\nmod %r3, %r0\nmov %r0, %r3\nexit"), 2u);
    BOOST_CHECK_EQUAL(Eval("mov %r0, 100\nmov %r3, 7\ndiv %r0, %r3\nexit"), 14u);
    BOOST_CHECK_EQUAL(Eval("mov %r0, 100\nmov %r3, 7\ndiv %r3, %r0\nmov %r0, %r3\nexit"), 0u);
}

BOOST_AUTO_TEST_CASE(shifts_are_masked_to_the_width)
{
    BOOST_CHECK_EQUAL(Eval("mov %r0, 1\nlsh %r0, 65\nexit"), 2u);
    BOOST_CHECK_EQUAL(Eval("mov %r0, 1\nmov %r1, 64\nlsh %r0, %r1\nexit"), 1u);
    BOOST_CHECK_EQUAL(Eval("mov %r0, 1\nlsh32 %r0, 33\nexit"), 2u);
    BOOST_CHECK_EQUAL(Eval("lddw %r0, 0xffffffff00000001\nmov %r1, 32\nlsh32 %r0, %r1\nexit"),
                      1u); // by 0 after masking, upper half still cleared
    BOOST_CHECK_EQUAL(Eval("lddw %r0, 0xffffffff00000001\nrsh32 %r0, 0\nexit"), 1u);
    BOOST_CHECK_EQUAL(Eval("mov32 %r0, 0x80000000\narsh32 %r0, 31\nexit"), 0xffffffffu);
    BOOST_CHECK_EQUAL(Eval("lddw %r0, 0x8000000000000000\narsh %r0, 63\nexit"), ~0ULL);
    BOOST_CHECK_EQUAL(Eval("lddw %r0, 0x8000000000000000\nrsh %r0, 127\nexit"), 1u);
}

BOOST_AUTO_TEST_CASE(neg_movsx_and_byte_swaps)
{
    BOOST_CHECK_EQUAL(Eval("mov %r0, 1\nneg %r0\nexit"), ~0ULL);
    BOOST_CHECK_EQUAL(Eval("mov %r0, 1\nneg32 %r0\nexit"), 0xffffffffu);
    BOOST_CHECK_EQUAL(Eval("lddw %r0, 0x8000000000000000\nneg %r0\nexit"), 0x8000000000000000u);
    // MOVSX (RFC 9669 §4.1).
    BOOST_CHECK_EQUAL(Eval("mov %r1, 0x180\nmovsxb %r0, %r1\nexit"), 0xffffffffffffff80u);
    BOOST_CHECK_EQUAL(Eval("mov %r1, 0x17f\nmovsxb %r0, %r1\nexit"), 0x7fu);
    BOOST_CHECK_EQUAL(Eval("mov %r1, 0x18000\nmovsxh %r0, %r1\nexit"), 0xffffffffffff8000u);
    BOOST_CHECK_EQUAL(Eval("lddw %r1, 0x180000000\nmovsxw %r0, %r1\nexit"), 0xffffffff80000000u);
    BOOST_CHECK_EQUAL(Eval("mov %r1, 0x80\nmovsxb32 %r0, %r1\nexit"), 0xffffff80u);
    BOOST_CHECK_EQUAL(Eval("mov %r1, 0x8000\nmovsxh32 %r0, %r1\nexit"), 0xffff8000u);
    // Registers whose low byte needs a REX prefix on x86 (r1 = rdi, r2 = rsi).
    BOOST_CHECK_EQUAL(Eval("mov %r2, 0xfe\nmovsxb %r1, %r2\nmov %r0, %r1\nexit"), ~1ULL);
    // Byte swaps (RFC 9669 §4.2) on a little-endian machine.
    const std::string v = "lddw %r0, 0x123456789abcdef0\n";
    BOOST_CHECK_EQUAL(Eval(v + "le16 %r0\nexit"), 0xdef0u);
    BOOST_CHECK_EQUAL(Eval(v + "le32 %r0\nexit"), 0x9abcdef0u);
    BOOST_CHECK_EQUAL(Eval(v + "le64 %r0\nexit"), 0x123456789abcdef0u);
    BOOST_CHECK_EQUAL(Eval(v + "be16 %r0\nexit"), 0xf0deu);
    BOOST_CHECK_EQUAL(Eval(v + "be32 %r0\nexit"), 0xf0debc9au);
    BOOST_CHECK_EQUAL(Eval(v + "be64 %r0\nexit"), 0xf0debc9a78563412u);
    BOOST_CHECK_EQUAL(Eval(v + "bswap16 %r0\nexit"), 0xf0deu);
    BOOST_CHECK_EQUAL(Eval(v + "bswap32 %r0\nexit"), 0xf0debc9au);
    BOOST_CHECK_EQUAL(Eval(v + "bswap64 %r0\nexit"), 0xf0debc9a78563412u);
    for (unsigned r = 0; r <= 9; ++r)
    {
        std::string reg = "%r" + std::to_string(r);
        BOOST_CHECK_EQUAL(Eval("lddw " + reg + ", 0x123456789abcdef0\nbe16 " + reg + "\nmov %r0, " +
                               reg + "\nexit"),
                          0xf0deu);
    }
}

BOOST_AUTO_TEST_CASE(wide_immediates_and_moves)
{
    BOOST_CHECK_EQUAL(Eval("lddw %r0, 0x123456789\nexit"), 0x123456789u);
    BOOST_CHECK_EQUAL(Eval("lddw %r0, 0xffffffffffffffff\nexit"), ~0ULL);
    BOOST_CHECK_EQUAL(Eval("lddw %r0, 0x80000000\nexit"), 0x80000000u);
    BOOST_CHECK_EQUAL(Eval("mov %r0, -1\nexit"), ~0ULL);
    BOOST_CHECK_EQUAL(Eval("mov32 %r0, -1\nexit"), 0xffffffffu);
    BOOST_CHECK_EQUAL(Eval("lddw %r1, 0xffffffff00000005\nmov32 %r0, %r1\nexit"), 5u);
    BOOST_CHECK_EQUAL(Eval("lddw %r0, 0xffffffff00000005\nadd32 %r0, 0\nexit"), 5u);
    BOOST_CHECK_EQUAL(Eval("mov %r0, 3\nmul %r0, -2\nexit"), static_cast<uint64_t>(-6));
    BOOST_CHECK_EQUAL(Eval("mov %r0, 3\nmul32 %r0, -2\nexit"), 0xfffffffau);
    BOOST_CHECK_EQUAL(Eval("mov %r0, -1\nand %r0, -2\nexit"), ~1ULL);
    BOOST_CHECK_EQUAL(Eval("mov %r0, 0\nor32 %r0, -2\nexit"), 0xfffffffeu);
}

BOOST_AUTO_TEST_CASE(frame_pointer_as_a_value)
{
    // r10 reads as the virtual top of the current frame in both engines.
    const uint64_t top = ebpf::region::Base(ebpf::region::kStack) + 8 * 512;
    BOOST_CHECK_EQUAL(Eval("mov %r0, %r10\nexit"), top);
    BOOST_CHECK_EQUAL(Eval("mov %r0, 1\nadd %r0, %r10\nexit"), top + 1);
    BOOST_CHECK_EQUAL(Eval("mov32 %r0, %r10\nexit"), top & 0xffffffff);
    BOOST_CHECK_EQUAL(Eval("lddw %r0, 0x100001000\njeq %r10, %r0, +1\nmov %r0, 0\nexit"), top);
    BOOST_CHECK_EQUAL(Eval("mov %r0, 0\njne %r10, 0, +1\nexit\nmov %r0, 1\nexit"), 1u);
    BOOST_CHECK_EQUAL(Eval("stxdw [%r10-8], %r10\nldxdw %r0, [%r10-8]\nexit"), top);
    BOOST_CHECK_EQUAL(Eval("lddw %r0, 0x200000000\nmod %r0, %r10\nexit"), 0x200000000u % top);
}
