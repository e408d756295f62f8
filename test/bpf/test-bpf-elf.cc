/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#define BOOST_TEST_MODULE bpf_elf
#include "bpf-test-util.h"

#include <cstring>
#include <fstream>
#include <iterator>

/**
 * \file
 * The ELF loader on objects clang compiled at build time from test/bpf/elf/ (C)
 * with -mcpu=v1, v2 and v3: globals, constant tables, string literals, several
 * functions per object, local calls and helpers by name, run in both engines.
 * Then hostile objects: truncated at every offset, every byte mutated, bad
 * section indices and bogus relocations — always an error, never a crash.
 */

using namespace bpftest;

namespace
{

std::vector<uint8_t>
ReadObject(const std::string& name)
{
    std::string path = std::string(EBPF_TEST_ELF_DIR) + "/" + name;
    std::ifstream file(path, std::ios::binary);
    BOOST_REQUIRE_MESSAGE(file, "missing " << path << " (built by clang at build time)");
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(file)),
                                std::istreambuf_iterator<char>());
}

std::shared_ptr<ebpf::HelperTable>
ElfHelpers()
{
    auto helpers = std::make_shared<ebpf::HelperTable>();
    helpers->Register(
        10,
        "host_add",
        [](ebpf::HelperContext&, uint64_t a, uint64_t b, uint64_t, uint64_t, uint64_t) {
            return a + b;
        });
    helpers->Register(
        11,
        "host_strlen",
        [](ebpf::HelperContext& ctx, uint64_t p, uint64_t, uint64_t, uint64_t, uint64_t)
            -> uint64_t {
            std::string s;
            if (!ctx.ReadString(p, 256, s))
            {
                ctx.Fail("unreadable string");
            }
            return s.size();
        });
    helpers->Register(
        12,
        "host_sum",
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
    return helpers;
}

std::shared_ptr<const ebpf::Program>
LoadObject(const std::string& name)
{
    std::vector<uint8_t> bytes = ReadObject(name);
    ebpf::LoadResult loaded = ebpf::Program::FromElf(bytes.data(), bytes.size(), ElfHelpers());
    BOOST_REQUIRE_MESSAGE(loaded, name << ": " << loaded.error);
    return loaded.program;
}

RunSpec
Call(const std::string& function, uint64_t a, uint64_t b = 0, uint64_t fuel = 100000)
{
    RunSpec spec;
    spec.function = function;
    spec.argsGiven = true;
    spec.args = {a, b, 0, 0, 0};
    spec.fuel = fuel;
    return spec;
}

// Minimal ELF64 field access for building hostile variants.
template <typename T>
T
Get(const std::vector<uint8_t>& b, size_t at)
{
    T v;
    std::memcpy(&v, b.data() + at, sizeof v);
    return v;
}

template <typename T>
void
Put(std::vector<uint8_t>& b, size_t at, T v)
{
    std::memcpy(b.data() + at, &v, sizeof v);
}

struct Section
{
    size_t header; ///< file offset of the section header
    std::string name;
    uint32_t type;
    uint64_t offset;
    uint64_t size;
};

std::vector<Section>
Sections(const std::vector<uint8_t>& b)
{
    std::vector<Section> out;
    uint64_t shoff = Get<uint64_t>(b, 0x28);
    uint16_t shnum = Get<uint16_t>(b, 0x3c);
    uint16_t shstrndx = Get<uint16_t>(b, 0x3e);
    uint64_t strOffset = Get<uint64_t>(b, shoff + shstrndx * 64 + 0x18);
    for (uint16_t i = 0; i < shnum; ++i)
    {
        size_t h = shoff + i * 64;
        Section s;
        s.header = h;
        s.name = reinterpret_cast<const char*>(b.data() + strOffset + Get<uint32_t>(b, h));
        s.type = Get<uint32_t>(b, h + 4);
        s.offset = Get<uint64_t>(b, h + 0x18);
        s.size = Get<uint64_t>(b, h + 0x20);
        out.push_back(s);
    }
    return out;
}

const Section&
Find(const std::vector<Section>& sections, const std::string& name)
{
    for (const auto& s : sections)
    {
        if (s.name == name)
        {
            return s;
        }
    }
    BOOST_FAIL("no section " << name);
    return sections.front();
}

std::string
LoadError(const std::vector<uint8_t>& bytes)
{
    ebpf::LoadResult loaded = ebpf::Program::FromElf(bytes.data(), bytes.size(), ElfHelpers());
    return loaded ? "" : loaded.error;
}

const std::vector<std::string> kCpus = {"v1", "v2", "v3"};

} // namespace

