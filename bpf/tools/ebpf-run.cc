/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * ebpf-run: runs one eBPF program and prints r0.
 *
 *   ebpf-run [--jit | --interpret] [--fuel N] [--asm] [MEMORY_HEX] < program.hex
 *   ebpf-run [--jit | --interpret] [--fuel N] --elf FILE [--function NAME] [MEMORY_HEX]
 *
 * The program is read from standard input as hexadecimal text (whitespace ignored; with
 * --asm as assembler text), or from an ELF object. MEMORY_HEX, if given, is copied into a
 * buffer lent read-write to the program: r1 points to it and r2 holds its length. r0 is
 * printed in hexadecimal on standard output. Any load, verification or run-time error is
 * printed on standard error and the exit status is 1 (2 for usage errors).
 */

#include "ebpf/ebpf-assembler.h"
#include "ebpf/ebpf-program.h"
#include "ebpf/ebpf-vm.h"

#include <cctype>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace
{

bool
ParseHex(const std::string& text, std::vector<uint8_t>& out)
{
    out.clear();
    std::string digits;
    for (size_t i = 0; i < text.size(); ++i)
    {
        char c = text[i];
        if (std::isspace(static_cast<unsigned char>(c)))
        {
            continue;
        }
        if (c == '0' && i + 1 < text.size() && (text[i + 1] == 'x' || text[i + 1] == 'X'))
        {
            ++i;
            continue;
        }
        if (!std::isxdigit(static_cast<unsigned char>(c)))
        {
            return false;
        }
        digits.push_back(c);
    }
    if (digits.size() % 2 != 0)
    {
        return false;
    }
    for (size_t i = 0; i < digits.size(); i += 2)
    {
        out.push_back(static_cast<uint8_t>(std::stoul(digits.substr(i, 2), nullptr, 16)));
    }
    return true;
}

int
Usage()
{
    std::cerr << "usage: ebpf-run [--jit|--interpret] [--fuel N] [--asm] [MEMORY_HEX] < program\n"
                 "       ebpf-run [--jit|--interpret] [--fuel N] --elf FILE [--function NAME] "
                 "[MEMORY_HEX]\n";
    return 2;
}

} // namespace

int
main(int argc, char** argv)
{
    ebpf::Engine engine = ebpf::Engine::Jit;
    std::string elfPath;
    std::string function;
    std::string memoryHex;
    bool assembly = false;
    uint64_t fuel = ebpf::kDefaultFuel;
    for (int i = 1; i < argc; ++i)
    {
        std::string arg = argv[i];
        if (arg == "--jit")
        {
            engine = ebpf::Engine::Jit;
        }
        else if (arg == "--interpret" || arg == "--interpreter")
        {
            engine = ebpf::Engine::Interpreter;
        }
        else if (arg == "--asm")
        {
            assembly = true;
        }
        else if (arg == "--elf" && i + 1 < argc)
        {
            elfPath = argv[++i];
        }
        else if (arg == "--function" && i + 1 < argc)
        {
            function = argv[++i];
        }
        else if (arg == "--fuel" && i + 1 < argc)
        {
            fuel = std::strtoull(argv[++i], nullptr, 0);
        }
        else if (arg == "-h" || arg == "--help")
        {
            return Usage();
        }
        else if (!arg.empty() && arg[0] == '-')
        {
            return Usage();
        }
        else
        {
            memoryHex += arg;
        }
    }

    auto helpers = std::make_shared<ebpf::HelperTable>();
    // A single demonstration helper: prints its arguments on standard error.
    helpers->Register(
        1,
        "trace",
        [](ebpf::HelperContext&, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e) {
            std::fprintf(stderr,
                         "trace: %llx %llx %llx %llx %llx\n",
                         static_cast<unsigned long long>(a),
                         static_cast<unsigned long long>(b),
                         static_cast<unsigned long long>(c),
                         static_cast<unsigned long long>(d),
                         static_cast<unsigned long long>(e));
            return 0;
        });

    ebpf::LoadResult loaded;
    if (!elfPath.empty())
    {
        std::ifstream file(elfPath, std::ios::binary);
        if (!file)
        {
            std::cerr << "ebpf-run: cannot open " << elfPath << "\n";
            return 1;
        }
        std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)),
                                   std::istreambuf_iterator<char>());
        loaded = ebpf::Program::FromElf(bytes.data(), bytes.size(), helpers);
    }
    else
    {
        std::stringstream text;
        text << std::cin.rdbuf();
        if (assembly)
        {
            ebpf::AssembleResult assembled = ebpf::Assemble(text.str(), helpers.get());
            if (!assembled)
            {
                std::cerr << "ebpf-run: assembler: " << assembled.error << "\n";
                return 1;
            }
            loaded = ebpf::Program::FromInstructions(assembled.code, helpers);
        }
        else
        {
            std::vector<uint8_t> bytes;
            if (!ParseHex(text.str(), bytes))
            {
                std::cerr << "ebpf-run: the program on standard input is not hexadecimal\n";
                return 1;
            }
            loaded = ebpf::Program::FromBytes(bytes.data(), bytes.size(), helpers);
        }
    }
    if (!loaded)
    {
        std::cerr << "ebpf-run: " << loaded.error << "\n";
        return 1;
    }
    std::vector<uint8_t> memory;
    if (!ParseHex(memoryHex, memory))
    {
        std::cerr << "ebpf-run: memory argument is not hexadecimal\n";
        return 2;
    }

    ebpf::Vm vm(loaded.program, ebpf::VmOptions{});
    vm.SetEngine(engine);
    const ebpf::Function* entry = function.empty() ? &loaded.program->Functions().front()
                                                   : loaded.program->FindFunction(function);
    if (entry == nullptr)
    {
        std::cerr << "ebpf-run: no function or section named '" << function << "'\n";
        return 1;
    }
    uint64_t address =
        memory.empty() ? 0 : vm.Lend(memory.data(), memory.size(), ebpf::Access::ReadWrite);
    ebpf::RunResult result = vm.Run(*entry, {address, memory.size(), 0, 0, 0}, fuel);
    if (!result.ok)
    {
        std::cerr << "ebpf-run: " << ebpf::ToString(result.fault.kind) << ": "
                  << result.fault.message << "\n";
        return 1;
    }
    std::printf("%llx\n", static_cast<unsigned long long>(result.value));
    return 0;
}
