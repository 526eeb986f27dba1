/*
 * nlpeer: the C (libmnl) peer of the control-plane benchmarks (issue 18).
 *
 * Built two ways by the benchmark from this one source:
 *   - a shared library (gcc -O2 -shared -fPIC nlpeer.c -lmnl), loaded in-process so BenchmarkDotNet measures the C
 *     loop in steady state, in the same process and the same namespace as LinuxNet;
 *   - an executable (gcc -O2 -DNLPEER_MAIN nlpeer.c -lmnl) for cold-process figures:
 *       nlpeer route-add|route-del|route-add-batch|route-del-batch N DEV
 *     works in the current namespace, exits 0 on success, non-zero with a message on any kernel refusal.
 *
 * What a fair C program does: one mnl socket reused, requests built in a reused buffer, one request per ACK
 * (sendto + recvfrom + mnl_cb_run), or batched (1,024 requests per sendmsg built with mnl_nlmsg_batch, ACKs read in bulk
 * with recvmmsg), dumps parsed with mnl_cb_run + mnl_attr_parse into a small struct per object.
 *
 * Also the C namespace loop (nspeer): unshare(CLONE_NEWNET) on the calling thread, bind-mount
 * /proc/thread-self/ns/net onto /run/netns/NAME, setns back; delete = umount2(MNT_DETACH) + unlink.
 *
 * Every wait is bounded: SO_RCVTIMEO 5 s on the socket.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#define NLP_EXPORT __attribute__((visibility("default")))
#define BATCH_MAX 1024
#ifndef MNL_SOCKET_DUMP_SIZE
#define MNL_SOCKET_DUMP_SIZE 32768 /* older libmnl headers lack it */
#endif
#define TB_MAX 127 /* link attribute table size: the kernel's IFLA_* outgrow older headers */
#define SLOT 256 /* bytes per request slot in the batch buffer and per ACK slot in recvmmsg */

enum nlp_op {
    NLP_ROUTE_ADD = 0,
    NLP_ROUTE_DEL = 1,
    NLP_ADDR_ADD = 2,
    NLP_ADDR_DEL = 3,
    NLP_RULE_ADD = 4,
    NLP_RULE_DEL = 5,
    NLP_NEIGH_ADD = 6,
    NLP_NEIGH_DEL = 7,
};

enum nlp_dump_kind {
    NLP_DUMP_ROUTES = 0,
    NLP_DUMP_ADDRS = 1,
    NLP_DUMP_LINKS = 2,
    NLP_DUMP_NEIGHS = 3,
};

/* One parsed object per dump entry: what a C program that uses the data keeps. */
struct nlp_route { uint8_t dst[16]; uint8_t family, dst_len, type, protocol; uint32_t table, oif, priority; };
struct nlp_addr { uint8_t addr[16]; uint8_t family, prefixlen; uint32_t flags; uint32_t ifindex; };
struct nlp_link { char name[IFNAMSIZ]; uint32_t ifindex, mtu, flags; uint8_t mac[6]; };
struct nlp_neigh { uint8_t dst[16]; uint8_t lladdr[6]; uint8_t family; uint16_t state; uint32_t ifindex; };

struct nlp {
    struct mnl_socket *nl;
    unsigned int portid;
    unsigned int seq;
    char *buf;      /* one request, or one dump read (MNL_SOCKET_DUMP_SIZE) */
    char *batch;    /* BATCH_MAX request slots */
    char *acks;     /* BATCH_MAX ACK slots for recvmmsg */
    struct mmsghdr *msgs;
    struct iovec *iovs;
    void *objects;  /* the last dump's parsed objects */
    size_t object_size, count, capacity; /* capacity in bytes */
    char request[64]; /* a dump request, kept to be sent again after an interrupted dump */
    char error[256];
};

static int fail(struct nlp *p, int err, const char *what)
{
    snprintf(p->error, sizeof(p->error), "%s: %s", what, strerror(err));
    return -err;
}

NLP_EXPORT const char *nlp_error(struct nlp *p) { return p->error; }

/* Opens the mnl socket inside the namespace nsfd refers to (setns on this thread, open + bind, setns back), so the
 * socket lives in that namespace. nsfd < 0: the current namespace. */
