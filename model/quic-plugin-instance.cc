/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-plugin-instance.h"

#include "ebpf/ebpf-program.h"
#include "ebpf/ebpf-vm.h"
#include "quic-socket-base.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

#include <cstring>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicPluginInstance");

namespace
{

/// The native implementation of an operation that only plugins define and observe.
uint64_t
PluginDefinedNoOp(QuicSocketBase&, QuicProtoopArgs&)
{
    return 0;
}

/**
 * A hook running one pluglet of a plugin instance.
 */
class QuicPluginHook : public QuicProtoopHook
{
  public:
    /**
     * \param instance the plugin on this connection
     * \param index the pluglet
     */
    QuicPluginHook(std::shared_ptr<QuicPluginInstance> instance, std::size_t index)
        : m_instance(std::move(instance)),
          m_index(index),
          m_owner(m_instance->GetName())
    {
    }

    uint64_t Run(QuicSocketBase& conn, QuicProtoopArgs& args) override
    {
        return m_instance->RunPluglet(m_index, args);
    }

    const std::string& GetOwner() const override
    {
        return m_owner;
    }

  private:
    std::shared_ptr<QuicPluginInstance> m_instance; //!< the instance
    std::size_t m_index;                            //!< the pluglet
    std::string m_owner;                            //!< plugin name
};

constexpr uint64_t kAlign = 8; //!< heap block alignment

} // namespace

QuicPluginInstance::QuicPluginInstance(QuicSocketBase& socket,
                                       std::shared_ptr<const QuicPlugin> plugin,
                                       const QuicPluginOptions& options)
    : m_socket(socket),
      m_plugin(std::move(plugin)),
      m_options(options)
{
    NS_LOG_FUNCTION(this << m_plugin->GetName());
    m_heap.assign(options.heapSize, 0);
    if (!m_heap.empty())
    {
        m_free[0] = m_heap.size() & ~(kAlign - 1);
    }
    ebpf::VmOptions vo;
    vo.heapSize = 0; // the heap is the plugin's, lent to every pluglet's VM (see RunPluglet)
    vo.engine = options.jit ? ebpf::Engine::Jit : ebpf::Engine::Interpreter;
    for (const QuicPlugin::Pluglet& p : m_plugin->GetPluglets())
    {
        auto vm = std::make_unique<ebpf::Vm>(p.program, vo);
        vm->SetUserData(this);
        m_vms.push_back(std::move(vm));
    }
}

QuicPluginInstance::~QuicPluginInstance()
{
    Unload();
}

uint64_t
QuicPluginInstance::HeapBase()
{
    return ebpf::region::Base(ebpf::region::kFirstLent);
}

const std::string&
QuicPluginInstance::GetName() const
{
    return m_plugin->GetName();
}

const std::string&
QuicPluginInstance::GetManifestPath() const
{
    return m_plugin->GetManifest().path;
}

bool
QuicPluginInstance::IsActive() const
{
    return m_attached && !m_faulted;
}

const std::string&
QuicPluginInstance::GetFault() const
{
    return m_fault;
}

QuicSocketBase&
QuicPluginInstance::GetSocket()
{
    return m_socket;
}

QuicPluginInstance::Frame*
QuicPluginInstance::CurrentFrame()
{
    return m_frames.empty() ? nullptr : m_frames.back();
}

bool
QuicPluginInstance::Attach(std::string& error)
{
    NS_LOG_FUNCTION(this << GetName());
    QuicProtoopTable& table = m_socket.GetProtoops();
    const auto& pluglets = m_plugin->GetPluglets();
    for (std::size_t i = 0; i < pluglets.size(); ++i)
    {
        const QuicPlugin::Pluglet& p = pluglets[i];
        std::string why;
        if (!table.Attach(p.protoop,
                          p.decl.param,
                          p.decl.anchor,
                          std::make_shared<QuicPluginHook>(shared_from_this(), i),
                          why))
        {
            table.DetachOwner(GetName()); // all or nothing
            error = GetName() + ", line " + std::to_string(p.decl.line) + ": " + why;
            return false;
        }
    }
    // A plugin-defined operation observed by pre/post pluglets needs a body to call.
    for (const QuicPlugin::Pluglet& p : pluglets)
    {
        if (p.decl.anchor != QuicProtoopAnchor::EXTERNAL &&
            !table.IsCallable(p.protoop, p.decl.param))
        {
            table.SetNative(p.protoop, p.decl.param, &PluginDefinedNoOp);
        }
    }
    m_attached = true;
    return true;
}

