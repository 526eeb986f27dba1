/*
 * The C peer of the offloaded TUN forwarder benchmark: IFF_VNET_HDR and TUNSETOFFLOAD (CSUM | TSO4 | TSO6), GSO
 * super-frames passed through whole, one blocking read() and one write() per frame, one thread per queue and
 * direction. Built by TunOffloadForwarderBenchmarks at setup (gcc -O2 -pthread).
 *
 * usage: tun_offload_forward NAME_A NETNS_B_PATH NAME_B QUEUES   (started inside namespace A)
 * Attaches QUEUES queues to the existing device NAME_A here and to NAME_B in NETNS_B_PATH, prints "ready", then
 * forwards both ways until stdin closes. Each line on stdin is answered with "frames <A->B frames> <B->A frames>".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static long frames[2];

struct path { int from, to, direction; };

static int attach(const char *name, int multi)
{
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (fd < 0) { perror("open /dev/net/tun"); exit(2); }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI | IFF_VNET_HDR | (multi ? IFF_MULTI_QUEUE : 0);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) { perror("TUNSETIFF"); exit(2); }
    if (ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6) < 0) { perror("TUNSETOFFLOAD"); exit(2); }
    return fd;
}

static void *forward(void *arg)
{
    struct path *p = arg;
    static __thread unsigned char buf[65536 + 64];
    for (;;) {
        ssize_t r = read(p->from, buf, sizeof buf);
        if (r < 0) { perror("read"); exit(3); }
        if (write(p->to, buf, (size_t)r) < 0) { perror("write"); exit(3); }
        __atomic_add_fetch(&frames[p->direction], 1, __ATOMIC_RELAXED);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 5) { fprintf(stderr, "usage: %s NAME_A NETNS_B_PATH NAME_B QUEUES\n", argv[0]); return 1; }
    int queues = atoi(argv[4]);
    if (queues < 1 || queues > 8) { fprintf(stderr, "QUEUES must be 1 to 8\n"); return 1; }
    int a[8], b[8];
    for (int q = 0; q < queues; q++) a[q] = attach(argv[1], queues > 1);
    int ns = open(argv[2], O_RDONLY | O_CLOEXEC);
    if (ns < 0 || setns(ns, CLONE_NEWNET) < 0) { perror("setns"); return 2; }
    for (int q = 0; q < queues; q++) b[q] = attach(argv[3], queues > 1);
    static struct path paths[16];
    pthread_t threads[16];
    for (int q = 0; q < queues; q++) {
        paths[2 * q] = (struct path){ a[q], b[q], 0 };
        paths[2 * q + 1] = (struct path){ b[q], a[q], 1 };
        pthread_create(&threads[2 * q], NULL, forward, &paths[2 * q]);
        pthread_create(&threads[2 * q + 1], NULL, forward, &paths[2 * q + 1]);
    }
    printf("ready\n");
    fflush(stdout);
    char line[64];
    while (fgets(line, sizeof line, stdin)) {
        printf("frames %ld %ld\n", __atomic_load_n(&frames[0], __ATOMIC_RELAXED), __atomic_load_n(&frames[1], __ATOMIC_RELAXED));
        fflush(stdout);
    }
    return 0;
}
