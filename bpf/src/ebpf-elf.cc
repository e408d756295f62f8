/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ebpf/ebpf-memory.h"
#include "ebpf/ebpf-program.h"

#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

/**
 * \file
 * Loader for ELF64 relocatable objects as clang -O2 -target bpf -mcpu=v1..v3
 * emits them (no libelf: every field is range-checked here).
 *
 * - Every SHF_ALLOC|SHF_EXECINSTR section is code; the sections are concatenated and
 *   each STT_FUNC symbol (or the section itself) becomes an entry point.
 * - Other SHF_ALLOC sections are data: read-only ones (.rodata, .rodata.str1.1, ...) are
 *   copied into region::kReadOnlyData, writable ones (.data, .bss, ...) into region::kData,
 *   so their addresses are virtual and the run-time bounds checks cover them.
 * - Relocations: R_BPF_64_64 on LDDW against data symbols (implicit addend in the two
 *   immediates), R_BPF_64_32 on CALL against a function (local call, target = symbol/8 +
 *   imm + 1 as libbpf defines it) or an undefined symbol (helper, resolved by name),
 *   R_BPF_64_ABS64 in data. Relocations of non-loaded sections (BTF, debug) are ignored;
 *   everything else is rejected with the section, the symbol and the relocation named.
 */

namespace ebpf
{
namespace
{

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the ELF loader reads little-endian objects in host order");

// ELF64 constants (System V ABI, and the BPF relocation types of the LLVM BPF backend).
constexpr uint16_t kEtRel = 1;
constexpr uint16_t kEmBpf = 247;
constexpr uint32_t kShtProgbits = 1;
constexpr uint32_t kShtSymtab = 2;
constexpr uint32_t kShtStrtab = 3;
constexpr uint32_t kShtRela = 4;
constexpr uint32_t kShtNobits = 8;
constexpr uint32_t kShtRel = 9;
constexpr uint64_t kShfWrite = 0x1;
constexpr uint64_t kShfAlloc = 0x2;
constexpr uint64_t kShfExecinstr = 0x4;
constexpr uint16_t kShnUndef = 0;
constexpr uint16_t kShnLoreserve = 0xff00;
constexpr uint16_t kShnAbs = 0xfff1;
constexpr uint16_t kShnCommon = 0xfff2;
constexpr uint8_t kSttFunc = 2;
constexpr uint32_t kRBpfNone = 0;
constexpr uint32_t kRBpf64_64 = 1;
constexpr uint32_t kRBpf64Abs64 = 2;
constexpr uint32_t kRBpf64Abs32 = 3;
constexpr uint32_t kRBpf64Nodyld32 = 4;
constexpr uint32_t kRBpf64_32 = 10;

constexpr uint64_t kMaxDataBytes = 64ULL << 20;
constexpr uint64_t kMaxAlign = 4096;
constexpr size_t kMaxName = 4096;

struct Ehdr
{
    uint8_t ident[16];
    uint16_t type;
    uint16_t machine;
    uint32_t version;
    uint64_t entry;
    uint64_t phoff;
    uint64_t shoff;
    uint32_t flags;
    uint16_t ehsize;
    uint16_t phentsize;
    uint16_t phnum;
    uint16_t shentsize;
    uint16_t shnum;
    uint16_t shstrndx;
};

struct Shdr
{
    uint32_t name;
    uint32_t type;
    uint64_t flags;
    uint64_t addr;
    uint64_t offset;
    uint64_t size;
    uint32_t link;
    uint32_t info;
    uint64_t addralign;
    uint64_t entsize;
};

struct Sym
{
    uint32_t name;
    uint8_t info;
    uint8_t other;
    uint16_t shndx;
    uint64_t value;
    uint64_t size;
};

struct Rel
{
    uint64_t offset;
    uint64_t info;
};

static_assert(sizeof(Ehdr) == 64 && sizeof(Shdr) == 64 && sizeof(Sym) == 24 && sizeof(Rel) == 16,
              "ELF64 layouts");

const char*
RelocationName(uint32_t type)
{
    switch (type)
    {
    case kRBpfNone:
        return "R_BPF_NONE";
    case kRBpf64_64:
        return "R_BPF_64_64";
    case kRBpf64Abs64:
        return "R_BPF_64_ABS64";
    case kRBpf64Abs32:
        return "R_BPF_64_ABS32";
    case kRBpf64Nodyld32:
        return "R_BPF_64_NODYLD32";
    case kRBpf64_32:
        return "R_BPF_64_32";
    default:
        return "unknown relocation";
    }
}

std::string
Hex(uint64_t v)
{
    char b[24];
    std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
    return b;
}

class ElfLoader
{
  public:
    ElfLoader(const uint8_t* data, size_t size, const HelperTable& helpers)
        : m_data(data),
          m_size(size),
          m_helpers(helpers)
    {
    }

