#pragma once
// ASCII slugs for ids and host-name-like labels: "Atelier Lumière" → "atelier-lumiere".
#include <cstddef>
#include <string>
#include <string_view>

namespace cmtool::util {

// Lower-case ASCII letters and digits joined by single '-': accents are stripped (é → e),
// ligatures spelled out (œ → oe, æ → ae, ß → ss), everything else separates words. Cut at a
// word boundary to at most `max_len` characters when possible. Empty when nothing is left
// (a text of emoji only). Never fails; invalid UTF-8 bytes separate words.
std::string slugify(std::string_view text, std::size_t max_len = 64);

}  // namespace cmtool::util
