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

/// accept4 needs _GNU_SOURCE, which only the .c file defines.
int clinux_accept4(int fd, int flags);

#include <sys/syscall.h>

/// Lowers the calling thread's scheduling priority (a nice value for this thread only, Linux): background
/// work such as the mail sender yields the CPU to the event loops when both want it.
static inline int clinux_set_thread_nice(int nice) { return setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), nice); }

#endif
