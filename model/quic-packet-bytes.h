/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Building ns-3 Packets from byte arrays, with runs of zero bytes kept virtual.
 */

#ifndef QUIC_PACKET_BYTES_H
#define QUIC_PACKET_BYTES_H

#include "ns3/header.h"
#include "ns3/ptr.h"
#include "ns3/trailer.h"

#include <cstdint>
#include <vector>

namespace ns3
{

class Packet;

/**
 * \ingroup quic
 * The bytes a QuicRawBytesHeader or QuicRawBytesTrailer carries: borrowed from the caller
 * when built for sending, owned once read back from a buffer (packet printing).
 */
class QuicRawBytes
{
  public:
    QuicRawBytes() = default;

    /**
     * \param data the bytes (not copied: they must outlive the Serialize call)
     * \param size their number
     */
    QuicRawBytes(const uint8_t* data, uint32_t size);

    /// \return the number of bytes
    uint32_t GetSize() const;

    /**
     * Writes the bytes at an iterator.
     * \param it where the first byte goes
     */
    void Write(Buffer::Iterator it) const;

    /**
     * Copies bytes out of a buffer; from then on they are owned.
     * \param it where the first byte is
     * \param size how many bytes
     * \return size
     */
    uint32_t Read(Buffer::Iterator it, uint32_t size);

  private:
    const uint8_t* m_data{nullptr}; //!< borrowed bytes (before Read)
    uint32_t m_size{0};             //!< their number
    std::vector<uint8_t> m_owned;   //!< the bytes after Read (copies stay valid)
};

/**
 * \ingroup quic
 * Raw bytes put in front of a Packet's zero-filled area (see QuicMakePacket).
 */
class QuicRawBytesHeader : public Header
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    QuicRawBytesHeader();

    /**
     * \param data the bytes (not copied: they must outlive the AddHeader call)
     * \param size their number
     */
    QuicRawBytesHeader(const uint8_t* data, uint32_t size);

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;
    uint32_t Deserialize(Buffer::Iterator start, Buffer::Iterator end) override;
    void Print(std::ostream& os) const override;

  private:
    QuicRawBytes m_bytes; //!< the bytes
};

/**
 * \ingroup quic
 * Raw bytes put behind a Packet's zero-filled area (see QuicMakePacket).
 */
class QuicRawBytesTrailer : public Trailer
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    QuicRawBytesTrailer();

    /**
     * \param data the bytes (not copied: they must outlive the AddTrailer call)
     * \param size their number
     */
    QuicRawBytesTrailer(const uint8_t* data, uint32_t size);

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator end) override;
    uint32_t Deserialize(Buffer::Iterator start, Buffer::Iterator end) override;
    void Print(std::ostream& os) const override;

  private:
    QuicRawBytes m_bytes; //!< the bytes
};

/**
 * \param data bytes
 * \param len their number
 * \return true if all of them are zero (true for none): stream buffers keep such bytes as
 * a count, not stored
 */
bool QuicIsAllZero(const uint8_t* data, uint64_t len);

/**
 * A Packet holding exactly these bytes.
 *
 * Stream data of applications that write zeros (BulkSend, OnOff) and the emulated AEAD
 * tags are long runs of zero bytes. The longest run (if long enough to matter) becomes the
 * Packet's zero-filled area, which ns-3 keeps virtual — as it does for the payload of TCP
 * segments — so that the UDP, IP and link layers, which reallocate the Packet's buffer to
 * add their headers, copy only the other bytes. The bytes read from the Packet
 * (CopyData, pcap, the wire) are the same as with Create<Packet>(data, size).
 * \param data the bytes
 * \param size their number
 * \return the packet
 */
Ptr<Packet> QuicMakePacket(const uint8_t* data, uint32_t size);

} // namespace ns3

#endif /* QUIC_PACKET_BYTES_H */
