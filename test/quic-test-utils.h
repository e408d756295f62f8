/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Small building blocks shared by the connection test suites.
 */

#ifndef QUIC_TEST_UTILS_H
#define QUIC_TEST_UTILS_H

#include "ns3/error-model.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/quic-socket-base.h"
#include "ns3/random-variable-stream.h"

#include <string>
#include <vector>

/**
 * Asserts a condition and leaves the test case if it fails. ns-3's TestRunner continues
 * after a failed NS_TEST_ASSERT by default; code after this line relies on it.
 */
#define QUIC_TEST_REQUIRE(cond, msg)                                                               \
    do                                                                                             \
    {                                                                                              \
        bool quicTestOk = static_cast<bool>(cond);                                                 \
        NS_TEST_ASSERT_MSG_EQ(quicTestOk, true, msg);                                              \
        if (!quicTestOk)                                                                           \
        {                                                                                          \
            return;                                                                                \
        }                                                                                          \
    } while (false)

namespace ns3
{
namespace quictest
{

/**
 * Two nodes joined by a point-to-point link, with QUIC installed and addresses assigned.
 */
struct TwoNodes
{
    NodeContainer nodes;        //!< client (0) and server (1)
    NetDeviceContainer devices; //!< the link's devices
    Address serverAddress;      //!< server IP and port
    Address anyAddress;         //!< wildcard with the port, for Bind

    /**
     * \param rate link rate, e.g. "10Mbps"
     * \param delay one-way delay
     * \param ipv6 use IPv6 addresses
     * \param port server port
     */
    TwoNodes(const std::string& rate, Time delay, bool ipv6 = false, uint16_t port = 4433);

    /**
     * Puts an error model on a node's receiving device.
     * \param node 0 (client) or 1 (server)
     * \param em the model
     */
    void SetReceiveErrorModel(uint32_t node, Ptr<ErrorModel> em);

    /**
     * \param node 0 or 1
     * \return a new QUIC socket on it
     */
    Ptr<QuicSocketBase> CreateSocket(uint32_t node) const;
};

/**
 * Drops every packet received between two simulated times (a link outage).
 */
class OutageErrorModel : public ErrorModel
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /**
     * \param from start of the outage
     * \param to end of the outage
     */
    void SetOutage(Time from, Time to);

  private:
    bool DoCorrupt(Ptr<Packet> p) override;
    void DoReset() override;

    Time m_from; //!< start
    Time m_to;   //!< end
};

/**
 * Drops, once each, the 1-RTT (short header) packets of chosen packet numbers as they
 * arrive at a point-to-point device (IPv4, 8-byte connection IDs, packet numbers below
 * 2^8 or decoded from 1..4 bytes as sent in the clear).
 */
class PacketNumberErrorModel : public ErrorModel
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /**
     * \param pns packet numbers to drop (each once)
     */
    void SetPacketNumbers(const std::vector<uint64_t>& pns);

    /// \return packet numbers dropped so far, in order
    const std::vector<uint64_t>& GetDropped() const;

  private:
    bool DoCorrupt(Ptr<Packet> p) override;
    void DoReset() override;

    std::vector<uint64_t> m_pns;     //!< to drop
    std::vector<uint64_t> m_dropped; //!< dropped
};

/**
 * Impairs the packets a point-to-point device receives, as a network emulator would:
 * drops through an inner ErrorModel (RateErrorModel, BurstErrorModel …), reordering
 * (a packet held back and delivered later, after those behind it), duplication (a copy
 * delivered right after the original), corruption (one byte of the UDP payload flipped;
 * UDP drops it when ns-3's ChecksumEnabled is on, as a real stack would) and ECN
 * bleaching (the IPv4 ECN bits cleared, as a path that does not support ECN does).
 * IPv4 only. Held and copied packets re-enter through PointToPointNetDevice::Receive.
 */
class ImpairmentErrorModel : public ErrorModel
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    ImpairmentErrorModel();

    /// \param device the point-to-point device this model is installed on
    void SetDevice(Ptr<NetDevice> device);
    /// \param drop an error model deciding drops (nullptr: none)
    void SetDropModel(Ptr<ErrorModel> drop);
    /**
     * \param probability chance that a packet is held back
     * \param delay how long it is held
     */
    void SetReorder(double probability, Time delay);
    /// \param probability chance that a packet is duplicated
    void SetDuplicate(double probability);
    /// \param probability chance that one byte of a packet's UDP payload is flipped
    void SetCorrupt(double probability);
    /// \param bleach clear the ECN bits of every packet
    void SetEcnBleaching(bool bleach);
    /**
     * \param stream first RNG stream
     * \return streams used
     */
    int64_t AssignStreams(int64_t stream);

    /// \return packets dropped by the inner model
    uint64_t GetDropped() const;
    /// \return packets held back
    uint64_t GetReordered() const;
    /// \return packets duplicated
    uint64_t GetDuplicated() const;
    /// \return packets corrupted
    uint64_t GetCorrupted() const;
    /// \return packets whose ECN bits were cleared
    uint64_t GetBleached() const;

  private:
    bool DoCorrupt(Ptr<Packet> p) override;
    void DoReset() override;
    /// \param p a held or copied packet: delivered to the device now
    void Reinject(Ptr<Packet> p);
    /**
     * Rewrites the IPv4 header or UDP payload of a packet in place.
     * \param p the packet (PPP header first)
     * \param bleach clear the ECN bits
     * \param corrupt flip one payload byte
     */
    void Rewrite(Ptr<Packet> p, bool bleach, bool corrupt);

    Ptr<NetDevice> m_device;              //!< where packets re-enter
    Ptr<ErrorModel> m_drop;               //!< inner drop model
    Ptr<UniformRandomVariable> m_rng;     //!< decisions
    double m_reorderP{0};                 //!< reorder probability
    Time m_reorderDelay;                  //!< hold time
    double m_duplicateP{0};               //!< duplicate probability
    double m_corruptP{0};                 //!< corrupt probability
    bool m_bleach{false};                 //!< clear ECN bits
    std::vector<const Packet*> m_passing; //!< re-injected packets to let through
    uint64_t m_dropped{0};                //!< counters
    uint64_t m_reordered{0};              //!< held
    uint64_t m_duplicated{0};             //!< copied
    uint64_t m_corrupted{0};              //!< corrupted
    uint64_t m_bleached{0};               //!< bleached
};

/**
 * \param p a packet
 * \return its bytes
 */
std::vector<uint8_t> PacketBytes(Ptr<const Packet> p);

/**
 * Decodes the frames of one QUIC packet as passed to the Tx/Rx traces.
 * \param packet the QUIC packet's bytes (header to AEAD tag)
 * \param dcidLength destination connection ID length of short headers
 * \param [out] header its header
 * \return its frames (empty if undecodable)
 */
std::vector<QuicSubheader> DecodeFrames(Ptr<const Packet> packet,
                                        uint8_t dcidLength,
                                        QuicHeader& header);

/**
 * \param size bytes
 * \param seed pattern seed
 * \return a packet whose bytes follow a pattern derived from seed and offset
 */
Ptr<Packet> MakePatternPacket(uint32_t size, uint32_t seed, uint64_t offset = 0);

/**
 * \param seed pattern seed
 * \param offset byte offset
 * \return the pattern byte at that offset
 */
uint8_t PatternByte(uint32_t seed, uint64_t offset);

} // namespace quictest
} // namespace ns3

#endif /* QUIC_TEST_UTILS_H */
