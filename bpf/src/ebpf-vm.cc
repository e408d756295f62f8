/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ebpf/ebpf-vm.h"

#include "ebpf-exec-state.h"
#include "ebpf-interpreter.h"
#include "ebpf-jit-x86-64.h"
#include "ebpf/ebpf-disassembler.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <exception>

namespace ebpf
{

const char*
region::Name(uint32_t index)
{
    switch (index)
    {
    case kNull:
        return "null";
    case kStack:
        return "stack";
    case kReadOnlyData:
        return "rodata";
    case kData:
        return "data";
    case kHeap:
        return "heap";
    default:
        return index < kCount ? "lent" : "none";
    }
}

const char*
ToString(FaultKind kind)
{
    switch (kind)
    {
    case FaultKind::None:
        return "none";
    case FaultKind::OutOfBoundsRead:
        return "out-of-bounds read";
    case FaultKind::OutOfBoundsWrite:
        return "out-of-bounds write";
    case FaultKind::BudgetExhausted:
        return "instruction budget exhausted";
    case FaultKind::CallDepthExceeded:
        return "call depth exceeded";
    case FaultKind::HelperError:
        return "helper error";
    case FaultKind::NoSuchFunction:
        return "no such function";
    case FaultKind::Reentrant:
        return "re-entrant run";
    }
    return "unknown";
}

namespace
{
std::string
Hex(uint64_t value)
{
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "0x%llx", static_cast<unsigned long long>(value));
    return buffer;
}
} // namespace

Vm::Vm(std::shared_ptr<const Program> program, VmOptions options)
    : m_program(std::move(program)),
      m_options(options),
      m_state(std::make_unique<detail::ExecState>()),
      m_helperContext(*this)
{
    if (m_options.maxCallDepth == 0)
    {
        m_options.maxCallDepth = 1;
    }
    if (m_options.heapSize > region::kMaxSize)
    {
        m_options.heapSize = region::kMaxSize;
    }
    std::memset(m_state.get(), 0, sizeof(detail::ExecState));
    m_state->vm = this;
    m_state->maxDepth = m_options.maxCallDepth;
    m_stack.assign(static_cast<size_t>(kStackFrameSize) * m_options.maxCallDepth, 0);
    m_heap.assign(m_options.heapSize, 0);
    m_data = m_program->InitialData();
    m_frames.assign(5 * static_cast<size_t>(m_options.maxCallDepth), 0);
    for (uint32_t i = 0; i < region::kCount; ++i)
    {
        ClearRegion(i);
    }
    SetRegion(region::kStack, m_stack.data(), m_stack.size(), Access::ReadWrite);
    // Read-only data is shared with the Program: writes are refused by the bounds check.
    SetRegion(region::kReadOnlyData,
              const_cast<uint8_t*>(m_program->ReadOnlyData().data()),
              m_program->ReadOnlyData().size(),
              Access::ReadOnly);
    SetRegion(region::kData, m_data.data(), m_data.size(), Access::ReadWrite);
    SetRegion(region::kHeap, m_heap.data(), m_heap.size(), Access::ReadWrite);
    SetEngine(m_options.engine);
}

Vm::~Vm() = default;

bool
Vm::JitSupported()
{
    return detail::JitCode::Supported();
}

void
Vm::SetEngine(Engine engine)
{
    m_engine = Engine::Interpreter;
    if (engine == Engine::Jit)
    {
        if (!JitSupported())
        {
            m_jitError = "no JIT for this machine";
            return;
        }
        if (m_program->JitCode(&m_jitError) != nullptr)
        {
            m_engine = Engine::Jit;
        }
    }
}

Engine
Vm::GetEngine() const
{
    return m_engine;
}

void
Vm::SetRegion(uint32_t index, uint8_t* host, uint64_t size, Access access)
{
    RegionInfo& r = m_regions[index];
    r.host = host;
    r.size = size;
    r.access = access;
    r.used = true;
    const uint64_t base = region::Base(index);
    for (unsigned s = 0; s < 4; ++s)
    {
        const uint64_t bytes = uint64_t{1} << s;
        const uint64_t limit = base + (size >= bytes ? size - bytes + 1 : 0);
        m_state->readLimit[s][index] = limit;
        m_state->writeLimit[s][index] = access == Access::ReadWrite ? limit : base;
    }
    m_state->delta[index] = reinterpret_cast<uintptr_t>(host) - base;
}

