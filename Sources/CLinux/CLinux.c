#define _GNU_SOURCE
#include <sys/socket.h>
#include <linux/filter.h>
#include <string.h>
#include "CLinux.h"

int clinux_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags) {
    return accept4(fd, address, length, flags);
}

/* The program runs on each incoming SYN with the IP header at SKF_NET_OFF. It mixes the last 32 bits
 * of the source address with the source port (Fibonacci hashing, so Linux's even-only ephemeral ports
 * still spread) and returns hash % count: an index among the group's sockets in the order they were
 * bound. Our sockets are bound first and stay until shutdown, so indexes 0..count-1 are ours. */
int clinux_attach_reuseport_cbpf(int fd, unsigned int count) {
    struct sock_filter code[] = {
        /* 0 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, SKF_NET_OFF),            /* A = version and IHL */
        /* 1 */ BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 4),
        /* 2 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 6, 0, 4),                /* IPv6? else to 7 */
        /* 3 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_NET_OFF + 20),       /* IPv6 source, last word */
        /* 4 */ BPF_STMT(BPF_ST, 0),
        /* 5 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, SKF_NET_OFF + 40),       /* TCP source port */
        /* 6 */ BPF_JUMP(BPF_JMP | BPF_JA, 4, 0, 0),                         /* to 11 */
        /* 7 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_NET_OFF + 12),       /* IPv4 source */
        /* 8 */ BPF_STMT(BPF_ST, 0),
        /* 9 */ BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, SKF_NET_OFF),           /* X = IPv4 header length */
        /* 10 */ BPF_STMT(BPF_LD | BPF_H | BPF_IND, SKF_NET_OFF),           /* TCP source port */
        /* 11 */ BPF_STMT(BPF_LDX | BPF_MEM, 0),
        /* 12 */ BPF_STMT(BPF_ALU | BPF_XOR | BPF_X, 0),
        /* 13 */ BPF_STMT(BPF_ALU | BPF_MUL | BPF_K, 0x9E3779B1u),
        /* 14 */ BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 16),
        /* 15 */ BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, count),
        /* 16 */ BPF_STMT(BPF_RET | BPF_A, 0),
    };
    struct sock_fprog program = { .len = sizeof(code) / sizeof(code[0]), .filter = code };
    return setsockopt(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &program, sizeof(program));
}

static int clinux_signal_write_end = -1;

/* Async-signal-safe: one write(2) of one byte, errno kept. A full pipe drops the byte, which only
 * happens when hundreds of signals are unread. */
static void clinux_signal_handler(int signal_number) {
    int saved = errno;
    unsigned char byte = (unsigned char)signal_number;
    ssize_t ignored = write(clinux_signal_write_end, &byte, 1);
    (void)ignored;
    errno = saved;
}

int clinux_signal_pipe(const int *signals, int count) {
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) != 0) return -1;
    if (fcntl(ends[1], F_SETFL, O_NONBLOCK) != 0) return -1;
    clinux_signal_write_end = ends[1];
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = clinux_signal_handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int i = 0; i < count; i++) {
        if (sigaction(signals[i], &action, NULL) != 0) return -1;
    }
    return ends[0];
}
