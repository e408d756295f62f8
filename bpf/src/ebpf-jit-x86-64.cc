/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ebpf-jit-x86-64.h"

#include "ebpf/ebpf-helpers.h"
#include "ebpf/ebpf-vm.h"

#include <cstddef>
#include <cstring>

#if defined(__x86_64__) && (defined(__linux__) || defined(__APPLE__) || defined(__FreeBSD__))
#define EBPF_JIT_X86_64 1
#include <sys/mman.h>
#include <unistd.h>
#endif

/**
 * \file
 * x86-64 JIT.
 *
 * Register allocation is fixed: eBPF r0..r9 live in host registers for the
 * whole run (r0 rax, r1 rdi, r2 rsi, r3 rdx, r4 r9, r5 r8, r6 rbx, r7 r12,
 * r8 r13, r9 r14), r10 is kept as the *host* address of the frame top in rbp so
 * that r10-relative accesses (proven in-frame by the verifier) are plain
 * [rbp+off] operands; whenever r10's value is read it is converted back to its
 * virtual address. r15 points to the ExecState (region tables, fuel, fault),
 * r10 holds the remaining fuel, rcx and r11 are scratch. The callee-saved host
 * registers hold r6..r9, r10 and the state, so helper calls only need to spill
 * r1..r5 (which are then restored: the interpreter leaves them unchanged too).
 *
 * Memory accesses not through r10 take the same path as the interpreter: the
 * region index is address >> 32 and one comparison against the per-size limit
 * table decides; the failing case jumps to an out-of-line stub that records pc
 * and address and unwinds to the entry thunk.
 *
 * Fuel: each basic block starts with `sub fuel, cost; jb stub`, the same
 * accounting as the interpreter (VerifierReport::blockCost).
 */

namespace ebpf
{
namespace detail
{

#ifdef EBPF_JIT_X86_64

extern "C" uint64_t
EbpfJitCallHelper(ExecState* state, uint64_t slot, uint64_t pc)
{
    return state->vm->CallHelper(static_cast<size_t>(slot), static_cast<uint32_t>(pc), state->args);
}

namespace
{

using namespace op;

enum Reg : uint8_t
{
    RAX = 0,
    RCX = 1,
    RDX = 2,
    RBX = 3,
    RSP = 4,
    RBP = 5,
    RSI = 6,
    RDI = 7,
    R8 = 8,
    R9 = 9,
    R10 = 10,
    R11 = 11,
    R12 = 12,
    R13 = 13,
    R14 = 14,
    R15 = 15,
};

constexpr Reg kMap[11] = {RAX, RDI, RSI, RDX, R9, R8, RBX, R12, R13, R14, RBP};
constexpr Reg kState = R15;
constexpr Reg kFuel = R10;
constexpr Reg kAddr = R11;

// x86 condition codes.
enum Cond : uint8_t
{
    kCcB = 0x2,
    kCcAE = 0x3,
    kCcE = 0x4,
    kCcNE = 0x5,
    kCcBE = 0x6,
    kCcA = 0x7,
    kCcL = 0xc,
    kCcGE = 0xd,
    kCcLE = 0xe,
    kCcG = 0xf,
};

constexpr int32_t
StateOffset(size_t offset)
{
    return static_cast<int32_t>(offset);
}

#define STATE_FIELD(field) StateOffset(offsetof(ExecState, field))

class Emitter
{
  public:
    std::vector<uint8_t> code;

    size_t Size() const
    {
        return code.size();
    }

    void Byte(uint8_t b)
    {
        code.push_back(b);
    }

    void U16(uint16_t v)
    {
        Byte(v & 0xff);
        Byte(v >> 8);
    }

    void U32(uint32_t v)
    {
        for (int i = 0; i < 4; ++i)
        {
            Byte(static_cast<uint8_t>(v >> (8 * i)));
        }
    }

    void U64(uint64_t v)
    {
        for (int i = 0; i < 8; ++i)
        {
            Byte(static_cast<uint8_t>(v >> (8 * i)));
        }
    }

    void Patch32(size_t pos, int32_t v)
    {
        uint32_t u = static_cast<uint32_t>(v);
        for (int i = 0; i < 4; ++i)
        {
            code[pos + i] = static_cast<uint8_t>(u >> (8 * i));
        }
    }