void
Vm::ClearRegion(uint32_t index)
{
    m_regions[index] = RegionInfo{};
    const uint64_t base = region::Base(index);
    for (unsigned s = 0; s < 4; ++s)
    {
        m_state->readLimit[s][index] = base;
        m_state->writeLimit[s][index] = base;
    }
    m_state->delta[index] = 0;
}

uint64_t
Vm::Lend(void* host, uint64_t size, Access access)
{
    if (size > region::kMaxSize || (host == nullptr && size != 0))
    {
        return 0;
    }
    for (uint32_t i = region::kFirstLent; i < region::kCount; ++i)
    {
        if (!m_regions[i].used)
        {
            SetRegion(i, static_cast<uint8_t*>(host), size, access);
            return region::Base(i);
        }
    }
    return 0;
}

void
Vm::ClearLent()
{
    for (uint32_t i = region::kFirstLent; i < region::kCount; ++i)
    {
        if (m_regions[i].used)
        {
            ClearRegion(i);
        }
    }
}

void
Vm::ResetGlobals()
{
    std::copy(m_program->InitialData().begin(), m_program->InitialData().end(), m_data.begin());
}

void*
Vm::Translate(uint64_t address, uint64_t length, bool write) const
{
    const uint64_t index = address >> 32;
    if (index >= region::kCount)
    {
        return nullptr;
    }
    const RegionInfo& r = m_regions[index];
    const uint64_t offset = address & 0xffffffffULL;
    if (!r.used || (write && r.access != Access::ReadWrite) || length > r.size ||
        offset > r.size - length)
    {
        return nullptr;
    }
    return r.host + offset;
}

uint64_t
Vm::CallHelper(size_t slot, uint32_t pc, const uint64_t* args)
{
    const HelperTable& helpers = m_program->Helpers();
    HelperContext& ctx = m_helperContext;
    ctx.m_pc = pc;
    ctx.m_failed = false;
    ctx.m_reason.clear();
    uint64_t result = 0;
    if (slot >= helpers.Size())
    {
        ctx.Fail("no helper in slot " + std::to_string(slot));
    }
    else
    {
        try
        {
            result =
                helpers.AtSlot(slot).function(ctx, args[0], args[1], args[2], args[3], args[4]);
        }
        catch (const std::exception& e)
        {
            ctx.Fail(std::string("threw: ") + e.what());
        }
        catch (...)
        {
            ctx.Fail("threw an exception");
        }
    }
    if (ctx.m_failed)
    {
        m_state->faultKind = detail::kExecHelper;
        m_state->faultPc = pc;
        return 0;
    }
    return result;
}

bool
HelperContext::ChargeFuel(uint64_t amount)
{
    detail::ExecState& st = *m_vm->m_state;
    if (st.fuel < amount)
    {
        st.fuel = 0;
        Fail("instruction budget exhausted by helper work");
        return false;
    }
    st.fuel -= amount;
    return true;
}

RunResult
Vm::Run(std::string_view function, const std::array<uint64_t, 5>& args, uint64_t fuel)
{
    const Function* f = m_program->FindFunction(function);
    if (f == nullptr)
    {
        RunResult result;
        result.fault.kind = FaultKind::NoSuchFunction;
        result.fault.message = "no function or section named '" + std::string(function) + "'";
        ClearLent();
        return result;
    }
    return Run(*f, args, fuel);
}

