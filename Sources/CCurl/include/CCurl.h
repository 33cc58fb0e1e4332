#ifndef CCURL_H
#define CCURL_H
// Placeholder: typed curl_easy_setopt wrappers arrive with the HTTP client.
int ccurl_placeholder(void);
#endif
