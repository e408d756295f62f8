/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The API a pluglet (a C function compiled with clang -O2 -target bpf) calls to reach the
 * QUIC connection it runs in. Every function here is a helper of the host, resolved by
 * name when the object is loaded; an object naming a helper the host does not have is
 * refused at load time.
 *
 * Rules (see plugins/README.md):
 *  - no host pointer ever reaches a pluglet: connections, frames and streams are named by
 *    opaque handles or ids, host byte buffers are lent as virtual addresses whose every
 *    access is bounds-checked;
 *  - pre and post pluglets are observers: any pl_set_* or pl_run_protoop from them is a
 *    helper misuse and unloads the plugin;
 *  - a fault (out-of-bounds access, exhausted instruction budget, bad helper argument or
 *    misuse) unloads the whole plugin from the connection and closes the connection with
 *    the application error QUIC_PLUGIN_FAULT_ERROR.
 */

#ifndef QUIC_PLUGLET_API_H
#define QUIC_PLUGLET_API_H

typedef unsigned long long pl_u64;

/** Put a pluglet's entry function in this section: the loader looks it up by that name. */
#define PLUGLET __attribute__((section("pluglet"), used))

/** The application error code a connection closes with when one of its plugins faults. */
#define QUIC_PLUGIN_FAULT_ERROR 0x504c55474eULL

/* ---- connection fields (pl_get_conn / pl_set_conn) ---- */
#define CONN_IS_SERVER 0         /**< 1 on the server side */
#define CONN_STATE 1             /**< QuicSocket::State */
#define CONN_CWND 2              /**< congestion window, bytes (settable) */
#define CONN_SSTHRESH 3          /**< slow-start threshold, bytes (settable) */
#define CONN_BYTES_IN_FLIGHT 4   /**< bytes in flight */
#define CONN_SRTT 5              /**< smoothed RTT, ns */
#define CONN_MIN_RTT 6           /**< minimum RTT, ns */
#define CONN_LATEST_RTT 7        /**< latest RTT sample, ns */
#define CONN_RTTVAR 8            /**< RTT variation, ns */
#define CONN_PTO_COUNT 9         /**< consecutive PTOs (RFC 9002 pto_count) */
#define CONN_PACKETS_SENT 10     /**< core counter: packets sent */
#define CONN_BYTES_SENT 11       /**< core counter: UDP payload bytes sent */
#define CONN_PACKETS_RECEIVED 12 /**< core counter: packets received */
#define CONN_BYTES_RECEIVED 13   /**< core counter: UDP payload bytes received */
#define CONN_PACKETS_LOST 14     /**< core counter: packets declared lost */
#define CONN_PTO_FIRED 15        /**< core counter: probe timeouts fired */
#define CONN_MAX_PACKET_SIZE 16  /**< the connection's MaxPacketSize */
#define CONN_MAX_ACK_DELAY 17    /**< our max_ack_delay, ns */
#define CONN_STREAM_BYTES_RETRANSMITTED 18  /**< core counter: STREAM bytes sent again */
#define CONN_STREAM_FRAMES_RETRANSMITTED 19 /**< core counter: STREAM frames carrying them */
#define CONN_SPURIOUS_LOSSES 20 /**< core counter: packets declared lost, then acknowledged */
#define CONN_FIELD_COUNT 21

/* ---- path fields (pl_get_path; path 0 is the only path of the core) ---- */
#define PATH_SRTT 0       /**< smoothed RTT, ns */
#define PATH_CWND 1       /**< congestion window, bytes */
#define PATH_BYTES_IN_FLIGHT 2
#define PATH_FIELD_COUNT 3

/* ---- frame fields (pl_get_frame, on a FRAME input handle) ---- */
#define FRAME_TYPE 0      /**< frame type */
#define FRAME_STREAM_ID 1 /**< stream id (STREAM, RESET_STREAM, …) */
#define FRAME_OFFSET 2    /**< offset (STREAM, CRYPTO) */
#define FRAME_LENGTH 3    /**< data length (STREAM, CRYPTO, DATAGRAM) */
#define FRAME_FIN 4       /**< FIN bit of a STREAM frame */
#define FRAME_FIELD_COUNT 5

/* ---- stream fields (pl_get_stream, by stream id) ---- */
#define STREAM_EXISTS 0 /**< 1 if the connection has this stream */
#define STREAM_FIELD_COUNT 1