    /// REX prefix; \p byteReg (a register used as an 8-bit operand) forces one so that
    /// sil/dil/bpl/spl are addressed rather than ah/bh/ch/dh.
    void Rex(bool w, unsigned reg, unsigned index, unsigned base, int byteReg = -1)
    {
        uint8_t rex = 0x40 | (w ? 8 : 0) | ((reg >> 3) & 1) << 2 | ((index >> 3) & 1) << 1 |
                      ((base >> 3) & 1);
        if (rex != 0x40 || (byteReg >= 4 && byteReg <= 7))
        {
            Byte(rex);
        }
    }

    void ModRR(unsigned reg, unsigned rm)
    {
        Byte(static_cast<uint8_t>(0xc0 | (reg & 7) << 3 | (rm & 7)));
    }

    /// ModRM (+SIB, displacement) for [base + index * 2^scale + disp]; index < 0: none.
    void ModMem(unsigned reg, unsigned base, int32_t disp, int index = -1, unsigned scale = 0)
    {
        const bool sib = index >= 0 || (base & 7) == 4;
        unsigned mod = 2;
        if (disp == 0 && (base & 7) != 5)
        {
            mod = 0;
        }
        else if (disp >= -128 && disp <= 127)
        {
            mod = 1;
        }
        Byte(static_cast<uint8_t>(mod << 6 | (reg & 7) << 3 | (sib ? 4 : (base & 7))));
        if (sib)
        {
            Byte(static_cast<uint8_t>(scale << 6 | ((index >= 0 ? index : 4) & 7) << 3 |
                                      (base & 7)));
        }
        if (mod == 1)
        {
            Byte(static_cast<uint8_t>(static_cast<int8_t>(disp)));
        }
        else if (mod == 2)
        {
            U32(static_cast<uint32_t>(disp));
        }
    }

    /// op r/m, r  (add 01, or 09, and 21, sub 29, xor 31, cmp 39, test 85, mov 89).
    void AluRR(uint8_t opcode, bool w, unsigned dst, unsigned src)
    {
        Rex(w, src, 0, dst);
        Byte(opcode);
        ModRR(src, dst);
    }

    /// op r/m, imm (81 /ext, or 83 /ext for small values).
    void AluRI(unsigned ext, bool w, unsigned dst, int32_t imm)
    {
        Rex(w, 0, 0, dst);
        if (imm >= -128 && imm <= 127)
        {
            Byte(0x83);
            ModRR(ext, dst);
            Byte(static_cast<uint8_t>(static_cast<int8_t>(imm)));
        }
        else
        {
            Byte(0x81);
            ModRR(ext, dst);
            U32(static_cast<uint32_t>(imm));
        }
    }

    /// op r, [base + index*8 + disp] (add 03, sub 2b, cmp 3b, mov 8b).
    void AluRM(uint8_t opcode,
               bool w,
               unsigned reg,
               unsigned base,
               int32_t disp,
               int index = -1,
               unsigned scale = 0)
    {
        Rex(w, reg, index >= 0 ? static_cast<unsigned>(index) : 0, base);
        Byte(opcode);
        ModMem(reg, base, disp, index, scale);
    }

    /// op [base + disp], r (mov 89, add 01, or 09, and 21, xor 31, xchg 87).
    void AluMR(uint8_t opcode, bool w, unsigned base, int32_t disp, unsigned reg)
    {
        Rex(w, reg, 0, base);
        Byte(opcode);
        ModMem(reg, base, disp);
    }

    void MovRR(bool w, unsigned dst, unsigned src)
    {
        AluRR(0x89, w, dst, src);
    }

    void MovImm(unsigned dst, uint64_t value)
    {
        if (value == 0)
        {
            AluRR(0x31, false, dst, dst); // xor r32, r32
        }
        else if (value <= 0xffffffffULL)
        {
            Rex(false, 0, 0, dst);
            Byte(static_cast<uint8_t>(0xb8 + (dst & 7)));
            U32(static_cast<uint32_t>(value));
        }
        else if (static_cast<int64_t>(value) >= INT32_MIN && static_cast<int64_t>(value) < 0)
        {
            Rex(true, 0, 0, dst);
            Byte(0xc7);
            ModRR(0, dst);
            U32(static_cast<uint32_t>(value));
        }
        else
        {
            Rex(true, 0, 0, dst);
            Byte(static_cast<uint8_t>(0xb8 + (dst & 7)));
            U64(value);
        }
    }

    void Lea(unsigned dst, unsigned base, int32_t disp)
    {
        Rex(true, dst, 0, base);
        Byte(0x8d);
        ModMem(dst, base, disp);
    }

    /// Shift group D3 /ext (by cl) or C1 /ext ib.
    void ShiftCl(unsigned ext, bool w, unsigned dst)
    {
        Rex(w, 0, 0, dst);
        Byte(0xd3);
        ModRR(ext, dst);
    }

