/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#define BOOST_TEST_MODULE bpf_assembler
#include "bpf-test-util.h"

/**
 * \file
 * The assembler and the disassembler speak the same language: every form
 * round-trips, and errors name the line.
 */

using namespace bpftest;

BOOST_AUTO_TEST_CASE(round_trip_every_form)
{
    const std::vector<std::string> forms = {
        "add %r1, %r2",
        "add %r1, -5",
        "add32 %r1, 7",
        "sub %r3, %r4",
        "mul32 %r5, %r6",
        "div %r7, 3",
        "sdiv %r8, %r9",
        "sdiv32 %r1, -1",
        "or %r1, 255",
        "and32 %r1, %r2",
        "lsh %r1, 63",
        "rsh32 %r1, %r10",
        "neg %r1",
        "neg32 %r2",
        "mod %r1, %r2",
        "smod32 %r1, 2",
        "xor %r0, %r0",
        "mov %r0, %r10",
        "mov32 %r0, -1",
        "arsh %r1, 1",
        "movsxb %r1, %r2",
        "movsxh %r1, %r2",
        "movsxw %r1, %r2",
        "movsxb32 %r1, %r2",
        "movsxh32 %r1, %r2",
        "le16 %r1",
        "le32 %r1",
        "le64 %r1",
        "be16 %r1",
        "be32 %r1",
        "be64 %r1",
        "bswap16 %r1",
        "bswap32 %r1",
        "bswap64 %r1",
        "ja +3",
        "ja -1",
        "gotol +70000",
        "jeq %r1, %r2, +1",
        "jne32 %r1, 5, -2",
        "jset %r1, 1, +0",
        "jsgt %r1, -1, +4",
        "jsle32 %r1, %r2, +1",
        "jlt %r1, 2, +1",
        "jge %r1, %r2, +1",
        "call 1",
        "call_local +2",
        "call_local -5",
        "exit",
        "lddw %r0, 0x123456789abcdef0",
        "ldxb %r1, [%r2+0]",
        "ldxh %r1, [%r2-2]",
        "ldxw %r1, [%r10-4]",
        "ldxdw %r1, [%r2+32767]",
        "ldxsb %r1, [%r2+1]",
        "ldxsh %r1, [%r2+2]",
        "ldxsw %r1, [%r2-32768]",
        "stb [%r1+0], -1",
        "sth [%r1+2], 7",
        "stw [%r1+4], 2147483647",
        "stdw [%r10-8], -2147483648",
        "stxb [%r1+0], %r2",
        "stxh [%r1+0], %r2",
        "stxw [%r1+0], %r2",
        "stxdw [%r1+0], %r2",
        "atomic_add [%r1+0], %r2",
        "atomic32_or [%r1+4], %r3",
        "atomic_and [%r1+0], %r2",
        "atomic32_xor [%r1+0], %r2",
        "atomic_fetch_add [%r1+8], %r2",
        "atomic32_fetch_or [%r1+0], %r2",
        "atomic_fetch_and [%r1+0], %r2",
        "atomic_fetch_xor [%r1+0], %r2",
        "atomic_xchg [%r1+0], %r2",
        "atomic32_cmpxchg [%r1+0], %r2",
        ".raw 0xff, 1, 2, 3, 4",
    };
    for (const auto& form : forms)
    {
        ebpf::AssembleResult a = ebpf::Assemble(form);
        BOOST_REQUIRE_MESSAGE(a, form << ": " << a.error);
        std::string text = ebpf::Disassemble(a.code[0], a.code.size() > 1 ? &a.code[1] : nullptr);
        BOOST_CHECK_EQUAL(text, form);
        ebpf::AssembleResult again = ebpf::Assemble(text);
        BOOST_REQUIRE(again);
        BOOST_CHECK(again.code.size() == a.code.size() &&
                    std::memcmp(again.code.data(), a.code.data(), a.code.size() * 8) == 0);
    }
}

