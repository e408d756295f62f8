/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-protoop-table.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicProtoopTable");

const char*
QuicProtoopAnchorName(QuicProtoopAnchor anchor)
{
    switch (anchor)
    {
    case QuicProtoopAnchor::PRE:
        return "pre";
    case QuicProtoopAnchor::REPLACE:
        return "replace";
    case QuicProtoopAnchor::POST:
        return "post";
    case QuicProtoopAnchor::EXTERNAL:
        return "external";
    }
    return "?";
}

QuicProtoopFunctionHook::QuicProtoopFunctionHook(std::string owner, Function fn)
    : m_owner(std::move(owner)),
      m_fn(std::move(fn))
{
}

uint64_t
QuicProtoopFunctionHook::Run(QuicSocketBase& conn, QuicProtoopArgs& args)
{
    return m_fn(conn, args);
}

const std::string&
QuicProtoopFunctionHook::GetOwner() const
{
    return m_owner;
}

const QuicProtoopTable::Slot*
QuicProtoopTable::FindParamSlot(const Entry& e, QuicProtoopParam param)
{
    if (param < kSmallParams)
    {
        if (param < e.small.size())
        {
            const Slot& s = e.small[param];
            if (s.native != nullptr || s.hooked)
            {
                return &s;
            }
        }
        return nullptr;
    }
    auto it = e.large.find(param);
    return it == e.large.end() ? nullptr : &it->second;
}

QuicProtoopTable::QuicProtoopTable()
{
    // One empty table shared by all until they change: no allocation per connection.
    static const auto empty = std::make_shared<std::vector<Entry>>();
    m_entries = empty;
}

std::vector<QuicProtoopTable::Entry>&
QuicProtoopTable::Mutable()
{
    if (m_entries.use_count() > 1)
    {
        m_entries = std::make_shared<std::vector<Entry>>(*m_entries);
    }
    return *m_entries;
}

QuicProtoopTable::Slot&
QuicProtoopTable::GetOrCreate(QuicProtoopId id, QuicProtoopParam param)
{
    std::vector<Entry>& entries = Mutable();
    if (id >= entries.size())
    {
        entries.resize(id + 1);
    }
    Entry& e = entries[id];
    if (param == kQuicNoParam)
    {
        return e.base;
    }
    e.hasParamSlots = true;
    if (param < kSmallParams)
    {
        if (param >= e.small.size())
        {
            e.small.resize(param + 1);
        }
        return e.small[param];
    }
    return e.large[param];
}

void
QuicProtoopTable::SetNative(QuicProtoopId id, QuicProtoopParam param, QuicProtoopNativeFn fn)
{
    GetOrCreate(id, param).native = fn;
}

bool
QuicProtoopTable::Attach(QuicProtoopId id,
                         QuicProtoopParam param,
                         QuicProtoopAnchor anchor,
                         std::shared_ptr<QuicProtoopHook> hook,
                         std::string& error)
{
    NS_ABORT_MSG_IF(!hook, "QuicProtoopTable::Attach: null hook");
    Slot& s = GetOrCreate(id, param);
    switch (anchor)
    {
    case QuicProtoopAnchor::REPLACE:
    case QuicProtoopAnchor::EXTERNAL: {
        auto& target = anchor == QuicProtoopAnchor::REPLACE ? s.replace : s.external;
        if (target)
        {
            error = std::string("protocol operation ") + QuicProtoopRegistry::GetName(id) +
                    (param == kQuicNoParam ? "" : "[" + std::to_string(param) + "]") +
                    " already has a " + QuicProtoopAnchorName(anchor) + " pluglet from " +
                    target->GetOwner();
            return false;
        }
        target = std::move(hook);
        break;
    }
    case QuicProtoopAnchor::PRE:
    case QuicProtoopAnchor::POST: {
        auto& list = anchor == QuicProtoopAnchor::PRE ? s.pre : s.post;
        auto fresh = list ? std::make_shared<HookList>(*list) : std::make_shared<HookList>();
        fresh->push_back(std::move(hook));
        list = std::move(fresh);
        break;
    }
    }
    s.hooked = true;
    return true;
}