    void ShiftImm(unsigned ext, bool w, unsigned dst, uint8_t count)
    {
        Rex(w, 0, 0, dst);
        Byte(0xc1);
        ModRR(ext, dst);
        Byte(count);
    }

    void Unary(unsigned ext, bool w, unsigned rm) // F7 /ext: neg 3, div 6, idiv 7
    {
        Rex(w, 0, 0, rm);
        Byte(0xf7);
        ModRR(ext, rm);
    }

    void Push(unsigned r)
    {
        Rex(false, 0, 0, r);
        Byte(static_cast<uint8_t>(0x50 + (r & 7)));
    }

    void Pop(unsigned r)
    {
        Rex(false, 0, 0, r);
        Byte(static_cast<uint8_t>(0x58 + (r & 7)));
    }

    /// Jcc rel32 with a placeholder; returns the position of the displacement.
    size_t Jcc(uint8_t cc)
    {
        Byte(0x0f);
        Byte(static_cast<uint8_t>(0x80 + cc));
        U32(0);
        return Size() - 4;
    }

    size_t Jmp()
    {
        Byte(0xe9);
        U32(0);
        return Size() - 4;
    }

    /// Points the rel32 at \p pos to the current position.
    void Bind(size_t pos)
    {
        Patch32(pos, static_cast<int32_t>(Size() - (pos + 4)));
    }

    void BindTo(size_t pos, size_t target)
    {
        Patch32(pos,
                static_cast<int32_t>(static_cast<int64_t>(target) - static_cast<int64_t>(pos + 4)));
    }
};

struct JumpFixup
{
    size_t pos;
    uint32_t targetPc;
};

struct Stub
{
    size_t pos;
    uint32_t kind; ///< ExecFault
    uint32_t pc;
    uint32_t cost; ///< budget stubs: fuel to give back
};

class Compiler
{
  public:
    Compiler(const std::vector<Instruction>& code,
             const VerifierReport& report,
             const HelperTable& helpers)
        : m_code(code),
          m_report(report),
          m_helpers(helpers)
    {
    }

    std::vector<uint8_t> Compile(std::vector<uint32_t>& offsets)
    {
        EmitThunk();
        const size_t n = m_code.size();
        offsets.assign(n + 1, 0);
        for (uint32_t pc = 0; pc < n; ++pc)
        {
            offsets[pc] = static_cast<uint32_t>(e.Size());
            if (m_report.blockCost[pc] != 0)
            {
                // Charge the block before any of it runs (same as the interpreter).
                e.AluRI(5, true, kFuel, static_cast<int32_t>(m_report.blockCost[pc]));
                m_stubs.push_back({e.Jcc(kCcB), kExecBudget, pc, m_report.blockCost[pc]});
            }
            if (m_code[pc].opcode == kLddw)
            {
                EmitInstruction(pc);
                ++pc;
                offsets[pc] = static_cast<uint32_t>(e.Size());
                continue;
            }
            EmitInstruction(pc);
        }
        offsets[n] = static_cast<uint32_t>(e.Size());
        for (const JumpFixup& j : m_jumps)
        {
            e.BindTo(j.pos, offsets[j.targetPc]);
        }
        for (const Stub& s : m_stubs)
        {
            e.Bind(s.pos);
            if (s.kind == kExecBudget)
            {
                e.AluRI(0, true, kFuel, static_cast<int32_t>(s.cost)); // undo the charge
            }
            if (s.kind == kExecMemory)
            {
                e.AluMR(0x89, true, kState, STATE_FIELD(faultAddress), kAddr);
            }
            EmitStoreState32(STATE_FIELD(faultPc), s.pc);
            EmitStoreState32(STATE_FIELD(faultKind), s.kind);
            e.BindTo(e.Jmp(), m_faultExit);
        }
        return std::move(e.code);
    }

  private:
    void EmitStoreState32(int32_t disp, uint32_t value)
    {
        e.Rex(false, 0, 0, kState);
        e.Byte(0xc7);
        e.ModMem(0, kState, disp);
        e.U32(value);
    }

