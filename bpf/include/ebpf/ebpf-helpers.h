/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#pragma once

#include "ebpf/ebpf-memory.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

/**
 * \file
 * Host functions a program may call (RFC 9669 §4.3.1 "helper functions").
 */

namespace ebpf
{

class Vm;

/**
 * What a helper receives besides its five arguments: the means to check the
 * pointers and lengths the program passed before touching them, and to abort
 * the program with a helper fault.
 */
class HelperContext
{
  public:
    explicit HelperContext(Vm& vm);

    /**
     * Host address of [address, address + length) if it lies entirely inside
     * one region of the program with the requested access, nullptr otherwise.
     * A zero length is valid anywhere in a region (and at its end).
     */
    void* Translate(uint64_t address, uint64_t length, bool write) const;

    /// Copies a NUL-terminated string of at most \p maxLength bytes; false if unreadable or
    /// unterminated.
    bool ReadString(uint64_t address, uint64_t maxLength, std::string& out) const;

    /**
     * Aborts the program once the helper returns: the run ends with a
     * FaultKind::HelperError carrying \p reason.
     */
    void Fail(std::string reason);

    /// Lends host memory to the program until the current run ends; 0 if no slot is free.
    uint64_t Lend(void* host, uint64_t size, Access access);

    /// Charges extra fuel for work done on the program's behalf; fails the helper if exhausted.
    bool ChargeFuel(uint64_t amount);

    /// The instance running the program.
    Vm& GetVm() const;

    /// The host's context pointer (Vm::SetUserData).
    void* UserData() const;

    /// Program counter of the call instruction.
    uint32_t Pc() const;

    bool Failed() const;
    const std::string& FailureReason() const;

  private:
    friend class Vm;
    Vm* m_vm;
    uint32_t m_pc = 0;
    bool m_failed = false;
    std::string m_reason;
};

/// A helper: five argument registers r1..r5 in, r0 out.
using HelperFunction =
    std::function<uint64_t(HelperContext& ctx, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t)>;

/// One registered helper.
struct Helper
{
    uint32_t id = 0;
    std::string name;
    HelperFunction function;
};

/**
 * Helpers by id (what `call imm` names) and by name (what the ELF loader
 * resolves relocations against). Append-only: once a program was loaded
 * against a table, its helpers keep their slots.
 */
class HelperTable
{
  public:
    /// Registers a helper; false (and nothing registered) if the id or the name is taken.
    bool Register(uint32_t id, std::string name, HelperFunction function);

    const Helper* FindById(uint32_t id) const;
    const Helper* FindByName(std::string_view name) const;

    /// Dense slot of a helper id, or -1.
    int64_t SlotOf(uint32_t id) const;

    const Helper& AtSlot(size_t slot) const
    {
        return m_helpers[slot];
    }

    size_t Size() const
    {
        return m_helpers.size();
    }

  private:
    std::vector<Helper> m_helpers;
    std::unordered_map<uint32_t, size_t> m_byId;
    std::unordered_map<std::string, size_t> m_byName;
};

} // namespace ebpf