void
QuicPluginInstance::Unload()
{
    if (m_attached)
    {
        NS_LOG_FUNCTION(this << GetName());
        m_attached = false;
        m_socket.GetProtoops().DetachOwner(GetName());
    }
    for (auto& t : m_timers)
    {
        Simulator::Remove(t.second); // a long timer must not outlive the plugin
    }
    m_timers.clear();
}

uint64_t
QuicPluginInstance::RunPluglet(std::size_t index, QuicProtoopArgs& args)
{
    if (!IsActive())
    {
        return 0;
    }
    const QuicPlugin::Pluglet& p = m_plugin->GetPluglets()[index];
    ebpf::Vm& vm = *m_vms[index];
    Frame f;
    f.args = &args;
    f.anchor = p.decl.anchor;
    f.protoop = p.protoop;
    // The heap is always the first lent region: the same address in every pluglet and run.
    uint64_t heap = vm.Lend(m_heap.data(), m_heap.size(), ebpf::Access::ReadWrite);
    NS_ABORT_MSG_IF(heap != HeapBase(), "QuicPluginInstance: plugin heap not at its address");
    // Host pointers become lent buffers (BUFFER: the next word is the length) or handles.
    const std::vector<QuicProtoopArgKind>& kinds = QuicProtoopRegistry::GetInputKinds(p.protoop);
    std::array<uint64_t, 5> regs{};
    for (std::size_t k = 0; k < args.nIn && k < QuicProtoopArgs::kMaxArgs; ++k)
    {
        QuicProtoopArgKind kind = k < kinds.size() ? kinds[k] : QuicProtoopArgKind::VALUE;
        uint64_t v = args.in[k];
        switch (kind)
        {
        case QuicProtoopArgKind::VALUE:
            break;
        case QuicProtoopArgKind::BUFFER: {
            uint64_t len = k + 1 < args.nIn ? args.in[k + 1] : 0;
            // Only write_frame's replace pluglet writes into the host buffer it gets.
            ebpf::Access access = (p.decl.anchor == QuicProtoopAnchor::REPLACE &&
                                   p.protoop == QuicSocketBase::GetProtoopIds().writeFrame)
                                      ? ebpf::Access::ReadWrite
                                      : ebpf::Access::ReadOnly;
            v = v == 0 ? 0
                       : vm.Lend(reinterpret_cast<void*>(static_cast<uintptr_t>(args.in[k])),
                                 len,
                                 access);
            break;
        }
        default:
            f.handles.push_back(reinterpret_cast<const void*>(static_cast<uintptr_t>(v)));
            f.handleKinds.push_back(static_cast<uint8_t>(kind));
            v = (uint64_t(static_cast<uint8_t>(kind)) << 32) | f.handles.size();
            break;
        }
        if (k < regs.size())
        {
            regs[k] = v;
        }
        f.converted[k] = v;
    }
    m_frames.push_back(&f);
    ebpf::RunResult r = vm.Run(*p.entry, regs, m_options.fuel);
    m_frames.pop_back();
    if (!r.ok)
    {
        OnFault(std::string(ebpf::ToString(r.fault.kind)) + " in " + p.decl.protoop + " (" +
                QuicProtoopAnchorName(p.decl.anchor) + ", manifest line " +
                std::to_string(p.decl.line) + "): " + r.fault.message);
        return 0;
    }
    return IsActive() ? r.value : 0;
}

void
QuicPluginInstance::OnFault(const std::string& reason)
{
    if (m_faulted)
    {
        return; // the first fault unloaded it already
    }
    NS_LOG_WARN("plugin " << GetName() << " faulted at " << Simulator::Now().As(Time::S) << ": "
                          << reason);
    m_faulted = true;
    m_fault = reason;
    Unload();
    m_socket.NotifyPluginFault(GetName(), reason);
}

uint64_t
QuicPluginInstance::Malloc(uint64_t size)
{
    size = std::max<uint64_t>(kAlign, (size + kAlign - 1) & ~(kAlign - 1));
    for (auto it = m_free.begin(); it != m_free.end(); ++it)
    {
        if (it->second >= size)
        {
            uint64_t off = it->first;
            uint64_t rest = it->second - size;
            m_free.erase(it);
            if (rest > 0)
            {
                m_free[off + size] = rest;
            }
            m_blocks[off] = size;
            return HeapBase() + off;
        }
    }
    return 0;
}