/* ---- metadata objects (pl_get_meta / pl_set_meta) ---- */
#define META_CONN 0   /**< slots of this plugin on the connection */
#define META_PATH 1   /**< slots of this plugin on path 0 */
#define META_PACKET 2 /**< slots of this plugin on the packet of the running operation */
#define META_SLOTS 32 /**< slots on the connection and on the path */
#define META_PACKET_SLOTS 4 /**< slots on a packet */
/* A packet's slots: the packet being written (schedule_frames, write_frame), sent
 * (on_packet_sent), acknowledged (packet_acked, notify_frame acked), lost (packet_lost,
 * notify_frame lost) or parsed (process_frame, parse_frame, on_packet_received). They read
 * 0 until set, are allocated on the first pl_set_meta and live as long as the core tracks
 * the sent packet (until it is acknowledged, declared lost or its space discarded); a
 * received packet's slots live while it is parsed. pl_set_meta refuses (returns 0) beyond
 * 65536 packets with slots per plugin and connection. Any META_PACKET access from an
 * operation about no packet is a fault. */

/* Connection, path, frame and stream fields. */
extern pl_u64 pl_get_conn(pl_u64 field);
extern pl_u64 pl_set_conn(pl_u64 field, pl_u64 value);
extern pl_u64 pl_get_path(pl_u64 path, pl_u64 field);
extern pl_u64 pl_get_frame(pl_u64 frame, pl_u64 field);
extern pl_u64 pl_get_stream(pl_u64 stream_id, pl_u64 field);

/* Inputs and outputs of the protocol operation being run. */
extern pl_u64 pl_get_input(pl_u64 index);
extern pl_u64 pl_get_output(pl_u64 index);
extern pl_u64 pl_set_output(pl_u64 index, pl_u64 value); /* replace and external only */
extern pl_u64 pl_get_param(void);
extern pl_u64 pl_get_return(void); /* post: what the operation returned */

/* The plugin heap, shared by the pluglets of a plugin on one connection. */
extern void* pl_malloc(pl_u64 size);
extern void pl_free(void* p);
extern void* pl_realloc(void* p, pl_u64 size);
extern void* pl_calloc(pl_u64 count, pl_u64 size);

/* Bounds-checked copy between any two memories the pluglet may read and write
 * (its heap, its stack, buffers the host lent for this call). */
extern pl_u64 pl_memcpy(void* dst, const void* src, pl_u64 len);

/* Protocol operations: id of a name (creating it), and calls. */
extern pl_u64 pl_protoop_id(const char* name);
extern pl_u64 pl_run_protoop(pl_u64 id, pl_u64 param, pl_u64 a0, pl_u64 a1, pl_u64 a2);

/* Timers on the simulator clock: after delay_ns, protoop `id` runs with in[0] = arg. */
extern pl_u64 pl_set_timer(pl_u64 delay_ns, pl_u64 id, pl_u64 arg);
extern pl_u64 pl_cancel_timer(pl_u64 timer);
extern pl_u64 pl_now(void); /* simulated time, ns */

/* Logging (NS_LOG component QuicPluginApi) and messages to the application. */
extern pl_u64 pl_log(const char* message, pl_u64 value);
extern pl_u64 pl_send_to_app(const void* data, pl_u64 len);

/* Frames of a plugin-defined type: reserve `size` bytes (the whole frame, type varint
 * included); at the next sending opportunity (inside the congestion window if
 * congestion_controlled, else even when it is full) the core calls write_frame[type]
 * (replace pluglet: in[0] = writable buffer, in[1] = its size; returns bytes written),
 * and notify_frame[type] (in[0] = frame handle, in[1] = 1 acked / 0 lost) later. The
 * receiver parses it with parse_frame[type] (in[0] = read-only buffer from the frame's
 * first byte, in[1] = bytes left in the packet; returns bytes consumed, 0 = malformed). */
extern pl_u64 pl_reserve_frame(pl_u64 type, pl_u64 size, pl_u64 congestion_controlled);

/* Per-plugin metadata slots (META_CONN, META_PATH, META_PACKET). */
extern pl_u64 pl_get_meta(pl_u64 object, pl_u64 slot);
extern pl_u64 pl_set_meta(pl_u64 object, pl_u64 slot, pl_u64 value);

#endif /* QUIC_PLUGLET_API_H */
