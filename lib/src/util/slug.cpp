#include "cmtool/util/slug.hpp"

#include <utf8proc.h>

#include <cstdlib>

namespace cmtool::util {

namespace {

// Letters that NFKD does not decompose into ASCII but French and German texts use.
std::string_view spelled_out(utf8proc_int32_t cp) {
    switch (cp) {
        case 0x0153:  // œ
        case 0x0152:
            return "oe";
        case 0x00E6:  // æ
        case 0x00C6:
            return "ae";
        case 0x00DF:  // ß
            return "ss";
        case 0x00F8:  // ø
        case 0x00D8:
            return "o";
        default:
            return {};
    }
}

// Lower-cased ASCII letters and digits of `text` (accents stripped); other code points → ' '.
std::string ascii_words(std::string_view text) {
    utf8proc_uint8_t* folded = nullptr;
    const auto options = static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
                                                        UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD);
    const utf8proc_ssize_t n =
        utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                     static_cast<utf8proc_ssize_t>(text.size()), &folded, options);
    // Invalid UTF-8: fold what is ASCII and treat the rest as separators.
    const std::string_view src = n < 0 ? text
                                       : std::string_view(reinterpret_cast<const char*>(folded),
                                                          static_cast<std::size_t>(n));
    std::string out;
    for (std::size_t i = 0; i < src.size();) {
        utf8proc_int32_t cp = 0;
        auto len = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(src.data() + i),
                                    static_cast<utf8proc_ssize_t>(src.size() - i), &cp);
        if (len <= 0) {
            len = 1;
            cp = -1;
        }
        i += static_cast<std::size_t>(len);
        if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
            out += static_cast<char>(cp);
        } else if (cp >= 'A' && cp <= 'Z') {
            out += static_cast<char>(cp - 'A' + 'a');
        } else if (const auto word = spelled_out(cp); !word.empty()) {
            out += word;
        } else {
            out += ' ';
        }
    }
    std::free(folded);  // NOLINT(cppcoreguidelines-no-malloc): utf8proc allocates with malloc
    return out;
}

}  // namespace

std::string slugify(std::string_view text, std::size_t max_len) {
    const std::string words = ascii_words(text);
    std::string out;
    std::size_t last_break = 0;  // length of `out` at the end of the last whole word
    bool pending_dash = false;
    for (const char c : words) {
        if (c == ' ') {
            pending_dash = !out.empty();
            last_break = out.size();
            continue;
        }
        if (pending_dash) {
            out += '-';
            pending_dash = false;
        }
        out += c;
        if (out.size() > max_len) {
            out.resize(last_break > 0 ? last_break : max_len);
            return out;
        }
    }
    return out;
}

}  // namespace cmtool::util