BOOST_AUTO_TEST_CASE(functions_sections_and_names)
{
    for (const auto& cpu : kCpus)
    {
        auto program = LoadObject("plugin-" + cpu + ".o");
        for (const char* name : {"count",
                                 "tables",
                                 "strings",
                                 "helpers",
                                 "in_text",
                                 "cube",
                                 "square",
                                 "oob",
                                 "rowrite",
                                 "spin"})
        {
            BOOST_CHECK_MESSAGE(program->FindFunction(name) != nullptr, cpu << ": " << name);
        }
        const ebpf::Function* bySection = program->FindFunction("test/count");
        BOOST_REQUIRE(bySection);
        BOOST_CHECK_EQUAL(bySection->name, "count");
        BOOST_CHECK_EQUAL(program->FindFunction("count")->section, "test/count");
        BOOST_CHECK(program->FindFunction("count")->loopFree);
        BOOST_CHECK(program->FindFunction("tables")->loopFree); // local calls, no loop
        BOOST_CHECK(!program->FindFunction("spin")->loopFree);
        BOOST_CHECK(!program->IsLoopFree());
    }
}

BOOST_AUTO_TEST_CASE(globals_persist_per_instance)
{
    for (const auto& cpu : kCpus)
    {
        auto program = LoadObject("plugin-" + cpu + ".o");
        for (ebpf::Engine engine : {ebpf::Engine::Interpreter, ebpf::Engine::Jit})
        {
            ebpf::Vm vm(program);
            vm.SetEngine(engine);
            auto r = vm.Run("count", {3});
            BOOST_REQUIRE_MESSAGE(r.ok, r.fault.message);
            BOOST_CHECK_EQUAL(r.value, 8u * 1000 + 8); // .data counter 5 + 3, .bss 0 + 8
            r = vm.Run("count", {2});
            BOOST_CHECK_EQUAL(r.value, 10u * 1000 + 18);
            ebpf::Vm fresh(program);
            BOOST_CHECK_EQUAL(fresh.Run("count", {1}).value, 6u * 1000 + 6);
        }
    }
}

BOOST_AUTO_TEST_CASE(rodata_strings_local_calls_and_helpers)
{
    const unsigned primes[8] = {2, 3, 5, 7, 11, 13, 17, 19};
    for (const auto& cpu : kCpus)
    {
        auto program = LoadObject("plugin-" + cpu + ".o");
        for (uint64_t i = 0; i < 10; ++i)
        {
            auto r = RunBoth(program, Call("tables", i));
            BOOST_REQUIRE_MESSAGE(r.interpreter.ok, r.interpreter.fault.message);
            BOOST_CHECK_EQUAL(r.interpreter.value, primes[i & 7] + i * i + 8);
        }
        auto r = RunBoth(program, Call("strings", 0));
        BOOST_REQUIRE_MESSAGE(r.interpreter.ok, r.interpreter.fault.message);
        BOOST_CHECK_EQUAL(r.interpreter.value, 5u * 100 + 8);
        BOOST_CHECK_EQUAL(RunBoth(program, Call("strings", 1)).interpreter.value, 7u * 100 + 8);
        for (uint64_t a : {0u, 1u, 3u, 200u})
        {
            uint64_t sum = 0;
            for (uint64_t k = 0; k < 16; ++k)
            {
                sum += static_cast<uint8_t>(k * a);
            }
            r = RunBoth(program, Call("helpers", a));
            BOOST_REQUIRE_MESSAGE(r.interpreter.ok, r.interpreter.fault.message);
            BOOST_CHECK_EQUAL(r.interpreter.value, a + sum);
        }
        BOOST_CHECK_EQUAL(RunBoth(program, Call("in_text", 3)).interpreter.value, 28u);
        BOOST_CHECK_EQUAL(RunBoth(program, Call("cube", 4)).interpreter.value, 64u);
        BOOST_CHECK_EQUAL(RunBoth(program, Call("spin", 7)).interpreter.value, 0u);
    }
}

