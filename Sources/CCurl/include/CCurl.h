#ifndef CCURL_H
#define CCURL_H

// Typed wrappers over libcurl's variadic entry points, which Swift cannot call directly.
#include <curl/curl.h>
#include <stddef.h>

#include "CCurlEvents.h"

typedef size_t (*ccurl_data_callback)(char *data, size_t size, size_t count, void *context);

CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode ccurl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode ccurl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value);

/// Installs the body and header callbacks, both sharing one context pointer.
CURLcode ccurl_set_callbacks(CURL *handle, void *context, ccurl_data_callback body,
                             ccurl_data_callback header);

CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode ccurl_getinfo_offset(CURL *handle, CURLINFO info, curl_off_t *value);

/// CURL_REDIR_POST_ALL is a macro expression Swift cannot import.
long ccurl_redirect_post_all(void);

CURLMcode ccurl_multi_setopt_long(CURLM *multi, CURLMoption option, long value);

/// Installs CURLMOPT_SOCKETFUNCTION and CURLMOPT_TIMERFUNCTION, both sharing one context pointer;
/// NULL callbacks uninstall them.
CURLMcode ccurl_multi_set_event_callbacks(CURLM *multi, void *context, curl_socket_callback socket,
                                          curl_multi_timer_callback timer);

/// The next finished transfer from curl_multi_info_read (CURLMsg's result sits in a union):
/// 1 with `easy` and `result` set, 0 when no transfer has finished since the last call.
int ccurl_multi_next_done(CURLM *multi, CURL **easy, CURLcode *result);

/// CURLSHOPT_SHARE / CURLSHOPT_UNSHARE with the kind of data to share.
CURLSHcode ccurl_share_setopt_data(CURLSH *share, CURLSHoption option, curl_lock_data data);

#endif