    /**
     * Entry thunk: uint64_t (*)(ExecState* state, const void* entry). Saves the
     * callee-saved registers, loads the eBPF registers and calls the entry
     * function; a fault jumps to m_faultExit, which unwinds to the saved rsp.
     */
    void EmitThunk()
    {
        for (Reg r : {RBX, RBP, R12, R13, R14, R15})
        {
            e.Push(r);
        }
        e.MovRR(true, kState, RDI);
        e.AluMR(0x89, true, kState, STATE_FIELD(savedRsp), RSP);
        e.MovRR(true, kAddr, RSI);
        e.AluRM(0x8b, true, RBP, kState, STATE_FIELD(stackTop));
        e.AluRM(0x8b, true, kFuel, kState, STATE_FIELD(fuel));
        for (Reg r : {RAX, RBX, R12, R13, R14})
        {
            e.MovImm(r, 0);
        }
        for (unsigned i = 0; i < 5; ++i)
        {
            e.AluRM(0x8b, true, kMap[i + 1], kState, STATE_FIELD(args) + 8 * i);
        }
        // call r11
        e.Rex(false, 0, 0, kAddr);
        e.Byte(0xff);
        e.ModRR(2, kAddr);
        e.AluMR(0x89, true, kState, STATE_FIELD(fuel), kFuel);
        const size_t epilogue = e.Size();
        for (Reg r : {R15, R14, R13, R12, RBP, RBX})
        {
            e.Pop(r);
        }
        e.Byte(0xc3);
        m_faultExit = e.Size();
        e.AluMR(0x89, true, kState, STATE_FIELD(fuel), kFuel);
        e.AluRM(0x8b, true, RSP, kState, STATE_FIELD(savedRsp));
        e.MovImm(RAX, 0);
        e.BindTo(e.Jmp(), epilogue);
    }

    /// Host register holding the value of eBPF register \p r (r10 converted to its virtual
    /// address in \p scratch).
    unsigned Value(unsigned r, Reg scratch)
    {
        if (r != kFramePointer)
        {
            return kMap[r];
        }
        e.MovRR(true, scratch, RBP);
        e.AluRM(0x2b, true, scratch, kState, STATE_FIELD(delta) + 8 * region::kStack);
        return scratch;
    }

    void JumpTo(uint32_t pc, int64_t target)
    {
        (void)pc;
        m_jumps.push_back({e.Jmp(), static_cast<uint32_t>(target)});
    }

    void EmitInstruction(uint32_t pc)
    {
        const Instruction& insn = m_code[pc];
        switch (Class(insn.opcode))
        {
        case kClassAlu:
        case kClassAlu64:
            EmitAlu(insn);
            break;
        case kClassJmp:
        case kClassJmp32:
            EmitJump(pc, insn);
            break;
        case kClassLd: {
            uint64_t value =
                static_cast<uint32_t>(insn.imm) |
                (static_cast<uint64_t>(static_cast<uint32_t>(m_code[pc + 1].imm)) << 32);
            e.MovImm(kMap[insn.Dst()], value);
            break;
        }
        default:
            EmitMemory(pc, insn);
            break;
        }
    }

