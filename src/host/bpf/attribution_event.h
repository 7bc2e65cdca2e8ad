#pragma once
/* The record attribution.bpf.c writes into its ring buffer and
 * host/ebpf_source.cpp reads back (issue 6). Shared by the BPF program (C,
 * compiled with clang -target bpf) and the C++ loader, so only plain
 * fixed-width fields, laid out without implicit padding. */

#if defined(__bpf__) || defined(__BPF__)
typedef __u8 wt_u8;
typedef __u16 wt_u16;
typedef __u32 wt_u32;
typedef __u64 wt_u64;
#else
#include <stdint.h>
typedef uint8_t wt_u8;
typedef uint16_t wt_u16;
typedef uint32_t wt_u32;
typedef uint64_t wt_u64;
#endif

/* Which hook saw the socket; the loader turns it into confidence and "ended". */
enum wt_event_kind {
  WT_EV_CONNECT = 1,     /* cgroup/connect4/6, the socket already had a local port */
  WT_EV_BIND = 2,        /* cgroup/post_bind4/6: a bound socket, remote any */
  WT_EV_LISTEN = 3,      /* tp_btf: CLOSE -> LISTEN, in the listen() caller */
  WT_EV_UDP_SEND = 4,    /* cgroup/sendmsg4/6 or tp_btf/sock_send_length */
  WT_EV_UDP_RECV = 5,    /* cgroup/recvmsg4/6 */
  WT_EV_TCP_ACTIVE = 6,  /* SYN_SENT -> ESTABLISHED, owner recorded at connect */
  WT_EV_TCP_PASSIVE = 7, /* SYN_RECV -> ESTABLISHED, owner is the listener's */
  WT_EV_TCP_CLOSE = 8,   /* -> CLOSE: the mapping may be dropped */
};

/* The owner is the listening socket's, not the accepting process's. */
#define WT_FLAG_FROM_LISTENER 1

struct wt_event {
  wt_u64 ts_ns;  /* bpf_ktime_get_ns() */
  wt_u64 cookie; /* socket cookie (SO_COOKIE), 0 when unknown */
  wt_u64 inode;  /* socket inode, 0 when unknown */
  wt_u32 pid;    /* thread group id: the process */
  wt_u32 tid;
  wt_u32 uid;
  wt_u32 gid;
  wt_u8 laddr[16]; /* IPv4 in the first 4 bytes; all zero: any / unknown */
  wt_u8 raddr[16];
  wt_u16 lport; /* host byte order */
  wt_u16 rport; /* host byte order, 0: any */
  wt_u8 kind;   /* enum wt_event_kind */
  wt_u8 family; /* 4 or 6 */
  wt_u8 proto;  /* 6 TCP, 17 UDP */
  wt_u8 flags;  /* WT_FLAG_* */
  char comm[16];
};

/* The owner the program remembers for a socket or listening port. */
struct wt_owner {
  wt_u32 pid, tid, uid, gid;
  char comm[16];
};

/* Listening ports by network namespace; the loader seeds it with servers
 * that were already listening (the kernel shows no LISTEN for them). */
struct wt_listener_key {
  wt_u64 netns;
  wt_u16 port;
  wt_u16 pad[3];
};