BOOST_AUTO_TEST_CASE(encodings_follow_rfc_9669)
{
    auto one = [](const std::string& text) {
        ebpf::AssembleResult a = ebpf::Assemble(text);
        BOOST_REQUIRE_MESSAGE(a, a.error);
        return a.code[0];
    };
    BOOST_CHECK_EQUAL(one("add32 %r0, 1").opcode, 0x04);
    BOOST_CHECK_EQUAL(one("add %r0, %r1").opcode, 0x0f);
    BOOST_CHECK_EQUAL(one("sdiv %r0, %r1").offset, 1);
    BOOST_CHECK_EQUAL(one("movsxh %r0, %r1").opcode, 0xbf);
    BOOST_CHECK_EQUAL(one("movsxh %r0, %r1").offset, 16);
    BOOST_CHECK_EQUAL(one("be16 %r1").opcode, 0xdc);
    BOOST_CHECK_EQUAL(one("le16 %r1").opcode, 0xd4);
    BOOST_CHECK_EQUAL(one("bswap64 %r1").opcode, 0xd7);
    BOOST_CHECK_EQUAL(one("ldxw %r1, [%r2+4]").opcode, 0x61);
    BOOST_CHECK_EQUAL(one("ldxw %r1, [%r2+4]").regs, 0x21);
    BOOST_CHECK_EQUAL(one("ldxsb %r1, [%r2]").opcode, 0x91);
    BOOST_CHECK_EQUAL(one("jeq %r1, 0, +2").opcode, 0x15);
    BOOST_CHECK_EQUAL(one("jeq32 %r1, %r2, +2").opcode, 0x1e);
    BOOST_CHECK_EQUAL(one("gotol +1").opcode, 0x06);
    BOOST_CHECK_EQUAL(one("call_local +1").regs, 0x10);
    BOOST_CHECK_EQUAL(one("atomic_cmpxchg [%r1+0], %r2").imm, 0xf1);
    BOOST_CHECK_EQUAL(one("atomic32_xchg [%r1+0], %r2").opcode, 0xc3);
    BOOST_CHECK_EQUAL(one("exit").opcode, 0x95);
}

BOOST_AUTO_TEST_CASE(labels_comments_and_errors)
{
    ebpf::AssembleResult a = ebpf::Assemble("# a comment\n"
                                            "start: mov %r0, 0   # trailing\n"
                                            "loop:\n"
                                            "  add %r0, 1\n"
                                            "  jlt %r0, 3, loop\n"
                                            "  lddw %r1, 1\n"
                                            "  ja end\n"
                                            "end: exit\n");
    BOOST_REQUIRE_MESSAGE(a, a.error);
    BOOST_CHECK_EQUAL(a.code[2].offset, -2);
    BOOST_CHECK_EQUAL(a.code[5].offset, 0);
    auto err = [](const std::string& text) { return ebpf::Assemble(text).error; };
    BOOST_CHECK_EQUAL(err("mov %r0, 1\nfrob %r1"), "line 2: unknown mnemonic 'frob'");
    BOOST_CHECK_NE(err("mov %r11, 1").find("bad register"), std::string::npos);
    BOOST_CHECK_NE(err("ja nowhere").find("unknown label 'nowhere'"), std::string::npos);
    BOOST_CHECK_NE(err("x: exit\nx: exit").find("defined twice"), std::string::npos);
    BOOST_CHECK_NE(err("mov %r0, 0x1ffffffff").find("bad 32-bit immediate"), std::string::npos);
    BOOST_CHECK_NE(err("ldxw %r0, [%r1+40000]").find("16 bits"), std::string::npos);
    BOOST_CHECK_NE(err("add %r0").find("takes 2 operand"), std::string::npos);
    BOOST_CHECK_NE(err("call nosuch").find("unknown helper"), std::string::npos);
    auto helpers = TestHelpers();
    ebpf::AssembleResult named = ebpf::Assemble("call sum_bytes\nexit", helpers.get());
    BOOST_REQUIRE(named);
    BOOST_CHECK_EQUAL(named.code[0].imm, 3);
}

BOOST_AUTO_TEST_CASE(whole_program_listing)
{
    ebpf::AssembleResult a = ebpf::Assemble("lddw %r0, 0x100000002\nexit");
    BOOST_REQUIRE(a);
    BOOST_CHECK_EQUAL(ebpf::Disassemble(a.code), "0: lddw %r0, 0x100000002\n2: exit\n");
}