    void EmitAlu(const Instruction& insn)
    {
        const bool w = Class(insn.opcode) == kClassAlu64;
        const bool isX = (insn.opcode & kSrcMask) == kSrcX;
        const unsigned d = kMap[insn.Dst()];
        const uint8_t code = insn.opcode & kCodeMask;
        // 32-bit operations write the low half and zero the upper half, as RFC 9669 §4.1
        // requires for the ALU class.
        auto binary = [&](uint8_t opcodeRR, unsigned ext) {
            if (isX)
            {
                e.AluRR(opcodeRR, w, d, Value(insn.Src(), kAddr));
            }
            else
            {
                e.AluRI(ext, w, d, insn.imm);
            }
        };
        switch (code)
        {
        case kAdd:
            binary(0x01, 0);
            break;
        case kSub:
            binary(0x29, 5);
            break;
        case kOr:
            binary(0x09, 1);
            break;
        case kAnd:
            binary(0x21, 4);
            break;
        case kXor:
            binary(0x31, 6);
            break;
        case kMul:
            if (isX)
            {
                unsigned s = Value(insn.Src(), kAddr);
                e.Rex(w, d, 0, s);
                e.Byte(0x0f);
                e.Byte(0xaf);
                e.ModRR(d, s);
            }
            else
            {
                e.Rex(w, d, 0, d);
                e.Byte(0x69);
                e.ModRR(d, d);
                e.U32(static_cast<uint32_t>(insn.imm));
            }
            break;
        case kMov:
            if (isX && insn.offset != 0)
            {
                // MOVSX (RFC 9669 §4.1): sign-extend the low 8/16/32 bits of src.
                unsigned s = Value(insn.Src(), kAddr);
                if (insn.offset == 32)
                {
                    e.Rex(true, d, 0, s);
                    e.Byte(0x63);
                    e.ModRR(d, s);
                }
                else
                {
                    e.Rex(w, d, 0, s, insn.offset == 8 ? static_cast<int>(s) : -1);
                    e.Byte(0x0f);
                    e.Byte(insn.offset == 8 ? 0xbe : 0xbf);
                    e.ModRR(d, s);
                }
            }
            else if (isX)
            {
                e.MovRR(w, d, Value(insn.Src(), kAddr));
            }
            else if (w)
            {
                e.MovImm(d, static_cast<uint64_t>(static_cast<int64_t>(insn.imm)));
            }
            else
            {
                e.MovImm(d, static_cast<uint32_t>(insn.imm));
            }
            break;
        case kLsh:
        case kRsh:
        case kArsh: {
            const unsigned ext = code == kLsh ? 4 : code == kRsh ? 5 : 7;
            // Counts are masked to the operand width (RFC 9669 §4.1), as x86 does.
            if (isX)
            {
                unsigned s = Value(insn.Src(), kAddr);
                e.MovRR(false, RCX, s);
                e.ShiftCl(ext, w, d);
                if (!w)
                {
                    e.MovRR(false, d, d); // zero-extend even when the count is 0
                }
            }
            else
            {
                uint8_t count = static_cast<uint8_t>(insn.imm & (w ? 63 : 31));
                if (count != 0)
                {
                    e.ShiftImm(ext, w, d, count);
                }
                else if (!w)
                {
                    e.MovRR(false, d, d);
                }
            }
            break;
        }
        case kNeg:
            e.Unary(3, w, d);
            break;
        case kDiv:
        case kMod:
            EmitDivision(insn, w, isX, code == kMod, insn.offset == 1);
            break;
        case kEnd:
            if (!w && !isX)
            {
                // TO_LE on a little-endian host: truncate.
                if (insn.imm == 16)
                {
                    e.Rex(false, d, 0, d);
                    e.Byte(0x0f);
                    e.Byte(0xb7);
                    e.ModRR(d, d);
                }
                else if (insn.imm == 32)
                {
                    e.MovRR(false, d, d);
                }
            }
            else if (insn.imm == 16)
            {
                e.Byte(0x66); // rol r16, 8
                e.Rex(false, 0, 0, d);
                e.Byte(0xc1);
                e.ModRR(0, d);
                e.Byte(8);
                e.Rex(false, d, 0, d); // movzx r32, r16
                e.Byte(0x0f);
                e.Byte(0xb7);
                e.ModRR(d, d);
            }
            else
            {
                e.Rex(insn.imm == 64, 0, 0, d);
                e.Byte(0x0f);
                e.Byte(static_cast<uint8_t>(0xc8 + (d & 7)));
            }
            break;
        default:
            break;
        }
    }

    /**
     * RFC 9669 §4.1 division and modulo without traps: x/0 = 0, x%0 = x, MIN/-1 = MIN,
     * MIN%-1 = 0. x86 div needs rax:rdx (eBPF r0 and r3), so they are saved in the state
     * and the result travels through r11.
     */
    void EmitDivision(const Instruction& insn, bool w, bool isX, bool isMod, bool isSigned)
    {
        const unsigned d = kMap[insn.Dst()];
        e.AluMR(0x89, true, kState, STATE_FIELD(scratch), RAX);
        e.AluMR(0x89, true, kState, STATE_FIELD(scratch) + 8, RDX);
        if (isX)
        {
            if (insn.Src() == kFramePointer)
            {
                Value(insn.Src(), RCX);
            }
            else
            {
                e.MovRR(w, RCX, kMap[insn.Src()]);
            }
        }
        else
        {
            e.MovImm(RCX,
                     w ? static_cast<uint64_t>(static_cast<int64_t>(insn.imm))
                       : static_cast<uint32_t>(insn.imm));
        }
        e.MovRR(w, RAX, d);
        e.AluRR(0x85, w, RCX, RCX); // test
        const size_t toZero = e.Jcc(kCcE);
        size_t toMinusOne = 0;
        if (isSigned)
        {
            e.AluRI(7, w, RCX, -1);
            toMinusOne = e.Jcc(kCcE);
            if (w)
            {
                e.Byte(0x48); // cqo
            }
            e.Byte(0x99); // cdq
            e.Unary(7, w, RCX);
        }
        else
        {
            e.AluRR(0x31, false, RDX, RDX);
            e.Unary(6, w, RCX);
        }
        e.MovRR(w, kAddr, isMod ? RDX : RAX);
        const size_t done1 = e.Jmp();
        size_t done2 = 0;
        if (isSigned)
        {
            e.Bind(toMinusOne);
            if (isMod)
            {
                e.AluRR(0x31, false, kAddr, kAddr);
            }
            else
            {
                e.MovRR(w, kAddr, RAX);
                e.Unary(3, w, kAddr);
            }
            done2 = e.Jmp();
        }
        e.Bind(toZero);
        if (isMod)
        {
            e.MovRR(w, kAddr, RAX);
        }
        else
        {
            e.AluRR(0x31, false, kAddr, kAddr);
        }
        e.Bind(done1);
        if (isSigned)
        {
            e.Bind(done2);
        }
        e.AluRM(0x8b, true, RAX, kState, STATE_FIELD(scratch));
        e.AluRM(0x8b, true, RDX, kState, STATE_FIELD(scratch) + 8);
        e.MovRR(true, d, kAddr);
    }