    /// Fills \p image; returns an error message or "".
    std::string Load(ProgramImage& image)
    {
        std::string err;
        if (!(err = ReadHeaders()).empty() || !(err = LayOut(image)).empty() ||
            !(err = CollectFunctions(image)).empty() || !(err = Relocate(image)).empty())
        {
            return err;
        }
        return "";
    }

  private:
    /// [offset, offset + length) lies in the file (no overflow).
    bool InFile(uint64_t offset, uint64_t length) const
    {
        return length <= m_size && offset <= m_size - length;
    }

    std::string ReadHeaders()
    {
        if (m_size < sizeof(Ehdr))
        {
            return "ELF: file of " + std::to_string(m_size) +
                   " bytes is shorter than an ELF header";
        }
        std::memcpy(&m_eh, m_data, sizeof m_eh);
        if (std::memcmp(m_eh.ident,
                        "\x7f"
                        "ELF",
                        4) != 0)
        {
            return "ELF: bad magic number";
        }
        if (m_eh.ident[4] != 2)
        {
            return "ELF: not a 64-bit object";
        }
        if (m_eh.ident[5] != 1)
        {
            return "ELF: not little-endian (only bpfel objects are supported)";
        }
        if (m_eh.type != kEtRel)
        {
            return "ELF: not a relocatable object (type " + std::to_string(m_eh.type) + ")";
        }
        if (m_eh.machine != kEmBpf)
        {
            return "ELF: machine " + std::to_string(m_eh.machine) + " is not BPF (247)";
        }
        if (m_eh.shentsize != sizeof(Shdr))
        {
            return "ELF: section header size " + std::to_string(m_eh.shentsize) + " is not 64";
        }
        if (m_eh.shnum == 0 || m_eh.shnum >= kShnLoreserve)
        {
            return "ELF: unsupported section count " + std::to_string(m_eh.shnum);
        }
        if (!InFile(m_eh.shoff, uint64_t{m_eh.shnum} * sizeof(Shdr)))
        {
            return "ELF: section header table lies outside the file";
        }
        m_sections.resize(m_eh.shnum);
        std::memcpy(m_sections.data(), m_data + m_eh.shoff, m_eh.shnum * sizeof(Shdr));
        for (size_t i = 0; i < m_sections.size(); ++i)
        {
            const Shdr& s = m_sections[i];
            if (s.type != kShtNobits && !InFile(s.offset, s.size))
            {
                return "ELF: section " + std::to_string(i) + " lies outside the file";
            }
        }
        if (m_eh.shstrndx >= m_sections.size() || m_sections[m_eh.shstrndx].type != kShtStrtab)
        {
            return "ELF: bad section name table index " + std::to_string(m_eh.shstrndx);
        }
        m_names.resize(m_sections.size());
        for (size_t i = 0; i < m_sections.size(); ++i)
        {
            if (!String(m_eh.shstrndx, m_sections[i].name, m_names[i]))
            {
                return "ELF: section " + std::to_string(i) + " has a bad name";
            }
        }
        // The symbol table (absent only in objects without symbols).
        for (size_t i = 0; i < m_sections.size(); ++i)
        {
            if (m_sections[i].type != kShtSymtab)
            {
                continue;
            }
            if (m_symtab != 0)
            {
                return "ELF: more than one symbol table";
            }
            const Shdr& s = m_sections[i];
            if (s.entsize != sizeof(Sym) || s.size % sizeof(Sym) != 0)
            {
                return "ELF: symbol table '" + m_names[i] + "' has a bad entry size";
            }
            if (s.link >= m_sections.size() || m_sections[s.link].type != kShtStrtab)
            {
                return "ELF: symbol table '" + m_names[i] + "' links to no string table";
            }
            m_symtab = i;
            m_symbols.resize(s.size / sizeof(Sym));
            if (!m_symbols.empty())
            {
                std::memcpy(m_symbols.data(), m_data + s.offset, s.size);
            }
            m_symbolNames.resize(m_symbols.size());
            for (size_t k = 0; k < m_symbols.size(); ++k)
            {
                if (!String(s.link, m_symbols[k].name, m_symbolNames[k]))
                {
                    return "ELF: symbol " + std::to_string(k) + " has a bad name";
                }
            }
        }
        return "";
    }

