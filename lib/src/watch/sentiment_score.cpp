// The scoring rules (docs/sentiment.md): each polar unit weighs its valence, changed by the
// intensifiers and negators of the few tokens before it, capitals, elongation and a "mais"/
// "but" contrast; praise is flipped when the post is sarcastic; exclamation marks amplify.
// Constants follow VADER (Hutto & Gilbert, ICWSM 2014) where it has one, else dev.tsv.
#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "watch/sentiment_score.hpp"

namespace cmtool::watch::detail {
namespace {

constexpr std::size_t k_scope = 3;            // VADER's negation and booster reach, in tokens
constexpr std::size_t k_ne_reach = 4;         // "ne" ... "pas": how far the pair may stretch
constexpr double k_negated_positive = -0.75;  // "pas bon" is a complaint, a bit milder
constexpr double k_negated_negative = -0.5;   // "not bad" is faint praise, not a rave
constexpr double k_before_contrast = 0.5;     // VADER: "but" halves what came before
constexpr double k_after_contrast = 1.5;      // and adds half to what follows
constexpr double k_caps = 1.3;                // "NUL" among lowercase words shouts
constexpr double k_elongated = 1.2;           // "trop bieeen"
constexpr double k_irony_flip = -0.75;        // sarcastic praise counts as a complaint
constexpr double k_exclaim_step = 0.292;      // VADER's per '!' amplifier, up to four
constexpr std::uint32_t k_exclaim_max = 4;

struct Weighed {
    std::size_t unit = 0;
    double weight = 0;
    std::ptrdiff_t negator = -1;  // the unit that negated it
    std::ptrdiff_t booster = -1;  // the closest intensifier or diminisher
    bool caps = false;
    bool flipped = false;  // sarcastic praise
};

// Hashtags are labels ("#fail"), so no negation or intensifier reaches into or out of them.
bool ends_clause(const Unit& u) {
    return is_boundary(u.kind) || u.hashtag || u.entry.has(k_contrast);
}

// "ne" negates unless its pas/jamais/rien/aucun follows, which then does the negating.
bool is_negator(const std::vector<Unit>& units, std::size_t j) {
    const Entry& e = units[j].entry;
    if (e.has(k_negator)) {
        return true;
    }
    if (!e.has(k_ne)) {
        return false;
    }
    for (std::size_t k = j + 1; k < units.size() && k <= j + k_ne_reach; ++k) {
        if (ends_clause(units[k])) {
            break;
        }
        if (units[k].entry.has(k_negator) || units[k].entry.has(k_post_negator)) {
            return false;
        }
    }
    return true;
}

// A word that is both polar and an intensifier ("super") only intensifies when a polar
// word follows within reach: "super sympa" is one strong praise, not two.
bool boosts_next(const std::vector<Unit>& units, std::size_t i) {
    for (std::size_t k = i + 1; k < units.size() && k <= i + k_scope; ++k) {
        if (ends_clause(units[k])) {
            return false;
        }
        if (units[k].entry.valence != 0) {
            return true;
        }
    }
    return false;
}

void look_back(const std::vector<Unit>& units, std::size_t i, Weighed& w) {
    if (units[i].hashtag) {
        return;
    }
    for (std::size_t k = 1; k <= k_scope && k <= i; ++k) {
        const std::size_t j = i - k;
        if (ends_clause(units[j])) {
            break;
        }
        const Entry& p = units[j].entry;
        if (p.boost != 0) {
            w.weight *= 1.0 + static_cast<double>(p.boost);
            w.booster = w.booster < 0 ? static_cast<std::ptrdiff_t>(j) : w.booster;
        }
        if (w.negator < 0 && is_negator(units, j)) {
            w.negator = static_cast<std::ptrdiff_t>(j);
        }
    }
    // French spoken negation follows the verb: "je recommande pas", "ça marche jamais".
    if (w.negator < 0 && i + 1 < units.size() && !units[i + 1].hashtag &&
        units[i + 1].entry.has(k_post_negator)) {
        w.negator = static_cast<std::ptrdiff_t>(i + 1);
    }
}

std::string_view written(const std::vector<Unit>& units, const Tokens& tokens,
                         std::string_view post, std::ptrdiff_t u) {
    const auto& list = tokens.list();
    const Unit& unit = units[static_cast<std::size_t>(u)];
    const Token& a = list[unit.first];
    const Token& b = list[unit.last];
    return post.substr(a.begin, b.end - a.begin);
}

std::string why(const std::vector<Unit>& units, const Tokens& tokens, std::string_view post,
                const Weighed& w, std::ptrdiff_t contrast) {
    const Unit& u = units[w.unit];
    std::string out = u.kind == TokenKind::emoji      ? "emoji"
                      : u.kind == TokenKind::emoticon ? "emoticon"
                      : u.first != u.last             ? "phrase"
                                                      : "word";
    if (w.booster >= 0) {
        const bool up = units[static_cast<std::size_t>(w.booster)].entry.boost > 0;
        out += fmt::format(", {} by '{}'", up ? "intensified" : "softened",
                           written(units, tokens, post, w.booster));
    }
    if (w.negator >= 0) {
        out += fmt::format(", negated by '{}'", written(units, tokens, post, w.negator));
    }
    if (w.caps) {
        out += ", in capitals";
    }
    if (u.elongated) {
        out += ", elongated";
    }
    if (contrast >= 0 && static_cast<std::ptrdiff_t>(w.unit) != contrast) {
        const bool before = static_cast<std::ptrdiff_t>(w.unit) < contrast;
        out += fmt::format(", {} '{}'", before ? "weakened before" : "strengthened after",
                           written(units, tokens, post, contrast));
    }
    if (w.flipped) {
        out += ", sarcasm: praise beside a complaint or an irony marker";
    } else if (u.entry.has(k_irony_mark)) {
        out += ", irony marker";
    }
    return out;
}

}  // namespace

double weigh_units(const std::vector<Unit>& units, const Tokens& tokens, std::string_view post,
                   std::vector<Contribution>* explain) {
    std::ptrdiff_t contrast = -1;
    bool lowercase_seen = false;
    std::uint32_t exclaims = 0;
    for (std::size_t i = 0; i < units.size(); ++i) {
        contrast = units[i].entry.has(k_contrast) ? static_cast<std::ptrdiff_t>(i) : contrast;
        lowercase_seen = lowercase_seen || (units[i].kind == TokenKind::word && !units[i].caps);
        exclaims += units[i].kind == TokenKind::exclaim ? tokens.list()[units[i].first].count : 0;
    }
    std::vector<Weighed> weighed;
    weighed.reserve(units.size() / 2 + 1);
    bool irony = false;
    bool event = false;
    bool resolved = false;
    for (std::size_t i = 0; i < units.size(); ++i) {
        const Unit& u = units[i];
        irony = irony || u.entry.has(k_irony_mark);
        if (u.entry.valence == 0 || (u.entry.boost != 0 && boosts_next(units, i))) {
            continue;
        }
        Weighed w{i, static_cast<double>(u.entry.valence)};
        look_back(units, i, w);
        if (w.negator >= 0 && !u.entry.has(k_no_negation)) {
            w.weight *= w.weight > 0 ? k_negated_positive : k_negated_negative;
        } else {
            w.negator = -1;
        }
        w.caps = u.caps && lowercase_seen;
        w.weight *= (w.caps ? k_caps : 1.0) * (u.elongated ? k_elongated : 1.0);
        if (contrast >= 0 && static_cast<std::ptrdiff_t>(i) != contrast) {
            w.weight *=
                static_cast<std::ptrdiff_t>(i) < contrast ? k_before_contrast : k_after_contrast;
        }
        event = event || (u.entry.has(k_event) && w.weight < 0);
        resolved = resolved || (u.entry.has(k_resolution) && w.weight > 0);
        weighed.push_back(w);
    }
    const bool sarcastic = irony || (event && !resolved);
    double sum = 0;
    for (Weighed& w : weighed) {
        if (sarcastic && w.weight > 0 && units[w.unit].entry.has(k_ironic)) {
            w.weight *= k_irony_flip;
            w.flipped = true;
        }
        sum += w.weight;
    }
    const double shout = sum == 0 ? 0.0
                                  : (sum > 0 ? 1.0 : -1.0) * k_exclaim_step *
                                        static_cast<double>(std::min(exclaims, k_exclaim_max));
    if (explain != nullptr) {
        for (const Weighed& w : weighed) {
            explain->push_back(Contribution{
                std::string(written(units, tokens, post, static_cast<std::ptrdiff_t>(w.unit))),
                w.weight, why(units, tokens, post, w, contrast)});
        }
        if (shout != 0) {
            explain->push_back(Contribution{std::string(exclaims, '!'), shout,
                                            "exclamation marks amplify the tone"});
        }
    }
    return sum + shout;
}

}  // namespace cmtool::watch::detail