    void EmitJump(uint32_t pc, const Instruction& insn)
    {
        const uint8_t code = insn.opcode & kCodeMask;
        const bool w = Class(insn.opcode) == kClassJmp;
        const bool isX = (insn.opcode & kSrcMask) == kSrcX;
        switch (code)
        {
        case kJa:
            JumpTo(pc, int64_t{pc} + (w ? insn.offset : insn.imm) + 1);
            return;
        case kExit:
            e.Byte(0xc3);
            return;
        case kCall:
            if (insn.Src() == kCallLocal)
            {
                EmitLocalCall(pc, static_cast<uint32_t>(int64_t{pc} + insn.imm + 1));
            }
            else
            {
                EmitHelperCall(pc, insn);
            }
            return;
        default:
            break;
        }
        const unsigned d = Value(insn.Dst(), RCX);
        if (code == kJset)
        {
            if (isX)
            {
                e.AluRR(0x85, w, d, Value(insn.Src(), kAddr));
            }
            else
            {
                e.Rex(w, 0, 0, d);
                e.Byte(0xf7);
                e.ModRR(0, d);
                e.U32(static_cast<uint32_t>(insn.imm));
            }
        }
        else if (isX)
        {
            e.AluRR(0x39, w, d, Value(insn.Src(), kAddr));
        }
        else
        {
            e.AluRI(7, w, d, insn.imm);
        }
        uint8_t cc = kCcE;
        switch (code)
        {
        case kJeq:
            cc = kCcE;
            break;
        case kJgt:
            cc = kCcA;
            break;
        case kJge:
            cc = kCcAE;
            break;
        case kJset:
        case kJne:
            cc = kCcNE;
            break;
        case kJsgt:
            cc = kCcG;
            break;
        case kJsge:
            cc = kCcGE;
            break;
        case kJlt:
            cc = kCcB;
            break;
        case kJle:
            cc = kCcBE;
            break;
        case kJslt:
            cc = kCcL;
            break;
        case kJsle:
            cc = kCcLE;
            break;
        }
        m_jumps.push_back({e.Jcc(cc), static_cast<uint32_t>(int64_t{pc} + insn.offset + 1)});
    }

    void EmitHelperCall(uint32_t pc, const Instruction& insn)
    {
        const int64_t slot = m_helpers.SlotOf(static_cast<uint32_t>(insn.imm));
        for (unsigned i = 0; i < 5; ++i)
        {
            e.AluMR(0x89, true, kState, STATE_FIELD(args) + 8 * i, kMap[i + 1]);
        }
        e.AluMR(0x89, true, kState, STATE_FIELD(fuel), kFuel);
        e.MovRR(true, RDI, kState);
        e.MovImm(RSI, static_cast<uint64_t>(slot < 0 ? 0 : slot));
        e.MovImm(RDX, pc);
        e.Rex(true, 0, 0, RAX);
        e.Byte(0xb8);
        e.U64(reinterpret_cast<uintptr_t>(&EbpfJitCallHelper));
        e.Byte(0xff); // call rax
        e.ModRR(2, RAX);
        e.AluRM(0x8b, true, kFuel, kState, STATE_FIELD(fuel));
        for (unsigned i = 0; i < 5; ++i)
        {
            e.AluRM(0x8b, true, kMap[i + 1], kState, STATE_FIELD(args) + 8 * i);
        }
        // cmp dword [state + faultKind], 0 ; jne faultExit
        e.Rex(false, 0, 0, kState);
        e.Byte(0x83);
        e.ModMem(7, kState, STATE_FIELD(faultKind));
        e.Byte(0);
        e.BindTo(e.Jcc(kCcNE), m_faultExit);
    }

