// Realistic posts for the benchmark calendar: French and English, accents, emoji (one ZWJ
// sequence), hashtags, 2-4 channels, media with alt text, threads and variants now and then.
#include "gen_post.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <stdexcept>
#include <vector>

namespace cmtool::bench {

namespace {

// Everything one language needs. Text templates take {n} (post number), {p} (product),
// {who}, {city} and {d} (a deadline); each stays under ~185 code points once filled.
struct Words {
    std::array<std::array<std::string_view, 2>, 3> texts;  // per category, two templates
    std::array<std::string_view, 6> products;
    std::string_view alt;
    std::array<std::string_view, 3> notes;
    std::array<std::string_view, 2> thread;
    std::string_view variant;
    std::array<std::string_view, 3> deadlines;
};

const Words k_fr = {
    {{{"✨ La lumière du matin sur le {p}, c'est notre moment préféré de la journée.\n"
       "Et vous, qu'est-ce qui vous inspire ? Carnet n°{n} #céramique #faitmain",
       "🌿 Les couleurs de nos émaux viennent des balades en forêt autour de {city}.\n"
       "Mousse, écorce, lichen… la pièce n°{n} est sur le tour.\n#céramique #nature"},
      {"🎬 Dans les coulisses : {who} tourne le {p} depuis 6 h ce matin.\n"
       "C'est long, c'est précis, c'est notre métier. Épisode {n} #atelier",
       "👩‍🎨 {who} teste un nouvel émail pour le {p}.\n"
       "Trois cuissons, deux ratés, une réussite ! Journal d'atelier n°{n} #coulisses"},
      {"🎁 -15 % sur le {p} jusqu'à {d} avec le code LUMIERE{n}.\n"
       "Livraison offerte en France métropolitaine. #promo #céramique",
       "📦 Derniers exemplaires du {p} ! Commandez avant {d} pour une livraison rapide.\n"
       "Offre n°{n}, dans la limite des stocks. #promo"}}},
    {"vase Aube", "bol Galet", "mug Brume", "plat Sillon", "pichet Nuée", "photophore Écume"},
    "Le {p} en grès émaillé vert d'eau, posé sur un établi en bois dans la lumière rasante du "
    "matin.",
    {"Relire avec {who} avant publication, vérifier le lien et le recadrage de la photo. Pas de "
     "publication si la boutique est en maintenance.",
     "Programmé par {who}. Attendre la validation de la cheffe d'atelier, puis épingler le "
     "post sur Mastodon et LinkedIn pendant deux jours.",
     "Photo prise à {city}, crédit {who}. Répondre aux commentaires dans l'heure et noter "
     "les questions fréquentes pour la FAQ."},
    {"Pour les curieux, l'émail mélange feldspath, quartz et cendres de bois 🌳",
     "Chaque pièce est unique, les coulures changent d'une cuisson à l'autre (suite n°{n})."},
    "Nouveau à l'atelier de {city} : le {p}, émaillé à la main. Pièce n°{n} 🏺",
    {"dimanche soir", "la fin du mois", "vendredi minuit"},
};

const Words k_en = {
    {{{"✨ Morning light on the {p}: our favourite moment of the day.\n"
       "What inspires you this week? Notebook no. {n} #ceramics #handmade",
       "🌿 Our glazes borrow their colours from the forests around {city}.\n"
       "Moss, bark, lichen… piece no. {n} is on the wheel right now.\n#ceramics #nature"},
      {"🎬 Behind the scenes: {who} has been throwing the {p} since 6 am.\n"
       "Slow, careful work, the way we like it. Episode {n} #studio",
       "🔥 The kiln reaches 1,280 °C tonight. Shall we open it together tomorrow?\n"
       "Firing no. {n}, live from {city}. #behindthescenes"},
      {"🎁 15% off the {p} until {d} with code LUMIERE{n}.\n"
       "Free shipping across mainland France. #sale #ceramics",
       "📦 Last few {p} pieces left! Order before {d} for fast delivery.\n"
       "Offer no. {n}, while stocks last. #sale"}}},
    {"Aube vase", "Galet bowl", "Brume mug", "Sillon platter", "Nuée jug", "Écume lantern"},
    "The {p} in sea-green glazed stoneware, resting on a wooden workbench in low morning light.",
    {"Proofread with {who} before it goes out, check the link and the photo crop. Hold it "
     "if the shop is down for maintenance.",
     "Scheduled by {who}. Wait for the head potter's approval, then pin it on Mastodon and "
     "LinkedIn for two days.",
     "Photo taken in {city}, credit {who}. Answer comments within the hour and log common "
     "questions for the FAQ."},
    {"For the curious, the glaze mixes feldspar, quartz and wood ash 🌳",
     "Every piece is unique, the drips change from one firing to the next (part {n})."},
    "New from our {city} studio: the {p}, glazed by hand. Piece no. {n} 🏺",
    {"Sunday night", "the end of the month", "Friday midnight"},
};

constexpr std::array<std::string_view, 6> k_slugs = {
    "vase-aube", "bol-galet", "mug-brume", "plat-sillon", "pichet-nuee", "photophore-ecume"};
constexpr std::array<std::string_view, 6> k_people = {"Camille", "Yanis", "Léa",
                                                      "Inès",    "Théo",  "Zoé"};
constexpr std::array<std::string_view, 4> k_cities = {"Lyon", "Grenoble", "Die", "Vallauris"};
// One campaign per calendar month, January first.
constexpr std::array<std::string_view, 12> k_campaigns = {
    "soldes-hiver",   "saint-valentin",  "printemps",    "paques",
    "fete-des-meres", "soldes-ete",      "soldes-ete",   "ete",
    "rentree",        "portes-ouvertes", "black-friday", "noel"};

// Accounts whose platforms chain replies (threads are only written for those).
bool threads_ok(std::string_view account) {
    return account == "masto" || account == "bsky" || account == "x" || account == "threads";
}

std::size_t code_points(std::string_view s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// Appends `text` as a literal block scalar body, each line indented by `indent` spaces.
void append_block(std::string& out, std::size_t indent, std::string_view text) {
    while (!text.empty()) {
        const auto nl = text.find('\n');
        const auto line = text.substr(0, nl);
        out.append(indent, ' ');
        out.append(line);
        out.push_back('\n');
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    }
}

std::vector<std::string_view> pick_channels(Rng& rng) {
    std::vector<std::string_view> pool;
    const bool thread_only = rng.percent(25);
    for (const auto& a : k_accounts) {
        if (!thread_only || threads_ok(a.name)) {
            pool.push_back(a.name);
        }
    }
    const std::size_t count = std::min<std::size_t>(2 + rng.below(3), pool.size());
    for (std::size_t i = 0; i < count; ++i) {  // partial Fisher-Yates
        std::swap(pool[i], pool[i + rng.below(pool.size() - i)]);
    }
    pool.resize(count);
    std::sort(pool.begin(), pool.end(), [](std::string_view a, std::string_view b) {
        const auto pos = [](std::string_view n) {
            return std::find_if(k_accounts.begin(), k_accounts.end(),
                                [&](const BenchAccount& acc) { return acc.name == n; });
        };
        return pos(a) < pos(b);
    });
    return pool;
}

std::string_view category_for(std::uint64_t index, std::size_t& which) {
    auto slot = static_cast<unsigned>(index % 10);
    for (which = 0; which < k_categories.size(); ++which) {
        if (slot < k_categories[which].tenths) {
            break;
        }
        slot -= k_categories[which].tenths;
    }
    return k_categories[which].name;
}

}  // namespace

void append_post(std::string& out, std::uint64_t seed, const PostSlot& slot) {
    Rng rng(seed * 0x100000001b3ULL ^ slot.index);
    const Words& w = rng.percent(65) ? k_fr : k_en;
    const std::size_t product = rng.below(k_slugs.size());
    const std::uint64_t n = slot.index + 1;
    const auto fill = [&](std::string_view tpl) {
        // Drawn one statement at a time: argument evaluation order is unspecified.
        const auto who = k_people[rng.below(k_people.size())];
        const auto city = k_cities[rng.below(k_cities.size())];
        const auto deadline = w.deadlines[rng.below(w.deadlines.size())];
        return fmt::format(fmt::runtime(tpl), fmt::arg("n", n), fmt::arg("p", w.products[product]),
                           fmt::arg("who", who), fmt::arg("city", city), fmt::arg("d", deadline));
    };
    std::size_t cat = 0;
    const std::string_view category = category_for(slot.index, cat);
    const auto channels = pick_channels(rng);
    const auto has = [&](std::string_view name) {
        return std::find(channels.begin(), channels.end(), name) != channels.end();
    };
    const bool insta = has("insta");
    const bool facebook = has("fb");
    const bool can_thread = std::all_of(channels.begin(), channels.end(), threads_ok);
    const unsigned st = static_cast<unsigned>(rng.below(100));
    const std::string text = fill(w.texts[cat][rng.below(2)]);
    const std::string link =
        rng.percent(90)
            ? fmt::format("https://atelier-lumiere.example/journal/{}-{}", k_slugs[product], n)
            : std::string();
    if (code_points(text) + 1 + code_points(link) > k_max_text_with_link) {
        throw std::logic_error(fmt::format("post {}: text too long for X/Bluesky", n));
    }
    auto it = std::back_inserter(out);
    fmt::format_to(it, "  - id: p{:06}-{}\n    at: {}\n    channels: [{}]\n", n, k_slugs[product],
                   slot.at, fmt::join(channels, ", "));
    fmt::format_to(it, "    status: {}\n    category: {}\n",
                   st < 85   ? "ready"
                   : st < 97 ? "draft"
                             : "cancelled",
                   category);
    if (rng.percent(cat == 2 ? 70 : 15)) {
        fmt::format_to(it, "    campaign: {}-{}\n",
                       k_campaigns[(slot.month - 1) % k_campaigns.size()], slot.year);
    }
    out += "    text: |\n";
    append_block(out, 6, text);
    if (!link.empty()) {
        fmt::format_to(it, "    link: {}\n", link);
    }
    if (insta || rng.percent(65)) {
        out += "    media:\n";
        const std::size_t count = rng.percent(40) && !facebook ? 2 : 1;  // Pages: one photo
        const std::size_t first = rng.below(k_media_files.size());
        for (std::size_t i = 0; i < count; ++i) {
            fmt::format_to(it, "      - file: {}\n        alt: {}\n",
                           k_media_files[(first + i) % k_media_files.size()], fill(w.alt));
        }
    }
    if (can_thread && rng.percent(70)) {
        out += "    thread:\n";
        const std::size_t items = 1 + rng.below(w.thread.size());
        for (std::size_t i = 0; i < items; ++i) {
            fmt::format_to(it, "      - \"{}\"\n", fill(w.thread[i]));
        }
    }
    if (rng.percent(20)) {
        fmt::format_to(it, "    variants:\n      {}:\n        text: |\n",
                       channels[rng.below(channels.size())]);
        append_block(out, 10, fill(w.variant));
    }
    if (rng.percent(80)) {
        fmt::format_to(it, "    notes: {}\n", fill(w.notes[rng.below(w.notes.size())]));
    }
}

}  // namespace cmtool::bench
