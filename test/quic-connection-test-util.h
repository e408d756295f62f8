/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Shared by the connection-level suites (quic-transfer, quic-stream, quic-flow-control):
 * a two-node topology, a pseudo-random byte pattern per stream, an application that
 * writes that pattern on chosen streams and checks every byte it reads, and a decoder of
 * the frames a connection sends (from its Tx trace) or processes (a process_frame hook).
 *
 * Header-only on purpose: each suite is one file and this is included by several.
 */

#ifndef QUIC_CONNECTION_TEST_UTIL_H
#define QUIC_CONNECTION_TEST_UTIL_H

#include "ns3/application.h"
#include "ns3/config.h"
#include "ns3/double.h"
#include "ns3/error-model.h"
#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv6-address-helper.h"
#include "ns3/node-container.h"
#include "ns3/packet.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/pointer.h"
#include "ns3/quic-byte-reader.h"
#include "ns3/quic-header.h"
#include "ns3/quic-helper.h"
#include "ns3/quic-l4-protocol.h"
#include "ns3/quic-l5-protocol.h"
#include "ns3/quic-protoop-table.h"
#include "ns3/quic-socket-base.h"
#include "ns3/quic-socket-factory.h"
#include "ns3/quic-subheader.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace ns3
{
namespace quicconn
{

// --- the byte pattern ------------------------------------------------------------------------

/**
 * The byte at an offset of a stream: a hash of (seed, stream, offset), so that a byte
 * delivered at the wrong offset, on the wrong stream, twice or not at all is detected.
 * \param seed the transfer's seed
 * \param stream the stream id
 * \param offset the offset in the stream
 * \return the byte
 */
inline uint8_t
PatternByte(uint32_t seed, uint64_t stream, uint64_t offset)
{
    uint64_t x = offset * 0x9E3779B97F4A7C15ULL ^ (stream + 1) * 0xC2B2AE3D27D4EB4FULL ^ seed;
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 29;
    return static_cast<uint8_t>(x >> 24);
}

/**
 * Fills a buffer with the pattern.
 * \param seed the seed
 * \param stream the stream
 * \param offset the offset of buf[0]
 * \param buf the buffer
 * \param len its length
 */
inline void
FillPattern(uint32_t seed, uint64_t stream, uint64_t offset, uint8_t* buf, uint32_t len)
{
    for (uint32_t i = 0; i < len; ++i)
    {
        buf[i] = PatternByte(seed, stream, offset + i);
    }
}

/// What a receiver saw of one stream.
struct StreamRecord
{
    uint64_t bytes{0};                    //!< bytes read so far
    uint64_t mismatches{0};               //!< bytes that differ from the pattern
    uint64_t firstMismatch{UINT64_MAX};   //!< offset of the first wrong byte
    Time firstByte{Seconds(-1)};          //!< when its first byte was read
    Time complete{Seconds(-1)};           //!< when the expected count was reached
    std::vector<Time> readTimes;          //!< time of each read (when asked to record)
    std::vector<uint64_t> readEndOffsets; //!< stream offset after each read (same)
};

// --- the test application --------------------------------------------------------------------

/**
 * A client or server that writes the pattern on chosen streams and checks every byte it
 * reads, per stream (QuicSocketBase::RecvFromStream).
 *
 * Client: Connect() at start; its plan is written as soon as Connect returns
 * (writeEarly, so Send before the handshake completes is exercised) or once the
 * connection succeeds. Server: Listen() at start; on each accepted connection it writes
 * its plan's server-initiated streams at once and a client-initiated stream once the
 * first byte of that stream arrived (the stream exists only then).
 */
class PatternApp : public Application
{
  public:
    /// One stream to write.
    struct Flow
    {
        uint64_t streamId; //!< the stream
        uint64_t bytes;    //!< how many bytes
    };

    PatternApp() = default;

    /// \param peer the server's address (client) or the address to listen on (server)
    /// \param server the role
    void Setup(const Address& peer, bool server)
    {
        m_peer = peer;
        m_server = server;
    }

    /// \param seed the pattern seed of what this endpoint writes
    void SetSendSeed(uint32_t seed)
    {
        m_sendSeed = seed;
    }

    /// \param seed the pattern seed of what this endpoint reads
    void SetRecvSeed(uint32_t seed)
    {
        m_recvSeed = seed;
    }

    /// \param flows streams to write
    void SetPlan(std::vector<Flow> flows)
    {
        m_plan = std::move(flows);
    }

    /// \param expected bytes expected per stream (the reads are checked against them)
    void SetExpected(std::map<uint64_t, uint64_t> expected)
    {
        m_expected = std::move(expected);
        for (const auto& kv : m_expected)
        {
            m_records[kv.first];
        }
    }

    /// \param early client: write right after Connect (before the handshake completes)
    void SetWriteEarly(bool early)
    {
        m_writeEarly = early;
    }

    /// \param maxChunk the largest Send() (sizes vary deterministically up to it)
    void SetMaxChunk(uint32_t maxChunk)
    {
        m_maxChunk = maxChunk;
    }

    /**
     * Reads slowly: every period, at most maxBytes (0: all that is available).
     * \param period the period (zero: read at every receive callback)
     * \param maxBytes the most bytes per period
     */
    void SetSlowReader(Time period, uint32_t maxBytes)
    {
        m_readPeriod = period;
        m_readMax = maxBytes;
    }

    /// \param close close the socket once everything is written
    void SetCloseWhenDone(bool close)
    {
        m_closeWhenDone = close;
    }

    /// \param record keep the time and offset of every read
    void SetRecordReads(bool record)
    {
        m_recordReads = record;
    }

    /// \param fn called with the socket before Connect/Listen (attributes, hooks)
    void SetConfigure(std::function<void(Ptr<QuicSocketBase>)> fn)
    {
        m_configure = std::move(fn);
    }

    /// \param fn called with the connection: the client's before Connect, the server's on accept
    void SetOnConnection(std::function<void(Ptr<QuicSocketBase>)> fn)
    {
        m_onConnection = std::move(fn);
    }

    /// \param fn called once, right after the first Pump() that wrote something
    void SetAfterFirstWrite(std::function<void(Ptr<QuicSocketBase>)> fn)
    {
        m_afterFirstWrite = std::move(fn);
    }

    /// \param fn called once every expected byte was read
    void SetOnComplete(std::function<void()> fn)
    {
        m_onComplete = std::move(fn);
    }

    /// \return per-stream records of what was read
    const std::map<uint64_t, StreamRecord>& GetRecords() const
    {
        return m_records;
    }

    /// \return bytes read from streams nobody expected
    uint64_t GetUnexpectedBytes() const
    {
        return m_unexpected;
    }

    /// \return the connection (client socket, or the server's accepted one)
    Ptr<QuicSocketBase> GetConnection() const
    {
        return m_conn;
    }

    /// \return the listening socket (server)
    Ptr<QuicSocketBase> GetListener() const
    {
        return m_listener;
    }

    /// \return bytes written per stream
    const std::map<uint64_t, uint64_t>& GetWritten() const
    {
        return m_written;
    }

    /// \return Send() failures with an unexpected errno
    uint32_t GetSendErrors() const
    {
        return m_sendErrors;
    }

    /// \return the errno of the first unexpected failure
    Socket::SocketErrno GetFirstSendErrno() const
    {
        return m_firstErrno;
    }

    /// \return the result of the first Send() (client, writeEarly), -2 if none
    int GetFirstSendResult() const
    {
        return m_firstSendResult;
    }

    /// \return the state of the connection when the first Send() happened
    QuicSocket::State GetFirstSendState() const
    {
        return m_firstSendState;
    }

    /// \return connections accepted (server)
    uint32_t GetAccepted() const
    {
        return m_accepted;
    }

    /// \return true once the client's connect callback reported success
    bool IsConnected() const
    {
        return m_connected;
    }

    /// \return normal-close notifications
    uint32_t GetNormalCloses() const
    {
        return m_normalCloses;
    }

    /// \return error-close notifications
    uint32_t GetErrorCloses() const
    {
        return m_errorCloses;
    }

    /// \return true if every expected byte of every stream was read
    bool IsComplete() const
    {
        for (const auto& kv : m_expected)
        {
            if (m_records.at(kv.first).bytes < kv.second)
            {
                return false;
            }
        }
        return true;
    }

    /// Writes whatever the plan still owes (also called by tests after changing limits).
    void Pump()
    {
        if (!m_conn || m_pumping)
        {
            return;
        }
        m_pumping = true;
        bool progress = true;
        while (progress)
        {
            progress = false;
            for (const Flow& f : m_plan)
            {
                if (!IsStarted(f.streamId))
                {
                    continue;
                }
                uint64_t& done = m_written[f.streamId];
                if (done >= f.bytes)
                {
                    continue;
                }
                uint32_t size = ChunkSize();
                size = static_cast<uint32_t>(std::min<uint64_t>(size, f.bytes - done));
                m_buffer.resize(size);
                FillPattern(m_sendSeed, f.streamId, done, m_buffer.data(), size);
                Ptr<Packet> p = Create<Packet>(m_buffer.data(), size);
                int rc = m_conn->Send(p, static_cast<uint32_t>(f.streamId));
                if (m_firstSendResult == -2)
                {
                    m_firstSendResult = rc;
                    m_firstSendState = m_conn->GetState();
                }
                if (rc < 0)
                {
                    Socket::SocketErrno e = m_conn->GetErrno();
                    if (e != Socket::ERROR_MSGSIZE && e != Socket::ERROR_AGAIN)
                    {
                        if (m_sendErrors++ == 0)
                        {
                            m_firstErrno = e;
                        }
                    }
                    continue; // this stream is full: try the others
                }
                NS_ABORT_MSG_IF(static_cast<uint32_t>(rc) != size, "partial Send");
                done += size;
                ++m_chunkIndex;
                progress = true;
            }
        }
        m_pumping = false;
        if (m_chunkIndex > 0 && m_afterFirstWrite)
        {
            auto fn = std::move(m_afterFirstWrite);
            m_afterFirstWrite = nullptr;
            fn(m_conn);
        }
        if (m_closeWhenDone && !m_closed && AllWritten())
        {
            m_closed = true;
            m_conn->Close();
        }
    }

  private:
    void StartApplication() override
    {
        Ptr<Socket> s = Socket::CreateSocket(GetNode(), QuicSocketFactory::GetTypeId());
        Ptr<QuicSocketBase> q = DynamicCast<QuicSocketBase>(s);
        NS_ABORT_MSG_UNLESS(q, "not a QuicSocketBase");
        if (m_configure)
        {
            m_configure(q);
        }
        if (m_server)
        {
            m_listener = q;
            NS_ABORT_MSG_IF(q->Bind(m_peer) != 0, "Bind failed");
            NS_ABORT_MSG_IF(q->Listen() != 0, "Listen failed");
            q->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                 MakeCallback(&PatternApp::OnAccept, this));
            return;
        }
        m_conn = q;
        q->SetConnectCallback(MakeCallback(&PatternApp::OnConnected, this),
                              MakeCallback(&PatternApp::OnConnectFailed, this));
        Hook(q);
        if (m_onConnection)
        {
            m_onConnection(q);
        }
        NS_ABORT_MSG_IF(q->Connect(m_peer) != 0, "Connect failed");
        if (m_writeEarly)
        {
            Pump();
        }
    }

    void StopApplication() override
    {
        m_readEvent.Cancel();
    }

    void DoDispose() override
    {
        m_readEvent.Cancel();
        m_conn = nullptr;
        m_listener = nullptr;
        Application::DoDispose();
    }

    /// \param s the connection: receive, send and close callbacks
    void Hook(Ptr<QuicSocketBase> s)
    {
        s->SetRecvCallback(MakeCallback(&PatternApp::OnRecv, this));
        s->SetSendCallback(MakeCallback(&PatternApp::OnSendSpace, this));
        s->SetCloseCallbacks(MakeCallback(&PatternApp::OnNormalClose, this),
                             MakeCallback(&PatternApp::OnErrorClose, this));
        if (!m_readPeriod.IsZero())
        {
            m_readEvent = Simulator::Schedule(m_readPeriod, &PatternApp::PeriodicRead, this);
        }
    }

    void OnConnected(Ptr<Socket>)
    {
        m_connected = true;
        Pump();
    }

    void OnConnectFailed(Ptr<Socket>)
    {
        m_connectFailed = true;
    }

    void OnAccept(Ptr<Socket> s, const Address&)
    {
        ++m_accepted;
        if (m_conn)
        {
            return; // one connection per test
        }
        m_conn = DynamicCast<QuicSocketBase>(s);
        Hook(m_conn);
        if (m_onConnection)
        {
            m_onConnection(m_conn);
        }
        Pump();
        if (m_readPeriod.IsZero())
        {
            ReadAll(UINT64_MAX); // 0.5-RTT: data may already wait
        }
    }

    void OnSendSpace(Ptr<Socket>, uint32_t)
    {
        Pump();
    }

    void OnNormalClose(Ptr<Socket>)
    {
        ++m_normalCloses;
    }

    void OnErrorClose(Ptr<Socket>)
    {
        ++m_errorCloses;
    }

    void OnRecv(Ptr<Socket>)
    {
        if (m_readPeriod.IsZero())
        {
            ReadAll(UINT64_MAX);
        }
    }

    void PeriodicRead()
    {
        ReadAll(m_readMax == 0 ? UINT64_MAX : m_readMax);
        m_readEvent = Simulator::Schedule(m_readPeriod, &PatternApp::PeriodicRead, this);
    }

    /// \param budget most bytes to read now
    void ReadAll(uint64_t budget)
    {
        if (!m_conn)
        {
            return;
        }
        bool progress = true;
        while (progress && budget > 0)
        {
            progress = false;
            for (auto& kv : m_records)
            {
                while (budget > 0)
                {
                    uint32_t max = static_cast<uint32_t>(std::min<uint64_t>(budget, 65536));
                    Ptr<Packet> p = m_conn->RecvFromStream(kv.first, max);
                    if (!p)
                    {
                        break;
                    }
                    Check(kv.first, kv.second, p);
                    budget -= p->GetSize();
                    progress = true;
                }
            }
            if (!progress && budget > 0 && m_conn->GetRxAvailable() > 0)
            {
                // The head chunk belongs to a stream nobody expected.
                Ptr<Packet> p =
                    m_conn->Recv(static_cast<uint32_t>(std::min<uint64_t>(budget, 65536)), 0);
                if (p)
                {
                    m_unexpected += p->GetSize();
                    budget -= p->GetSize();
                    progress = true;
                }
            }
        }
        if (!m_completeNotified && !m_expected.empty() && IsComplete())
        {
            m_completeNotified = true;
            if (m_onComplete)
            {
                m_onComplete();
            }
        }
    }

    /**
     * \param id the stream
     * \param r its record
     * \param p bytes read from it
     */
    void Check(uint64_t id, StreamRecord& r, Ptr<Packet> p)
    {
        uint32_t n = p->GetSize();
        m_rbuf.resize(n);
        p->CopyData(m_rbuf.data(), n);
        if (r.bytes == 0)
        {
            r.firstByte = Simulator::Now();
        }
        for (uint32_t i = 0; i < n; ++i)
        {
            if (m_rbuf[i] != PatternByte(m_recvSeed, id, r.bytes + i))
            {
                if (r.mismatches++ == 0)
                {
                    r.firstMismatch = r.bytes + i;
                }
            }
        }
        r.bytes += n;
        if (m_recordReads)
        {
            r.readTimes.push_back(Simulator::Now());
            r.readEndOffsets.push_back(r.bytes);
        }
        auto it = m_expected.find(id);
        if (it != m_expected.end() && r.bytes >= it->second && r.complete.IsNegative())
        {
            r.complete = Simulator::Now();
        }
        if (m_server)
        {
            m_seen.insert(id);
            Pump(); // a client stream this server answers on now exists
        }
    }

    /// \param id a stream of the plan \return true if this endpoint may write it now
    bool IsStarted(uint64_t id) const
    {
        bool serverStream = (id & 1) == 1;
        if (m_server && !serverStream)
        {
            return m_seen.count(id) > 0; // answer on a client stream once it exists
        }
        return true;
    }

    /// \return the next Send() size: varies deterministically in [1, m_maxChunk]
    uint32_t ChunkSize() const
    {
        uint32_t span = m_maxChunk;
        uint32_t v = static_cast<uint32_t>((m_chunkIndex * 2654435761ULL) >> 7) % span;
        return std::max<uint32_t>(1, span / 2 + v / 2);
    }

    /// \return true when the whole plan is written
    bool AllWritten() const
    {
        for (const Flow& f : m_plan)
        {
            auto it = m_written.find(f.streamId);
            if (it == m_written.end() || it->second < f.bytes)
            {
                return false;
            }
        }
        return true;
    }

    Address m_peer;                                             //!< server / listen address
    bool m_server{false};                                       //!< role
    uint32_t m_sendSeed{1};                                     //!< pattern written
    uint32_t m_recvSeed{2};                                     //!< pattern read
    std::vector<Flow> m_plan;                                   //!< streams to write
    std::map<uint64_t, uint64_t> m_expected;                    //!< streams to read
    std::map<uint64_t, StreamRecord> m_records;                 //!< what was read
    std::map<uint64_t, uint64_t> m_written;                     //!< bytes written per stream
    std::set<uint64_t> m_seen;                                  //!< client streams seen (server)
    bool m_writeEarly{false};                                   //!< write before the handshake
    uint32_t m_maxChunk{4000};                                  //!< largest Send
    uint64_t m_chunkIndex{0};                                   //!< Sends done
    Time m_readPeriod{Seconds(0)};                              //!< slow reader period
    uint32_t m_readMax{0};                                      //!< slow reader budget
    bool m_closeWhenDone{false};                                //!< Close() after writing
    bool m_closed{false};                                       //!< Close() called
    bool m_recordReads{false};                                  //!< keep every read
    std::function<void(Ptr<QuicSocketBase>)> m_configure;       //!< socket set-up
    std::function<void(Ptr<QuicSocketBase>)> m_onConnection;    //!< connection observer
    std::function<void()> m_onComplete;                         //!< completion callback
    std::function<void(Ptr<QuicSocketBase>)> m_afterFirstWrite; //!< first-write callback
    bool m_completeNotified{false};                             //!< m_onComplete ran
    Ptr<QuicSocketBase> m_conn;                                 //!< the connection
    Ptr<QuicSocketBase> m_listener;                             //!< server's listener
    std::vector<uint8_t> m_buffer;                              //!< send scratch
    std::vector<uint8_t> m_rbuf;                                //!< receive scratch
    uint64_t m_unexpected{0};                                   //!< bytes of unknown streams
    uint32_t m_sendErrors{0};                                   //!< unexpected Send failures
    Socket::SocketErrno m_firstErrno{Socket::ERROR_NOTERROR};   //!< first of them
    int m_firstSendResult{-2};                                  //!< result of the first Send
    QuicSocket::State m_firstSendState{QuicSocket::IDLE};       //!< state then
    uint32_t m_accepted{0};                                     //!< connections accepted
    bool m_connected{false};                                    //!< connect callback succeeded
    bool m_connectFailed{false};                                //!< connect callback failed
    uint32_t m_normalCloses{0};                                 //!< normal closes
    uint32_t m_errorCloses{0};                                  //!< error closes
    bool m_pumping{false};                                      //!< inside Pump
    EventId m_readEvent;                                        //!< slow reader timer
};

// --- topology ----------------------------------------------------------------------------------

/// A two-node point-to-point network with QUIC on both nodes.
struct Topology
{
    NodeContainer nodes;        //!< 0: client, 1: server
    NetDeviceContainer devices; //!< the link's two devices
    Address serverAddress;      //!< where the server listens
    Address anyAddress;         //!< the server's bind address
};

/**
 * Builds the network. Resets attribute defaults and seeds the RNG (run 1).
 * \param ipv6 IPv6 instead of IPv4
 * \param rate link data rate
 * \param delay one-way delay
 * \param port server port
 * \return the topology
 */
inline Topology
MakeTopology(bool ipv6,
             const std::string& rate = "100Mbps",
             const std::string& delay = "10ms",
             uint16_t port = 4433)
{
    Topology t;
    t.nodes.Create(2);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue(rate));
    p2p.SetChannelAttribute("Delay", StringValue(delay));
    p2p.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("1000p"));
    t.devices = p2p.Install(t.nodes);
    QuicHelper stack;
    stack.InstallQuic(t.nodes);
    stack.AssignQuicStreams(t.nodes, 100);
    if (ipv6)
    {
        Ipv6AddressHelper address;
        address.SetBase("2001:db8::", Ipv6Prefix(64));
        Ipv6InterfaceContainer ifaces = address.Assign(t.devices);
        t.serverAddress = Inet6SocketAddress(ifaces.GetAddress(1, 1), port);
        t.anyAddress = Inet6SocketAddress(Ipv6Address::GetAny(), port);
    }
    else
    {
        Ipv4AddressHelper address;
        address.SetBase("10.1.1.0", "255.255.255.0");
        Ipv4InterfaceContainer ifaces = address.Assign(t.devices);
        t.serverAddress = InetSocketAddress(ifaces.GetAddress(1), port);
        t.anyAddress = InetSocketAddress(Ipv4Address::GetAny(), port);
    }
    return t;
}