NLP_EXPORT struct nlp *nlp_open(int nsfd)
{
    struct nlp *p = calloc(1, sizeof(*p));
    int self = -1;
    if (!p)
        return NULL;
    if (nsfd >= 0) {
        self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
        if (self < 0 || setns(nsfd, CLONE_NEWNET) < 0)
            goto fail;
    }
    p->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
    if (!p->nl || mnl_socket_bind(p->nl, 0, MNL_SOCKET_AUTOPID) < 0)
        goto fail;
    if (self >= 0) {
        if (setns(self, CLONE_NEWNET) < 0)
            goto fail;
        close(self);
        self = -1;
    }
    int fd = mnl_socket_get_fd(p->nl);
    /* Room for a whole batch's ACKs (the default 212 KiB queue overflows) and a bound on every wait. */
    int rcvbuf = 32 << 20, sndbuf = 4 << 20, one = 1;
    struct timeval timeout = { .tv_sec = 5 };
    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
    setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf));
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    mnl_socket_setsockopt(p->nl, NETLINK_CAP_ACK, &one, sizeof(one));
    mnl_socket_setsockopt(p->nl, NETLINK_EXT_ACK, &one, sizeof(one));
    p->portid = mnl_socket_get_portid(p->nl);
    p->seq = (unsigned int)time(NULL);
    p->buf = malloc(MNL_SOCKET_DUMP_SIZE);
    p->batch = malloc((size_t)BATCH_MAX * SLOT);
    p->acks = malloc((size_t)BATCH_MAX * SLOT);
    p->msgs = calloc(BATCH_MAX, sizeof(struct mmsghdr));
    p->iovs = calloc(BATCH_MAX, sizeof(struct iovec));
    if (!p->buf || !p->batch || !p->acks || !p->msgs || !p->iovs)
        goto fail;
    for (int i = 0; i < BATCH_MAX; i++) {
        p->iovs[i].iov_base = p->acks + (size_t)i * SLOT;
        p->iovs[i].iov_len = SLOT;
        p->msgs[i].msg_hdr.msg_iov = &p->iovs[i];
        p->msgs[i].msg_hdr.msg_iovlen = 1;
    }
    return p;
fail:
    if (self >= 0) {
        setns(self, CLONE_NEWNET);
        close(self);
    }
    if (p->nl)
        mnl_socket_close(p->nl);
    free(p->buf);
    free(p->batch);
    free(p->acks);
    free(p->msgs);
    free(p->iovs);
    free(p);
    return NULL;
}

NLP_EXPORT void nlp_close(struct nlp *p)
{
    if (!p)
        return;
    mnl_socket_close(p->nl);
    free(p->buf);
    free(p->batch);
    free(p->acks);
    free(p->msgs);
    free(p->iovs);
    free(p->objects);
    free(p);
}

/* 2001:db8:B::(i+1) — B = 3 routes, 4 addresses, 5 rules, 6 neighbours. */
static void address_of(uint8_t out[16], unsigned int block, unsigned int i)
{
    unsigned int v = i + 1;
    memset(out, 0, 16);
    out[0] = 0x20; out[1] = 0x01; out[2] = 0x0d; out[3] = 0xb8;
    out[4] = (uint8_t)(block >> 8); out[5] = (uint8_t)block;
    out[12] = (uint8_t)(v >> 24); out[13] = (uint8_t)(v >> 16); out[14] = (uint8_t)(v >> 8); out[15] = (uint8_t)v;
}

