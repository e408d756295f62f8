/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The per-connection table of protocol operations and their anchors.
 */

#ifndef QUIC_PROTOOP_TABLE_H
#define QUIC_PROTOOP_TABLE_H

#include "quic-protoop.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup quic
 * Where a hook attaches to a protocol operation (PQUIC's anchors).
 */
enum class QuicProtoopAnchor : uint8_t
{
    PRE,      //!< runs before the operation; observes a copy of its inputs
    REPLACE,  //!< runs instead of the native implementation (at most one per operation)
    POST,     //!< runs after the operation; observes a copy of its inputs and outputs
    EXTERNAL, //!< callable by the application only, never by the core
};

/// \return the manifest spelling of an anchor ("pre", "replace", "post", "external").
const char* QuicProtoopAnchorName(QuicProtoopAnchor anchor);

/**
 * \ingroup quic
 * Code attached to a protocol operation: a C++ function in tests, an eBPF pluglet in plugins.
 */
class QuicProtoopHook
{
  public:
    virtual ~QuicProtoopHook() = default;

    /**
     * Runs the hook.
     * \param conn the connection
     * \param args the call's arguments; for pre and post hooks a copy, so they cannot
     *        change what the operation computes
     * \return the hook's return value (the operation's, for a replace hook)
     */
    virtual uint64_t Run(QuicSocketBase& conn, QuicProtoopArgs& args) = 0;

    /// \return the name of what attached it (a plugin's name), used to detach it
    virtual const std::string& GetOwner() const = 0;
};

/**
 * \ingroup quic
 * A hook running a C++ function.
 */
class QuicProtoopFunctionHook : public QuicProtoopHook
{
  public:
    /// The function type.
    using Function = std::function<uint64_t(QuicSocketBase&, QuicProtoopArgs&)>;

    /**
     * \param owner name used to detach it
     * \param fn the function
     */
    QuicProtoopFunctionHook(std::string owner, Function fn);
    uint64_t Run(QuicSocketBase& conn, QuicProtoopArgs& args) override;
    const std::string& GetOwner() const override;

  private:
    std::string m_owner; //!< owner name
    Function m_fn;       //!< the function
};

/**
 * \ingroup quic
 * The protocol operations of one connection: for each (operation, parameter), a native
 * implementation and the hooks attached to its anchors.
 *
 * Call order is pre → replace-or-native → post. An operation without hooks calls its
 * native function directly (one indexed load and one indirect call), so a connection
 * without plugins pays nothing measurable for the indirection.
 */
class QuicProtoopTable
{
  public:
    QuicProtoopTable();

    /**
     * Sets the native implementation of an operation, for one parameter or (with
     * kQuicNoParam) for the operation itself and every parameter without its own.
     * \param id the operation
     * \param param the parameter, or kQuicNoParam
     * \param fn the implementation
     */
    void SetNative(QuicProtoopId id, QuicProtoopParam param, QuicProtoopNativeFn fn);

    /**
     * Attaches a hook.
     * \param id the operation (created if the table has no such operation)
     * \param param the parameter, or kQuicNoParam
     * \param anchor where
     * \param hook the hook
     * \param [out] error why it was refused
     * \return false (and nothing changed) if a replace hook is already attached there
     */
    bool Attach(QuicProtoopId id,
                QuicProtoopParam param,
                QuicProtoopAnchor anchor,
                std::shared_ptr<QuicProtoopHook> hook,
                std::string& error);

    /**
     * Detaches every hook of an owner, everywhere.
     * \param owner the owner's name
     * \return how many hooks were detached
     */
    std::size_t DetachOwner(const std::string& owner);

    /**
     * \param id an operation
     * \param param a parameter or kQuicNoParam
     * \return true if it has a native implementation or a replace or external hook
     */
    bool IsCallable(QuicProtoopId id, QuicProtoopParam param) const;

    /**
     * \param id an operation
     * \param param a parameter or kQuicNoParam
     * \return true if a hook of any kind is attached there
     */
    bool IsHooked(QuicProtoopId id, QuicProtoopParam param) const;

    /**
     * Runs an operation: pre hooks, then the replace hook or the native function, then post
     * hooks. Calling an operation that has neither is a programming error of the core.
     * \param conn the connection
     * \param id the operation
     * \param args arguments (args.param selects the parameter)
     * \return the operation's return value
     */
    uint64_t Call(QuicSocketBase& conn, QuicProtoopId id, QuicProtoopArgs& args)
    {
        const Slot* slot = Find(id, args.param);
        if (slot != nullptr && !slot->hooked && slot->native != nullptr)
        {
            return slot->native(conn, args); // the fast path: nothing attached
        }
        return CallSlow(conn, id, slot, args);
    }

    /**
     * Runs an external hook (an application's call into a plugin).
     * \param conn the connection
     * \param id the operation
     * \param args arguments
     * \param [out] found false if no external hook is attached there
     * \return the hook's return value
     */
    uint64_t CallExternal(QuicSocketBase& conn,
                          QuicProtoopId id,
                          QuicProtoopArgs& args,
                          bool& found);

    /**
     * \brief Whether this table and another share their storage (copies share it until
     * one of them changes).
     * \param other another table
     * \return true if shared
     */
    bool SharesStorageWith(const QuicProtoopTable& other) const
    {
        return m_entries == other.m_entries;
    }

  private:
    /// One (operation, parameter) entry.
    /// Hooks of one anchor, in order. Never changed once shared: attaching or detaching
    /// builds a new list, so a call holds the lists it runs with one reference each
    /// (hooks may detach mid-call when a plugin faults) instead of copying them.
    using HookList = std::vector<std::shared_ptr<QuicProtoopHook>>;

    struct Slot
    {
        QuicProtoopNativeFn native{nullptr};       //!< native implementation
        std::shared_ptr<const HookList> pre;       //!< pre hooks (null: none)
        std::shared_ptr<QuicProtoopHook> replace;  //!< replace hook
        std::shared_ptr<const HookList> post;      //!< post hooks (null: none)
        std::shared_ptr<QuicProtoopHook> external; //!< external hook
        bool hooked{false};                        //!< any hook attached
    };

    /// All slots of one operation.
    struct Entry
    {
        Slot base;                              //!< no parameter, or default for params
        std::vector<Slot> small;                //!< parameters below kSmallParams (frame types)
        std::map<QuicProtoopParam, Slot> large; //!< other parameters
        bool hasParamSlots{false};              //!< small or large is non-empty
    };

    static constexpr QuicProtoopParam kSmallParams = 64; //!< directly indexed parameters

    /**
     * \param id operation
     * \param param parameter
     * \return the slot used for a call (the parameter's own, else the base), or nullptr
     */
    const Slot* Find(QuicProtoopId id, QuicProtoopParam param) const
    {
        const std::vector<Entry>& entries = *m_entries;
        if (id >= entries.size())
        {
            return nullptr;
        }
        const Entry& e = entries[id];
        if (e.hasParamSlots && param != kQuicNoParam)
        {
            // Frame types (small parameters) are looked up inline; others in a map.
            if (param < e.small.size())
            {
                const Slot& own = e.small[param];
                return (own.native != nullptr || own.hooked) ? &own : &e.base;
            }
            const Slot* own = param < kSmallParams ? nullptr : FindParamSlot(e, param);
            if (own != nullptr)
            {
                return own;
            }
        }
        return &e.base;
    }

    /**
     * \param e entry
     * \param param parameter
     * \return the parameter's own slot if it has one
     */
    static const Slot* FindParamSlot(const Entry& e, QuicProtoopParam param);

    /**
     * \param id operation
     * \param param parameter
     * \return the slot for writing, created as needed
     */
    Slot& GetOrCreate(QuicProtoopId id, QuicProtoopParam param);

    /**
     * The path with hooks.
     * \param conn connection
     * \param id operation
     * \param slot the slot (may be nullptr)
     * \param args arguments
     * \return return value
     */
    uint64_t CallSlow(QuicSocketBase& conn,
                      QuicProtoopId id,
                      const Slot* slot,
                      QuicProtoopArgs& args);

    /**
     * \return the entries, copied first if another table shares them
     */
    std::vector<Entry>& Mutable();

    /// Indexed by operation id; shared by copies of this table (every connection starts
    /// from the same native table) until one of them changes (copy on write).
    std::shared_ptr<std::vector<Entry>> m_entries;
};

} // namespace ns3

#endif /* QUIC_PROTOOP_TABLE_H */