    /// A NUL-terminated string at \p offset of string table \p section.
    bool String(size_t section, uint64_t offset, std::string& out) const
    {
        const Shdr& s = m_sections[section];
        if (s.type != kShtStrtab || offset >= s.size)
        {
            return false;
        }
        const char* begin = reinterpret_cast<const char*>(m_data + s.offset + offset);
        size_t max = static_cast<size_t>(std::min<uint64_t>(s.size - offset, kMaxName));
        const void* nul = std::memchr(begin, 0, max);
        if (!nul)
        {
            return false;
        }
        out.assign(begin, static_cast<const char*>(nul));
        return true;
    }

    std::string LayOut(ProgramImage& image)
    {
        m_codeBase.assign(m_sections.size(), -1);
        m_region.assign(m_sections.size(), 0);
        m_placement.assign(m_sections.size(), 0);
        uint64_t slots = 0;
        for (size_t i = 0; i < m_sections.size(); ++i)
        {
            const Shdr& s = m_sections[i];
            if (!(s.flags & kShfAlloc))
            {
                continue;
            }
            const std::string& name = m_names[i];
            if (s.flags & kShfExecinstr)
            {
                if (s.type != kShtProgbits)
                {
                    return "ELF: executable section '" + name + "' has no contents";
                }
                if (s.size % sizeof(Instruction) != 0)
                {
                    return "ELF: code section '" + name + "' is not a whole number of instructions";
                }
                if (slots + s.size / sizeof(Instruction) > kMaxInstructions)
                {
                    return "ELF: code exceeds the limit of " + std::to_string(kMaxInstructions) +
                           " instructions";
                }
                m_codeBase[i] = static_cast<int64_t>(slots);
                slots += s.size / sizeof(Instruction);
                continue;
            }
            if (s.type != kShtProgbits && s.type != kShtNobits)
            {
                return "ELF: allocated section '" + name + "' of type " + std::to_string(s.type) +
                       " is not supported";
            }
            uint64_t align = s.addralign == 0 ? 1 : s.addralign;
            if ((align & (align - 1)) != 0 || align > kMaxAlign)
            {
                return "ELF: section '" + name + "' has an unsupported alignment " +
                       std::to_string(s.addralign);
            }
            const bool writable = (s.flags & kShfWrite) != 0;
            std::vector<uint8_t>& target = writable ? image.data : image.readOnlyData;
            uint64_t offset = (target.size() + align - 1) & ~(align - 1);
            if (s.size > kMaxDataBytes || offset + s.size > kMaxDataBytes)
            {
                return "ELF: data sections exceed " + std::to_string(kMaxDataBytes) + " bytes";
            }
            target.resize(offset + s.size, 0);
            if (s.type == kShtProgbits && s.size != 0)
            {
                std::memcpy(target.data() + offset, m_data + s.offset, s.size);
            }
            m_region[i] = writable ? region::kData : region::kReadOnlyData;
            m_placement[i] = offset;
        }
        if (slots == 0)
        {
            return "ELF: no code section";
        }
        image.code.resize(slots);
        for (size_t i = 0; i < m_sections.size(); ++i)
        {
            if (m_codeBase[i] >= 0 && m_sections[i].size != 0)
            {
                std::memcpy(image.code.data() + m_codeBase[i],
                            m_data + m_sections[i].offset,
                            m_sections[i].size);
            }
        }
        return "";
    }

