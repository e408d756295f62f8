/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The dumbbell of the WNS3 2019 ns-3 QUIC paper: bulk flows sharing one bottleneck, over
 * QUIC or over ns-3 TCP on the very same topology, with per-flow time series recorded.
 */

#ifndef QUIC_DUMBBELL_HELPER_H
#define QUIC_DUMBBELL_HELPER_H

#include "ns3/application-container.h"
#include "ns3/data-rate.h"
#include "ns3/error-model.h"
#include "ns3/ipv4-address.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "ns3/queue-item.h"
#include "ns3/socket.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup quic
 * The knobs of a dumbbell study. The defaults are the paper's scenario: two flows share a
 * 2 Mbps bottleneck; 25 ms access links on both sides give a 100 ms minimum RTT, hence a
 * bandwidth-delay product of 25 kB; the bottleneck queue holds one BDP; 20 s of bulk data.
 */
struct QuicDumbbellConfig
{
    std::string transport{"quic"}; //!< "quic" or "tcp" (ns-3's own TCP, same topology)
    /// Congestion control TypeId: ns3::QuicCongestionControl or any TcpCongestionOps
    std::string congestionControl{"ns3::QuicCongestionControl"};
    uint32_t numFlows{2};                             //!< sender/receiver pairs
    DataRate bottleneckRate{DataRate("2Mbps")};       //!< bottleneck link rate
    Time bottleneckDelay{MilliSeconds(0)};            //!< bottleneck one-way delay
    DataRate accessRate{DataRate("12Mbps")};          //!< access link rate (each side)
    Time accessDelay{MilliSeconds(25)};               //!< access link one-way delay
    std::string queueDisc{"ns3::PfifoFastQueueDisc"}; //!< bottleneck queue disc TypeId
    /// Bottleneck queue size ("17p", "25000B"); empty: one BDP, in packets of mtu bytes
    std::string queueSize;
    double lossRate{0.0};       //!< packet loss rate on the bottleneck (0..1)
    uint32_t mtu{1500};         //!< IP MTU of every link, bytes
    Time startTime{Seconds(1)}; //!< when the senders start (receivers start at 0)
    Time duration{Seconds(20)}; //!< how long the senders send
    /// Each sender starts at startTime + U(0, startJitter), drawn from RNG stream 0 (so
    /// that the run number matters without losses); 0: all start together, as in the paper
    Time startJitter{Seconds(0)};
    Time goodputInterval{MilliSeconds(200)}; //!< sampling period of the goodput series
    uint16_t port{4433};                     //!< receivers' port
};

/**
 * \ingroup quic
 * A time series of one flow: (time in seconds, value) pairs, in trace order.
 */
using QuicDumbbellSeries = std::vector<std::pair<double, double>>;

/**
 * \ingroup quic
 * What the helper records of one flow, from its sender's socket and its receiver.
 */
struct QuicDumbbellFlowTrace
{
    QuicDumbbellSeries cwnd;          //!< congestion window, bytes
    QuicDumbbellSeries ssthresh;      //!< slow start threshold, bytes (huge before a loss)
    QuicDumbbellSeries rtt;           //!< latest RTT sample, milliseconds
    QuicDumbbellSeries bytesInFlight; //!< bytes in flight
    QuicDumbbellSeries goodput;       //!< receiver goodput over each interval, Mbps
    QuicDumbbellSeries rxBytes;       //!< cumulative bytes received by the application
    QuicDumbbellSeries drops;         //!< bottleneck queue drops of this flow's packets (size)
};

/**
 * \ingroup quic
 * \brief Builds the dumbbell of the WNS3 2019 QUIC paper and records each flow.
 *
 * Senders S_i and receivers R_i hang off two routers joined by the bottleneck; each
 * access link has its own rate and delay. The bottleneck's transmit side (router 0 to
 * router 1) carries the configured queue disc; the net device queue under it holds one
 * packet so that the queue disc, not the device, is where packets wait. Flow i is a
 * BulkSend application on S_i (unlimited data) to a PacketSink on R_i, over
 * ns3::QuicSocketFactory or ns3::TcpSocketFactory. The TCP segment size and the QUIC
 * maximum packet size are derived from the MTU so that both fill full-size IP packets.
 *
 * \code
 *   QuicDumbbellConfig config;
 *   config.congestionControl = "ns3::TcpVegas";
 *   QuicDumbbellHelper dumbbell(config);
 *   dumbbell.Install();
 *   Simulator::Stop(dumbbell.GetStopTime());
 *   Simulator::Run();
 *   double mean = QuicDumbbellHelper::TimeAverage(dumbbell.GetFlowTrace(0).cwnd, 11, 21);
 * \endcode
 *
 * Install() sets ns-3 defaults (the L4 protocols' SocketType, TCP segment size, QUIC
 * packet size): use one helper per simulation.
 */
class QuicDumbbellHelper
{
  public:
    /**
     * \param config the scenario; checked by Install()
     */
    explicit QuicDumbbellHelper(const QuicDumbbellConfig& config);

    /**
     * Checks the configuration, builds nodes, links, stacks, routes and applications, and
     * schedules the recording of every flow. Aborts with a message naming the offending
     * setting if the configuration is invalid.
     */
    void Install();

    /**
     * Assigns fixed random-variable streams (loss model, stacks) so that runs are
     * reproducible independently of other objects in the script. Stream 0 is the start
     * jitter's, drawn in Install().
     * \param stream the first stream index (at least 1)
     * \return the number of streams assigned
     */
    int64_t AssignStreams(int64_t stream);

