/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-plugin-api.h"

#include "ebpf/ebpf-helpers.h"
#include "quic-l5-protocol.h"
#include "quic-plugin-instance.h"
#include "quic-socket-base.h"
#include "quic-subheader.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

#include <cstring>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicPluginApi");

namespace
{

using ebpf::HelperContext;

/// Field ids of plugins/include/quic-pluglet-api.h (kept in the same order).
enum ConnField : uint64_t
{
    CONN_IS_SERVER,
    CONN_STATE,
    CONN_CWND,
    CONN_SSTHRESH,
    CONN_BYTES_IN_FLIGHT,
    CONN_SRTT,
    CONN_MIN_RTT,
    CONN_LATEST_RTT,
    CONN_RTTVAR,
    CONN_PTO_COUNT,
    CONN_PACKETS_SENT,
    CONN_BYTES_SENT,
    CONN_PACKETS_RECEIVED,
    CONN_BYTES_RECEIVED,
    CONN_PACKETS_LOST,
    CONN_PTO_FIRED,
    CONN_MAX_PACKET_SIZE,
    CONN_MAX_ACK_DELAY,
    CONN_STREAM_BYTES_RETRANSMITTED,
    CONN_STREAM_FRAMES_RETRANSMITTED,
    CONN_SPURIOUS_LOSSES,
    CONN_FIELD_COUNT,
};

/// \return the instance running the current pluglet (never null while a helper runs)
QuicPluginInstance&
Instance(HelperContext& ctx)
{
    return *static_cast<QuicPluginInstance*>(ctx.UserData());
}

/**
 * \param ctx helper context
 * \param what the helper's name, for the reason
 * \return the frame of the running pluglet if it may change the connection; else fails
 */
QuicPluginInstance::Frame*
WritableFrame(HelperContext& ctx, const char* what)
{
    QuicPluginInstance::Frame* f = Instance(ctx).CurrentFrame();
    if (f == nullptr)
    {
        ctx.Fail(std::string(what) + ": no operation running");
        return nullptr;
    }
    if (f->anchor == QuicProtoopAnchor::PRE || f->anchor == QuicProtoopAnchor::POST)
    {
        ctx.Fail(std::string(what) + " from a " + QuicProtoopAnchorName(f->anchor) +
                 " pluglet: pre and post anchors are read-only");
        return nullptr;
    }
    return f;
}

/// \return the value of a time in ns (0 if negative)
uint64_t
Ns(Time t)
{
    return t.IsStrictlyNegative() ? 0 : static_cast<uint64_t>(t.GetNanoSeconds());
}

uint64_t
GetConn(HelperContext& ctx, uint64_t field, uint64_t, uint64_t, uint64_t, uint64_t)
{
    QuicSocketBase& s = Instance(ctx).GetSocket();
    Ptr<QuicSocketState> tcb = s.GetSocketState();
    const QuicLossRecovery* rec = s.GetLossRecovery();
    switch (field)
    {
    case CONN_IS_SERVER:
        return s.IsServer() ? 1 : 0;
    case CONN_STATE:
        return static_cast<uint64_t>(s.GetState());
    case CONN_CWND:
        return tcb->m_cWnd.Get();
    case CONN_SSTHRESH:
        return tcb->m_ssThresh.Get();
    case CONN_BYTES_IN_FLIGHT:
        return tcb->m_bytesInFlight.Get();
    case CONN_SRTT:
        return rec ? Ns(rec->GetRtt().GetSmoothedRtt()) : 0;
    case CONN_MIN_RTT:
        return rec ? Ns(rec->GetRtt().GetMinRtt()) : 0;
    case CONN_LATEST_RTT:
        return rec ? Ns(rec->GetRtt().GetLatestRtt()) : 0;
    case CONN_RTTVAR:
        return rec ? Ns(rec->GetRtt().GetRttVar()) : 0;
    case CONN_PTO_COUNT:
        return rec ? rec->GetPtoCount() : 0;
    case CONN_PACKETS_SENT:
        return s.GetStats().packetsSent;
    case CONN_BYTES_SENT:
        return s.GetStats().bytesSent;
    case CONN_PACKETS_RECEIVED:
        return s.GetStats().packetsReceived;
    case CONN_BYTES_RECEIVED:
        return s.GetStats().bytesReceived;
    case CONN_PACKETS_LOST:
        return rec ? rec->GetLostPacketCount() : 0;
    case CONN_PTO_FIRED:
        return rec ? rec->GetPtoFiredCount() : 0;
    case CONN_MAX_PACKET_SIZE:
        return tcb->m_segmentSize;
    case CONN_MAX_ACK_DELAY:
        return Ns(s.GetLocalTransportParameters().GetMaxAckDelay());
    case CONN_STREAM_BYTES_RETRANSMITTED:
        return s.GetStats().streamBytesRetransmitted;
    case CONN_STREAM_FRAMES_RETRANSMITTED:
        return s.GetStats().streamFramesResent;
    case CONN_SPURIOUS_LOSSES:
        return rec ? rec->GetSpuriousLossCount() : 0;
    default:
        ctx.Fail("pl_get_conn: unknown field " + std::to_string(field));
        return 0;
    }
}

uint64_t
SetConn(HelperContext& ctx, uint64_t field, uint64_t value, uint64_t, uint64_t, uint64_t)
{
    if (!WritableFrame(ctx, "pl_set_conn"))
    {
        return 0;
    }
    Ptr<QuicSocketState> tcb = Instance(ctx).GetSocket().GetSocketState();
    uint32_t v = static_cast<uint32_t>(std::min<uint64_t>(value, UINT32_MAX));
    switch (field)
    {
    case CONN_CWND:
        if (v < tcb->m_segmentSize)
        {
            ctx.Fail("pl_set_conn: congestion window below one packet");
            return 0;
        }
        tcb->m_cWnd = v;
        return 1;
    case CONN_SSTHRESH:
        tcb->m_ssThresh = v;
        return 1;
    default:
        ctx.Fail("pl_set_conn: field " + std::to_string(field) + " is read-only or unknown");
        return 0;
    }
}

uint64_t
GetPath(HelperContext& ctx, uint64_t path, uint64_t field, uint64_t, uint64_t, uint64_t)
{
    if (path != 0)
    {
        ctx.Fail("pl_get_path: no path " + std::to_string(path));
        return 0;
    }
    static const uint64_t map[] = {CONN_SRTT, CONN_CWND, CONN_BYTES_IN_FLIGHT};
    if (field >= 3)
    {
        ctx.Fail("pl_get_path: unknown field " + std::to_string(field));
        return 0;
    }
    return GetConn(ctx, map[field], 0, 0, 0, 0);
}

/**
 * \param ctx helper context
 * \param handle a handle of the current call
 * \param kind the kind it must be
 * \return the host object, or nullptr (and the plugin fails)
 */
const void*
ResolveHandle(HelperContext& ctx, uint64_t handle, QuicProtoopArgKind kind)
{
    QuicPluginInstance::Frame* f = Instance(ctx).CurrentFrame();
    uint64_t index = handle & 0xffffffff;
    if (f == nullptr || (handle >> 32) != uint64_t(static_cast<uint8_t>(kind)) || index == 0 ||
        index > f->handles.size() || f->handleKinds[index - 1] != static_cast<uint8_t>(kind))
    {
        ctx.Fail("bad handle 0x" + std::to_string(handle) + " (not an input of this call)");
        return nullptr;
    }
    return f->handles[index - 1];
}

uint64_t
GetFrame(HelperContext& ctx, uint64_t handle, uint64_t field, uint64_t, uint64_t, uint64_t)
{
    const void* p = ResolveHandle(ctx, handle, QuicProtoopArgKind::FRAME);
    if (!p)
    {
        return 0;
    }
    // notify_frame passes the record of a sent frame; process_frame the parsed frame.
    if (Instance(ctx).CurrentFrame()->protoop == QuicSocketBase::GetProtoopIds().notifyFrame)
    {
        const auto* r = static_cast<const QuicSentFrame*>(p);
        const uint64_t v[] = {r->type, r->streamId, r->offset, r->length, r->fin ? 1u : 0u};
        if (field < 5)
        {
            return v[field];
        }
    }
    else
    {
        const auto* h = static_cast<const QuicSubheader*>(p);
        uint64_t type = h->GetFrameType();
        bool stream = QuicSubheader::IsStream(type);
        bool data = stream || type == QuicSubheader::CRYPTO;
        switch (field)
        {
        case 0:
            return type;
        case 1:
            return stream ? h->GetStreamId() : 0;
        case 2:
            return data ? h->GetOffset() : 0;
        case 3:
            return data ? h->GetDataLength() : 0;
        case 4:
            return stream && h->IsFin() ? 1 : 0;
        default:
            break;
        }
    }
    ctx.Fail("pl_get_frame: unknown field " + std::to_string(field));
    return 0;
}

uint64_t
GetStream(HelperContext& ctx, uint64_t id, uint64_t field, uint64_t, uint64_t, uint64_t)
{
    Ptr<QuicL5Protocol> l5 = Instance(ctx).GetSocket().GetL5();
    if (field != 0)
    {
        ctx.Fail("pl_get_stream: unknown field " + std::to_string(field));
        return 0;
    }
    return l5 && l5->GetStreams().count(id) ? 1 : 0;
}

uint64_t
GetInput(HelperContext& ctx, uint64_t i, uint64_t, uint64_t, uint64_t, uint64_t)
{
    QuicPluginInstance::Frame* f = Instance(ctx).CurrentFrame();
    if (f == nullptr || i >= f->args->nIn)
    {
        ctx.Fail("pl_get_input: no input " + std::to_string(i));
        return 0;
    }
    return f->converted[i];
}

uint64_t
GetOutput(HelperContext& ctx, uint64_t i, uint64_t, uint64_t, uint64_t, uint64_t)
{
    QuicPluginInstance::Frame* f = Instance(ctx).CurrentFrame();
    if (f == nullptr || i >= QuicProtoopArgs::kMaxArgs)
    {
        ctx.Fail("pl_get_output: no output " + std::to_string(i));
        return 0;
    }
    return f->args->out[i];
}

uint64_t
SetOutput(HelperContext& ctx, uint64_t i, uint64_t v, uint64_t, uint64_t, uint64_t)
{
    QuicPluginInstance::Frame* f = WritableFrame(ctx, "pl_set_output");
    if (f == nullptr)
    {
        return 0;
    }
    if (i >= QuicProtoopArgs::kMaxArgs)
    {
        ctx.Fail("pl_set_output: no output " + std::to_string(i));
        return 0;
    }
    f->args->out[i] = v;
    f->args->nOut = std::max<uint8_t>(f->args->nOut, static_cast<uint8_t>(i + 1));
    return 1;
}

uint64_t
GetParam(HelperContext& ctx, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t)
{
    QuicPluginInstance::Frame* f = Instance(ctx).CurrentFrame();
    return f ? f->args->param : 0;
}

uint64_t
GetReturn(HelperContext& ctx, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t)
{
    QuicPluginInstance::Frame* f = Instance(ctx).CurrentFrame();
    return f ? f->args->returned : 0;
}

uint64_t
Malloc(HelperContext& ctx, uint64_t size, uint64_t, uint64_t, uint64_t, uint64_t)
{
    return Instance(ctx).Malloc(size);
}

uint64_t
Free(HelperContext& ctx, uint64_t p, uint64_t, uint64_t, uint64_t, uint64_t)
{
    if (!Instance(ctx).Free(p))
    {
        ctx.Fail("pl_free: not a block of the plugin heap");
    }
    return 0;
}

uint64_t
Realloc(HelperContext& ctx, uint64_t p, uint64_t size, uint64_t, uint64_t, uint64_t)
{
    bool ok = true;
    uint64_t r = Instance(ctx).Realloc(p, size, ok);
    if (!ok)
    {
        ctx.Fail("pl_realloc: not a block of the plugin heap");
    }
    return r;
}

uint64_t
Calloc(HelperContext& ctx, uint64_t n, uint64_t size, uint64_t, uint64_t, uint64_t)
{
    if (size != 0 && n > UINT32_MAX / size)
    {
        return 0; // overflow: no block, as C calloc
    }
    uint64_t p = Instance(ctx).Malloc(n * size);
    if (p != 0)
    {
        std::memset(ctx.Translate(p, n * size, true), 0, n * size);
    }
    return p;
}

uint64_t
Memcpy(HelperContext& ctx, uint64_t dst, uint64_t src, uint64_t len, uint64_t, uint64_t)
{
    void* d = ctx.Translate(dst, len, true);
    const void* s = ctx.Translate(src, len, false);
    if (len != 0 && (d == nullptr || s == nullptr))
    {
        ctx.Fail("pl_memcpy: " + std::to_string(len) + " bytes out of bounds (" +
                 (d == nullptr ? "destination" : "source") + ")");
        return 0;
    }
    ctx.ChargeFuel(len / 8);
    if (len != 0)
    {
        std::memmove(d, s, len);
    }
    return len;
}

uint64_t
ProtoopId(HelperContext& ctx, uint64_t name, uint64_t, uint64_t, uint64_t, uint64_t)
{
    std::string s;
    if (!ctx.ReadString(name, 64, s) || s.empty())
    {
        ctx.Fail("pl_protoop_id: not a readable name of at most 63 characters");
        return 0;
    }
    return QuicProtoopRegistry::Intern(s);
}

uint64_t
RunProtoop(HelperContext& ctx, uint64_t id, uint64_t param, uint64_t a0, uint64_t a1, uint64_t a2)
{
    if (!WritableFrame(ctx, "pl_run_protoop"))
    {
        return 0;
    }
    if (id >= QuicProtoopRegistry::GetCount())
    {
        ctx.Fail("pl_run_protoop: unknown operation id " + std::to_string(id));
        return 0;
    }
    // Operations taking host objects are for the core only: bytecode cannot forge them.
    for (QuicProtoopArgKind k : QuicProtoopRegistry::GetInputKinds(id))
    {
        if (k != QuicProtoopArgKind::VALUE)
        {
            ctx.Fail("pl_run_protoop: '" + QuicProtoopRegistry::GetName(id) +
                     "' takes host objects and cannot be called by a plugin");
            return 0;
        }
    }
    QuicSocketBase& s = Instance(ctx).GetSocket();
    QuicProtoopTable& t = s.GetProtoops();
    if (!t.IsCallable(id, param))
    {
        ctx.Fail("pl_run_protoop: '" + QuicProtoopRegistry::GetName(id) +
                 "' has no implementation");
        return 0;
    }
    QuicProtoopArgs a = QuicProtoopArgs::Inputs({a0, a1, a2});
    a.param = param;
    return t.Call(s, static_cast<QuicProtoopId>(id), a);
}

uint64_t
SetTimer(HelperContext& ctx, uint64_t delay, uint64_t id, uint64_t arg, uint64_t, uint64_t)
{
    if (id >= QuicProtoopRegistry::GetCount() || delay > uint64_t(1e15))
    {
        ctx.Fail("pl_set_timer: bad operation id or delay");
        return 0;
    }
    return Instance(ctx).SetTimer(delay, static_cast<QuicProtoopId>(id), arg);
}

uint64_t
CancelTimer(HelperContext& ctx, uint64_t timer, uint64_t, uint64_t, uint64_t, uint64_t)
{
    return Instance(ctx).CancelTimer(timer) ? 1 : 0;
}

uint64_t
HelperNow(HelperContext& ctx, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t)
{
    return static_cast<uint64_t>(Simulator::Now().GetNanoSeconds());
}

uint64_t
Log(HelperContext& ctx, uint64_t msg, uint64_t value, uint64_t, uint64_t, uint64_t)
{
    std::string s;
    if (!ctx.ReadString(msg, 256, s))
    {
        ctx.Fail("pl_log: message not readable");
        return 0;
    }
    NS_LOG_INFO(Simulator::Now().As(Time::S)
                << " plugin " << Instance(ctx).GetName() << ": " << s << " " << value);
    return 0;
}

uint64_t
SendToApp(HelperContext& ctx, uint64_t data, uint64_t len, uint64_t, uint64_t, uint64_t)
{
    const void* p = ctx.Translate(data, len, false);
    if (len > 65536 || (len != 0 && p == nullptr))
    {
        ctx.Fail("pl_send_to_app: buffer out of bounds");
        return 0;
    }
    std::vector<uint8_t> bytes(static_cast<const uint8_t*>(p),
                               static_cast<const uint8_t*>(p) + len);
    Instance(ctx).GetSocket().NotifyPluginMessage(Instance(ctx).GetName(), bytes);
    return len;
}

uint64_t
GetMeta(HelperContext& ctx, uint64_t object, uint64_t slot, uint64_t, uint64_t, uint64_t)
{
    uint64_t v = 0;
    std::string why;
    if (!Instance(ctx).GetMeta(object, slot, v, why))
    {
        ctx.Fail("pl_get_meta: " + why);
        return 0;
    }
    return v;
}

uint64_t
SetMeta(HelperContext& ctx, uint64_t object, uint64_t slot, uint64_t v, uint64_t, uint64_t)
{
    // The plugin's own state: allowed from every anchor.
    std::string why;
    if (!Instance(ctx).SetMeta(object, slot, v, why))
    {
        if (!why.empty()) // empty: refused (packet slots at their bound), not a fault
        {
            ctx.Fail("pl_set_meta: " + why);
        }
        return 0;
    }
    return 1;
}

uint64_t
ReserveFrame(HelperContext& ctx, uint64_t type, uint64_t size, uint64_t cc, uint64_t, uint64_t)
{
    if (!WritableFrame(ctx, "pl_reserve_frame"))
    {
        return 0;
    }
    QuicSocketBase& s = Instance(ctx).GetSocket();
    if (size == 0 || size > 1200 ||
        !s.GetProtoops().IsHooked(QuicSocketBase::GetProtoopIds().writeFrame, type))
    {
        ctx.Fail("pl_reserve_frame: size must be 1..1200 and write_frame[" + std::to_string(type) +
                 "] must be attached");
        return 0;
    }
    s.ReservePluginFrame(type, static_cast<uint32_t>(size), cc != 0);
    return 1;
}

} // namespace