    std::string CollectFunctions(ProgramImage& image)
    {
        std::vector<bool> hasStart(m_sections.size(), false);
        for (size_t k = 0; k < m_symbols.size(); ++k)
        {
            const Sym& sym = m_symbols[k];
            if ((sym.info & 0xf) != kSttFunc || sym.shndx >= m_sections.size() ||
                m_codeBase[sym.shndx] < 0)
            {
                continue;
            }
            const Shdr& s = m_sections[sym.shndx];
            if (sym.value % sizeof(Instruction) != 0 || sym.value >= s.size)
            {
                return "ELF: function '" + m_symbolNames[k] + "' has a bad address " +
                       Hex(sym.value) + " in section '" + m_names[sym.shndx] + "'";
            }
            uint32_t start =
                static_cast<uint32_t>(m_codeBase[sym.shndx] + sym.value / sizeof(Instruction));
            image.functions.push_back({m_symbolNames[k], m_names[sym.shndx], start});
            if (sym.value == 0)
            {
                hasStart[sym.shndx] = true;
            }
        }
        for (size_t i = 0; i < m_sections.size(); ++i)
        {
            if (m_codeBase[i] >= 0 && m_sections[i].size != 0 && !hasStart[i])
            {
                image.functions.push_back(
                    {m_names[i], m_names[i], static_cast<uint32_t>(m_codeBase[i])});
            }
        }
        return "";
    }

    std::string Relocate(ProgramImage& image)
    {
        for (size_t r = 0; r < m_sections.size(); ++r)
        {
            const Shdr& rs = m_sections[r];
            if (rs.type != kShtRel && rs.type != kShtRela)
            {
                continue;
            }
            if (rs.info >= m_sections.size())
            {
                return "ELF: relocation section '" + m_names[r] + "' applies to section " +
                       std::to_string(rs.info) + ", which does not exist";
            }
            const size_t target = rs.info;
            const bool isCode = m_codeBase[target] >= 0;
            const bool isData = m_region[target] != 0;
            if (!isCode && !isData)
            {
                continue; // debug information, BTF: not loaded, not needed
            }
            if (rs.type == kShtRela)
            {
                return "ELF: RELA relocations ('" + m_names[r] + "') are not used by BPF objects";
            }
            if (rs.link != m_symtab || m_symtab == 0)
            {
                return "ELF: relocation section '" + m_names[r] + "' does not use the symbol table";
            }
            if (rs.entsize != sizeof(Rel) || rs.size % sizeof(Rel) != 0)
            {
                return "ELF: relocation section '" + m_names[r] + "' has a bad entry size";
            }
            const size_t count = rs.size / sizeof(Rel);
            for (size_t k = 0; k < count; ++k)
            {
                Rel rel;
                std::memcpy(&rel, m_data + rs.offset + k * sizeof(Rel), sizeof rel);
                std::string err =
                    isCode ? RelocateCode(image, target, rel) : RelocateData(image, target, rel);
                if (!err.empty())
                {
                    return err;
                }
            }
        }
        return "";
    }

