/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#pragma once

#include <cstdint>

/**
 * \file
 * The eBPF instruction encoding of RFC 9669 ("BPF Instruction Set Architecture").
 */

namespace ebpf
{

/**
 * One 64-bit instruction slot (RFC 9669 §3). Only little-endian bytecode is
 * supported, so the low nibble of the register byte is dst and the high one src.
 * LDDW occupies two consecutive slots (RFC 9669 §3, "wide instruction encoding").
 */
struct Instruction
{
    uint8_t opcode = 0;
    uint8_t regs = 0;
    int16_t offset = 0;
    int32_t imm = 0;

    uint8_t Dst() const
    {
        return regs & 0x0f;
    }

    uint8_t Src() const
    {
        return regs >> 4;
    }

    static constexpr Instruction Make(uint8_t opcode,
                                      uint8_t dst,
                                      uint8_t src,
                                      int16_t offset,
                                      int32_t imm)
    {
        return Instruction{opcode,
                           static_cast<uint8_t>((dst & 0x0f) | ((src & 0x0f) << 4)),
                           offset,
                           imm};
    }
};

static_assert(sizeof(Instruction) == 8, "an eBPF instruction slot is 8 bytes");

/// Opcode fields (RFC 9669 §3.1 classes, §4 arithmetic and jumps, §5 loads and stores).
namespace op
{
// Instruction classes, RFC 9669 §3.1.
constexpr uint8_t kClassMask = 0x07;
constexpr uint8_t kClassLd = 0x00;
constexpr uint8_t kClassLdx = 0x01;
constexpr uint8_t kClassSt = 0x02;
constexpr uint8_t kClassStx = 0x03;
constexpr uint8_t kClassAlu = 0x04;
constexpr uint8_t kClassJmp = 0x05;
constexpr uint8_t kClassJmp32 = 0x06;
constexpr uint8_t kClassAlu64 = 0x07;

// Source bit of arithmetic and jump instructions, RFC 9669 §4.
constexpr uint8_t kSrcMask = 0x08;
constexpr uint8_t kSrcK = 0x00; ///< operand is the 32-bit immediate
constexpr uint8_t kSrcX = 0x08; ///< operand is the src register

// Arithmetic codes, RFC 9669 §4.1 (upper four bits).
constexpr uint8_t kCodeMask = 0xf0;
constexpr uint8_t kAdd = 0x00;
constexpr uint8_t kSub = 0x10;
constexpr uint8_t kMul = 0x20;
constexpr uint8_t kDiv = 0x30; ///< offset 1: SDIV
constexpr uint8_t kOr = 0x40;
constexpr uint8_t kAnd = 0x50;
constexpr uint8_t kLsh = 0x60;
constexpr uint8_t kRsh = 0x70;
constexpr uint8_t kNeg = 0x80;
constexpr uint8_t kMod = 0x90; ///< offset 1: SMOD
constexpr uint8_t kXor = 0xa0;
constexpr uint8_t kMov = 0xb0; ///< offset 8/16/32: MOVSX
constexpr uint8_t kArsh = 0xc0;
constexpr uint8_t kEnd = 0xd0; ///< byte swaps, RFC 9669 §4.2

// Jump codes, RFC 9669 §4.3.
constexpr uint8_t kJa = 0x00;
constexpr uint8_t kJeq = 0x10;
constexpr uint8_t kJgt = 0x20;
constexpr uint8_t kJge = 0x30;
constexpr uint8_t kJset = 0x40;
constexpr uint8_t kJne = 0x50;
constexpr uint8_t kJsgt = 0x60;
constexpr uint8_t kJsge = 0x70;
constexpr uint8_t kCall = 0x80;
constexpr uint8_t kExit = 0x90;
constexpr uint8_t kJlt = 0xa0;
constexpr uint8_t kJle = 0xb0;
constexpr uint8_t kJslt = 0xc0;
constexpr uint8_t kJsle = 0xd0;

// CALL src field, RFC 9669 §4.3.1.
constexpr uint8_t kCallHelper = 0; ///< helper by static id
constexpr uint8_t kCallLocal = 1;  ///< program-local function, pc-relative
constexpr uint8_t kCallBtf = 2;    ///< helper by BTF id: not supported

// Load and store fields, RFC 9669 §5.
constexpr uint8_t kSizeMask = 0x18;
constexpr uint8_t kSizeW = 0x00;
constexpr uint8_t kSizeH = 0x08;
constexpr uint8_t kSizeB = 0x10;
constexpr uint8_t kSizeDW = 0x18;
constexpr uint8_t kModeMask = 0xe0;
constexpr uint8_t kModeImm = 0x00;
constexpr uint8_t kModeAbs = 0x20;
constexpr uint8_t kModeInd = 0x40;
constexpr uint8_t kModeMem = 0x60;
constexpr uint8_t kModeMemSx = 0x80;
constexpr uint8_t kModeAtomic = 0xc0;

// Atomic operations in the imm field, RFC 9669 §5.3.
constexpr int32_t kAtomicFetch = 0x01;
constexpr int32_t kAtomicAdd = 0x00;
constexpr int32_t kAtomicOr = 0x40;
constexpr int32_t kAtomicAnd = 0x50;
constexpr int32_t kAtomicXor = 0xa0;
constexpr int32_t kAtomicXchg = 0xe0 | kAtomicFetch;
constexpr int32_t kAtomicCmpxchg = 0xf0 | kAtomicFetch;

// Frequently used full opcodes.
constexpr uint8_t kLddw = kClassLd | kModeImm | kSizeDW; // 0x18, RFC 9669 §5.4
constexpr uint8_t kCallOpcode = kClassJmp | kCall;       // 0x85
constexpr uint8_t kExitOpcode = kClassJmp | kExit;       // 0x95
constexpr uint8_t kJaOpcode = kClassJmp | kJa;           // 0x05
constexpr uint8_t kGotolOpcode = kClassJmp32 | kJa;      // 0x06, 32-bit offset in imm

/// Size in bytes of a load/store size field.
constexpr unsigned
SizeBytes(uint8_t opcode)
{
    switch (opcode & kSizeMask)
    {
    case kSizeB:
        return 1;
    case kSizeH:
        return 2;
    case kSizeW:
        return 4;
    default:
        return 8;
    }
}

constexpr uint8_t
Class(uint8_t opcode)
{
    return opcode & kClassMask;
}
} // namespace op

/// r10 is the read-only frame pointer (RFC 9669 §2.4 registers and calling convention).
constexpr unsigned kFramePointer = 10;
/// Bytes of stack in each call frame.
constexpr int64_t kStackFrameSize = 512;

} // namespace ebpf