std::shared_ptr<const ebpf::HelperTable>
QuicPluginHelpers()
{
    static std::shared_ptr<const ebpf::HelperTable> table = [] {
        auto t = std::make_shared<ebpf::HelperTable>();
        uint32_t id = 1;
        auto add = [&](const char* name, ebpf::HelperFunction fn) {
            t->Register(id++, name, std::move(fn));
        };
        add("pl_get_conn", &GetConn);
        add("pl_set_conn", &SetConn);
        add("pl_get_path", &GetPath);
        add("pl_get_frame", &GetFrame);
        add("pl_get_stream", &GetStream);
        add("pl_get_input", &GetInput);
        add("pl_get_output", &GetOutput);
        add("pl_set_output", &SetOutput);
        add("pl_get_param", &GetParam);
        add("pl_get_return", &GetReturn);
        add("pl_malloc", &Malloc);
        add("pl_free", &Free);
        add("pl_realloc", &Realloc);
        add("pl_calloc", &Calloc);
        add("pl_memcpy", &Memcpy);
        add("pl_protoop_id", &ProtoopId);
        add("pl_run_protoop", &RunProtoop);
        add("pl_set_timer", &SetTimer);
        add("pl_cancel_timer", &CancelTimer);
        add("pl_now", &HelperNow);
        add("pl_log", &Log);
        add("pl_send_to_app", &SendToApp);
        add("pl_get_meta", &GetMeta);
        add("pl_set_meta", &SetMeta);
        add("pl_reserve_frame", &ReserveFrame);
        return std::shared_ptr<const ebpf::HelperTable>(t);
    }();
    return table;
}

} // namespace ns3