    std::string Describe(size_t section, const Rel& rel, const std::string& why) const
    {
        const uint32_t type = static_cast<uint32_t>(rel.info);
        const uint64_t symIndex = rel.info >> 32;
        std::string symbol =
            symIndex < m_symbols.size()
                ? (m_symbolNames[symIndex].empty() ? (m_symbols[symIndex].shndx < m_names.size()
                                                          ? m_names[m_symbols[symIndex].shndx]
                                                          : "#" + std::to_string(symIndex))
                                                   : m_symbolNames[symIndex])
                : "#" + std::to_string(symIndex);
        return "ELF: relocation " + std::string(RelocationName(type)) + " (type " +
               std::to_string(type) + ") at offset " + Hex(rel.offset) + " in section '" +
               m_names[section] + "' against symbol '" + symbol + "': " + why;
    }

    /// Virtual address of a data symbol plus \p addend, or an error.
    std::string DataAddress(size_t symIndex, uint64_t addend, uint64_t& out) const
    {
        const Sym& sym = m_symbols[symIndex];
        if (sym.shndx == kShnUndef)
        {
            return "undefined data symbol";
        }
        if (sym.shndx == kShnCommon)
        {
            return "common symbol (compile with -fno-common)";
        }
        if (sym.shndx == kShnAbs)
        {
            out = sym.value + addend;
            return "";
        }
        if (sym.shndx >= m_sections.size())
        {
            return "symbol in unsupported section index " + std::to_string(sym.shndx);
        }
        if (m_codeBase[sym.shndx] >= 0)
        {
            return "taking the address of code is not supported";
        }
        if (m_region[sym.shndx] == 0)
        {
            return "symbol in section '" + m_names[sym.shndx] + "', which is not loaded";
        }
        out = region::Base(m_region[sym.shndx]) + m_placement[sym.shndx] + sym.value + addend;
        return "";
    }

    std::string RelocateCode(ProgramImage& image, size_t section, const Rel& rel)
    {
        const uint32_t type = static_cast<uint32_t>(rel.info);
        const uint64_t symIndex = rel.info >> 32;
        const Shdr& s = m_sections[section];
        if (type == kRBpfNone)
        {
            return "";
        }
        if (symIndex >= m_symbols.size())
        {
            return Describe(section, rel, "symbol index out of range");
        }
        if (rel.offset % sizeof(Instruction) != 0 || rel.offset >= s.size)
        {
            return Describe(section, rel, "offset is not an instruction of the section");
        }
        const uint64_t pc = m_codeBase[section] + rel.offset / sizeof(Instruction);
        Instruction& insn = image.code[pc];
        const Sym& sym = m_symbols[symIndex];
        if (type == kRBpf64_64)
        {
            if (insn.opcode != op::kLddw || rel.offset + 2 * sizeof(Instruction) > s.size)
            {
                return Describe(section, rel, "does not apply to an LDDW instruction");
            }
            Instruction& high = image.code[pc + 1];
            const uint64_t addend = static_cast<uint32_t>(insn.imm) |
                                    (static_cast<uint64_t>(static_cast<uint32_t>(high.imm)) << 32);
            uint64_t address = 0;
            std::string why = DataAddress(symIndex, addend, address);
            if (!why.empty())
            {
                return Describe(section, rel, why);
            }
            insn.regs = static_cast<uint8_t>(insn.regs & 0x0f); // src = 0: a plain immediate
            insn.imm = static_cast<int32_t>(static_cast<uint32_t>(address));
            high.imm = static_cast<int32_t>(static_cast<uint32_t>(address >> 32));
            return "";
        }
        if (type == kRBpf64_32)
        {
            if (insn.opcode != op::kCallOpcode)
            {
                return Describe(section, rel, "does not apply to a CALL instruction");
            }
            const std::string& name = m_symbolNames[symIndex];
            if (sym.shndx == kShnUndef)
            {
                const Helper* helper = m_helpers.FindByName(name);
                if (!helper)
                {
                    return Describe(section, rel, "no helper named '" + name + "' is registered");
                }
                insn.regs = 0; // src = 0: helper by id
                insn.imm = static_cast<int32_t>(helper->id);
                return "";
            }
            if (sym.shndx >= m_sections.size() || m_codeBase[sym.shndx] < 0)
            {
                return Describe(section, rel, "call target is not code");
            }
            if (sym.value % sizeof(Instruction) != 0)
            {
                return Describe(section, rel, "call target is not instruction-aligned");
            }
            const int64_t inSection =
                static_cast<int64_t>(sym.value / sizeof(Instruction)) + insn.imm + 1;
            const int64_t slots =
                static_cast<int64_t>(m_sections[sym.shndx].size / sizeof(Instruction));
            if (inSection < 0 || inSection >= slots)
            {
                return Describe(section, rel, "call target lies outside its section");
            }
            const int64_t absolute = m_codeBase[sym.shndx] + inSection;
            insn.regs = static_cast<uint8_t>(op::kCallLocal << 4);
            insn.imm = static_cast<int32_t>(absolute - static_cast<int64_t>(pc) - 1);
            return "";
        }
        return Describe(section, rel, "not supported in code");
    }

