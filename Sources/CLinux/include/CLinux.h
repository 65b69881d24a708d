#ifndef C_LINUX_H
#define C_LINUX_H

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <errno.h>

/// epoll_event is packed on x86_64; Swift cannot read a packed struct's fields reliably, so read them here.
static inline uint32_t clinux_epoll_event_events(const struct epoll_event *e) { return e->events; }
static inline uint64_t clinux_epoll_event_u64(const struct epoll_event *e) { return e->data.u64; }
static inline int clinux_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data) {
    struct epoll_event ev;
    ev.events = events;
    ev.data.u64 = data;
    return epoll_ctl(epfd, op, fd, &ev);
}
static inline int clinux_errno(void) { return errno; }

/// accept4 needs _GNU_SOURCE, which only the .c file defines. `address` receives the peer's address.
int clinux_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);

/// Attaches a classic BPF program to `fd`'s SO_REUSEPORT group that picks one of the group's first
/// `count` sockets by a hash of the peer's address and port, so a socket that joins the group later
/// (anyone's) never gets a connection. Returns 0, or -1 with errno set.
int clinux_attach_reuseport_cbpf(int fd, unsigned int count);

/// Installs one handler (sigaction, at once and for the whole process) for each of `signals` that
/// writes the signal's number as one byte to a pipe; returns the pipe's read end, or -1 with errno set.
/// Call it once. A signal sent right after the call is never lost, unlike a handler set up
/// asynchronously (a Dispatch signal source is armed later, on another thread).
int clinux_signal_pipe(const int *signals, int count);

#include <sys/syscall.h>

/// send(2) and writev(2) as plain system calls. glibc's wrappers are cancellation points and pay
/// for it on every call (enabling and disabling asynchronous cancellation, ~28 instructions per
/// send under callgrind); no thread of ours is ever cancelled, and the broadcast path makes one
/// send per member per loop turn. Same results and errno as the wrappers.
static inline ssize_t clinux_send(int fd, const void *buffer, size_t length, int flags) {
    return syscall(SYS_sendto, fd, buffer, length, flags, (void *)0, 0);
}
static inline ssize_t clinux_writev(int fd, const struct iovec *iov, int count) {
    return syscall(SYS_writev, fd, iov, count);
}

/// Lowers the calling thread's scheduling priority (a nice value for this thread only, Linux): background
/// work such as the mail sender yields the CPU to the event loops when both want it.
static inline int clinux_set_thread_nice(int nice) { return setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), nice); }

#endif
