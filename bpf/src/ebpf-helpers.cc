/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ebpf/ebpf-helpers.h"

#include "ebpf/ebpf-vm.h"

#include <cstring>

namespace ebpf
{

bool
HelperTable::Register(uint32_t id, std::string name, HelperFunction function)
{
    if (m_byId.count(id) != 0 || m_byName.count(name) != 0 || !function)
    {
        return false;
    }
    m_byId.emplace(id, m_helpers.size());
    m_byName.emplace(name, m_helpers.size());
    m_helpers.push_back(Helper{id, std::move(name), std::move(function)});
    return true;
}

const Helper*
HelperTable::FindById(uint32_t id) const
{
    auto it = m_byId.find(id);
    return it == m_byId.end() ? nullptr : &m_helpers[it->second];
}

const Helper*
HelperTable::FindByName(std::string_view name) const
{
    auto it = m_byName.find(std::string(name));
    return it == m_byName.end() ? nullptr : &m_helpers[it->second];
}

int64_t
HelperTable::SlotOf(uint32_t id) const
{
    auto it = m_byId.find(id);
    return it == m_byId.end() ? -1 : static_cast<int64_t>(it->second);
}

HelperContext::HelperContext(Vm& vm)
    : m_vm(&vm)
{
}

void*
HelperContext::Translate(uint64_t address, uint64_t length, bool write) const
{
    return m_vm->Translate(address, length, write);
}

bool
HelperContext::ReadString(uint64_t address, uint64_t maxLength, std::string& out) const
{
    out.clear();
    for (uint64_t i = 0; i < maxLength; ++i)
    {
        const char* c = static_cast<const char*>(m_vm->Translate(address + i, 1, false));
        if (c == nullptr)
        {
            return false;
        }
        if (*c == '\0')
        {
            return true;
        }
        out.push_back(*c);
    }
    return false;
}

void
HelperContext::Fail(std::string reason)
{
    if (!m_failed)
    {
        m_failed = true;
        m_reason = std::move(reason);
    }
}

uint64_t
HelperContext::Lend(void* host, uint64_t size, Access access)
{
    return m_vm->Lend(host, size, access);
}

Vm&
HelperContext::GetVm() const
{
    return *m_vm;
}

void*
HelperContext::UserData() const
{
    return m_vm->GetUserData();
}

uint32_t
HelperContext::Pc() const
{
    return m_pc;
}

bool
HelperContext::Failed() const
{
    return m_failed;
}

const std::string&
HelperContext::FailureReason() const
{
    return m_reason;
}

} // namespace ebpf