/* Writes request number i of the operation into buf; returns its header. */
static struct nlmsghdr *build(int op, unsigned int i, int ifindex, char *buf, unsigned int seq)
{
    uint8_t a[16];
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_seq = seq;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    switch (op) {
    case NLP_ROUTE_ADD:
    case NLP_ROUTE_DEL: {
        struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
        address_of(a, 3, i);
        nlh->nlmsg_type = op == NLP_ROUTE_ADD ? RTM_NEWROUTE : RTM_DELROUTE;
        if (op == NLP_ROUTE_ADD)
            nlh->nlmsg_flags |= NLM_F_CREATE | NLM_F_EXCL;
        rtm->rtm_family = AF_INET6;
        rtm->rtm_dst_len = 128;
        rtm->rtm_table = RT_TABLE_MAIN;
        rtm->rtm_protocol = op == NLP_ROUTE_ADD ? RTPROT_BOOT : 0;
        rtm->rtm_scope = op == NLP_ROUTE_ADD ? RT_SCOPE_UNIVERSE : RT_SCOPE_NOWHERE;
        rtm->rtm_type = op == NLP_ROUTE_ADD ? RTN_UNICAST : 0;
        mnl_attr_put(nlh, RTA_DST, 16, a);
        mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)ifindex);
        break;
    }
    case NLP_ADDR_ADD:
    case NLP_ADDR_DEL: {
        struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
        address_of(a, 4, i);
        nlh->nlmsg_type = op == NLP_ADDR_ADD ? RTM_NEWADDR : RTM_DELADDR;
        if (op == NLP_ADDR_ADD)
            nlh->nlmsg_flags |= NLM_F_CREATE | NLM_F_EXCL;
        ifa->ifa_family = AF_INET6;
        ifa->ifa_prefixlen = 128;
        ifa->ifa_index = (uint32_t)ifindex;
        mnl_attr_put(nlh, IFA_LOCAL, 16, a);
        mnl_attr_put(nlh, IFA_ADDRESS, 16, a);
        break;
    }
    case NLP_RULE_ADD:
    case NLP_RULE_DEL: {
        struct fib_rule_hdr *frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
        address_of(a, 5, i);
        nlh->nlmsg_type = op == NLP_RULE_ADD ? RTM_NEWRULE : RTM_DELRULE;
        if (op == NLP_RULE_ADD)
            nlh->nlmsg_flags |= NLM_F_CREATE | NLM_F_EXCL;
        frh->family = AF_INET6;
        frh->src_len = 128;
        frh->table = 100;
        frh->action = FR_ACT_TO_TBL;
        mnl_attr_put(nlh, FRA_SRC, 16, a);
        mnl_attr_put_u32(nlh, FRA_PRIORITY, 1000 + i);
        break;
    }
    case NLP_NEIGH_ADD:
    case NLP_NEIGH_DEL: {
        struct ndmsg *ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
        address_of(a, 6, i);
        nlh->nlmsg_type = op == NLP_NEIGH_ADD ? RTM_NEWNEIGH : RTM_DELNEIGH;
        if (op == NLP_NEIGH_ADD)
            nlh->nlmsg_flags |= NLM_F_CREATE | NLM_F_EXCL;
        ndm->ndm_family = AF_INET6;
        ndm->ndm_ifindex = ifindex;
        ndm->ndm_state = NUD_PERMANENT;
        mnl_attr_put(nlh, NDA_DST, 16, a);
        if (op == NLP_NEIGH_ADD) {
            uint8_t mac[6] = { 0x02, 0x00, 0x00, (uint8_t)((i + 1) >> 16), (uint8_t)((i + 1) >> 8), (uint8_t)(i + 1) };
            mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
        }
        break;
    }
    }
    return nlh;
}

/* N requests, one sendto + one ACK each. Returns 0, or -errno of the first refusal. */
NLP_EXPORT int nlp_run(struct nlp *p, int op, int n, int ifindex)
{
    for (int i = 0; i < n; i++) {
        unsigned int seq = ++p->seq;
        struct nlmsghdr *nlh = build(op, (unsigned int)i, ifindex, p->buf, seq);
        if (mnl_socket_sendto(p->nl, nlh, nlh->nlmsg_len) < 0)
            return fail(p, errno, "sendto");
        ssize_t got = mnl_socket_recvfrom(p->nl, p->buf, MNL_SOCKET_BUFFER_SIZE);
        if (got < 0)
            return fail(p, errno, "recvfrom");
        if (mnl_cb_run(p->buf, (size_t)got, seq, p->portid, NULL, NULL) < 0)
            return fail(p, errno, "kernel refused a request");
    }
    return 0;
}

/* N requests, BATCH_MAX per sendmsg (mnl_nlmsg_batch), then that chunk's ACKs read in bulk with recvmmsg before the
 * next chunk. Returns 0, or -errno of the first refusal (the rest of its chunk's ACKs are still drained). */
