// SPDX-License-Identifier: GPL-2.0
/* Socket -> process attribution in the kernel (issue 6), built for locked-down
 * kernels: only hooks that load without fentry/kprobe (platform.md).
 *
 * - tp_btf/inet_sock_set_state: TCP. The connecting process is current only
 *   at CLOSE -> SYN_SENT (inside connect(), local port still 0), so the owner
 *   is remembered by socket cookie there and sent with the full tuple at
 *   SYN_SENT -> ESTABLISHED, which may run in softirq. The passive side's
 *   ESTABLISHED always runs in softirq: its owner is the listener's, taken in
 *   the listen() caller (CLOSE -> LISTEN) or at bind (post_bind).
 * - cgroup/post_bind4/6: bound sockets (servers, UDP listeners), remote any.
 * - cgroup/sendmsg4/6, cgroup/recvmsg4/6: unconnected UDP, per peer.
 * - tp_btf/sock_send_length: connected UDP (no address in sendmsg, so the
 *   cgroup hook is not run), once per peer.
 * - cgroup/connect4/6: connects of already-bound sockets.
 * Every cgroup program returns 1: it only observes, never denies.
 * Events go through one ring buffer; repeats are damped per (socket, peer). */

#include "vmlinux.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "attribution_event.h"

#define WT_AF_INET 2
#define WT_AF_INET6 10
/* A UDP peer already reported is reported again after this long, so the
 * main side's map (which forgets idle entries) gets refreshed. */
#define WT_RESEND_NS (10ULL * 1000 * 1000 * 1000)

char LICENSE[] SEC("license") = "GPL";

/* Set by the loader before load: only sockets of this network namespace (the
 * one wiretop captures in) are reported; 0 reports every namespace. */
const volatile __u64 target_netns = 0;

/* A TCP socket being followed: its owner, and its tuple once complete (at
 * CLOSE the kernel has already released the local port: skc_num reads 0). */
struct tracked {
  struct wt_owner o;
  __u8 laddr[16];
  __u8 raddr[16];
  __u16 lport;
  __u16 rport;
  __u8 family;
  __u8 has_tuple;
  __u8 from_listener;
  __u8 pad;
};

struct peer_key {
  __u64 cookie;
  __u8 raddr[16];
  __u16 rport;
  __u16 pad[3];
};

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 1 << 20);
} events SEC(".maps");

/* TCP sockets whose owner is known, by cookie: set at connect, given the
 * tuple when it is complete, removed at CLOSE. LRU: a missed CLOSE cannot fill it. */
struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 65536);
  __type(key, __u64);
  __type(value, struct tracked);
} owners SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 8192);
  __type(key, struct wt_listener_key);
  __type(value, struct wt_owner);
} listeners SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 65536);
  __type(key, struct peer_key);
  __type(value, __u64);
} udp_seen SEC(".maps");

/* Events lost because the ring buffer was full (the loader reports it). */
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} drops SEC(".maps");

static __always_inline int netns_wanted(__u64 netns) { return target_netns == 0 || netns == target_netns; }

static __always_inline void current_owner(struct wt_owner *o) {
  __u64 pid_tgid = bpf_get_current_pid_tgid();
  __u64 uid_gid = bpf_get_current_uid_gid();
  o->pid = pid_tgid >> 32;
  o->tid = (__u32)pid_tgid;
  o->uid = (__u32)uid_gid;
  o->gid = uid_gid >> 32;
  bpf_get_current_comm(o->comm, sizeof o->comm);
}

static __always_inline struct wt_event *new_event(__u8 kind, const struct wt_owner *o) {
  struct wt_event *e = bpf_ringbuf_reserve(&events, sizeof *e, 0);
  if (!e) {
    __u32 zero = 0;
    __u64 *n = bpf_map_lookup_elem(&drops, &zero);
    if (n) __sync_fetch_and_add(n, 1);
    return 0;
  }
  __builtin_memset(e, 0, sizeof *e);
  e->ts_ns = bpf_ktime_get_ns();
  e->kind = kind;
  e->pid = o->pid;
  e->tid = o->tid;
  e->uid = o->uid;
  e->gid = o->gid;
  __builtin_memcpy(e->comm, o->comm, sizeof e->comm);
  return e;
}

