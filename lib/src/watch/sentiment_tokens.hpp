#pragma once
// The sentiment tokenizer: one pass over UTF-8 that lowercases, strips accents, collapses
// elongations, splits French elisions and camel-case hashtags, skips URLs and @mentions, and
// keeps emoji, emoticons and the punctuation that matters (! ? . , ...) as tokens.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cmtool::watch::detail {

enum class TokenKind : std::uint8_t {
    word,      // letters and digits, folded: "Génial" -> "genial"
    emoji,     // one pictograph, without variation selectors or skin tones
    emoticon,  // ":)" and friends, canonical (":-)" -> ":)")
    exclaim,   // a run of '!'
    question,  // a run of '?'
    stop,      // . , ; : (ends a negation scope)
    ellipsis,  // "..." or U+2026
    irony,     // "/s", the written sarcasm marker
};

struct Token {
    std::uint32_t key = 0;      // offset of the folded text in Tokens::text()
    std::uint32_t key_len = 0;  // words are separated by exactly one space there
    std::uint32_t alt = 0;      // offset and length in Tokens::alt_text() of the form with
    std::uint32_t alt_len = 0;  // elongated runs collapsed to one letter; 0 when none
    std::uint32_t begin = 0;    // byte span of the token in the original post
    std::uint32_t end = 0;
    std::uint32_t count = 1;  // run length for exclaim/question
    TokenKind kind = TokenKind::word;
    bool caps = false;       // written in capitals (two letters or more)
    bool elongated = false;  // had a run of three or more same letters
    bool hashtag = false;    // part of a #hashtag: a label, outside any clause
};

inline bool is_boundary(TokenKind k) {
    return k != TokenKind::word && k != TokenKind::emoji && k != TokenKind::emoticon;
}

// The tokens of one post. The folded texts live in one buffer, so a phrase of consecutive
// words is one contiguous string_view: phrase lookup needs no allocation.
class Tokens {
  public:
    explicit Tokens(std::string_view post);

    const std::vector<Token>& list() const { return m_tokens; }
    std::string_view key(const Token& t) const { return {m_text.data() + t.key, t.key_len}; }
    std::string_view alt(const Token& t) const { return {m_alt.data() + t.alt, t.alt_len}; }
    // The folded text from token first to token last, both included.
    std::string_view span(std::size_t first, std::size_t last) const;

  private:
    void scan(std::string_view post);
    bool scan_symbol(std::string_view post, std::size_t& i);
    std::size_t word(std::string_view post, std::size_t i, bool hashtag);
    void push_word(std::size_t key_start, std::size_t begin, std::size_t end, bool caps,
                   bool hashtag);
    void collapse(Token& t);
    void push(TokenKind kind, std::string_view folded, std::size_t begin, std::size_t end,
              std::uint32_t count = 1);
    void open_key();

    std::string m_text;
    std::string m_alt;
    std::vector<Token> m_tokens;
};

// A lexicon key in the tokenizer's folded form ("Pas terrible" -> "pas terrible").
std::string fold_key(std::string_view phrase);

}  // namespace cmtool::watch::detail
