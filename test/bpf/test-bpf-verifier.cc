/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#define BOOST_TEST_MODULE bpf_verifier
#include "bpf-test-util.h"
#include "ebpf/ebpf-verifier.h"

/**
 * \file
 * Load-time checks: each malformed program is refused with a message naming
 * the problem and the pc, and the loop analysis tells which functions provably
 * terminate.
 */

using namespace bpftest;

namespace
{
void
ExpectRejected(const std::string& text, const std::string& fragment)
{
    std::string error = LoadError(text);
    BOOST_CHECK_MESSAGE(!error.empty(), "accepted:\n" << text);
    BOOST_CHECK_MESSAGE(error.find(fragment) != std::string::npos,
                        "'" << error << "' lacks '" << fragment << "' for:\n"
                            << text);
}
} // namespace

BOOST_AUTO_TEST_CASE(structure)
{
    auto empty = ebpf::Program::FromInstructions({}, TestHelpers());
    BOOST_CHECK(!empty);
    BOOST_CHECK_NE(empty.error.find("empty program"), std::string::npos);
    ExpectRejected("mov %r0, 1", "fall off the end of the program");
    ExpectRejected("mov %r0, 1\njeq %r0, 1, -3\nexit", "outside its function");
    ExpectRejected("exit\nmov %r0, 1\njeq %r0, 1, +5\nexit", "outside its function");
    ExpectRejected("mov %r0, 1\njeq %r0, 1, -2", "fall off the end");
    ExpectRejected("ja +1\nexit", "outside its function");
    ExpectRejected("mov %r0, 0\ncall 1", "fall off");
    ExpectRejected("lddw %r0, 5", "fall off");
    auto bytes = ebpf::Program::FromBytes(reinterpret_cast<const uint8_t*>("12345"), 5, nullptr);
    BOOST_CHECK_NE(bytes.error.find("whole number"), std::string::npos);
    std::vector<ebpf::Instruction> huge(ebpf::kMaxInstructions + 1,
                                        ebpf::Instruction::Make(0x95, 0, 0, 0, 0));
    auto tooBig = ebpf::Program::FromInstructions(huge, nullptr);
    BOOST_CHECK_NE(tooBig.error.find("exceeds the limit"), std::string::npos);
}

BOOST_AUTO_TEST_CASE(lddw_rules)
{
    ExpectRejected("ja +1\nlddw %r0, 5\nexit", "middle of an LDDW");
    ExpectRejected(".raw 0x18, 0, 0, 0, 1\nexit", "second slot of LDDW has non-zero");
    ExpectRejected(".raw 0x18, 0, 0, 0, 1\n.raw 0, 1, 0, 0, 0\nexit", "non-zero");
    ExpectRejected(".raw 0x18, 0, 1, 0, 1\n.raw 0, 0, 0, 0, 0\nexit", "map or BTF");
    ExpectRejected(".raw 0x18, 10, 0, 0, 1\n.raw 0, 0, 0, 0, 0\nexit", "r10 is read-only");
    ExpectRejected("exit\n.raw 0x18, 0, 0, 0, 1", "lacks its second slot");
    // Legacy packet access, RFC 9669 §5.5.
    ExpectRejected(".raw 0x20, 0, 0, 0, 0\nexit", "legacy packet access");
    ExpectRejected(".raw 0x40, 0, 1, 0, 0\nexit", "legacy packet access");
}

BOOST_AUTO_TEST_CASE(fields_and_registers)
{
    ExpectRejected(".raw 0xff, 0, 0, 0, 0\nexit", "unknown");
    ExpectRejected(".raw 0x07, 11, 0, 0, 1\nexit", "r11 does not exist");
    ExpectRejected(".raw 0x0f, 0, 12, 0, 0\nexit", "r12 does not exist");
    ExpectRejected("mov %r10, 1\nexit", "r10 is read-only");
    ExpectRejected("add32 %r10, %r1\nexit", "r10 is read-only");
    ExpectRejected("ldxw %r10, [%r1+0]\nexit", "r10 is read-only");
    ExpectRejected("atomic_fetch_add [%r1+0], %r10\nexit", "r10 is read-only");
    ExpectRejected("atomic_xchg [%r1+0], %r10\nexit", "r10 is read-only");
    ExpectRejected(".raw 0x07, 0, 1, 0, 1\nexit", "reserved source register");
    ExpectRejected(".raw 0x0f, 0, 1, 0, 1\nexit", "reserved immediate");
    ExpectRejected(".raw 0x07, 0, 0, 1, 1\nexit", "reserved offset");
    ExpectRejected(".raw 0x87, 0, 0, 0, 1\nexit", "reserved fields of NEG");
    ExpectRejected(".raw 0x8f, 0, 1, 0, 0\nexit", "NEG takes no source");
    ExpectRejected(".raw 0xbf, 0, 1, 7, 0\nexit", "invalid MOVSX width");
    ExpectRejected(".raw 0xbc, 0, 1, 32, 0\nexit", "invalid MOVSX width");
    ExpectRejected(".raw 0x3f, 0, 1, 2, 0\nexit", "reserved offset");
    ExpectRejected(".raw 0xd4, 0, 0, 0, 8\nexit", "byte swap width");
    ExpectRejected(".raw 0xdf, 0, 0, 0, 16\nexit", "ALU64 class with source bit");
    ExpectRejected(".raw 0x05, 0, 0, 0, 1\nexit", "reserved fields of JA");
    ExpectRejected(".raw 0x06, 0, 0, 1, 0\nexit", "reserved fields of JA");
    ExpectRejected(".raw 0x95, 1, 0, 0, 0", "reserved fields of EXIT");
    ExpectRejected(".raw 0x96, 0, 0, 0, 0\nexit", "unknown jump");
    ExpectRejected(".raw 0x86, 0, 0, 0, 1\nexit", "unknown jump");
    ExpectRejected(".raw 0xe5, 0, 0, 0, 1\nexit", "unknown jump");
    ExpectRejected(".raw 0x15, 0, 1, 0, 0\nexit", "reserved source register");
    ExpectRejected(".raw 0x1d, 0, 1, 0, 5\nexit", "reserved immediate");
    ExpectRejected(".raw 0x85, 1, 0, 0, 1\nexit", "reserved fields of CALL");
    ExpectRejected(".raw 0x85, 0, 2, 0, 1\nexit", "BTF id");
    ExpectRejected(".raw 0x85, 0, 3, 0, 1\nexit", "unknown CALL source");
    ExpectRejected("call 12345\nexit", "unregistered helper 12345");
    ExpectRejected("call_local +5\nexit", "outside the program");
    ExpectRejected(".raw 0xa1, 0, 1, 0, 0\nexit", "unknown load mode");
    ExpectRejected(".raw 0x99, 0, 1, 0, 0\nexit", "sign-extending load of 8 bytes");
    ExpectRejected(".raw 0x61, 0, 1, 0, 3\nexit", "reserved immediate");
    ExpectRejected(".raw 0x62, 1, 2, 0, 3\nexit", "reserved source register");
    ExpectRejected(".raw 0x63, 1, 2, 0, 3\nexit", "reserved immediate");
    ExpectRejected(".raw 0xc2, 1, 0, 0, 3\nexit", "unknown store mode");
    ExpectRejected(".raw 0xd3, 1, 2, 0, 0\nexit", "32 or 64 bits");
    ExpectRejected(".raw 0xdb, 1, 2, 0, 2\nexit", "unknown atomic operation");
}

