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
    /// \return the metadata slots of an object (META_CONN, META_PATH), or nullptr
    std::array<uint64_t, 16>* Meta(uint64_t object);
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

    QuicSocketBase& m_socket;                     //!< connection
    std::shared_ptr<const QuicPlugin> m_plugin;   //!< shared bytecode
    QuicPluginOptions m_options;                  //!< options
    std::vector<uint8_t> m_heap;                  //!< plugin heap
    std::map<uint64_t, uint64_t> m_blocks;        //!< allocated: offset → size
    std::map<uint64_t, uint64_t> m_free;          //!< free: offset → size
    std::vector<std::unique_ptr<ebpf::Vm>> m_vms; //!< one per pluglet
    std::vector<Frame*> m_frames;                 //!< running pluglets
    std::array<uint64_t, 16> m_connMeta{};        //!< META_CONN
    std::array<uint64_t, 16> m_pathMeta{};        //!< META_PATH
    std::map<uint64_t, EventId> m_timers;         //!< pending timers
    uint64_t m_nextTimer{1};                      //!< next timer id
    bool m_attached{false};                       //!< hooks in the table
    bool m_faulted{false};                        //!< a fault unloaded it
    std::string m_fault;                          //!< the fault
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

  private:
    QuicSocketBase& m_socket;                                     //!< connection
    std::vector<std::shared_ptr<QuicPluginInstance>> m_instances; //!< loaded
};

} // namespace ns3

#endif /* QUIC_PLUGIN_INSTANCE_H */