NLP_EXPORT int nlp_run_batch(struct nlp *p, int op, int n, int ifindex)
{
    int fd = mnl_socket_get_fd(p->nl);
    int result = 0;
    for (int start = 0; start < n; start += BATCH_MAX) {
        int chunk = n - start < BATCH_MAX ? n - start : BATCH_MAX;
        struct mnl_nlmsg_batch *b = mnl_nlmsg_batch_start(p->batch, (size_t)BATCH_MAX * SLOT);
        for (int i = 0; i < chunk; i++) {
            build(op, (unsigned int)(start + i), ifindex, mnl_nlmsg_batch_current(b), ++p->seq);
            mnl_nlmsg_batch_next(b);
        }
        ssize_t sent = mnl_socket_sendto(p->nl, mnl_nlmsg_batch_head(b), mnl_nlmsg_batch_size(b));
        mnl_nlmsg_batch_stop(b);
        if (sent < 0)
            return fail(p, errno, "sendmsg");
        for (int acked = 0; acked < chunk;) {
            int got = recvmmsg(fd, p->msgs, (unsigned int)(chunk - acked), MSG_WAITFORONE, NULL);
            if (got < 0)
                return fail(p, errno, "recvmmsg");
            for (int m = 0; m < got; m++) {
                const struct nlmsghdr *nlh = (const struct nlmsghdr *)p->iovs[m].iov_base;
                int len = (int)p->msgs[m].msg_len;
                for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
                    if (nlh->nlmsg_type != NLMSG_ERROR)
                        continue;
                    const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
                    if (err->error < 0 && result == 0)
                        result = fail(p, -err->error, "kernel refused a request");
                    acked++;
                }
            }
        }
        if (result != 0)
            return result;
    }
    return 0;
}

/* ---- dumps parsed in C */

struct table { const struct nlattr **tb; uint16_t max; };

static int table_cb(const struct nlattr *attr, void *data)
{
    const struct table *t = data;
    /* Bounded by the table's size: newer kernels send types past the headers' *_MAX. */
    if (mnl_attr_type_valid(attr, t->max) > 0)
        t->tb[mnl_attr_get_type(attr)] = attr;
    return MNL_CB_OK;
}

static void *next_object(struct nlp *p)
{
    if ((p->count + 1) * p->object_size > p->capacity) {
        size_t capacity = p->capacity ? p->capacity * 2 : 64 * 1024;
        void *grown = realloc(p->objects, capacity);
        if (!grown)
            return NULL;
        p->objects = grown;
        p->capacity = capacity;
    }
    return (char *)p->objects + p->count++ * p->object_size;
}

static void copy_attr(void *out, size_t size, const struct nlattr *attr)
{
    size_t len = attr ? mnl_attr_get_payload_len(attr) : 0;
    memset(out, 0, size);
    if (attr)
        memcpy(out, mnl_attr_get_payload(attr), len < size ? len : size);
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
    struct nlp *p = data;
    const struct nlattr *tb[RTA_MAX + 1] = { 0 };
    struct table t = { tb, RTA_MAX };
    const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
    struct nlp_route *r = next_object(p);
    if (!r)
        return MNL_CB_ERROR;
    mnl_attr_parse(nlh, sizeof(*rtm), table_cb, &t);
    copy_attr(r->dst, sizeof(r->dst), tb[RTA_DST]);
    r->family = rtm->rtm_family;
    r->dst_len = rtm->rtm_dst_len;
    r->type = rtm->rtm_type;
    r->protocol = rtm->rtm_protocol;
    r->table = tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
    r->oif = tb[RTA_OIF] ? mnl_attr_get_u32(tb[RTA_OIF]) : 0;
    r->priority = tb[RTA_PRIORITY] ? mnl_attr_get_u32(tb[RTA_PRIORITY]) : 0;
    return MNL_CB_OK;
}

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
    struct nlp *p = data;
    const struct nlattr *tb[IFA_MAX + 1] = { 0 };
    struct table t = { tb, IFA_MAX };
    const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
    struct nlp_addr *a = next_object(p);
    if (!a)
        return MNL_CB_ERROR;
    mnl_attr_parse(nlh, sizeof(*ifa), table_cb, &t);
    copy_attr(a->addr, sizeof(a->addr), tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS]);
    a->family = ifa->ifa_family;
    a->prefixlen = ifa->ifa_prefixlen;
    a->flags = tb[IFA_FLAGS] ? mnl_attr_get_u32(tb[IFA_FLAGS]) : ifa->ifa_flags;
    a->ifindex = ifa->ifa_index;
    return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
    struct nlp *p = data;
    const struct nlattr *tb[TB_MAX + 1] = { 0 };
    struct table t = { tb, TB_MAX };
    const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
    struct nlp_link *l = next_object(p);
    if (!l)
        return MNL_CB_ERROR;
    mnl_attr_parse(nlh, sizeof(*ifi), table_cb, &t);
    copy_attr(l->name, sizeof(l->name), tb[IFLA_IFNAME]);
    l->name[IFNAMSIZ - 1] = 0;
    copy_attr(l->mac, sizeof(l->mac), tb[IFLA_ADDRESS]);
    l->ifindex = (uint32_t)ifi->ifi_index;
    l->flags = ifi->ifi_flags;
    l->mtu = tb[IFLA_MTU] ? mnl_attr_get_u32(tb[IFLA_MTU]) : 0;
    return MNL_CB_OK;
}