BOOST_AUTO_TEST_CASE(hostile_plugin_functions_fault)
{
    for (const auto& cpu : kCpus)
    {
        auto program = LoadObject("plugin-" + cpu + ".o");
        BOOST_CHECK(RunBoth(program, Call("oob", 7)).interpreter.ok);
        for (uint64_t i : {1000ULL, 1ULL << 30, 1ULL << 40, ~0ULL / 4 - 100})
        {
            auto r = RunBoth(program, Call("oob", i));
            BOOST_CHECK(!r.interpreter.ok);
            BOOST_CHECK(r.interpreter.fault.kind == ebpf::FaultKind::OutOfBoundsRead);
        }
        auto r = RunBoth(program, Call("rowrite", 1));
        BOOST_CHECK(r.interpreter.fault.kind == ebpf::FaultKind::OutOfBoundsWrite);
        BOOST_CHECK_MESSAGE(r.interpreter.fault.message.find("read-only") != std::string::npos,
                            r.interpreter.fault.message);
        r = RunBoth(program, Call("spin", 0, 0, 5000));
        BOOST_CHECK(r.interpreter.fault.kind == ebpf::FaultKind::BudgetExhausted);
    }
}

BOOST_AUTO_TEST_CASE(atomics_and_jmp32_from_clang)
{
    for (int level = 1; level <= 3; ++level)
    {
        auto program = LoadObject("atomics-v" + std::to_string(level) + ".o");
        for (ebpf::Engine engine : {ebpf::Engine::Interpreter, ebpf::Engine::Jit})
        {
            ebpf::Vm vm(program);
            vm.SetEngine(engine);
            uint64_t total = 0;
            uint32_t small = 0;
            for (auto [a, b] :
                 std::vector<std::pair<uint64_t, uint64_t>>{{1, 0},
                                                            {5, 0x30},
                                                            {2, 7},
                                                            {9, 0xffffffff00000007ULL}})
            {
                uint64_t expected;
                total += a;
                if (level >= 3)
                {
                    uint64_t old = total;
                    total |= b;
                    small += static_cast<uint32_t>(b);
                    uint32_t prev = small;
                    if (small == static_cast<uint32_t>(b))
                    {
                        small = 7;
                    }
                    expected = old + prev + total + small;
                }
                else
                {
                    expected = total + b;
                }
                auto r = vm.Run("atomics", {a, b});
                BOOST_REQUIRE_MESSAGE(r.ok, r.fault.message);
                BOOST_CHECK_EQUAL(r.value, expected);
            }
        }
        for (auto [a, b] :
             std::vector<std::pair<uint64_t, uint64_t>>{{1, 2},
                                                        {0xffffffff, 0},
                                                        {0x1800000005ULL, 0x100000003ULL},
                                                        {5, 5}})
        {
            uint64_t expected = static_cast<int32_t>(a) < static_cast<int32_t>(b)
                                    ? static_cast<uint64_t>(static_cast<int8_t>(a))
                                    : static_cast<uint32_t>(a * b);
            BOOST_CHECK_EQUAL(RunBoth(program, Call("compare32", a, b)).interpreter.value,
                              expected);
        }
    }
}