bool
QuicPluginInstance::Free(uint64_t address)
{
    if (address == 0)
    {
        return true;
    }
    auto it = address >= HeapBase() ? m_blocks.find(address - HeapBase()) : m_blocks.end();
    if (it == m_blocks.end())
    {
        return false;
    }
    uint64_t off = it->first;
    uint64_t size = it->second;
    m_blocks.erase(it);
    // Coalesce with the free neighbours.
    auto next = m_free.lower_bound(off);
    if (next != m_free.end() && off + size == next->first)
    {
        size += next->second;
        next = m_free.erase(next);
    }
    if (next != m_free.begin())
    {
        auto prev = std::prev(next);
        if (prev->first + prev->second == off)
        {
            prev->second += size;
            return true;
        }
    }
    m_free[off] = size;
    return true;
}

uint64_t
QuicPluginInstance::Realloc(uint64_t address, uint64_t size, bool& ok)
{
    ok = true;
    if (address == 0)
    {
        return Malloc(size);
    }
    auto it = address >= HeapBase() ? m_blocks.find(address - HeapBase()) : m_blocks.end();
    if (it == m_blocks.end())
    {
        ok = false;
        return 0;
    }
    if (size <= it->second)
    {
        return address;
    }
    uint64_t oldOff = it->first;
    uint64_t oldSize = it->second;
    uint64_t fresh = Malloc(size);
    if (fresh == 0)
    {
        return 0; // the old block stays valid, as with C realloc
    }
    std::memmove(m_heap.data() + (fresh - HeapBase()), m_heap.data() + oldOff, oldSize);
    Free(HeapBase() + oldOff);
    return fresh;
}

uint64_t
QuicPluginInstance::GetHeapInUse() const
{
    uint64_t n = 0;
    for (const auto& b : m_blocks)
    {
        n += b.second;
    }
    return n;
}

bool
QuicPluginInstance::GetMeta(uint64_t object, uint64_t slot, uint64_t& value, std::string& error)
{
    value = 0;
    switch (object)
    {
    case 0:
    case 1:
        if (slot >= kMetaSlots)
        {
            break;
        }
        value = object == 0 ? m_connMeta[slot] : m_pathMeta[slot];
        return true;
    case 2: {
        uint64_t key = 0;
        if (!m_socket.GetPlugins().GetCurrentPacket(key))
        {
            error = "no packet: this operation is about no packet";
            return false;
        }
        if (slot >= kPacketMetaSlots)
        {
            break;
        }
        auto it = m_packetMeta.find(key);
        value = it == m_packetMeta.end() ? 0 : it->second[slot]; // lazily allocated
        return true;
    }
    default:
        error = "no object " + std::to_string(object);
        return false;
    }
    error = "no slot " + std::to_string(slot) + " on object " + std::to_string(object);
    return false;
}

bool
QuicPluginInstance::SetMeta(uint64_t object, uint64_t slot, uint64_t value, std::string& error)
{
    switch (object)
    {
    case 0:
    case 1:
        if (slot >= kMetaSlots)
        {
            break;
        }
        (object == 0 ? m_connMeta : m_pathMeta)[slot] = value;
        return true;
    case 2: {
        uint64_t key = 0;
        if (!m_socket.GetPlugins().GetCurrentPacket(key))
        {
            error = "no packet: this operation is about no packet";
            return false;
        }
        if (slot >= kPacketMetaSlots)
        {
            break;
        }
        auto it = m_packetMeta.find(key);
        if (it == m_packetMeta.end())
        {
            if (m_packetMeta.size() >= kMaxPacketsWithMeta)
            {
                error.clear(); // refused, not a fault: pl_set_meta returns 0
                return false;
            }
            it = m_packetMeta.emplace(key, std::array<uint64_t, kPacketMetaSlots>{}).first;
        }
        it->second[slot] = value;
        return true;
    }
    default:
        error = "no object " + std::to_string(object);
        return false;
    }
    error = "no slot " + std::to_string(slot) + " on object " + std::to_string(object);
    return false;
}

void
QuicPluginInstance::ForgetPacket(uint64_t key)
{
    if (!m_packetMeta.empty())
    {
        m_packetMeta.erase(key);
    }
}

void
QuicPluginInstance::ForgetSpace(uint8_t space)
{
    for (auto it = m_packetMeta.begin(); it != m_packetMeta.end();)
    {
        it = (it->first >> 62) == space ? m_packetMeta.erase(it) : std::next(it);
    }
}

std::size_t
QuicPluginInstance::GetPacketMetaCount() const
{
    return m_packetMeta.size();
}