/**
 * Drops packets at random on a device's receive side.
 * \param dev the device
 * \param rate the packet error rate
 * \param stream the RNG stream of the error model
 */
inline void
AddRateLoss(Ptr<NetDevice> dev, double rate, int64_t stream)
{
    Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
    em->SetAttribute("ErrorRate", DoubleValue(rate));
    em->SetAttribute("ErrorUnit", StringValue("ERROR_UNIT_PACKET"));
    em->AssignStreams(stream);
    dev->SetAttribute("ReceiveErrorModel", PointerValue(em));
}

/**
 * Drops the n-th packets (0-based, in arrival order) a device receives.
 * \param dev the device
 * \param indices which
 */
inline void
AddListLoss(Ptr<NetDevice> dev, const std::list<uint32_t>& indices)
{
    Ptr<ReceiveListErrorModel> em = CreateObject<ReceiveListErrorModel>();
    em->SetList(indices);
    dev->SetAttribute("ReceiveErrorModel", PointerValue(em));
}

/// Resets attribute defaults and fixes the RNG so that every test runs the same way.
inline void
ResetSimulation()
{
    Config::Reset();
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
}

// --- frames --------------------------------------------------------------------------------------

/// A frame seen on the wire (Tx trace) or processed (process_frame hook).
struct SeenFrame
{
    Time when;                                            //!< when
    QuicSubheader frame;                                  //!< the frame (data not kept)
    QuicHeader::PacketType packetType{QuicHeader::SHORT}; //!< its packet's type
};

