/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * One plugin loaded on one connection: its heap, state, timers and hooks.
 */

#ifndef QUIC_PLUGIN_INSTANCE_H
#define QUIC_PLUGIN_INSTANCE_H

#include "quic-plugin.h"
#include "quic-protoop-table.h"

#include "ns3/event-id.h"

#include <array>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace ebpf
{
class Vm;
} // namespace ebpf

namespace ns3
{

class QuicSocketBase;

/// The application error code of a connection closed because one of its plugins faulted.
constexpr uint64_t kQuicPluginFaultError = 0x504c55474eULL;

/**
 * \ingroup quic
 * How plugins run on a connection (from QuicSocketBase's attributes).
 */
struct QuicPluginOptions
{
    uint32_t heapSize{256 * 1024}; //!< bytes of plugin heap per plugin and connection
    uint64_t fuel{100000};         //!< instruction budget of one pluglet run
    bool jit{true};                //!< JIT-compile (else interpret)
};

/**
 * \ingroup quic
 * A plugin (QuicPlugin: shared, verified bytecode) instantiated on one connection.
 *
 * It owns the plugin's heap (shared by its pluglets, at the same virtual address in every
 * run and every simulation), one VM per pluglet (globals per pluglet), metadata slots,
 * timers, and the hooks it attached. A fault in any pluglet unloads the whole plugin from
 * the connection at once and reports it to the socket, which closes the connection.
 */
class QuicPluginInstance : public std::enable_shared_from_this<QuicPluginInstance>
{
  public:
    /**
     * \param socket the connection
     * \param plugin the plugin
     * \param options heap size, fuel, engine
     */
    QuicPluginInstance(QuicSocketBase& socket,
                       std::shared_ptr<const QuicPlugin> plugin,
                       const QuicPluginOptions& options);
    ~QuicPluginInstance();

    /**
     * Attaches every pluglet to the connection's protocol operations, all or nothing.
     * \param [out] error why (a replace already attached by another plugin, …)
     * \return true if attached; false leaves the table as it was
     */
    bool Attach(std::string& error);

    /// Detaches every hook and removes pending timers (idempotent).
    void Unload();

    /**
     * Runs one pluglet for a protocol-operation call.
     * \param index pluglet index
     * \param args the call's arguments (a copy for pre and post)
     * \return r0, or 0 after a fault
     */
    uint64_t RunPluglet(std::size_t index, QuicProtoopArgs& args);

    /// \return the plugin's name
    const std::string& GetName() const;
    /// \return the manifest it was loaded from
    const std::string& GetManifestPath() const;
    /// \return true while attached (not faulted or unloaded)
    bool IsActive() const;
    /// \return the fault that unloaded the plugin (empty if none)
    const std::string& GetFault() const;
    /// \return bytes of heap in use
    uint64_t GetHeapInUse() const;

    /// What one running pluglet sees (a stack of them: pluglets call operations).
    struct Frame
    {
        QuicProtoopArgs* args{nullptr};                              //!< the call
        QuicProtoopAnchor anchor{QuicProtoopAnchor::REPLACE};        //!< its anchor
        QuicProtoopId protoop{0};                                    //!< operation
        std::vector<const void*> handles;                            //!< host objects by handle
        std::vector<uint8_t> handleKinds;                            //!< their QuicProtoopArgKind
        std::array<uint64_t, QuicProtoopArgs::kMaxArgs> converted{}; //!< inputs as seen
    };

    // --- for the helpers (quic-plugin-api.cc) ---

    /// \return the connection
    QuicSocketBase& GetSocket();
    /// \return the innermost running pluglet's frame (nullptr if none)
    Frame* CurrentFrame();
    /**
     * Records a fault and unloads the plugin (the first fault wins).
     * \param reason what happened
     */
    void OnFault(const std::string& reason);
    /**
     * \param size bytes
     * \return heap offset + base address, or 0 when full
     */
    uint64_t Malloc(uint64_t size);
    /**
     * \param address an address Malloc returned (0 is ignored)
     * \return false if it is not one
     */
    bool Free(uint64_t address);
    /**
     * \param address a block (or 0)
     * \param size new size
     * \param [out] ok false if address is not a block
     * \return the new block, or 0
     */
    uint64_t Realloc(uint64_t address, uint64_t size, bool& ok);
    /// Metadata slots on the connection and on the path (META_SLOTS).
    static constexpr std::size_t kMetaSlots = 32;
    /// Metadata slots on a packet (META_PACKET_SLOTS).
    static constexpr std::size_t kPacketMetaSlots = 4;
    /// Packets with slots set, at most, per plugin and connection (a bound, not a budget:
    /// slots are freed when their packet leaves the sent-packet map).
    static constexpr std::size_t kMaxPacketsWithMeta = 65536;

    /**
     * Reads a metadata slot (META_CONN, META_PATH, META_PACKET); a packet slot never set
     * reads 0.
     * \param object the object
     * \param slot the slot
     * \param [out] value its value
     * \param [out] error why it cannot be read
     * \return false if there is no such object or slot
     */
    bool GetMeta(uint64_t object, uint64_t slot, uint64_t& value, std::string& error);
    /**
     * Writes a metadata slot; the first write on a packet allocates its slots.
     * \param object the object
     * \param slot the slot
     * \param value the value
     * \param [out] error why it cannot be written
     * \return false if there is no such object or slot (or kMaxPacketsWithMeta is reached)
     */
    bool SetMeta(uint64_t object, uint64_t slot, uint64_t value, std::string& error);
    /**
     * Frees the slots of a packet.
     * \param key QuicPluginSet::PacketKey of the packet
     */
    void ForgetPacket(uint64_t key);
    /**
     * Frees the slots of every sent packet of a space.
     * \param space the packet-number space
     */
    void ForgetSpace(uint8_t space);
    /// \return packets whose slots are allocated
    std::size_t GetPacketMetaCount() const;
    /**
     * Schedules a timer.
     * \param delay when
     * \param protoop operation run at expiry
     * \param arg its in[0]
     * \return timer id (never 0)
     */
    uint64_t SetTimer(uint64_t delayNs, QuicProtoopId protoop, uint64_t arg);
    /**
     * \param timer a timer id
     * \return true if it was pending and is now cancelled
     */
    bool CancelTimer(uint64_t timer);
    /// \return the base virtual address of the heap
    static uint64_t HeapBase();