static int neigh_cb(const struct nlmsghdr *nlh, void *data)
{
    struct nlp *p = data;
    const struct nlattr *tb[NDA_MAX + 1] = { 0 };
    struct table t = { tb, NDA_MAX };
    const struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);
    struct nlp_neigh *e = next_object(p);
    if (!e)
        return MNL_CB_ERROR;
    mnl_attr_parse(nlh, sizeof(*ndm), table_cb, &t);
    copy_attr(e->dst, sizeof(e->dst), tb[NDA_DST]);
    copy_attr(e->lladdr, sizeof(e->lladdr), tb[NDA_LLADDR]);
    e->family = ndm->ndm_family;
    e->state = ndm->ndm_state;
    e->ifindex = (uint32_t)ndm->ndm_ifindex;
    return MNL_CB_OK;
}

/* Dumps routes (IPv6), addresses, links or neighbours (all families) and parses each into its struct. Returns the
 * number of objects, or -errno. */
/* Whether a datagram holds the end of a dump (NLMSG_DONE, or an error ending it). */
static int ends_dump(const char *buf, ssize_t got)
{
    const struct nlmsghdr *h = (const struct nlmsghdr *)buf;
    int rest = (int)got;
    while (mnl_nlmsg_ok(h, rest)) {
        if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR)
            return 1;
        h = mnl_nlmsg_next(h, &rest);
    }
    return 0;
}

NLP_EXPORT long nlp_dump(struct nlp *p, int kind)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(p->buf);
    unsigned int seq = ++p->seq;
    mnl_cb_t cb;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    nlh->nlmsg_seq = seq;
    switch (kind) {
    case NLP_DUMP_ROUTES: {
        struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
        rtm->rtm_family = AF_INET6;
        nlh->nlmsg_type = RTM_GETROUTE;
        cb = route_cb;
        p->object_size = sizeof(struct nlp_route);
        break;
    }
    case NLP_DUMP_ADDRS: {
        struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
        ifa->ifa_family = AF_UNSPEC;
        nlh->nlmsg_type = RTM_GETADDR;
        cb = addr_cb;
        p->object_size = sizeof(struct nlp_addr);
        break;
    }
    case NLP_DUMP_LINKS: {
        struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
        ifi->ifi_family = AF_UNSPEC;
        nlh->nlmsg_type = RTM_GETLINK;
        cb = link_cb;
        p->object_size = sizeof(struct nlp_link);
        break;
    }
    case NLP_DUMP_NEIGHS: {
        struct ndmsg *ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
        ndm->ndm_family = AF_UNSPEC;
        nlh->nlmsg_type = RTM_GETNEIGH;
        cb = neigh_cb;
        p->object_size = sizeof(struct nlp_neigh);
        break;
    }
    default:
        return fail(p, EINVAL, "dump kind");
    }
    /* A dump the kernel flags inconsistent (NLM_F_DUMP_INTR: the table changed meanwhile, e.g. IPv6 addresses leaving
       DAD) is read to its end and made again, as LinuxNet and iproute2 do, up to 10 times. */
    unsigned int len = nlh->nlmsg_len;
    for (int attempt = 0; attempt < 10; attempt++) {
        /* The objects array is kept between dumps (its bytes reused), as a program refreshing its view would. */
        p->count = 0;
        nlh = (struct nlmsghdr *)p->buf;
        if (attempt > 0) {
            memcpy(p->buf, p->request, len);
            nlh->nlmsg_seq = seq = ++p->seq;
        } else {
            memcpy(p->request, p->buf, len);
        }
        if (mnl_socket_sendto(p->nl, nlh, len) < 0)
            return fail(p, errno, "sendto");
        int interrupted = 0;
        for (;;) {
            ssize_t got = mnl_socket_recvfrom(p->nl, p->buf, MNL_SOCKET_DUMP_SIZE);
            if (got < 0)
                return fail(p, errno, "recvfrom");
            if (interrupted) {
                /* Drain to NLMSG_DONE before asking again. */
                if (ends_dump(p->buf, got))
                    break;
                continue;
            }
            int ret = mnl_cb_run(p->buf, (size_t)got, seq, p->portid, cb, p);
            if (ret < 0 && errno == EINTR) {
                interrupted = 1;
                if (ends_dump(p->buf, got))
                    break;
                continue;
            }
            if (ret < 0)
                return fail(p, errno, "dump");
            if (ret == MNL_CB_STOP)
                return (long)p->count;
        }
    }
    return fail(p, EINTR, "dump (interrupted 10 times)");
}