/**
 * Decodes every frame of a datagram as QuicSocketBase::ReceiveDatagram does (16 AEAD
 * bytes end each packet).
 * \param datagram the bytes
 * \param shortDcidLength connection-ID length of short headers
 * \param[out] out frames found
 * \return false if something did not decode
 */
inline bool
DecodeDatagram(Ptr<const Packet> datagram, uint8_t shortDcidLength, std::vector<SeenFrame>& out)
{
    std::vector<uint8_t> data(datagram->GetSize());
    datagram->CopyData(data.data(), data.size());
    std::size_t pos = 0;
    while (pos < data.size())
    {
        QuicHeader h;
        std::size_t consumed = 0;
        QuicWireError err;
        if (!QuicHeader::TryDecode(data.data() + pos,
                                   data.size() - pos,
                                   shortDcidLength,
                                   h,
                                   consumed,
                                   err))
        {
            return false;
        }
        std::size_t end = data.size();
        if (h.IsLong())
        {
            end = pos + consumed + h.GetPayloadLength();
            if (end > data.size())
            {
                return false;
            }
        }
        std::size_t len = end - pos - consumed;
        if (len < 16)
        {
            return false;
        }
        QuicByteReader r(data.data() + pos + consumed, len - 16);
        while (r.Remaining() > 0)
        {
            SeenFrame sf;
            sf.when = Simulator::Now();
            sf.packetType = h.GetType();
            if (!QuicSubheader::TryDecode(r, sf.frame, err))
            {
                return false;
            }
            uint64_t t = sf.frame.GetFrameType();
            if (QuicSubheader::IsStream(t) || t == QuicSubheader::CRYPTO ||
                QuicSubheader::IsDatagram(t))
            {
                r.Skip(sf.frame.GetDataLength());
            }
            if (t != QuicSubheader::PADDING)
            {
                out.push_back(sf);
            }
        }
        pos = end;
    }
    return true;
}

