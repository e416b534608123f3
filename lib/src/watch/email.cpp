// The e-mail form of an alert (channels.hpp): RFC 5322 headers, RFC 2047 encoded-word subject,
// a quoted-printable UTF-8 text/plain body (RFC 2045) in French or English.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>

#include "cmtool/util/encoding.hpp"
#include "cmtool/watch/channels.hpp"

namespace cmtool::watch {

namespace {

// Quoted-printable with soft line breaks at 76 characters; input lines end with "\n".
std::string quoted_printable(std::string_view text) {
    std::string out;
    std::size_t col = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            out += "\r\n";
            col = 0;
            continue;
        }
        const bool trailing_space =
            (c == ' ' || c == '\t') && (i + 1 == text.size() || text[i + 1] == '\n');
        const std::string piece =
            (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !trailing_space)
                ? std::string(1, static_cast<char>(c))
                : fmt::format("={:02X}", c);
        if (col + piece.size() > 75) {
            out += "=\r\n";
            col = 0;
        }
        out += piece;
        col += piece.size();
    }
    return out;
}

bool plain_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        return static_cast<unsigned char>(c) >= 32 && static_cast<unsigned char>(c) < 127;
    });
}

}  // namespace

std::string encode_header_word(std::string_view text) {
    if (plain_ascii(text)) {
        return std::string(text);
    }
    // Encoded-words are at most 75 characters (RFC 2047 §2): 45 bytes of UTF-8 per word, cut on
    // a character boundary, words folded onto continuation lines.
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t n = std::min<std::size_t>(45, text.size() - i);
        while (i + n < text.size() && (static_cast<unsigned char>(text[i + n]) & 0xC0U) == 0x80U) {
            --n;
        }
        if (!out.empty()) {
            out += "\r\n ";
        }
        out += "=?UTF-8?B?" + util::base64(text.substr(i, n)) + "?=";
        i += n;
    }
    return out;
}

std::string email_message(const Alert& a, const calendar::WatchChannelConfig& c,
                          std::string_view lang, std::chrono::sys_seconds now) {
    const bool fr = lang == "fr";
    std::string body;
    body += a.title + "\n\n" + a.summary + "\n\n";
    body += fr ? (a.update ? "Mise à jour d'une alerte en cours.\n" : "Nouvelle alerte.\n")
               : (a.update ? "Update of an ongoing alert.\n" : "New alert.\n");
    body += fmt::format("{}: {}\n{}: {}\n\n", fr ? "Règle" : "Rule", a.rule,
                        fr ? "Requête" : "Query", a.query);
    body += fr ? "Chiffres :\n" : "Figures:\n";
    for (const auto& [k, v] : a.figures.items()) {
        body += fmt::format("  {}: {}\n", k, v.dump());
    }
    if (!a.top.empty()) {
        body += fr ? "\nMentions principales :\n" : "\nTop mentions:\n";
        for (const auto& m : a.top) {
            body += fmt::format("- {} ({}, {})\n  {}\n", m.url.empty() ? m.remote_uri : m.url,
                                m.author, m.sentiment, m.text);
        }
    }
    body += fr ? "\n-- \ncmtool watch\n" : "\n-- \ncmtool watch\n";
    std::string to;
    for (const auto& t : c.to) {
        to += (to.empty() ? "" : ", ") + t;
    }
    const std::string subject = (a.update ? (fr ? "[mise à jour] " : "[update] ") : "") + a.title;
    std::string msg;
    msg += "From: " + c.from + "\r\n";
    msg += "To: " + to + "\r\n";
    msg += "Subject: " + encode_header_word(subject) + "\r\n";
    msg += fmt::format("Date: {:%a, %d %b %Y %H:%M:%S} +0000\r\n", now);
    msg += fmt::format(
        "Message-ID: <cmtool-watch-{}-{}@{}>\r\n", a.rule, now.time_since_epoch().count(),
        c.from.find('@') != std::string::npos ? c.from.substr(c.from.find('@') + 1) : "localhost");
    msg += "MIME-Version: 1.0\r\n";
    msg += "Content-Type: text/plain; charset=UTF-8\r\n";
    msg += "Content-Transfer-Encoding: quoted-printable\r\n";
    msg += std::string("Content-Language: ") + (fr ? "fr" : "en") + "\r\n";
    msg += "\r\n";
    msg += quoted_printable(body);
    return msg;
}

}  // namespace cmtool::watch
