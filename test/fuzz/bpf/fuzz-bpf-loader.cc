/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * libFuzzer harness for the loader and the verifier (and the text tools).
 *
 * Input: an ELF object (starts with \x7fELF), assembler text (starts with '#'),
 * or raw bytecode (anything else). Whatever loads is disassembled, and the
 * listing must assemble back to the very same instructions.
 */

#include "ebpf/ebpf-assembler.h"
#include "ebpf/ebpf-disassembler.h"
#include "ebpf/ebpf-program.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

namespace
{
std::shared_ptr<ebpf::HelperTable>
Helpers()
{
    static std::shared_ptr<ebpf::HelperTable> helpers = [] {
        auto h = std::make_shared<ebpf::HelperTable>();
        auto zero = [](ebpf::HelperContext&, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t) {
            return uint64_t{0};
        };
        h->Register(1, "add", zero);
        h->Register(10, "host_add", zero);
        h->Register(11, "host_strlen", zero);
        h->Register(12, "host_sum", zero);
        return h;
    }();
    return helpers;
}

void
CheckRoundTrip(const ebpf::Program& program)
{
    const auto& code = program.Code();
    std::string listing;
    for (size_t pc = 0; pc < code.size(); ++pc)
    {
        const ebpf::Instruction* next = pc + 1 < code.size() ? &code[pc + 1] : nullptr;
        listing += ebpf::Disassemble(code[pc], next) + "\n";
        if (code[pc].opcode == ebpf::op::kLddw)
        {
            ++pc;
        }
    }
    ebpf::AssembleResult again = ebpf::Assemble(listing, Helpers().get());
    if (!again || again.code.size() != code.size() ||
        std::memcmp(again.code.data(), code.data(), code.size() * sizeof(ebpf::Instruction)) != 0)
    {
        std::abort(); // the disassembler and the assembler disagree
    }
}
} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    ebpf::LoadResult loaded;
    if (size >= 4 && std::memcmp(data,
                                 "\x7f"
                                 "ELF",
                                 4) == 0)
    {
        loaded = ebpf::Program::FromElf(data, size, Helpers());
    }
    else if (size >= 1 && data[0] == '#')
    {
        std::string text(reinterpret_cast<const char*>(data), size);
        ebpf::AssembleResult assembled = ebpf::Assemble(text, Helpers().get());
        if (!assembled)
        {
            return 0;
        }
        loaded = ebpf::Program::FromInstructions(assembled.code, Helpers());
    }
    else
    {
        loaded = ebpf::Program::FromBytes(data, size, Helpers());
    }
    if (!loaded)
    {
        if (loaded.error.empty())
        {
            std::abort(); // every refusal must say why
        }
        return 0;
    }
    CheckRoundTrip(*loaded.program);
    return 0;
}