/**
 * Records every frame a connection sends, from its Tx trace (once per datagram).
 */
class TxFrameLog
{
  public:
    /**
     * \param socket a connection: a client socket (before Connect) or a server's
     *        accepted one (a listener's Tx trace does not follow its forks)
     * \param shortDcidLength connection-ID length the peer uses (QuicL4Protocol's
     *        CidLength, 8 by default)
     */
    void Attach(Ptr<QuicSocketBase> socket, uint8_t shortDcidLength = 8)
    {
        m_cidLength = shortDcidLength;
        socket->TraceConnectWithoutContext("Tx", MakeCallback(&TxFrameLog::OnTx, this));
    }

    /// \param store keep every frame (GetFrames, Count); false: counters and callback only
    void SetStore(bool store)
    {
        m_store = store;
    }

    /// \return frames sent, in order
    const std::vector<SeenFrame>& GetFrames() const
    {
        return m_frames;
    }

    /// \return datagrams that did not decode
    uint32_t GetUndecodable() const
    {
        return m_undecodable;
    }

    /// \param type a frame type \return how many frames of that type were sent
    uint32_t Count(uint64_t type) const
    {
        auto it = m_counts.find(type);
        return it == m_counts.end() ? 0 : it->second;
    }

    /// \return STREAM bytes sent at offsets already sent before (retransmissions)
    uint64_t GetStreamBytesResent() const
    {
        return m_resent;
    }