/* True the first time a (socket, peer) pair is seen, and again after
 * WT_RESEND_NS: UDP sends are per packet, events must not be. */
static __always_inline int udp_peer_is_new(__u64 cookie, const __u8 *raddr, __u16 rport) {
  struct peer_key k = {};
  k.cookie = cookie;
  __builtin_memcpy(k.raddr, raddr, sizeof k.raddr);
  k.rport = rport;
  __u64 now = bpf_ktime_get_ns();
  __u64 *last = bpf_map_lookup_elem(&udp_seen, &k);
  if (last && now - *last < WT_RESEND_NS) return 0;
  bpf_map_update_elem(&udp_seen, &k, &now, BPF_ANY);
  return 1;
}

/* ---- struct sock (tracing programs) ---- */

static __always_inline __u64 sk_netns(const struct sock *sk) {
  return BPF_CORE_READ(sk, __sk_common.skc_net.net, net_cookie);
}

static __always_inline void tuple_from_sk(struct wt_event *e, const struct sock *sk) {
  __u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
  e->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
  e->rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
  if (family == WT_AF_INET) {
    e->family = 4;
    __u32 l = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
    __u32 r = BPF_CORE_READ(sk, __sk_common.skc_daddr);
    __builtin_memcpy(e->laddr, &l, 4);
    __builtin_memcpy(e->raddr, &r, 4);
  } else {
    e->family = 6;
    BPF_CORE_READ_INTO(&e->laddr, sk, __sk_common.skc_v6_rcv_saddr);
    BPF_CORE_READ_INTO(&e->raddr, sk, __sk_common.skc_v6_daddr);
  }
  /* NULL sk_socket (a child not yet accepted) reads as 0. */
  e->inode = BPF_CORE_READ(sk, sk_socket, file, f_inode, i_ino);
}

static __always_inline struct wt_event *emit_sk(__u8 kind, const struct wt_owner *o, const struct sock *sk,
                                                __u64 cookie, __u8 proto) {
  struct wt_event *e = new_event(kind, o);
  if (!e) return 0;
  tuple_from_sk(e, sk);
  e->cookie = cookie;
  e->proto = proto;
  return e;
}

/* Sends an ESTABLISHED event and keeps its tuple for the CLOSE event. */
static __always_inline void emit_established(__u8 kind, struct tracked *t, const struct sock *sk, __u64 cookie) {
  struct wt_event *e = emit_sk(kind, &t->o, sk, cookie, IPPROTO_TCP);
  if (!e) return;
  e->flags = t->from_listener ? WT_FLAG_FROM_LISTENER : 0;
  __builtin_memcpy(t->laddr, e->laddr, sizeof t->laddr);
  __builtin_memcpy(t->raddr, e->raddr, sizeof t->raddr);
  t->lport = e->lport;
  t->rport = e->rport;
  t->family = e->family;
  t->has_tuple = 1;
  bpf_map_update_elem(&owners, &cookie, t, BPF_ANY);
  bpf_ringbuf_submit(e, 0);
}

static __always_inline void on_listen(const struct sock *sk, __u64 cookie) {
  struct tracked t = {};
  current_owner(&t.o);
  struct wt_listener_key k = {};
  k.netns = sk_netns(sk);
  k.port = BPF_CORE_READ(sk, __sk_common.skc_num);
  bpf_map_update_elem(&listeners, &k, &t.o, BPF_ANY);
  emit_established(WT_EV_LISTEN, &t, sk, cookie);
}

static __always_inline void on_passive_established(const struct sock *sk, __u64 cookie) {
  struct wt_listener_key k = {};
  k.netns = sk_netns(sk);
  k.port = BPF_CORE_READ(sk, __sk_common.skc_num);
  struct wt_owner *o = bpf_map_lookup_elem(&listeners, &k);
  if (!o) return;
  struct tracked t = {};
  t.o = *o;
  t.from_listener = 1;
  emit_established(WT_EV_TCP_PASSIVE, &t, sk, cookie);
}

