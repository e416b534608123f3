// SMTP with libcurl (smtp.hpp): one easy handle per message, the body read from memory.
#include "cmtool/net/smtp.hpp"

#include <algorithm>
#include <cstring>
#include <memory>

#include "cmtool/net/redact.hpp"
#include "net/curl_handles.hpp"

namespace cmtool::net {

namespace {

struct Body {
    const std::string* text = nullptr;
    std::size_t offset = 0;
};

std::size_t read_body(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* body = static_cast<Body*>(user);
    const std::size_t room = size * count;
    const std::size_t n = std::min(room, body->text->size() - body->offset);
    std::memcpy(buffer, body->text->data() + body->offset, n);
    body->offset += n;
    return n;
}

}  // namespace

Result<void> CurlMailer::send(const MailEnvelope& mail) {
    curl::EasyHandle handle(curl::global_init() ? curl_easy_init() : nullptr);
    if (!handle) {
        return fail(ErrorCode::internal, "cannot start libcurl for SMTP");
    }
    curl::Slist rcpt;
    for (const auto& to : mail.to) {
        curl_slist* next = curl_slist_append(rcpt.get(), ("<" + to + ">").c_str());
        if (next == nullptr) {
            return fail(ErrorCode::internal, "out of memory building the recipient list");
        }
        static_cast<void>(rcpt.release());
        rcpt.reset(next);
    }
    Body body{&mail.message, 0};
    CURL* c = handle.get();
    const std::string from = "<" + mail.from + ">";
    curl_easy_setopt(c, CURLOPT_URL, mail.url.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_body);
    curl_easy_setopt(c, CURLOPT_READDATA, &body);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(mail.timeout.count()));
    if (mail.require_tls) {
        curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    }
    if (!mail.username.empty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, mail.username.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, mail.password.c_str());
    }
    char errbuf[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    const CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
        const std::string detail = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc);
        return fail(ErrorCode::network,
                    redact_text("SMTP " + redact_url(mail.url) + ": " + detail, {mail.password}),
                    "check the channel's smtp URL, its credentials and the server's TLS setting");
    }
    return {};
}

}  // namespace cmtool::net