  private:
    /// Runs a timer.
    void FireTimer(uint64_t timer);

    QuicSocketBase& m_socket;                      //!< connection
    std::shared_ptr<const QuicPlugin> m_plugin;    //!< shared bytecode
    QuicPluginOptions m_options;                   //!< options
    std::vector<uint8_t> m_heap;                   //!< plugin heap
    std::map<uint64_t, uint64_t> m_blocks;         //!< allocated: offset → size
    std::map<uint64_t, uint64_t> m_free;           //!< free: offset → size
    std::vector<std::unique_ptr<ebpf::Vm>> m_vms;  //!< one per pluglet
    std::vector<Frame*> m_frames;                  //!< running pluglets
    std::array<uint64_t, kMetaSlots> m_connMeta{}; //!< META_CONN
    std::array<uint64_t, kMetaSlots> m_pathMeta{}; //!< META_PATH
    /// META_PACKET: slots of the packets a pluglet wrote to, by QuicPluginSet::PacketKey
    std::unordered_map<uint64_t, std::array<uint64_t, kPacketMetaSlots>> m_packetMeta;
    std::map<uint64_t, EventId> m_timers; //!< pending timers
    uint64_t m_nextTimer{1};              //!< next timer id
    bool m_attached{false};               //!< hooks in the table
    bool m_faulted{false};                //!< a fault unloaded it
    std::string m_fault;                  //!< the fault
};

/**
 * \ingroup quic
 * The plugins of one connection.
 */
class QuicPluginSet
{
  public:
    /**
     * \param socket the connection
     */
    explicit QuicPluginSet(QuicSocketBase& socket);
    ~QuicPluginSet();

    /**
     * Loads a plugin on the connection, all or nothing.
     * \param manifestPath the manifest
     * \param options heap, fuel, engine
     * \param [out] error the reason on failure
     * \return true if loaded
     */
    bool Load(const std::string& manifestPath,
              const QuicPluginOptions& options,
              std::string& error);

    /**
     * Loads an already loaded plugin, all or nothing.
     * \param plugin the plugin
     * \param options heap, fuel, engine
     * \param [out] error the reason on failure
     * \return true if loaded
     */
    bool Load(std::shared_ptr<const QuicPlugin> plugin,
              const QuicPluginOptions& options,
              std::string& error);

    /// \return the instances (active or faulted), in load order
    const std::vector<std::shared_ptr<QuicPluginInstance>>& GetInstances() const;

    /**
     * \param name a plugin name
     * \return its instance, or nullptr
     */
    std::shared_ptr<QuicPluginInstance> Find(const std::string& name) const;

    /// Unloads everything (connection teardown).
    void UnloadAll();

    /**
     * \param space packet-number space (0..2)
     * \param packetNumber the packet's number
     * \param received true for a packet being parsed, false for one sent
     * \return the key of a packet's metadata slots
     */
    static uint64_t PacketKey(uint8_t space, uint64_t packetNumber, bool received);

    /**
     * \param [out] key the packet the running operation is about (META_PACKET)
     * \return false if it is about no packet
     */
    bool GetCurrentPacket(uint64_t& key) const;

    /**
     * A sent packet left the sent-packet map (acknowledged, lost or abandoned) or a
     * received packet is processed: its metadata slots are freed in every plugin.
     * \param key its key
     */
    void ForgetPacket(uint64_t key);

    /**
     * A packet-number space is discarded: the slots of its sent packets are freed.
     * \param space the space
     */
    void ForgetSpace(uint8_t space);

  private:
    friend class QuicPluginPacketScope;

    QuicSocketBase& m_socket;                                     //!< connection
    std::vector<std::shared_ptr<QuicPluginInstance>> m_instances; //!< loaded
    uint64_t m_currentPacket{0};                                  //!< META_PACKET's packet
    bool m_hasCurrentPacket{false};                               //!< one is current
};

/**
 * \ingroup quic
 * While alive, protocol operations run about one packet: META_PACKET names its slots.
 * Nests (the previous packet is current again afterwards); a received packet's slots are
 * freed when the scope ends, since nothing tracks a received packet afterwards.
 */
class QuicPluginPacketScope
{
  public:
    /**
     * \param set the connection's plugins (nullptr: no plugin, nothing to do)
     * \param space packet-number space (0..2)
     * \param packetNumber the packet
     * \param received a packet being parsed (else one being written, sent, acked or lost)
     */
    QuicPluginPacketScope(QuicPluginSet* set, uint8_t space, uint64_t packetNumber, bool received);
    ~QuicPluginPacketScope();
    QuicPluginPacketScope(const QuicPluginPacketScope&) = delete;
    QuicPluginPacketScope& operator=(const QuicPluginPacketScope&) = delete;

  private:
    QuicPluginSet* m_set;      //!< plugins, or nullptr
    uint64_t m_key{0};         //!< this packet
    uint64_t m_previous{0};    //!< packet current before
    bool m_hadPrevious{false}; //!< one was
    bool m_received{false};    //!< free the slots at the end
};

} // namespace ns3

#endif /* QUIC_PLUGIN_INSTANCE_H */