    std::string RelocateData(ProgramImage& image, size_t section, const Rel& rel)
    {
        const uint32_t type = static_cast<uint32_t>(rel.info);
        const uint64_t symIndex = rel.info >> 32;
        const Shdr& s = m_sections[section];
        if (type == kRBpfNone)
        {
            return "";
        }
        if (symIndex >= m_symbols.size())
        {
            return Describe(section, rel, "symbol index out of range");
        }
        if (s.type == kShtNobits)
        {
            return Describe(section, rel, "relocation in a section without contents");
        }
        std::vector<uint8_t>& bytes =
            m_region[section] == region::kData ? image.data : image.readOnlyData;
        const uint64_t width = type == kRBpf64Abs64 ? 8 : 4;
        if (type != kRBpf64Abs64 && type != kRBpf64Abs32)
        {
            return Describe(section, rel, "not supported in data");
        }
        if (width > s.size || rel.offset > s.size - width)
        {
            return Describe(section, rel, "offset lies outside the section");
        }
        uint8_t* where = bytes.data() + m_placement[section] + rel.offset;
        uint64_t addend = 0;
        std::memcpy(&addend, where, width);
        uint64_t value = 0;
        std::string why = DataAddress(symIndex, addend, value);
        if (!why.empty())
        {
            return Describe(section, rel, why);
        }
        if (width == 4 && value > 0xffffffffULL)
        {
            return Describe(section,
                            rel,
                            "the VM address " + Hex(value) +
                                " does not fit in 32 bits (use 64-bit pointers)");
        }
        std::memcpy(where, &value, width);
        return "";
    }

    const uint8_t* m_data;
    size_t m_size;
    const HelperTable& m_helpers;
    Ehdr m_eh{};
    std::vector<Shdr> m_sections;
    std::vector<std::string> m_names;
    size_t m_symtab = 0;
    std::vector<Sym> m_symbols;
    std::vector<std::string> m_symbolNames;
    std::vector<int64_t> m_codeBase;   ///< first slot of each code section, -1 if not code
    std::vector<uint32_t> m_region;    ///< region of each data section, 0 if not data
    std::vector<uint64_t> m_placement; ///< offset of each data section in its region
};

} // namespace

LoadResult
Program::FromElf(const uint8_t* data, size_t size, std::shared_ptr<const HelperTable> helpers)
{
    if (!helpers)
    {
        helpers = std::make_shared<HelperTable>();
    }
    ProgramImage image;
    std::string error = ElfLoader(data, size, *helpers).Load(image);
    if (!error.empty())
    {
        return {nullptr, error};
    }
    return FromImage(std::move(image), std::move(helpers));
}

} // namespace ebpf