static __always_inline void on_close(const struct sock *sk, __u64 cookie, int oldstate) {
  struct tracked *t = bpf_map_lookup_elem(&owners, &cookie);
  if (t && t->has_tuple) {
    struct wt_event *e = new_event(WT_EV_TCP_CLOSE, &t->o);
    if (e) {
      __builtin_memcpy(e->laddr, t->laddr, sizeof e->laddr);
      __builtin_memcpy(e->raddr, t->raddr, sizeof e->raddr);
      e->lport = t->lport;
      e->rport = t->rport;
      e->family = t->family;
      e->flags = t->from_listener ? WT_FLAG_FROM_LISTENER : 0;
      e->proto = IPPROTO_TCP;
      e->cookie = cookie;
      bpf_ringbuf_submit(e, 0);
    }
  }
  if (t && oldstate == TCP_LISTEN) {
    struct wt_listener_key k = {};
    k.netns = sk_netns(sk);
    k.port = t->lport;
    bpf_map_delete_elem(&listeners, &k);
  }
  if (t) bpf_map_delete_elem(&owners, &cookie);
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(on_tcp_state, const struct sock *sk, const int oldstate, const int newstate) {
  if (!sk || BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP) return 0;
  if (!netns_wanted(sk_netns(sk))) return 0;
  __u64 cookie = bpf_get_socket_cookie((void *)sk);
  if (newstate == TCP_SYN_SENT) {
    /* Inside connect(): current is the owner, the local port is not yet chosen. */
    struct tracked t = {};
    current_owner(&t.o);
    bpf_map_update_elem(&owners, &cookie, &t, BPF_ANY);
  } else if (newstate == TCP_LISTEN) {
    on_listen(sk, cookie);
  } else if (newstate == TCP_ESTABLISHED && oldstate == TCP_SYN_SENT) {
    struct tracked *found = bpf_map_lookup_elem(&owners, &cookie);
    if (found) {
      struct tracked t = *found;
      emit_established(WT_EV_TCP_ACTIVE, &t, sk, cookie);
    }
  } else if (newstate == TCP_ESTABLISHED && oldstate == TCP_SYN_RECV) {
    on_passive_established(sk, cookie);
  } else if (newstate == TCP_CLOSE) {
    on_close(sk, cookie, oldstate);
  }
  return 0;
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(on_send_length, struct sock *sk, int ret, int flags) {
  if (!sk || ret <= 0) return 0;
  __u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
  if (family != WT_AF_INET && family != WT_AF_INET6) return 0;
  if (BPF_CORE_READ(sk, sk_protocol) != IPPROTO_UDP) return 0;
  if (BPF_CORE_READ(sk, __sk_common.skc_dport) == 0) return 0; /* unconnected: sendmsg4/6 saw it */
  if (!netns_wanted(sk_netns(sk))) return 0;
  __u64 cookie = bpf_get_socket_cookie(sk);
  struct wt_owner o = {};
  current_owner(&o);
  struct wt_event *e = new_event(WT_EV_UDP_SEND, &o);
  if (!e) return 0;
  tuple_from_sk(e, sk);
  e->cookie = cookie;
  e->proto = IPPROTO_UDP;
  if (!udp_peer_is_new(cookie, e->raddr, e->rport)) {
    bpf_ringbuf_discard(e, 0);
    return 0;
  }
  bpf_ringbuf_submit(e, 0);
  return 0;
}

/* ---- cgroup sock-addr / sock programs (struct bpf_sock) ---- */

static __always_inline void local_from_bpf_sock(struct wt_event *e, struct bpf_sock *sk, int v6) {
  e->lport = sk->src_port;
  if (!v6) {
    __u32 l = sk->src_ip4;
    __builtin_memcpy(e->laddr, &l, 4);
  } else {
    __u32 l[4] = {sk->src_ip6[0], sk->src_ip6[1], sk->src_ip6[2], sk->src_ip6[3]};
    __builtin_memcpy(e->laddr, l, 16);
  }
}

static __always_inline void remote_from_sock_addr(struct wt_event *e, struct bpf_sock_addr *ctx, int v6) {
  e->rport = bpf_ntohs((__u16)ctx->user_port);
  if (!v6) {
    __u32 r = ctx->user_ip4;
    __builtin_memcpy(e->raddr, &r, 4);
  } else {
    __u32 r[4] = {ctx->user_ip6[0], ctx->user_ip6[1], ctx->user_ip6[2], ctx->user_ip6[3]};
    __builtin_memcpy(e->raddr, r, 16);
  }
}

/* connect(), sendto(), recvfrom() on an inet socket; kind says which. */
static __always_inline void on_sock_addr(struct bpf_sock_addr *ctx, __u8 kind, int v6) {
  if (!netns_wanted(bpf_get_netns_cookie(ctx))) return;
  struct bpf_sock *sk = ctx->sk;
  if (!sk) return;
  __u64 cookie = bpf_get_socket_cookie(ctx);
  struct wt_owner o = {};
  current_owner(&o);
  if (kind == WT_EV_CONNECT && ctx->protocol == IPPROTO_TCP) {
    struct tracked t = {};
    t.o = o;
    bpf_map_update_elem(&owners, &cookie, &t, BPF_ANY);
  }
  if (sk->src_port == 0) return; /* not bound yet: a later hook completes the tuple */
  struct wt_event *e = new_event(kind, &o);
  if (!e) return;
  e->family = v6 ? 6 : 4;
  e->proto = ctx->protocol;
  e->cookie = cookie;
  local_from_bpf_sock(e, sk, v6);
  remote_from_sock_addr(e, ctx, v6);
  if (kind != WT_EV_CONNECT && !udp_peer_is_new(cookie, e->raddr, e->rport)) {
    bpf_ringbuf_discard(e, 0);
    return;
  }
  bpf_ringbuf_submit(e, 0);
}

SEC("cgroup/connect4")
int on_connect4(struct bpf_sock_addr *ctx) {
  on_sock_addr(ctx, WT_EV_CONNECT, 0);
  return 1;
}

SEC("cgroup/connect6")
int on_connect6(struct bpf_sock_addr *ctx) {
  on_sock_addr(ctx, WT_EV_CONNECT, 1);
  return 1;
}

SEC("cgroup/sendmsg4")
int on_sendmsg4(struct bpf_sock_addr *ctx) {
  on_sock_addr(ctx, WT_EV_UDP_SEND, 0);
  return 1;
}

SEC("cgroup/sendmsg6")
int on_sendmsg6(struct bpf_sock_addr *ctx) {
  on_sock_addr(ctx, WT_EV_UDP_SEND, 1);
  return 1;
}

SEC("cgroup/recvmsg4")
int on_recvmsg4(struct bpf_sock_addr *ctx) {
  on_sock_addr(ctx, WT_EV_UDP_RECV, 0);
  return 1;
}

SEC("cgroup/recvmsg6")
int on_recvmsg6(struct bpf_sock_addr *ctx) {
  on_sock_addr(ctx, WT_EV_UDP_RECV, 1);
  return 1;
}

/* bind(): a server's port (TCP listeners are also caught at LISTEN, this
 * covers kernels where that transition is not traced, and UDP servers). */
static __always_inline void on_bind(struct bpf_sock *sk, int v6) {
  if (!netns_wanted(bpf_get_netns_cookie(sk))) return;
  if (sk->protocol != IPPROTO_TCP && sk->protocol != IPPROTO_UDP) return;
  struct wt_owner o = {};
  current_owner(&o);
  if (sk->protocol == IPPROTO_TCP) {
    struct wt_listener_key k = {};
    k.netns = bpf_get_netns_cookie(sk);
    k.port = sk->src_port;
    bpf_map_update_elem(&listeners, &k, &o, BPF_ANY);
  }
  struct wt_event *e = new_event(WT_EV_BIND, &o);
  if (!e) return;
  e->family = v6 ? 6 : 4;
  e->proto = sk->protocol;
  e->cookie = bpf_get_socket_cookie(sk);
  local_from_bpf_sock(e, sk, v6);
  bpf_ringbuf_submit(e, 0);
}

SEC("cgroup/post_bind4")
int on_post_bind4(struct bpf_sock *sk) {
  on_bind(sk, 0);
  return 1;
}

SEC("cgroup/post_bind6")
int on_post_bind6(struct bpf_sock *sk) {
  on_bind(sk, 1);
  return 1;
}
