#pragma once
// One generated post as YAML, for cmtool_gen_calendar (bench/README.md).
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace cmtool::bench {

// The accounts cmtool.yaml declares, in declaration order: {name, platform}.
struct BenchAccount {
    std::string_view name;
    std::string_view platform;
    std::string_view setting;  // "key: value" the platform requires, or empty
};
inline constexpr std::array<BenchAccount, 9> k_accounts = {{
    {"masto", "mastodon", "instance: https://mastodon.social"},
    {"bsky", "bluesky", "handle: atelier-lumiere.bsky.social"},
    {"linkedin", "linkedin", "author: urn:li:organization:5550123"},
    {"x", "x", "handle: atelierlumiere"},
    {"insta", "instagram", "user_id: \"17841405550123\""},
    {"fb", "facebook", "page_id: \"105550123000001\""},
    {"threads", "threads", "user_id: \"26005550123\""},
    {"tg", "telegram", "chat_id: \"@atelierlumiere\""},
    {"discord", "discord", ""},
}};

// Category shares; posts cycle through them in blocks of ten so every month matches them.
struct BenchCategory {
    std::string_view name;
    unsigned tenths;
};
inline constexpr std::array<BenchCategory, 3> k_categories = {{
    {"inspiration", 5},
    {"behind-the-scenes", 3},
    {"promo", 2},
}};

inline constexpr std::array<std::string_view, 4> k_media_files = {
    "media/img1.jpg", "media/img2.jpg", "media/img3.jpg", "media/img4.jpg"};

// splitmix64: small, fast and identical on every platform (std distributions are not).
class Rng {
  public:
    explicit Rng(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    // Uniform in [0, n) (n > 0); the modulo bias is irrelevant for test data.
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
    bool percent(unsigned p) { return below(100) < p; }

  private:
    std::uint64_t m_state;
};

struct PostSlot {
    std::uint64_t index = 0;  // global, 0-based: makes ids and texts unique
    int year = 2027;
    unsigned month = 1;
    std::string at;  // "YYYY-MM-DD HH:MM", local time in Europe/Paris
};

// The longest text + "\n" + link allowed, in code points, so that X's weighted count (emoji
// weigh 2, links 23) and Bluesky's 300 graphemes (links count in full) both pass.
inline constexpr std::size_t k_max_text_with_link = 239;

// Appends one post as an item of the file's `posts:` list. Deterministic for (seed, slot).
// Throws std::logic_error if a text would break k_max_text_with_link (a template bug).
void append_post(std::string& out, std::uint64_t seed, const PostSlot& slot);

}  // namespace cmtool::bench
