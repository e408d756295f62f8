/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#pragma once

#include "ebpf/ebpf-helpers.h"
#include "ebpf/ebpf-memory.h"
#include "ebpf/ebpf-program.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

/**
 * \file
 * One running instance of a program: its memory (stack, globals, heap, lent
 * buffers) and the engine that executes it.
 */

namespace ebpf
{

namespace detail
{
struct ExecState;
} // namespace detail

/// Why a run stopped early.
enum class FaultKind : uint32_t
{
    None = 0,
    OutOfBoundsRead,   ///< load outside every readable region
    OutOfBoundsWrite,  ///< store or atomic outside every writable region (incl. read-only data)
    BudgetExhausted,   ///< the per-call instruction budget (fuel) ran out
    CallDepthExceeded, ///< too many nested local calls (recursion)
    HelperError,       ///< a helper called HelperContext::Fail or threw
    NoSuchFunction,    ///< the requested entry point does not exist
    Reentrant,         ///< Run called on an instance that is already running (from a helper)
};

const char* ToString(FaultKind kind);

/// A fault: its kind, where it happened, the address involved and a readable message.
struct Fault
{
    FaultKind kind = FaultKind::None;
    uint32_t pc = 0;
    uint64_t address = 0; ///< virtual address of a memory fault
    std::string message;  ///< e.g. "out-of-bounds write of 4 bytes at 0x200000010 ..."
};

/// Outcome of Vm::Run.
struct RunResult
{
    bool ok = false;
    uint64_t value = 0;    ///< r0 at EXIT
    uint64_t fuelUsed = 0; ///< instructions charged (see VerifierReport::blockCost)
    Fault fault;
};

/// Execution engine.
enum class Engine : uint8_t
{
    Interpreter,
    Jit, ///< x86-64 machine code; falls back to the interpreter where unsupported
};

struct VmOptions
{
    uint64_t heapSize = 64 * 1024; ///< bytes of plugin heap (region::kHeap)
    uint32_t maxCallDepth = 8;     ///< frames, counting the entry function
    Engine engine = Engine::Jit;   ///< preferred engine
};

/// Default per-call instruction budget.
constexpr uint64_t kDefaultFuel = 1000000;

/**
 * An instance of a program. Not thread-safe (one simulation thread), cheap to
 * create next to other instances of the same Program (which shares code, JIT
 * output and read-only data).
 *
 * Run-time guarantees: every memory access outside the current stack frame is
 * checked against the regions; a fault, an exhausted budget or a failing helper
 * ends the run with a Fault and never harms the host. Interpreter and JIT
 * return the same value, the same fuel use and the same fault (kind, pc,
 * address) for every program.
 */
class Vm
{
  public:
    explicit Vm(std::shared_ptr<const Program> program, VmOptions options = {});
    ~Vm();
    Vm(const Vm&) = delete;
    Vm& operator=(const Vm&) = delete;

    const Program& GetProgram() const
    {
        return *m_program;
    }

    /// Whether this build and machine can JIT (x86-64 with mmap/mprotect).
    static bool JitSupported();

    /// Chooses the engine; Jit falls back to the interpreter if unsupported or if compiling
    /// fails (see JitError()).
    void SetEngine(Engine engine);
    /// The engine the next Run uses.
    Engine GetEngine() const;

    const std::string& JitError() const
    {
        return m_jitError;
    }

    /**
     * Lends host memory to the program for the next Run only (cleared when it returns).
     * Returns its virtual address, or 0 if all slots are taken or size exceeds 4 GiB - 1.
     */
    uint64_t Lend(void* host, uint64_t size, Access access);
    /// Forgets every lent buffer.
    void ClearLent();

    /// Runs a function by name (see Program::FindFunction) with r1..r5 = \p args.
    RunResult Run(std::string_view function,
                  const std::array<uint64_t, 5>& args = {},
                  uint64_t fuel = kDefaultFuel);
    /// Runs a function of the program.
    RunResult Run(const Function& function,
                  const std::array<uint64_t, 5>& args = {},
                  uint64_t fuel = kDefaultFuel);

    /// The heap (region::kHeap): host view, virtual address and size.
    uint8_t* Heap()
    {
        return m_heap.data();
    }

    uint64_t HeapAddress() const
    {
        return region::Base(region::kHeap);
    }

    uint64_t HeapSize() const
    {
        return m_heap.size();
    }

    /// Globals (.data/.bss) of this instance, and their virtual address.
    std::vector<uint8_t>& Globals()
    {
        return m_data;
    }

    uint64_t GlobalsAddress() const
    {
        return region::Base(region::kData);
    }

    /// Restores .data and .bss to their initial contents.
    void ResetGlobals();

    /// Host address of [address, address + length) within one region allowing the access.
    void* Translate(uint64_t address, uint64_t length, bool write) const;

    void SetUserData(void* userData)
    {
        m_userData = userData;
    }

    void* GetUserData() const
    {
        return m_userData;
    }

    /// Internal (engines): runs helper \p slot for the call at \p pc on args r1..r5.
    uint64_t CallHelper(size_t slot, uint32_t pc, const uint64_t* args);

  private:
    friend class HelperContext;

    struct RegionInfo
    {
        uint8_t* host = nullptr;
        uint64_t size = 0;
        Access access = Access::ReadOnly;
        bool used = false;
    };

    void SetRegion(uint32_t index, uint8_t* host, uint64_t size, Access access);
    void ClearRegion(uint32_t index);
    void Describe(Fault& fault, uint32_t pc) const;

    std::shared_ptr<const Program> m_program;
    VmOptions m_options;
    Engine m_engine = Engine::Interpreter;
    std::string m_jitError;
    std::vector<uint8_t> m_stack;
    std::vector<uint8_t> m_heap;
    std::vector<uint8_t> m_data;
    std::array<RegionInfo, region::kCount> m_regions{};
    std::unique_ptr<detail::ExecState> m_state;
    std::vector<uint64_t> m_frames; ///< interpreter call frames (return pc, r6..r9)
    HelperContext m_helperContext;
    void* m_userData = nullptr;
    bool m_running = false;
};

} // namespace ebpf