RunResult
Vm::Run(const Function& function, const std::array<uint64_t, 5>& args, uint64_t fuel)
{
    if (m_running)
    {
        // A helper may not run its own instance again: the stack, the lent regions and the
        // engine state belong to the run in progress.
        RunResult result;
        result.fault.kind = FaultKind::Reentrant;
        result.fault.message = "Vm::Run called while this instance is already running";
        return result;
    }
    const auto& starts = m_program->Report().functionStarts;
    if (!std::binary_search(starts.begin(), starts.end(), function.start))
    {
        // Only verified function entries are valid: execution must begin at a block leader.
        RunResult result;
        result.fault.kind = FaultKind::NoSuchFunction;
        result.fault.message =
            "pc " + std::to_string(function.start) + " is not a function entry of this program";
        ClearLent();
        return result;
    }
    m_running = true;
    detail::ExecState& st = *m_state;
    st.fuel = fuel;
    st.faultKind = detail::kExecOk;
    st.faultPc = 0;
    st.faultAddress = 0;
    st.depth = 1;
    st.maxDepth = m_options.maxCallDepth;
    // A fresh, zeroed stack every run: results never depend on a previous call.
    std::fill(m_stack.begin(), m_stack.end(), 0);
    st.stackTop = reinterpret_cast<uintptr_t>(m_stack.data() + m_stack.size());
    for (unsigned i = 0; i < 5; ++i)
    {
        st.args[i] = args[i];
    }

    uint64_t value = 0;
    if (m_engine == Engine::Jit)
    {
        value = m_program->JitCode()->Run(st, function.start);
    }
    else
    {
        uint64_t regs[11] = {};
        for (unsigned i = 0; i < 5; ++i)
        {
            regs[i + 1] = args[i];
        }
        regs[10] = region::Base(region::kStack) + m_stack.size();
        value = detail::Interpret(m_program->InterpreterCode(),
                                  st,
                                  function.start,
                                  regs,
                                  m_frames.data());
    }

    RunResult result;
    result.fuelUsed = fuel - st.fuel;
    if (st.faultKind == detail::kExecOk)
    {
        result.ok = true;
        result.value = value;
    }
    else
    {
        Describe(result.fault, st.faultPc);
        result.fault.message += " (" + std::to_string(result.fuelUsed) + " instructions used)";
    }
    ClearLent();
    m_running = false;
    return result;
}

void
Vm::Describe(Fault& fault, uint32_t pc) const
{
    const detail::ExecState& st = *m_state;
    const auto& code = m_program->Code();
    fault.pc = pc;
    std::string where = " at pc " + std::to_string(pc);
    if (const Function* f = m_program->FunctionAt(pc))
    {
        where += " in '" + f->name + "'";
    }
    if (pc < code.size())
    {
        where += ": " + Disassemble(code[pc], pc + 1 < code.size() ? &code[pc + 1] : nullptr);
    }
    switch (st.faultKind)
    {
    case detail::kExecMemory: {
        const Instruction& insn = code[pc];
        const bool write = op::Class(insn.opcode) != op::kClassLdx;
        const uint64_t size = op::SizeBytes(insn.opcode);
        const uint64_t address = st.faultAddress;
        fault.kind = write ? FaultKind::OutOfBoundsWrite : FaultKind::OutOfBoundsRead;
        fault.address = address;
        const uint64_t index = address >> 32;
        const uint64_t offset = address & 0xffffffffULL;
        std::string why;
        if (index >= region::kCount || !m_regions[index].used)
        {
            why = index == region::kNull ? "null or low address: no region there"
                                         : "address in no region";
        }
        else if (write && m_regions[index].access != Access::ReadWrite)
        {
            why = std::string("region '") + region::Name(index) + "' is read-only";
        }
        else
        {
            why = "offset " + std::to_string(offset) + " + " + std::to_string(size) +
                  " bytes exceeds region '" + region::Name(index) + "' of " +
                  std::to_string(m_regions[index].size) + " bytes";
        }
        fault.message = std::string(write ? "out-of-bounds write" : "out-of-bounds read") + " of " +
                        std::to_string(size) + " bytes at " + Hex(address) + " (" + why + ")" +
                        where;
        break;
    }
    case detail::kExecBudget:
        fault.kind = FaultKind::BudgetExhausted;
        fault.message = "instruction budget exhausted" + where;
        break;
    case detail::kExecCallDepth:
        fault.kind = FaultKind::CallDepthExceeded;
        fault.message = "call depth limit of " + std::to_string(m_options.maxCallDepth) +
                        " frames exceeded" + where;
        break;
    case detail::kExecHelper: {
        fault.kind = FaultKind::HelperError;
        std::string name = "?";
        if (pc < code.size())
        {
            if (const Helper* h = m_program->Helpers().FindById(code[pc].imm))
            {
                name = h->name;
            }
        }
        fault.message = "helper '" + name + "' failed: " + m_helperContext.FailureReason() + where;
        break;
    }
    default:
        fault.kind = FaultKind::HelperError;
        fault.message = "internal error" + where;
        break;
    }
}

} // namespace ebpf