uint64_t
QuicPluginInstance::SetTimer(uint64_t delayNs, QuicProtoopId protoop, uint64_t arg)
{
    uint64_t id = m_nextTimer++;
    std::weak_ptr<QuicPluginInstance> self = shared_from_this();
    m_timers[id] =
        Simulator::Schedule(NanoSeconds(static_cast<int64_t>(delayNs)), [self, id, protoop, arg]() {
            if (auto inst = self.lock())
            {
                inst->m_timers.erase(id);
                if (!inst->IsActive())
                {
                    return;
                }
                QuicProtoopArgs a = QuicProtoopArgs::Inputs({arg});
                QuicProtoopTable& t = inst->m_socket.GetProtoops();
                if (!t.IsCallable(protoop, kQuicNoParam))
                {
                    inst->OnFault("timer: operation '" + QuicProtoopRegistry::GetName(protoop) +
                                  "' does not exist");
                    return;
                }
                t.Call(inst->m_socket, protoop, a);
            }
        });
    return id;
}

bool
QuicPluginInstance::CancelTimer(uint64_t timer)
{
    auto it = m_timers.find(timer);
    if (it == m_timers.end())
    {
        return false;
    }
    Simulator::Remove(it->second);
    m_timers.erase(it);
    return true;
}

// --- QuicPluginSet ------------------------------------------------------------------------

QuicPluginSet::QuicPluginSet(QuicSocketBase& socket)
    : m_socket(socket)
{
}

QuicPluginSet::~QuicPluginSet()
{
    UnloadAll();
}

bool
QuicPluginSet::Load(const std::string& manifestPath,
                    const QuicPluginOptions& options,
                    std::string& error)
{
    std::shared_ptr<const QuicPlugin> plugin = QuicPlugin::Load(manifestPath, error);
    return plugin && Load(plugin, options, error);
}

bool
QuicPluginSet::Load(std::shared_ptr<const QuicPlugin> plugin,
                    const QuicPluginOptions& options,
                    std::string& error)
{
    if (Find(plugin->GetName()))
    {
        error = "plugin '" + plugin->GetName() + "' is already loaded on this connection";
        return false;
    }
    auto inst = std::make_shared<QuicPluginInstance>(m_socket, plugin, options);
    if (!inst->Attach(error))
    {
        return false;
    }
    m_instances.push_back(inst);
    return true;
}

const std::vector<std::shared_ptr<QuicPluginInstance>>&
QuicPluginSet::GetInstances() const
{
    return m_instances;
}

std::shared_ptr<QuicPluginInstance>
QuicPluginSet::Find(const std::string& name) const
{
    for (const auto& i : m_instances)
    {
        if (i->GetName() == name)
        {
            return i;
        }
    }
    return nullptr;
}

void
QuicPluginSet::UnloadAll()
{
    for (const auto& i : m_instances)
    {
        i->Unload();
    }
}

uint64_t
QuicPluginSet::PacketKey(uint8_t space, uint64_t packetNumber, bool received)
{
    // Packet numbers stay below 2^62 (RFC 9000 §12.3); bit 61 tells received from sent.
    return (uint64_t(space & 3) << 62) | (uint64_t(received ? 1 : 0) << 61) |
           (packetNumber & ((uint64_t(1) << 61) - 1));
}

bool
QuicPluginSet::GetCurrentPacket(uint64_t& key) const
{
    key = m_currentPacket;
    return m_hasCurrentPacket;
}

void
QuicPluginSet::ForgetPacket(uint64_t key)
{
    for (const auto& i : m_instances)
    {
        i->ForgetPacket(key);
    }
}

void
QuicPluginSet::ForgetSpace(uint8_t space)
{
    for (const auto& i : m_instances)
    {
        i->ForgetSpace(space);
    }
}

// --- QuicPluginPacketScope ----------------------------------------------------------------

QuicPluginPacketScope::QuicPluginPacketScope(QuicPluginSet* set,
                                             uint8_t space,
                                             uint64_t packetNumber,
                                             bool received)
    : m_set(set),
      m_received(received)
{
    if (m_set == nullptr)
    {
        return;
    }
    m_key = QuicPluginSet::PacketKey(space, packetNumber, received);
    m_previous = m_set->m_currentPacket;
    m_hadPrevious = m_set->m_hasCurrentPacket;
    m_set->m_currentPacket = m_key;
    m_set->m_hasCurrentPacket = true;
}

QuicPluginPacketScope::~QuicPluginPacketScope()
{
    if (m_set == nullptr)
    {
        return;
    }
    m_set->m_currentPacket = m_previous;
    m_set->m_hasCurrentPacket = m_hadPrevious;
    if (m_received)
    {
        m_set->ForgetPacket(m_key);
    }
}

} // namespace ns3
