// Emoji, emoticons and internet slang shared by both languages, written for cmtool. Emoji
// are keyed without variation selectors or skin tones (the tokenizer drops them).
#include <array>
#include <span>

#include "watch/sentiment_lexicon.hpp"

namespace cmtool::watch::detail {
namespace {

constexpr auto k_words = std::to_array<RawEntry>({
    // Pleased, laughing, loving.
    word("😍", 3.0F),
    word("🥰", 3.0F),
    word("🤩", 3.0F),
    word("😊", 2.0F),
    word("🙂", 1.0F),
    word("😀", 2.0F),
    word("😃", 2.0F),
    word("😄", 2.0F),
    word("😁", 2.0F),
    word("😆", 1.5F),
    word("😂", 1.0F),
    word("🤣", 1.0F),
    word("😋", 2.0F),
    word("🤤", 2.0F),
    word("😎", 1.5F),
    word("😘", 2.0F),
    word("🥳", 2.5F),
    word("😇", 1.5F),
    word("☺", 2.0F),
    word("👍", 2.0F, k_ironic),
    word("👏", 1.5F, k_ironic),
    word("👌", 2.0F),
    word("🙌", 2.0F),
    word("🙏", 1.5F),
    word("💪", 1.5F),
    word("🤝", 1.0F),
    word("❤", 2.5F),
    word("♥", 2.5F),
    word("💕", 2.5F),
    word("💖", 2.5F),
    word("💗", 2.5F),
    word("💙", 2.0F),
    word("💚", 2.0F),
    word("💛", 2.0F),
    word("💜", 2.0F),
    word("🧡", 2.0F),
    word("🖤", 1.0F),
    word("💯", 2.0F),
    word("🎉", 2.0F),
    word("✨", 1.0F),
    word("🔥", 1.5F),
    word("⭐", 1.5F),
    word("🌟", 1.5F),
    word("✅", 1.0F),
    word("🚀", 1.5F),
    word("🏆", 2.0F),
    word("🥇", 2.0F),

    // Angry, sad, disgusted.
    word("😡", -3.0F),
    word("🤬", -3.0F),
    word("😠", -2.5F),
    word("😤", -2.0F),
    word("👎", -2.5F),
    word("💔", -2.5F),
    word("🤮", -3.0F),
    word("🤢", -2.5F),
    word("😭", -1.5F),
    word("😢", -2.0F),
    word("😞", -2.0F),
    word("😔", -1.5F),
    word("😩", -2.0F),
    word("😫", -2.0F),
    word("😖", -2.0F),
    word("😣", -1.5F),
    word("😑", -1.0F),
    word("😐", -0.5F),
    word("😕", -1.5F),
    word("🙁", -1.5F),
    word("☹", -2.0F),
    word("🤦", -2.0F),
    word("💩", -2.5F),
    word("😱", -1.5F),
    word("😬", -1.0F),
    word("🤔", -0.3F),
    word("😾", -2.0F),
    word("🖕", -3.0F),

    // The writer says it is sarcasm.
    word("🙄", -2.0F, k_irony_mark),
    word("😒", -2.0F, k_irony_mark),
    word("🙃", -1.0F, k_irony_mark),
    word("🤡", -2.0F, k_irony_mark),
    word("/s", -1.5F, k_irony_mark),
    word("sarcasm", -1.5F, k_irony_mark),
    word("sarcasme", -1.5F, k_irony_mark),

    // Emoticons, in the tokenizer's canonical form.
    word(":)", 2.0F),
    word(":D", 2.5F),
    word(";)", 1.0F),
    word(":p", 1.0F),
    word("<3", 2.5F),
    word("^^", 1.5F),
    word(":(", -2.0F),
    word(":'(", -2.0F),
    word(":/", -1.5F),
    word(":|", -0.5F),
    word("</3", -2.5F),
    word(":o", -0.5F),

    // Slang used in both languages. Laughter (lol, mdr, ptdr, lmao, xD) is left out on
    // purpose: it mocks a brand as often as it enjoys one.
    word("wtf", -2.0F),
    word("fail", -2.0F),
    word("boycott", -3.0F),
});

}  // namespace

std::span<const RawEntry> shared_words() {
    return k_words;
}

}  // namespace cmtool::watch::detail