    /**
     * Enables pcap on every link.
     * \param prefix file name prefix (may contain a folder)
     */
    void EnablePcap(const std::string& prefix);

    /// \return the configuration
    const QuicDumbbellConfig& GetConfig() const;

    /**
     * \param flow a flow index
     * \return when its sender starts (after Install)
     */
    Time GetStartTime(uint32_t flow) const;

    /// \return when the senders stop (start + duration)
    Time GetStopTime() const;

    /// \return the bottleneck's bandwidth-delay product at the minimum RTT, bytes
    uint64_t GetBdpBytes() const;

    /// \return the minimum (propagation) RTT of every flow
    Time GetMinRtt() const;

    /// \return the bottleneck queue size in use (after Install)
    std::string GetQueueSize() const;

    /// \return the number of flows
    uint32_t GetNFlows() const;

    /**
     * \param flow a flow index
     * \return what was recorded of it so far
     */
    const QuicDumbbellFlowTrace& GetFlowTrace(uint32_t flow) const;

    /**
     * \param flow a flow index
     * \return the bytes its receiver application has received
     */
    uint64_t GetRxBytes(uint32_t flow) const;

    /// \return the sender nodes
    NodeContainer GetSenders() const;

    /// \return the receiver nodes
    NodeContainer GetReceivers() const;

    /// \return the two routers
    NodeContainer GetRouters() const;

    /**
     * Writes each flow's series as gnuplot-ready text: <folder>/<prefix>-flow<i>-<name>.txt,
     * two columns (time in s, value) with a header line naming the unit.
     * \param folder an existing folder
     * \param prefix file name prefix
     */
    void WriteSeries(const std::string& folder, const std::string& prefix) const;

    /**
     * Time-weighted mean of a step series (each value holds until the next) over [t0, t1].
     * \param series the series
     * \param t0 start, seconds
     * \param t1 end, seconds
     * \return the mean, or 0 if the series has no value in the interval
     */
    static double TimeAverage(const QuicDumbbellSeries& series, double t0, double t1);

    /**
     * Plain mean of the samples whose time lies in [t0, t1].
     * \param series the series
     * \param t0 start, seconds
     * \param t1 end, seconds
     * \return the mean, or 0 if none
     */
    static double SampleMean(const QuicDumbbellSeries& series, double t0, double t1);

    /**
     * Value of a cumulative series at time t (the last value at or before t).
     * \param series the series
     * \param t time, seconds
     * \return the value, or 0 before the first sample
     */
    static double ValueAt(const QuicDumbbellSeries& series, double t);

    /**
     * Jain's fairness index (sum x)^2 / (n sum x^2).
     * \param x the shares
     * \return the index in [1/n, 1], or 1 if all are zero
     */
    static double JainIndex(const std::vector<double>& x);

  private:
    /// Checks the configuration; aborts naming the setting and the fix.
    void Validate() const;

    /**
     * Connects the recording to flow i's sender socket (once the application made it).
     * \param flow the flow index
     */
    void ConnectSenderTraces(uint32_t flow);

    /**
     * Samples every receiver's byte count and schedules the next sample.
     */
    void SampleGoodput();

    /**
     * \param flow flow index
     * \param oldValue previous window
     * \param newValue new window
     */
    void OnCwnd(uint32_t flow, uint32_t oldValue, uint32_t newValue);
    /**
     * \param flow flow index
     * \param oldValue previous threshold
     * \param newValue new threshold
     */
    void OnSsThresh(uint32_t flow, uint32_t oldValue, uint32_t newValue);
    /**
     * \param flow flow index
     * \param oldValue previous bytes in flight
     * \param newValue new bytes in flight
     */
    void OnBytesInFlight(uint32_t flow, uint32_t oldValue, uint32_t newValue);
    /**
     * \param flow flow index
     * \param oldValue previous sample
     * \param newValue new sample
     */
    void OnRtt(uint32_t flow, Time oldValue, Time newValue);
    /**
     * A packet dropped by the bottleneck queue disc: recorded in the flow that sent it.
     * \param item the dropped item
     */
    void OnQueueDrop(Ptr<const QueueDiscItem> item);

    QuicDumbbellConfig m_config;                 //!< the scenario
    bool m_installed{false};                     //!< Install() was called
    std::string m_queueSize;                     //!< queue size in use
    NodeContainer m_senders;                     //!< S_i
    NodeContainer m_receivers;                   //!< R_i
    NodeContainer m_routers;                     //!< the two routers
    std::vector<NetDeviceContainer> m_links;     //!< every link's two devices
    Ptr<NetDevice> m_bottleneckRx;               //!< receiving side of the bottleneck
    std::vector<Ipv4Address> m_senderAddresses;  //!< S_i's address, to attribute drops
    ApplicationContainer m_sources;              //!< BulkSend per flow
    ApplicationContainer m_sinks;                //!< PacketSink per flow
    std::vector<QuicDumbbellFlowTrace> m_traces; //!< recordings per flow
    std::vector<uint64_t> m_lastRx;              //!< bytes at the previous goodput sample
    Ptr<RateErrorModel> m_errorModel;            //!< bottleneck loss, if any
    std::vector<Time> m_startTimes;              //!< each sender's start time
};

} // namespace ns3

#endif /* QUIC_DUMBBELL_HELPER_H */
