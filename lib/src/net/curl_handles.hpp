#pragma once
// The libcurl wrapper of lib/src/net, and the only header that includes <curl/curl.h>: move-only
// RAII handles and the one-time global initialisation, for the HTTP transport
// (curl_transport.cpp) and the SMTP mailer (smtp.cpp).
#include <curl/curl.h>

#include <memory>

namespace cmtool::net::curl {

struct EasyDeleter {
    void operator()(CURL* h) const noexcept { curl_easy_cleanup(h); }
};
struct MultiDeleter {
    void operator()(CURLM* h) const noexcept { curl_multi_cleanup(h); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;
using MultiHandle = std::unique_ptr<CURLM, MultiDeleter>;
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

// curl_global_init, once per process (thread-safe); false when it failed.
inline bool global_init() {
    static const bool k_ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    return k_ok;
}

}  // namespace cmtool::net::curl