    /// RFC 9669 §4.3.2 local call: new 512-byte frame, r6..r9 preserved, depth limited.
    void EmitLocalCall(uint32_t pc, uint32_t target)
    {
        e.AluRM(0x8b, false, RCX, kState, STATE_FIELD(depth));
        e.AluRM(0x3b, false, RCX, kState, STATE_FIELD(maxDepth));
        m_stubs.push_back({e.Jcc(kCcAE), kExecCallDepth, pc, 0});
        e.AluRI(0, false, RCX, 1);
        e.AluMR(0x89, false, kState, STATE_FIELD(depth), RCX);
        for (Reg r : {RBX, R12, R13, R14})
        {
            e.Push(r);
        }
        e.AluRI(5, true, RSP, 8); // keep rsp 16-byte aligned at helper calls
        e.AluRI(5, true, RBP, static_cast<int32_t>(kStackFrameSize));
        e.Byte(0xe8);
        e.U32(0);
        m_jumps.push_back({e.Size() - 4, target});
        e.AluRI(0, true, RBP, static_cast<int32_t>(kStackFrameSize));
        e.AluRI(0, true, RSP, 8);
        for (Reg r : {R14, R13, R12, RBX})
        {
            e.Pop(r);
        }
        // dec dword [state + depth]
        e.Rex(false, 0, 0, kState);
        e.Byte(0xff);
        e.ModMem(1, kState, STATE_FIELD(depth));
    }

    void EmitMemory(uint32_t pc, const Instruction& insn)
    {
        const uint8_t cls = Class(insn.opcode);
        const unsigned bytes = SizeBytes(insn.opcode);
        const bool write = cls != kClassLdx;
        const unsigned baseReg = cls == kClassLdx ? insn.Src() : insn.Dst();
        unsigned hostBase;
        int32_t disp;
        if (baseReg == kFramePointer)
        {
            // Verified to lie inside the current frame.
            hostBase = RBP;
            disp = insn.offset;
        }
        else
        {
            // r11 = address; rcx = region; one compare against the per-size limit.
            e.Lea(kAddr, kMap[baseReg], insn.offset);
            e.MovRR(true, RCX, kAddr);
            e.ShiftImm(5, true, RCX, 32);
            e.AluRI(7, true, RCX, region::kCount - 1);
            m_stubs.push_back({e.Jcc(kCcA), kExecMemory, pc, 0});
            const int32_t limits = write ? STATE_FIELD(writeLimit) : STATE_FIELD(readLimit);
            e.AluRM(0x3b,
                    true,
                    kAddr,
                    kState,
                    limits + static_cast<int32_t>(SizeClass(bytes) * region::kCount * 8),
                    RCX,
                    3);
            m_stubs.push_back({e.Jcc(kCcAE), kExecMemory, pc, 0});
            e.AluRM(0x03, true, kAddr, kState, STATE_FIELD(delta), RCX, 3);
            hostBase = kAddr;
            disp = 0;
        }
        const uint8_t mode = insn.opcode & kModeMask;
        const unsigned d = kMap[insn.Dst()];
        if (cls == kClassLdx)
        {
            const bool sx = mode == kModeMemSx;
            if (bytes == 8)
            {
                e.AluRM(0x8b, true, d, hostBase, disp);
            }
            else if (bytes == 4)
            {
                if (sx)
                {
                    e.AluRM(0x63, true, d, hostBase, disp); // movsxd
                }
                else
                {
                    e.AluRM(0x8b, false, d, hostBase, disp);
                }
            }
            else
            {
                e.Rex(sx, d, 0, hostBase);
                e.Byte(0x0f);
                e.Byte(static_cast<uint8_t>((sx ? 0xbe : 0xb6) + (bytes == 2 ? 1 : 0)));
                e.ModMem(d, hostBase, disp);
            }
            return;
        }
        if (cls == kClassSt)
        {
            if (bytes == 2)
            {
                e.Byte(0x66);
            }
            e.Rex(bytes == 8, 0, 0, hostBase);
            e.Byte(bytes == 1 ? 0xc6 : 0xc7);
            e.ModMem(0, hostBase, disp);
            if (bytes == 1)
            {
                e.Byte(static_cast<uint8_t>(insn.imm));
            }
            else if (bytes == 2)
            {
                e.U16(static_cast<uint16_t>(insn.imm));
            }
            else
            {
                e.U32(static_cast<uint32_t>(insn.imm));
            }
            return;
        }
        const bool w = bytes == 8;
        if (mode == kModeMem)
        {
            const unsigned s = Value(insn.Src(), RCX);
            if (bytes == 2)
            {
                e.Byte(0x66);
            }
            e.Rex(w, s, 0, hostBase, bytes == 1 ? static_cast<int>(s) : -1);
            e.Byte(bytes == 1 ? 0x88 : 0x89);
            e.ModMem(s, hostBase, disp);
            return;
        }
        // RFC 9669 §5.3 atomics (single-threaded VM: only CMPXCHG needs x86's own).
        const int32_t opImm = insn.imm;
        if (opImm == kAtomicCmpxchg)
        {
            const unsigned s = Value(insn.Src(), RCX);
            e.Byte(0xf0); // lock cmpxchg [mem], s
            e.Rex(w, s, 0, hostBase);
            e.Byte(0x0f);
            e.Byte(0xb1);
            e.ModMem(s, hostBase, disp);
            if (!w)
            {
                e.MovRR(false, RAX, RAX); // r0 = zero-extended old value
            }
            return;
        }
        const unsigned s = kMap[insn.Src()];
        if (opImm == kAtomicXchg)
        {
            e.AluMR(0x87, w, hostBase, disp, s);
            return;
        }
        uint8_t opcode = 0x01;
        switch (opImm & ~kAtomicFetch)
        {
        case kAtomicOr:
            opcode = 0x09;
            break;
        case kAtomicAnd:
            opcode = 0x21;
            break;
        case kAtomicXor:
            opcode = 0x31;
            break;
        default:
            break;
        }
        const bool fetch = (opImm & kAtomicFetch) != 0;
        if (insn.Src() == kFramePointer)
        {
            // Non-fetching only (the verifier refuses writes to r10).
            Value(insn.Src(), RCX);
            e.AluMR(opcode, w, hostBase, disp, RCX);
            return;
        }
        if (fetch)
        {
            e.AluRM(0x8b, w, RCX, hostBase, disp);
        }
        e.AluMR(opcode, w, hostBase, disp, s);
        if (fetch)
        {
            e.MovRR(w, s, RCX);
        }
    }

