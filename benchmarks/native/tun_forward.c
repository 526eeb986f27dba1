/*
 * The practical ceiling for the TUN forwarder benchmark: blocking read() from one TUN device and write() to another,
 * one frame per system call, nothing else. Built by TunForwarderBenchmarks at setup (gcc -O2).
 *
 * usage: tun_forward NAME_A NETNS_B_PATH NAME_B   (started inside namespace A)
 * Attaches to the existing device NAME_A in the current namespace, enters NETNS_B_PATH, attaches to NAME_B.
 * Then for each line "N" on stdin: forwards N frames A -> B and prints "done <cpu_us>\n" (user+system CPU time of
 * the forwarding). A forward that stalls for 30 s aborts the process (alarm), so a lost frame cannot hang a run.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

static int attach(const char *name)
{
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (fd < 0) { perror("open /dev/net/tun"); exit(2); }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) { perror("TUNSETIFF"); exit(2); }
    return fd;
}

static long cpu_us(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000L + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

int main(int argc, char **argv)
{
    if (argc != 4) { fprintf(stderr, "usage: %s NAME_A NETNS_B_PATH NAME_B\n", argv[0]); return 1; }
    int a = attach(argv[1]);
    int ns = open(argv[2], O_RDONLY | O_CLOEXEC);
    if (ns < 0 || setns(ns, CLONE_NEWNET) < 0) { perror("setns"); return 2; }
    int b = attach(argv[3]);
    static unsigned char buf[65536 + 64];
    printf("ready\n");
    fflush(stdout);
    char line[64];
    while (fgets(line, sizeof line, stdin)) {
        long n = atol(line);
        long start = cpu_us();
        alarm(30);
        for (long i = 0; i < n; i++) {
            ssize_t r = read(a, buf, sizeof buf);
            if (r < 0) { perror("read"); return 3; }
            if (write(b, buf, (size_t)r) < 0) { perror("write"); return 3; }
        }
        alarm(0);
        printf("done %ld\n", cpu_us() - start);
        fflush(stdout);
    }
    return 0;
}