BOOST_AUTO_TEST_CASE(stack_offsets_stay_in_the_frame)
{
    BOOST_CHECK_EQUAL(LoadError("stdw [%r10-512], 1\nstb [%r10-1], 1\nexit"), "");
    ExpectRejected("stdw [%r10-513], 1\nexit", "outside the 512-byte frame");
    ExpectRejected("stdw [%r10-4], 1\nexit", "outside the 512-byte frame");
    ExpectRejected("ldxb %r0, [%r10+0]\nexit", "outside the 512-byte frame");
    ExpectRejected("stxw [%r10+8], %r1\nexit", "outside the 512-byte frame");
    ExpectRejected("atomic_add [%r10-2], %r1\nexit", "outside the 512-byte frame");
    // Through another register the check happens at run time instead.
    BOOST_CHECK_EQUAL(LoadError("mov %r1, %r10\nstdw [%r1+8], 1\nexit"), "");
}

BOOST_AUTO_TEST_CASE(functions_and_boundaries)
{
    // A jump may not leave its function; a function may not fall into the next one.
    ExpectRejected("call_local f\nja f\nf: exit", "outside its function");
    ExpectRejected("call_local f\nmov %r0, 1\nf: exit", "fall into the next function");
    ExpectRejected("call_local +1\nexit\n.raw 0, 0, 0, 0, 0\nexit", "unknown load operation");
    ExpectRejected("lddw %r0, 1\ncall_local -2\nexit", "second slot of an LDDW");
    BOOST_CHECK_EQUAL(LoadError("call_local f\nexit\nf: jeq %r1, 0, +1\nmov %r0, 1\nexit"), "");
}

BOOST_AUTO_TEST_CASE(loop_analysis)
{
    auto straight = Load("mov %r0, 1\njeq %r1, 0, +1\nadd %r0, 1\ncall_local f\nexit\n"
                         "f: mov %r0, 2\nexit");
    BOOST_CHECK(straight->IsLoopFree());
    for (const auto& f : straight->Functions())
    {
        BOOST_CHECK(f.loopFree);
    }
    auto loop = Load("mov %r0, 0\nl: add %r0, 1\njlt %r0, 3, l\nexit");
    BOOST_CHECK(!loop->IsLoopFree());
    BOOST_CHECK(!loop->Functions()[0].loopFree);
    // A caller of a looping function loops; an independent function does not.
    auto mixed = Load("call_local spin\nexit\n"
                      "spin: ja spin\n"
                      "free: mov %r0, 1\nexit");
    BOOST_CHECK(!mixed->IsLoopFree());
    const ebpf::VerifierReport& report = mixed->Report();
    BOOST_REQUIRE_EQUAL(report.functionStarts.size(), 2u);
    BOOST_CHECK(!report.functionLoopFree[0]);
    BOOST_CHECK(!report.functionLoopFree[1]);
    // Mutual recursion.
    auto mutual = Load("call_local a\nexit\na: call_local b\nexit\nb: call_local a\nexit");
    BOOST_CHECK(!mutual->IsLoopFree());
    // Block costs: leaders are entries, jump targets and the instruction after a jump.
    const auto& cost = loop->Report().blockCost;
    BOOST_REQUIRE_EQUAL(cost.size(), 4u);
    BOOST_CHECK_EQUAL(cost[0], 1u);
    BOOST_CHECK_EQUAL(cost[1], 2u);
    BOOST_CHECK_EQUAL(cost[2], 0u);
    BOOST_CHECK_EQUAL(cost[3], 1u);
}

BOOST_AUTO_TEST_CASE(error_messages_name_the_instruction)
{
    std::string error = LoadError("mov %r0, 1\nstdw [%r10+0], 1\nexit");
    BOOST_CHECK_MESSAGE(error.find("pc 1") != std::string::npos, error);
    BOOST_CHECK_MESSAGE(error.find("stdw [%r10+0], 1") != std::string::npos, error);
    BOOST_CHECK_MESSAGE(error.find("'main'") != std::string::npos, error);
}