    const std::vector<Instruction>& m_code;
    const VerifierReport& m_report;
    const HelperTable& m_helpers;
    Emitter e;
    std::vector<JumpFixup> m_jumps;
    std::vector<Stub> m_stubs;
    size_t m_faultExit = 0;
};

} // namespace

bool
JitCode::Supported()
{
    return true;
}

std::unique_ptr<JitCode>
JitCode::Compile(const std::vector<Instruction>& code,
                 const VerifierReport& report,
                 const HelperTable& helpers,
                 std::string* error)
{
    if (!report.ok || report.blockCost.size() != code.size())
    {
        if (error)
        {
            *error = "JIT: program is not verified";
        }
        return nullptr;
    }
    auto jit = std::make_unique<JitCode>(Key{});
    std::vector<uint8_t> machine = Compiler(code, report, helpers).Compile(jit->m_offsets);
    const long page = sysconf(_SC_PAGESIZE);
    const size_t pageSize = page > 0 ? static_cast<size_t>(page) : 4096;
    const size_t mapped = (machine.size() + pageSize - 1) / pageSize * pageSize;
    // W^X: written while read+write, then switched to read+execute.
    void* memory =
        mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED)
    {
        if (error)
        {
            *error = "JIT: mmap failed";
        }
        return nullptr;
    }
    std::memcpy(memory, machine.data(), machine.size());
    if (mprotect(memory, mapped, PROT_READ | PROT_EXEC) != 0)
    {
        munmap(memory, mapped);
        if (error)
        {
            *error = "JIT: mprotect to read+execute failed";
        }
        return nullptr;
    }
    jit->m_memory = static_cast<uint8_t*>(memory);
    jit->m_mapped = mapped;
    jit->m_size = machine.size();
    return jit;
}

JitCode::~JitCode()
{
    if (m_memory)
    {
        munmap(m_memory, m_mapped);
    }
}

uint64_t
JitCode::Run(ExecState& state, uint32_t entryPc) const
{
    using Entry = uint64_t (*)(ExecState*, const void*);
    Entry entry = reinterpret_cast<Entry>(m_memory);
    return entry(&state, m_memory + m_offsets[entryPc]);
}

#else // no JIT for this machine

bool
JitCode::Supported()
{
    return false;
}

std::unique_ptr<JitCode>
JitCode::Compile(const std::vector<Instruction>&,
                 const VerifierReport&,
                 const HelperTable&,
                 std::string* error)
{
    if (error)
    {
        *error = "JIT: not available on this machine (x86-64 only)";
    }
    return nullptr;
}

JitCode::~JitCode() = default;

uint64_t
JitCode::Run(ExecState& state, uint32_t) const
{
    state.faultKind = kExecHelper;
    return 0;
}

#endif

} // namespace detail
} // namespace ebpf
