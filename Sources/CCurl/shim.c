#include "CCurl.h"

CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode ccurl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode ccurl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode ccurl_set_callbacks(CURL *handle, void *context, ccurl_data_callback body,
                             ccurl_data_callback header) {
    CURLcode code;
    if ((code = curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, body)) != CURLE_OK) return code;
    if ((code = curl_easy_setopt(handle, CURLOPT_WRITEDATA, context)) != CURLE_OK) return code;
    if ((code = curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, header)) != CURLE_OK) return code;
    return curl_easy_setopt(handle, CURLOPT_HEADERDATA, context);
}

CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

CURLcode ccurl_getinfo_offset(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

long ccurl_redirect_post_all(void) { return CURL_REDIR_POST_ALL; }

CURLMcode ccurl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

CURLMcode ccurl_multi_set_event_callbacks(CURLM *multi, void *context, curl_socket_callback socket,
                                          curl_multi_timer_callback timer) {
    CURLMcode code;
    if ((code = curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, socket)) != CURLM_OK) return code;
    if ((code = curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, context)) != CURLM_OK) return code;
    if ((code = curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, timer)) != CURLM_OK) return code;
    return curl_multi_setopt(multi, CURLMOPT_TIMERDATA, context);
}

int ccurl_multi_next_done(CURLM *multi, CURL **easy, CURLcode *result) {
    int queued = 0;
    CURLMsg *message;
    while ((message = curl_multi_info_read(multi, &queued)) != NULL) {
        if (message->msg == CURLMSG_DONE) {
            *easy = message->easy_handle;
            *result = message->data.result;
            return 1;
        }
    }
    return 0;
}

CURLSHcode ccurl_share_setopt_data(CURLSH *share, CURLSHoption option, curl_lock_data data) {
    return curl_share_setopt(share, option, data);
}