    /// \param fn called for each frame as it is sent
    void SetOnFrame(std::function<void(const SeenFrame&)> fn)
    {
        m_onFrame = std::move(fn);
    }

  private:
    void OnTx(Ptr<const Packet> datagram, const QuicHeader&, Ptr<const QuicSocketBase>)
    {
        if (datagram->GetUid() == m_lastUid && m_hasLast)
        {
            return; // the trace fires once per packet of a coalesced datagram
        }
        m_hasLast = true;
        m_lastUid = datagram->GetUid();
        std::size_t before = m_frames.size();
        if (!DecodeDatagram(datagram, m_cidLength, m_frames))
        {
            ++m_undecodable;
        }
        for (std::size_t i = before; i < m_frames.size(); ++i)
        {
            const QuicSubheader& f = m_frames[i].frame;
            ++m_counts[f.GetFrameType()];
            if (QuicSubheader::IsStream(f.GetFrameType()))
            {
                uint64_t& high = m_highest[f.GetStreamId()];
                uint64_t end = f.GetOffset() + f.GetDataLength();
                if (f.GetOffset() < high)
                {
                    m_resent += std::min(end, high) - f.GetOffset();
                }
                high = std::max(high, end);
            }
            if (m_onFrame)
            {
                m_onFrame(m_frames[i]);
            }
        }
        if (!m_store)
        {
            m_frames.resize(before);
        }
    }

