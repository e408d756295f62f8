/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ebpf/ebpf-assembler.h"

#include "ebpf/ebpf-helpers.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ebpf
{
namespace
{

using namespace op;

std::string
Trim(std::string_view s)
{
    size_t b = 0;
    size_t e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b])))
    {
        ++b;
    }
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])))
    {
        --e;
    }
    return std::string(s.substr(b, e - b));
}

/// Splits operands at commas outside brackets.
std::vector<std::string>
SplitOperands(const std::string& s)
{
    std::vector<std::string> out;
    std::string current;
    int depth = 0;
    for (char c : s)
    {
        if (c == '[')
        {
            ++depth;
        }
        else if (c == ']')
        {
            --depth;
        }
        if (c == ',' && depth == 0)
        {
            out.push_back(Trim(current));
            current.clear();
        }
        else
        {
            current.push_back(c);
        }
    }
    if (!Trim(current).empty() || !out.empty())
    {
        out.push_back(Trim(current));
    }
    return out;
}

std::optional<int64_t>
ParseInteger(const std::string& text)
{
    if (text.empty())
    {
        return std::nullopt;
    }
    std::string s = text;
    bool negative = false;
    size_t i = 0;
    if (s[0] == '+' || s[0] == '-')
    {
        negative = s[0] == '-';
        i = 1;
    }
    if (i >= s.size())
    {
        return std::nullopt;
    }
    int base = 10;
    if (s.size() > i + 1 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X'))
    {
        base = 16;
        i += 2;
    }
    if (i >= s.size())
    {
        return std::nullopt;
    }
    errno = 0;
    char* end = nullptr;
    unsigned long long magnitude = std::strtoull(s.c_str() + i, &end, base);
    if (errno != 0 || *end != '\0' || !std::isxdigit(static_cast<unsigned char>(s[i])))
    {
        return std::nullopt;
    }
    uint64_t value = negative ? 0 - static_cast<uint64_t>(magnitude) : magnitude;
    return static_cast<int64_t>(value);
}

std::optional<unsigned>
ParseRegister(const std::string& text)
{
    std::string s = text;
    if (!s.empty() && s[0] == '%')
    {
        s = s.substr(1);
    }
    if (s.size() < 2 || s[0] != 'r')
    {
        return std::nullopt;
    }
    auto n = ParseInteger(s.substr(1));
    if (!n || *n < 0 || *n > 10 || !std::isdigit(static_cast<unsigned char>(s[1])))
    {
        return std::nullopt;
    }
    return static_cast<unsigned>(*n);
}

struct Memory
{
    unsigned base;
    int64_t offset;
};

std::optional<Memory>
ParseMemory(const std::string& text)
{
    if (text.size() < 3 || text.front() != '[' || text.back() != ']')
    {
        return std::nullopt;
    }
    std::string inner = Trim(text.substr(1, text.size() - 2));
    size_t sign = inner.find_first_of("+-", 1);
    std::string reg = Trim(inner.substr(0, sign));
    auto r = ParseRegister(reg);
    if (!r)
    {
        return std::nullopt;
    }
    int64_t offset = 0;
    if (sign != std::string::npos)
    {
        std::string offText = inner.substr(sign);
        std::string compact;
        for (char c : offText)
        {
            if (!std::isspace(static_cast<unsigned char>(c)))
            {
                compact.push_back(c);
            }
        }
        auto o = ParseInteger(compact);
        if (!o)
        {
            return std::nullopt;
        }
        offset = *o;
    }
    return Memory{*r, offset};
}

const std::map<std::string, std::pair<uint8_t, int16_t>> kAluOps = {
    {"add", {kAdd, 0}},
    {"sub", {kSub, 0}},
    {"mul", {kMul, 0}},
    {"div", {kDiv, 0}},
    {"sdiv", {kDiv, 1}},
    {"or", {kOr, 0}},
    {"and", {kAnd, 0}},
    {"lsh", {kLsh, 0}},
    {"rsh", {kRsh, 0}},
    {"mod", {kMod, 0}},
    {"smod", {kMod, 1}},
    {"xor", {kXor, 0}},
    {"mov", {kMov, 0}},
    {"arsh", {kArsh, 0}},
};

const std::map<std::string, uint8_t> kJumpOps = {
    {"jeq", kJeq},
    {"jgt", kJgt},
    {"jge", kJge},
    {"jset", kJset},
    {"jne", kJne},
    {"jsgt", kJsgt},
    {"jsge", kJsge},
    {"jlt", kJlt},
    {"jle", kJle},
    {"jslt", kJslt},
    {"jsle", kJsle},
};

const std::map<std::string, int32_t> kAtomicOps = {
    {"add", kAtomicAdd},
    {"or", kAtomicOr},
    {"and", kAtomicAnd},
    {"xor", kAtomicXor},
    {"fetch_add", kAtomicAdd | kAtomicFetch},
    {"fetch_or", kAtomicOr | kAtomicFetch},
    {"fetch_and", kAtomicAnd | kAtomicFetch},
    {"fetch_xor", kAtomicXor | kAtomicFetch},
    {"xchg", kAtomicXchg},
    {"cmpxchg", kAtomicCmpxchg},
};

uint8_t
SizeCode(const std::string& suffix)
{
    if (suffix == "b")
    {
        return kSizeB;
    }
    if (suffix == "h")
    {
        return kSizeH;
    }
    if (suffix == "w")
    {
        return kSizeW;
    }
    if (suffix == "dw")
    {
        return kSizeDW;
    }
    return 0xff;
}

struct Line
{
    size_t number;
    std::string mnemonic;
    std::vector<std::string> operands;
};

class Assembler
{
  public:
    Assembler(const HelperTable* helpers)
        : m_helpers(helpers)
    {
    }

    AssembleResult Run(std::string_view text)
    {
        AssembleResult result;
        std::vector<Line> lines;
        // Pass 1: labels and slot numbers.
        size_t number = 0;
        size_t slot = 0;
        size_t pos = 0;
        while (pos <= text.size())
        {
            size_t eol = text.find('\n', pos);
            if (eol == std::string_view::npos)
            {
                eol = text.size();
            }
            std::string line(text.substr(pos, eol - pos));
            pos = eol + 1;
            ++number;
            size_t hash = line.find_first_of("#;");
            if (hash != std::string::npos)
            {
                line = line.substr(0, hash);
            }
            line = Trim(line);
            while (true)
            {
                size_t colon = line.find(':');
                if (colon == std::string::npos || line.find('[') < colon)
                {
                    break;
                }
                std::string label = Trim(line.substr(0, colon));
                if (label.empty() || label.find(' ') != std::string::npos)
                {
                    break;
                }
                if (m_labels.count(label))
                {
                    result.error =
                        "line " + std::to_string(number) + ": label '" + label + "' defined twice";
                    return result;
                }
                m_labels[label] = slot;
                line = Trim(line.substr(colon + 1));
            }
            if (line.empty())
            {
                continue;
            }
            size_t space = line.find_first_of(" \t");
            Line l;
            l.number = number;
            l.mnemonic = line.substr(0, space);
            for (auto& c : l.mnemonic)
            {
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
            if (space != std::string::npos)
            {
                l.operands = SplitOperands(Trim(line.substr(space)));
            }
            slot += l.mnemonic == "lddw" ? 2 : 1;
            lines.push_back(std::move(l));
        }
        // Pass 2: encoding.
        for (const Line& l : lines)
        {
            std::string error = Encode(l);
            if (!error.empty())
            {
                result.code.clear();
                result.error = "line " + std::to_string(l.number) + ": " + error;
                return result;
            }
        }
        result.code = std::move(m_code);
        return result;
    }

  private:
    std::string Encode(const Line& l)
    {
        const std::string& m = l.mnemonic;
        const auto& ops = l.operands;
        auto want = [&](size_t n) -> std::string {
            if (ops.size() != n)
            {
                return "'" + m + "' takes " + std::to_string(n) + " operand(s), got " +
                       std::to_string(ops.size());
            }
            return "";
        };
        auto emit = [&](uint8_t opcode, unsigned dst, unsigned src, int64_t off, int64_t imm) {
            m_code.push_back(Instruction::Make(opcode,
                                               static_cast<uint8_t>(dst),
                                               static_cast<uint8_t>(src),
                                               static_cast<int16_t>(off),
                                               static_cast<int32_t>(imm)));
        };
        auto imm32 = [&](const std::string& s, int64_t& out) -> std::string {
            auto v = ParseInteger(s);
            if (!v || *v < INT32_MIN || *v > static_cast<int64_t>(UINT32_MAX))
            {
                return "bad 32-bit immediate '" + s + "'";
            }
            out = *v;
            return "";
        };
        auto target = [&](const std::string& s, int64_t& out) -> std::string {
            if (!s.empty() && (s[0] == '+' || s[0] == '-'))
            {
                auto v = ParseInteger(s);
                if (!v)
                {
                    return "bad jump offset '" + s + "'";
                }
                out = *v;
                return "";
            }
            auto it = m_labels.find(s);
            if (it == m_labels.end())
            {
                return "unknown label '" + s + "'";
            }
            out = static_cast<int64_t>(it->second) - static_cast<int64_t>(m_code.size()) - 1;
            return "";
        };
        auto offset16 = [&](int64_t off) -> std::string {
            if (off < INT16_MIN || off > INT16_MAX)
            {
                return "offset " + std::to_string(off) + " does not fit in 16 bits";
            }
            return "";
        };

        std::string err;
        if (m == ".raw")
        {
            if (!(err = want(5)).empty())
            {
                return err;
            }
            int64_t v[5];
            for (int i = 0; i < 5; ++i)
            {
                auto p = ParseInteger(ops[i]);
                if (!p)
                {
                    return "bad .raw field '" + ops[i] + "'";
                }
                v[i] = *p;
            }
            emit(static_cast<uint8_t>(v[0]), v[1] & 15, v[2] & 15, v[3], v[4]);
            return "";
        }
        if (m == "exit")
        {
            if (!(err = want(0)).empty())
            {
                return err;
            }
            emit(kExitOpcode, 0, 0, 0, 0);
            return "";
        }
        if (m == "ja" || m == "gotol")
        {
            if (!(err = want(1)).empty())
            {
                return err;
            }
            int64_t t;
            if (!(err = target(ops[0], t)).empty())
            {
                return err;
            }
            if (m == "ja")
            {
                if (!(err = offset16(t)).empty())
                {
                    return err;
                }
                emit(kJaOpcode, 0, 0, t, 0);
            }
            else
            {
                emit(kGotolOpcode, 0, 0, 0, t);
            }
            return "";
        }
        if (m == "call")
        {
            if (!(err = want(1)).empty())
            {
                return err;
            }
            auto id = ParseInteger(ops[0]);
            if (!id)
            {
                const Helper* h = m_helpers ? m_helpers->FindByName(ops[0]) : nullptr;
                if (!h)
                {
                    return "unknown helper '" + ops[0] + "'";
                }
                id = h->id;
            }
            emit(kCallOpcode, 0, kCallHelper, 0, *id);
            return "";
        }
        if (m == "call_local")
        {
            if (!(err = want(1)).empty())
            {
                return err;
            }
            int64_t t;
            if (!(err = target(ops[0], t)).empty())
            {
                return err;
            }
            emit(kCallOpcode, 0, kCallLocal, 0, t);
            return "";
        }
        if (m == "lddw")
        {
            if (!(err = want(2)).empty())
            {
                return err;
            }
            auto d = ParseRegister(ops[0]);
            auto v = ParseInteger(ops[1]);
            if (!d || !v)
            {
                return "usage: lddw %rN, imm64";
            }
            uint64_t u = static_cast<uint64_t>(*v);
            emit(kLddw, *d, 0, 0, static_cast<int32_t>(static_cast<uint32_t>(u)));
            emit(0, 0, 0, 0, static_cast<int32_t>(static_cast<uint32_t>(u >> 32)));
            return "";
        }
        // Byte swaps, RFC 9669 §4.2.
        for (const char* kind : {"le", "be", "bswap"})
        {
            for (int width : {16, 32, 64})
            {
                if (m == kind + std::to_string(width))
                {
                    if (!(err = want(1)).empty())
                    {
                        return err;
                    }
                    auto d = ParseRegister(ops[0]);
                    if (!d)
                    {
                        return "bad register '" + ops[0] + "'";
                    }
                    uint8_t opcode = std::string(kind) == "bswap" ? (kClassAlu64 | kEnd)
                                     : std::string(kind) == "be"  ? (kClassAlu | kEnd | kSrcX)
                                                                  : (kClassAlu | kEnd);
                    emit(opcode, *d, 0, 0, width);
                    return "";
                }
            }
        }
        // Loads and stores.
        if (m.rfind("ldx", 0) == 0 || m.rfind("st", 0) == 0)
        {
            bool load = m.rfind("ldx", 0) == 0;
            bool signExtend = false;
            bool reg = false;
            std::string rest;
            if (load)
            {
                rest = m.substr(3);
                if (!rest.empty() && rest[0] == 's' && rest != "s")
                {
                    signExtend = true;
                    rest = rest.substr(1);
                }
            }
            else if (m.rfind("stx", 0) == 0)
            {
                reg = true;
                rest = m.substr(3);
            }
            else
            {
                rest = m.substr(2);
            }
            uint8_t size = SizeCode(rest);
            if (size != 0xff)
            {
                if (!(err = want(2)).empty())
                {
                    return err;
                }
                if (load)
                {
                    auto d = ParseRegister(ops[0]);
                    auto mem = ParseMemory(ops[1]);
                    if (!d || !mem)
                    {
                        return "usage: " + m + " %rD, [%rS+off]";
                    }
                    if (!(err = offset16(mem->offset)).empty())
                    {
                        return err;
                    }
                    emit(kClassLdx | size | (signExtend ? kModeMemSx : kModeMem),
                         *d,
                         mem->base,
                         mem->offset,
                         0);
                    return "";
                }
                auto mem = ParseMemory(ops[0]);
                if (!mem)
                {
                    return "usage: " + m + " [%rD+off], " + (reg ? "%rS" : "imm");
                }
                if (!(err = offset16(mem->offset)).empty())
                {
                    return err;
                }
                if (reg)
                {
                    auto s = ParseRegister(ops[1]);
                    if (!s)
                    {
                        return "bad register '" + ops[1] + "'";
                    }
                    emit(kClassStx | size | kModeMem, mem->base, *s, mem->offset, 0);
                    return "";
                }
                int64_t imm;
                if (!(err = imm32(ops[1], imm)).empty())
                {
                    return err;
                }
                emit(kClassSt | size | kModeMem, mem->base, 0, mem->offset, imm);
                return "";
            }
        }
        // Atomics, RFC 9669 §5.3.
        if (m.rfind("atomic", 0) == 0)
        {
            std::string rest = m.substr(6);
            uint8_t size = kSizeDW;
            if (rest.rfind("32", 0) == 0)
            {
                size = kSizeW;
                rest = rest.substr(2);
            }
            if (rest.empty() || rest[0] != '_' || !kAtomicOps.count(rest.substr(1)))
            {
                return "unknown atomic operation '" + m + "'";
            }
            if (!(err = want(2)).empty())
            {
                return err;
            }
            auto mem = ParseMemory(ops[0]);
            auto s = ParseRegister(ops[1]);
            if (!mem || !s)
            {
                return "usage: " + m + " [%rD+off], %rS";
            }
            if (!(err = offset16(mem->offset)).empty())
            {
                return err;
            }
            emit(kClassStx | size | kModeAtomic,
                 mem->base,
                 *s,
                 mem->offset,
                 kAtomicOps.at(rest.substr(1)));
            return "";
        }
        // Arithmetic and conditional jumps: a trailing "32" selects the 32-bit class.
        std::string base = m;
        bool narrow = false;
        if (base.size() > 2 && base.compare(base.size() - 2, 2, "32") == 0)
        {
            narrow = true;
            base = base.substr(0, base.size() - 2);
        }
        if (base == "neg")
        {
            if (!(err = want(1)).empty())
            {
                return err;
            }
            auto d = ParseRegister(ops[0]);
            if (!d)
            {
                return "bad register '" + ops[0] + "'";
            }
            emit((narrow ? kClassAlu : kClassAlu64) | kNeg, *d, 0, 0, 0);
            return "";
        }
        if (base == "movsxb" || base == "movsxh" || base == "movsxw")
        {
            if (!(err = want(2)).empty())
            {
                return err;
            }
            auto d = ParseRegister(ops[0]);
            auto s = ParseRegister(ops[1]);
            if (!d || !s)
            {
                return "usage: " + m + " %rD, %rS";
            }
            int16_t width = base == "movsxb" ? 8 : base == "movsxh" ? 16 : 32;
            emit((narrow ? kClassAlu : kClassAlu64) | kMov | kSrcX, *d, *s, width, 0);
            return "";
        }
        if (auto it = kAluOps.find(base); it != kAluOps.end())
        {
            if (!(err = want(2)).empty())
            {
                return err;
            }
            auto d = ParseRegister(ops[0]);
            if (!d)
            {
                return "bad register '" + ops[0] + "'";
            }
            uint8_t cls = narrow ? kClassAlu : kClassAlu64;
            if (auto s = ParseRegister(ops[1]))
            {
                emit(cls | it->second.first | kSrcX, *d, *s, it->second.second, 0);
                return "";
            }
            int64_t imm;
            if (!(err = imm32(ops[1], imm)).empty())
            {
                return err;
            }
            emit(cls | it->second.first | kSrcK, *d, 0, it->second.second, imm);
            return "";
        }
        if (auto it = kJumpOps.find(base); it != kJumpOps.end())
        {
            if (!(err = want(3)).empty())
            {
                return err;
            }
            auto d = ParseRegister(ops[0]);
            if (!d)
            {
                return "bad register '" + ops[0] + "'";
            }
            int64_t t;
            if (!(err = target(ops[2], t)).empty())
            {
                return err;
            }
            if (!(err = offset16(t)).empty())
            {
                return err;
            }
            uint8_t cls = narrow ? kClassJmp32 : kClassJmp;
            if (auto s = ParseRegister(ops[1]))
            {
                emit(cls | it->second | kSrcX, *d, *s, t, 0);
                return "";
            }
            int64_t imm;
            if (!(err = imm32(ops[1], imm)).empty())
            {
                return err;
            }
            emit(cls | it->second | kSrcK, *d, 0, t, imm);
            return "";
        }
        return "unknown mnemonic '" + m + "'";
    }

    const HelperTable* m_helpers;
    std::map<std::string, size_t> m_labels;
    std::vector<Instruction> m_code;
};

} // namespace

AssembleResult
Assemble(std::string_view text, const HelperTable* helpers)
{
    return Assembler(helpers).Run(text);
}

} // namespace ebpf