/* The last dump's objects (for a check that the parse saw what it should). */
NLP_EXPORT const void *nlp_objects(struct nlp *p) { return p->objects; }

/* ---- nspeer: the C namespace loop */

static int ensure_run_netns(void)
{
    static int done;
    if (done)
        return 0;
    if (mkdir("/run/netns", 0755) < 0 && errno != EEXIST)
        return -errno;
    /* As ip netns add: make /run/netns a shared mount point, binding it onto itself the first time. */
    if (mount("", "/run/netns", "none", MS_SHARED | MS_REC, NULL) < 0) {
        if (errno != EINVAL)
            return -errno;
        if (mount("/run/netns", "/run/netns", "none", MS_BIND | MS_REC, NULL) < 0)
            return -errno;
        if (mount("", "/run/netns", "none", MS_SHARED | MS_REC, NULL) < 0)
            return -errno;
    }
    done = 1;
    return 0;
}

/* Creates /run/netns/PREFIXi for i in [0, n): unshare on this thread, bind mount, setns back. Returns 0 or -errno. */
NLP_EXPORT int create_n(const char *prefix, int n)
{
    char path[512];
    int err = ensure_run_netns();
    if (err)
        return err;
    int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (self < 0)
        return -errno;
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof(path), "/run/netns/%s%d", prefix, i);
        int fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
        if (fd < 0) {
            err = -errno;
            break;
        }
        close(fd);
        if (unshare(CLONE_NEWNET) < 0) {
            err = -errno;
            unlink(path);
            break;
        }
        if (mount("/proc/thread-self/ns/net", path, "none", MS_BIND, NULL) < 0)
            err = -errno;
        if (setns(self, CLONE_NEWNET) < 0 && !err)
            err = -errno;
        if (err) {
            umount2(path, MNT_DETACH);
            unlink(path);
            break;
        }
    }
    close(self);
    return err;
}

/* Deletes /run/netns/PREFIXi for i in [0, n): umount2(MNT_DETACH) + unlink. Returns 0 or -errno of the first failure. */
NLP_EXPORT int delete_n(const char *prefix, int n)
{
    char path[512];
    int err = 0;
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof(path), "/run/netns/%s%d", prefix, i);
        if (umount2(path, MNT_DETACH) < 0 && !err)
            err = -errno;
        if (unlink(path) < 0 && !err)
            err = -errno;
    }
    return err;
}

#ifdef NLPEER_MAIN
int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s route-add|route-del|route-add-batch|route-del-batch N DEV\n", argv[0]);
        return 2;
    }
    int batch = strstr(argv[1], "-batch") != NULL;
    int op;
    if (strncmp(argv[1], "route-add", 9) == 0)
        op = NLP_ROUTE_ADD;
    else if (strncmp(argv[1], "route-del", 9) == 0)
        op = NLP_ROUTE_DEL;
    else {
        fprintf(stderr, "unknown operation %s\n", argv[1]);
        return 2;
    }
    int n = atoi(argv[2]);
    int ifindex = (int)if_nametoindex(argv[3]);
    if (n <= 0 || ifindex == 0) {
        fprintf(stderr, "bad count or device: %s %s\n", argv[2], argv[3]);
        return 2;
    }
    struct nlp *p = nlp_open(-1);
    if (!p) {
        fprintf(stderr, "cannot open netlink socket: %s\n", strerror(errno));
        return 1;
    }
    int ret = batch ? nlp_run_batch(p, op, n, ifindex) : nlp_run(p, op, n, ifindex);
    if (ret < 0)
        fprintf(stderr, "%s\n", nlp_error(p));
    nlp_close(p);
    return ret < 0 ? 1 : 0;
}
#endif
