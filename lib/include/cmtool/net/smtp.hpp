#pragma once
// Sending one e-mail over SMTP (RFC 5321) with libcurl: smtp:// (optionally upgraded with
// STARTTLS) or smtps://. curl stays inside smtp.cpp, like curl_transport.cpp for HTTP.
#include <chrono>
#include <string>
#include <vector>

#include "cmtool/util/result.hpp"

namespace cmtool::net {

struct MailEnvelope {
    std::string url;  // smtp://host:port or smtps://host:465
    std::string from;
    std::vector<std::string> to;
    std::string message;       // the RFC 5322 message, CRLF line ends
    bool require_tls = false;  // smtp:// with STARTTLS required
    std::string username;      // empty: no AUTH
    std::string password;
    std::chrono::milliseconds timeout{30000};
};

class Mailer {
  public:
    virtual ~Mailer() = default;
    // Sends the message to every recipient. Fails (network) with the server's answer,
    // the password never appearing in the message.
    virtual Result<void> send(const MailEnvelope& mail) = 0;
};

class CurlMailer final : public Mailer {
  public:
    Result<void> send(const MailEnvelope& mail) override;
};

}  // namespace cmtool::net