BOOST_AUTO_TEST_CASE(unknown_helper_names_the_symbol_and_section)
{
    std::vector<uint8_t> bytes = ReadObject("plugin-v2.o");
    auto helpers = ElfHelpers();
    auto partial = std::make_shared<ebpf::HelperTable>();
    partial->Register(10, "host_add", helpers->FindByName("host_add")->function);
    partial->Register(12, "host_sum", helpers->FindByName("host_sum")->function);
    ebpf::LoadResult loaded = ebpf::Program::FromElf(bytes.data(), bytes.size(), partial);
    BOOST_REQUIRE(!loaded);
    BOOST_CHECK_MESSAGE(loaded.error.find("R_BPF_64_32") != std::string::npos &&
                            loaded.error.find("'test/strings'") != std::string::npos &&
                            loaded.error.find("'host_strlen'") != std::string::npos,
                        loaded.error);
}

BOOST_AUTO_TEST_CASE(truncated_at_every_offset)
{
    std::vector<uint8_t> bytes = ReadObject("plugin-v3.o");
    for (size_t size = 0; size < bytes.size(); ++size)
    {
        std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<long>(size));
        std::string error = LoadError(cut);
        BOOST_CHECK_MESSAGE(!error.empty(), "prefix of " << size << " bytes loaded");
    }
    BOOST_CHECK_EQUAL(LoadError(bytes), "");
}

BOOST_AUTO_TEST_CASE(every_byte_mutated)
{
    // Each mutation either fails to load with a message or loads a program that both
    // engines then run identically (bounded by fuel) — never a crash.
    std::vector<uint8_t> bytes = ReadObject("plugin-v1.o");
    size_t loadedCount = 0;
    for (size_t at = 0; at < bytes.size(); ++at)
    {
        for (uint8_t value : {uint8_t{0}, uint8_t{0xff}, static_cast<uint8_t>(bytes[at] ^ 0x41)})
        {
            if (value == bytes[at])
            {
                continue;
            }
            std::vector<uint8_t> mutated = bytes;
            mutated[at] = value;
            ebpf::LoadResult loaded =
                ebpf::Program::FromElf(mutated.data(), mutated.size(), ElfHelpers());
            if (!loaded)
            {
                BOOST_CHECK(!loaded.error.empty());
                continue;
            }
            ++loadedCount;
            if (at % 7 != 0)
            {
                continue; // running every loaded variant is slow; a seventh suffices
            }
            for (const auto& f : loaded.program->Functions())
            {
                RunSpec spec = Call(f.name, at, value, 2000);
                RunBoth(loaded.program, spec);
            }
        }
    }
    BOOST_TEST_MESSAGE(loadedCount << " mutated objects still loaded");
}