    uint8_t m_cidLength{8};                          //!< short-header DCID length
    std::vector<SeenFrame> m_frames;                 //!< frames sent
    uint32_t m_undecodable{0};                       //!< decode failures
    uint64_t m_lastUid{0};                           //!< last datagram
    bool m_hasLast{false};                           //!< m_lastUid valid
    std::function<void(const SeenFrame&)> m_onFrame; //!< per-frame callback
    std::map<uint64_t, uint64_t> m_highest;          //!< highest STREAM end offset sent per stream
    uint64_t m_resent{0};                            //!< STREAM bytes sent again
    std::map<uint64_t, uint32_t> m_counts;           //!< frames sent per type
    bool m_store{true};                              //!< keep m_frames
};

/**
 * Attaches a pre hook to process_frame (every frame type): fn sees each frame a
 * connection processes before it acts on it. On a listener, the hook follows the
 * connections it forks.
 * \param socket the socket
 * \param fn the observer
 */
inline void
ObserveProcessedFrames(Ptr<QuicSocketBase> socket,
                       std::function<void(QuicSocketBase&, const QuicSubheader&)> fn)
{
    auto hook = std::make_shared<QuicProtoopFunctionHook>(
        "test-observer",
        [fn](QuicSocketBase& conn, QuicProtoopArgs& a) -> uint64_t {
            fn(conn, *reinterpret_cast<const QuicSubheader*>(a.in[0]));
            return 0;
        });
    std::string error;
    bool ok = socket->GetProtoops().Attach(QuicSocketBase::GetProtoopIds().processFrame,
                                           kQuicNoParam,
                                           QuicProtoopAnchor::PRE,
                                           hook,
                                           error);
    NS_ABORT_MSG_UNLESS(ok, "process_frame hook refused: " << error);
}

} // namespace quicconn
} // namespace ns3

#endif /* QUIC_CONNECTION_TEST_UTIL_H */
