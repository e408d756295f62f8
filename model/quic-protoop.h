/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Protocol operations (PQUIC): the named steps of a QUIC connection.
 */

#ifndef QUIC_PROTOOP_H
#define QUIC_PROTOOP_H

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace ns3
{

class QuicSocketBase;

/**
 * \ingroup quic
 * Dense integer id of a protocol operation, interned from its name.
 */
using QuicProtoopId = uint32_t;

/**
 * \ingroup quic
 * Parameter of a parameterised protocol operation (a frame type, a transport-parameter id).
 * Operations without a parameter use kQuicNoParam.
 */
using QuicProtoopParam = uint64_t;

/// The parameter value of operations that take none.
constexpr QuicProtoopParam kQuicNoParam = ~uint64_t(0);

/**
 * \ingroup quic
 * What a 64-bit argument word of a protocol operation stands for.
 *
 * Native C++ implementations pass host pointers in argument words; the plugin layer
 * uses these kinds to turn pointers into opaque handles before bytecode sees them, so
 * no host address ever reaches a pluglet.
 */
enum class QuicProtoopArgKind : uint8_t
{
    VALUE,  //!< a plain integer
    PACKET, //!< a packet being built or parsed
    FRAME,  //!< a frame (QuicSubheader)
    STREAM, //!< a stream (QuicStreamBase)
    PATH,   //!< a path (QuicPath)
    BUFFER, //!< a host byte buffer; the next word is its length
};

/**
 * \ingroup quic
 * Inputs and outputs of one protocol-operation call, as PQUIC passes them: 64-bit words.
 */
struct QuicProtoopArgs
{
    static constexpr std::size_t kMaxArgs = 8; //!< maximum inputs and outputs
    std::array<uint64_t, kMaxArgs> in{};       //!< input words
    std::array<uint64_t, kMaxArgs> out{};      //!< output words
    uint8_t nIn{0};                            //!< number of inputs used
    uint8_t nOut{0};                           //!< number of outputs used
    QuicProtoopParam param{kQuicNoParam};      //!< the parameter of this call
    uint64_t returned{0};                      //!< what the operation returned (post hooks)

    /// \return args with the given inputs (at most kMaxArgs).
    /// Inline: the core builds one per protoop call, several per packet.
    static QuicProtoopArgs Inputs(std::initializer_list<uint64_t> words)
    {
        if (words.size() > kMaxArgs)
        {
            AbortTooManyInputs(words.size());
        }
        QuicProtoopArgs args;
        std::copy(words.begin(), words.end(), args.in.begin());
        args.nIn = static_cast<uint8_t>(words.size());
        return args;
    }

    /**
     * Aborts the simulation: Inputs() was given more than kMaxArgs words.
     * \param count how many it was given
     */
    [[noreturn]] static void AbortTooManyInputs(std::size_t count);
};

/**
 * \ingroup quic
 * A native implementation: the C++ code a protocol operation runs when no pluglet replaces it.
 * \param conn the connection
 * \param args inputs and outputs
 * \return the operation's return value
 */
using QuicProtoopNativeFn = uint64_t (*)(QuicSocketBase& conn, QuicProtoopArgs& args);

/**
 * \ingroup quic
 * Global registry interning protocol-operation names to dense ids.
 *
 * Ids are assigned in registration order and are the same for every connection of a
 * simulation; ids of the core's operations are registered first, in a fixed order, so
 * they are identical in every run.
 */
class QuicProtoopRegistry
{
  public:
    /**
     * Interns a name.
     * \param name the operation's name, e.g. "process_frame"
     * \param inputs kinds of its input words (used by the plugin layer)
     * \param outputs kinds of its output words
     * \return the operation's id; an already-known name keeps its id (and its kinds
     *         are updated only if they were unknown)
     */
    static QuicProtoopId Intern(const std::string& name,
                                const std::vector<QuicProtoopArgKind>& inputs = {},
                                const std::vector<QuicProtoopArgKind>& outputs = {});

    /**
     * \param name an operation's name
     * \param [out] id its id when found
     * \return true if the name is known
     */
    static bool Find(const std::string& name, QuicProtoopId& id);

    /// \return the name of an id (empty if unknown)
    static const std::string& GetName(QuicProtoopId id);

    /// \return the kinds of the input words of an id
    static const std::vector<QuicProtoopArgKind>& GetInputKinds(QuicProtoopId id);

    /// \return the kinds of the output words of an id
    static const std::vector<QuicProtoopArgKind>& GetOutputKinds(QuicProtoopId id);

    /// \return the number of interned operations
    static std::size_t GetCount();
};

} // namespace ns3

#endif /* QUIC_PROTOOP_H */