std::size_t
QuicProtoopTable::DetachOwner(const std::string& owner)
{
    std::size_t removed = 0;
    auto detach = [&owner, &removed](Slot& s) {
        auto owned = [&owner](const std::shared_ptr<QuicProtoopHook>& h) {
            return h && h->GetOwner() == owner;
        };
        for (auto* list : {&s.pre, &s.post})
        {
            if (!*list || std::none_of((*list)->begin(), (*list)->end(), owned))
            {
                continue;
            }
            auto fresh = std::make_shared<HookList>();
            for (const auto& h : **list)
            {
                if (owned(h))
                {
                    ++removed;
                }
                else
                {
                    fresh->push_back(h);
                }
            }
            *list = fresh->empty() ? nullptr : std::move(fresh);
        }
        for (auto* single : {&s.replace, &s.external})
        {
            if (owned(*single))
            {
                single->reset();
                ++removed;
            }
        }
        s.hooked = s.pre || s.post || s.replace || s.external;
    };
    for (Entry& e : Mutable())
    {
        detach(e.base);
        for (Slot& s : e.small)
        {
            detach(s);
        }
        for (auto& kv : e.large)
        {
            detach(kv.second);
        }
    }
    return removed;
}

bool
QuicProtoopTable::IsCallable(QuicProtoopId id, QuicProtoopParam param) const
{
    const Slot* s = Find(id, param);
    bool baseNative = id < m_entries->size() && (*m_entries)[id].base.native != nullptr;
    return s != nullptr && (s->native != nullptr || baseNative || s->replace || s->external);
}

bool
QuicProtoopTable::IsHooked(QuicProtoopId id, QuicProtoopParam param) const
{
    const Slot* s = Find(id, param);
    return s != nullptr && s->hooked;
}

uint64_t
QuicProtoopTable::CallSlow(QuicSocketBase& conn,
                           QuicProtoopId id,
                           const Slot* slot,
                           QuicProtoopArgs& args)
{
    // A parameter's own slot may carry only hooks: its native implementation is then the
    // operation's base one (e.g. process_frame for every frame type).
    QuicProtoopNativeFn native = slot != nullptr ? slot->native : nullptr;
    if (native == nullptr && id < m_entries->size())
    {
        native = (*m_entries)[id].base.native;
    }
    NS_ABORT_MSG_IF(slot == nullptr || (native == nullptr && !slot->replace),
                    "QuicProtoopTable: protocol operation '"
                        << QuicProtoopRegistry::GetName(id) << "' (id " << id << ", param "
                        << args.param << ") has no implementation");
    // Hooks may detach themselves (a faulty plugin is unloaded mid-call): hold the lists
    // and the replace hook as they are now (a reference each; the lists are immutable).
    std::shared_ptr<const HookList> pre = slot->pre;
    std::shared_ptr<QuicProtoopHook> replace = slot->replace;
    std::shared_ptr<const HookList> post = slot->post;
    if (pre)
    {
        for (const auto& h : *pre)
        {
            QuicProtoopArgs copy = args; // observers cannot change the call
            h->Run(conn, copy);
        }
    }
    uint64_t ret = replace ? replace->Run(conn, args) : native(conn, args);
    if (post)
    {
        for (const auto& h : *post)
        {
            QuicProtoopArgs copy = args;
            copy.returned = ret;
            h->Run(conn, copy);
        }
    }
    return ret;
}

uint64_t
QuicProtoopTable::CallExternal(QuicSocketBase& conn,
                               QuicProtoopId id,
                               QuicProtoopArgs& args,
                               bool& found)
{
    const Slot* s = Find(id, args.param);
    found = s != nullptr && s->external;
    if (!found)
    {
        return 0;
    }
    std::shared_ptr<QuicProtoopHook> hook = s->external; // may unload itself
    return hook->Run(conn, args);
}

} // namespace ns3
