#ifndef CCURL_EVENTS_H
#define CCURL_EVENTS_H

// The multi loop waits on an epoll set and wakes through an eventfd; Swift's Glibc module
// exports neither header.
#include <sys/epoll.h>
#include <sys/eventfd.h>

#endif