BOOST_AUTO_TEST_CASE(bad_section_indices)
{
    const std::vector<uint8_t> bytes = ReadObject("plugin-v2.o");
    const auto sections = Sections(bytes);
    auto mutate = [&](size_t at, auto value) {
        std::vector<uint8_t> m = bytes;
        Put(m, at, value);
        return LoadError(m);
    };
    BOOST_CHECK_NE(mutate(0x3e, uint16_t{999}).find("section name table"), std::string::npos);
    BOOST_CHECK_NE(mutate(0x3c, uint16_t{0}).find("section count"), std::string::npos);
    BOOST_CHECK_NE(mutate(0x3c, uint16_t{0xffff}).find("section count"), std::string::npos);
    BOOST_CHECK_NE(mutate(0x28, uint64_t{~0ULL - 8}).find("outside the file"), std::string::npos);
    BOOST_CHECK_NE(mutate(0x3a, uint16_t{40}).find("section header size"), std::string::npos);
    BOOST_CHECK_NE(mutate(0x12, uint16_t{62}).find("not BPF"), std::string::npos);
    BOOST_CHECK_NE(mutate(0x10, uint16_t{2}).find("not a relocatable"), std::string::npos);
    BOOST_CHECK_NE(mutate(0x05, uint8_t{2}).find("little-endian"), std::string::npos);
    const Section& symtab = Find(sections, ".symtab");
    BOOST_CHECK_NE(mutate(symtab.header + 0x28, uint32_t{999}).find("links to no string table"),
                   std::string::npos);
    BOOST_CHECK_NE(mutate(symtab.header + 0x38, uint64_t{23}).find("bad entry size"),
                   std::string::npos);
    const Section& rel = Find(sections, ".reltest/strings");
    BOOST_CHECK_NE(mutate(rel.header + 0x2c, uint32_t{999}).find("does not exist"),
                   std::string::npos);
    BOOST_CHECK_NE(mutate(rel.header + 0x28, uint32_t{2}).find("does not use the symbol table"),
                   std::string::npos);
    const Section& text = Find(sections, "test/count");
    BOOST_CHECK_NE(mutate(text.header + 0x18, uint64_t{~0ULL}).find("outside the file"),
                   std::string::npos);
    BOOST_CHECK_NE(mutate(text.header + 0x20, uint64_t{13}).find("whole number"),
                   std::string::npos);
    const Section& bss = Find(sections, ".bss");
    BOOST_CHECK_NE(mutate(bss.header + 0x20, uint64_t{1ULL << 62}).find("exceed"),
                   std::string::npos);
    BOOST_CHECK_NE(mutate(bss.header + 0x30, uint64_t{3}).find("alignment"), std::string::npos);
    // A symbol in a section index that does not exist.
    for (size_t k = 1; k < symtab.size / 24; ++k)
    {
        size_t at = symtab.offset + k * 24;
        std::vector<uint8_t> m = bytes;
        Put(m, at + 6, uint16_t{0xfff0});
        LoadError(m); // must not crash; may or may not matter for that symbol
    }
}

BOOST_AUTO_TEST_CASE(bogus_relocations)
{
    const std::vector<uint8_t> bytes = ReadObject("plugin-v2.o");
    const auto sections = Sections(bytes);
    const Section& rel = Find(sections, ".reltest/strings");
    auto mutate = [&](size_t at, auto value) {
        std::vector<uint8_t> m = bytes;
        Put(m, at, value);
        return LoadError(m);
    };
    const size_t first = rel.offset; // r_offset at +0, r_info at +8 (type low, symbol high)
    std::string error = mutate(first + 8, uint32_t{7});
    BOOST_CHECK_MESSAGE(error.find("unknown relocation (type 7)") != std::string::npos &&
                            error.find("'test/strings'") != std::string::npos &&
                            error.find("against symbol") != std::string::npos,
                        error);
    error = mutate(first + 12, uint32_t{0xffffff});
    BOOST_CHECK_MESSAGE(error.find("symbol index out of range") != std::string::npos, error);
    error = mutate(first, uint64_t{3});
    BOOST_CHECK_MESSAGE(error.find("not an instruction") != std::string::npos, error);
    error = mutate(first, uint64_t{1ULL << 40});
    BOOST_CHECK_MESSAGE(error.find("not an instruction") != std::string::npos, error);
    error = mutate(first, uint64_t{0});
    BOOST_CHECK_MESSAGE(error.find("LDDW") != std::string::npos, error);
    error = mutate(first + 8, uint32_t{2}); // ABS64 in code
    BOOST_CHECK_MESSAGE(error.find("not supported in code") != std::string::npos, error);
    error = mutate(rel.header + 4, uint32_t{4}); // RELA
    BOOST_CHECK_MESSAGE(error.find("RELA") != std::string::npos, error);
    // Data relocations: ABS32 cannot hold a VM address.
    const Section& rodataRel = Find(sections, ".rel.rodata");
    error = mutate(rodataRel.offset + 8, uint32_t{3});
    BOOST_CHECK_MESSAGE(error.find("R_BPF_64_ABS32") != std::string::npos &&
                            error.find("does not fit in 32 bits") != std::string::npos,
                        error);
    error = mutate(rodataRel.offset, uint64_t{1000});
    BOOST_CHECK_MESSAGE(error.find("outside the section") != std::string::npos, error);
}
