// The TLD list for bare-URL detection. Hand-kept: every generic TLD, every delegated
// two-letter country code, the internationalised country codes most often seen, and the
// new gTLDs common in community-management posts (shop, blog, paris, app, dev...). A TLD
// missing here only means "example.newtld" without https:// is counted as plain text.
#include "text/tlds.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace cmtool::text::detail {
namespace {

// Sorted by UTF-8 bytes (std::string_view's order) for binary search; checked below.
// clang-format off
constexpr std::array<std::string_view, 740> k_tlds = {
    "ac", "academy", "accountant", "accountants", "actor", "ad", "adult", "ae", "aero", "af",
    "africa", "ag", "agency", "ai", "airforce", "al", "alsace", "am", "amsterdam", "ao",
    "apartments", "app", "aq", "ar", "archi", "army", "arpa", "art", "as", "asia", "associates",
    "at", "attorney", "au", "auction", "audio", "author", "auto", "autos", "aw", "ax", "az",
    "ba", "baby", "band", "bank", "bar", "barcelona", "bargains", "bayern", "bb", "bd", "be",
    "beauty", "beer", "berlin", "best", "bet", "bf", "bg", "bh", "bi", "bible", "bike", "bingo",
    "bio", "biz", "bj", "black", "blackfriday", "blog", "blue", "bm", "bn", "bo", "boats",
    "boston", "boutique", "bq", "br", "brussels", "bs", "bt", "build", "builders", "business",
    "buzz", "bv", "bw", "by", "bz", "bzh", "ca", "cab", "cafe", "cam", "camera", "camp",
    "capital", "car", "cards", "care", "career", "careers", "cars", "casa", "cash", "casino",
    "cat", "catering", "cc", "cd", "center", "ceo", "cf", "cg", "ch", "chat", "cheap",
    "christmas", "church", "ci", "city", "ck", "cl", "claims", "cleaning", "click", "clinic",
    "clothing", "cloud", "club", "cm", "cn", "co", "coach", "codes", "coffee", "college", "com",
    "community", "company", "computer", "condos", "construction", "consulting", "contractors",
    "cooking", "cool", "coop", "corsica", "country", "coupons", "courses", "cr", "credit",
    "creditcard", "cricket", "cruises", "cu", "cv", "cw", "cx", "cy", "cymru", "cz", "dance",
    "date", "dating", "de", "deals", "degree", "delivery", "democrat", "dental", "dentist",
    "design", "dev", "diamonds", "diet", "digital", "direct", "directory", "discount", "dj",
    "dk", "dm", "do", "doctor", "dog", "domains", "download", "dz", "earth", "ec", "eco", "edu",
    "education", "ee", "eg", "email", "energy", "engineer", "engineering", "enterprises",
    "equipment", "er", "es", "estate", "et", "eu", "eus", "events", "exchange", "expert",
    "exposed", "express", "fail", "faith", "family", "fan", "fans", "farm", "fashion", "fi",
    "film", "finance", "financial", "fish", "fit", "fitness", "fj", "fk", "flights", "florist",
    "flowers", "fm", "fo", "football", "forsale", "foundation", "fr", "free", "fun", "fund",
    "furniture", "futbol", "fyi", "ga", "gal", "gallery", "game", "games", "garden", "gay",
    "gb", "gd", "ge", "gent", "gf", "gg", "gh", "gi", "gift", "gifts", "gives", "gl", "glass",
    "global", "gm", "gmbh", "gn", "gold", "golf", "google", "gov", "gp", "gq", "gr", "graphics",
    "gratis", "green", "gripe", "group", "gs", "gt", "gu", "guide", "guitars", "guru", "gw",
    "gy", "hamburg", "haus", "health", "healthcare", "help", "hiphop", "hk", "hm", "hn",
    "hockey", "holdings", "holiday", "homes", "horse", "hospital", "host", "hosting", "house",
    "how", "hr", "ht", "hu", "id", "ie", "il", "im", "immo", "immobilien", "in", "inc",
    "industries", "info", "ink", "institute", "insure", "int", "international", "investments",
    "io", "iq", "ir", "irish", "is", "istanbul", "it", "je", "jetzt", "jewelry", "jm", "jo",
    "jobs", "jp", "kaufen", "ke", "kg", "kh", "ki", "kids", "kim", "kitchen", "kiwi", "km",
    "kn", "koeln", "kp", "kr", "kw", "ky", "kyoto", "kz", "la", "land", "lat", "law", "lawyer",
    "lb", "lc", "lease", "legal", "lgbt", "li", "life", "lighting", "limited", "limo", "link",
    "live", "lk", "llc", "loan", "loans", "lol", "london", "love", "lr", "ls", "lt", "ltd",
    "lu", "luxury", "lv", "ly", "ma", "madrid", "maison", "management", "market", "marketing",
    "markets", "mba", "mc", "md", "me", "media", "melbourne", "memorial", "men", "menu", "mg",
    "mh", "miami", "mil", "mk", "ml", "mm", "mn", "mo", "mobi", "moda", "moe", "mom", "money",
    "monster", "mortgage", "moscow", "motorcycles", "mov", "movie", "mp", "mq", "mr", "ms",
    "mt", "mu", "museum", "music", "mv", "mw", "mx", "my", "mz", "na", "nagoya", "name", "nc",
    "ne", "net", "network", "new", "news", "nf", "ng", "ngo", "ni", "ninja", "nl", "no", "np",
    "nr", "nrw", "nu", "nyc", "nz", "okinawa", "om", "one", "ong", "onl", "online", "ooo",
    "org", "organic", "osaka", "pa", "page", "paris", "partners", "parts", "party", "pe", "pet",
    "pf", "pg", "ph", "photo", "photography", "photos", "pics", "pictures", "pink", "pizza",
    "pk", "pl", "place", "plumbing", "plus", "pm", "pn", "poker", "porn", "post", "pr", "press",
    "pro", "productions", "promo", "properties", "property", "ps", "pt", "pub", "pw", "py",
    "qa", "qpon", "quebec", "racing", "radio", "re", "realestate", "realty", "recipes", "red",
    "rehab", "reise", "reisen", "rent", "rentals", "repair", "report", "republican", "rest",
    "restaurant", "review", "reviews", "rich", "rip", "ro", "rocks", "rodeo", "rs", "ru",
    "ruhr", "run", "rw", "sa", "saarland", "sale", "salon", "sarl", "sb", "sc", "school",
    "schule", "science", "scot", "sd", "se", "services", "sexy", "sg", "sh", "shoes", "shop",
    "shopping", "show", "si", "singles", "site", "sj", "sk", "ski", "sl", "sm", "sn", "so",
    "soccer", "social", "software", "solar", "solutions", "spa", "space", "sport", "sr", "ss",
    "st", "store", "stream", "studio", "study", "style", "su", "sucks", "supplies", "supply",
    "support", "surf", "surgery", "sv", "swiss", "sx", "sy", "sydney", "systems", "sz",
    "tattoo", "tax", "taxi", "tc", "td", "team", "tech", "technology", "tel", "tennis", "tf",
    "tg", "th", "theater", "tickets", "tienda", "tips", "tires", "tirol", "tj", "tk", "tl",
    "tm", "tn", "to", "today", "tokyo", "tools", "top", "tours", "town", "toys", "tr", "trade",
    "trading", "training", "travel", "tt", "tube", "tv", "tw", "tz", "ua", "ug", "uk",
    "university", "uno", "us", "uy", "uz", "va", "vacations", "vc", "ve", "vegas", "ventures",
    "vet", "vg", "vi", "viajes", "video", "villas", "vin", "vip", "vision", "vlaanderen", "vn",
    "vodka", "vote", "voting", "voto", "voyage", "vu", "wales", "wang", "watch", "webcam",
    "website", "wedding", "wf", "wien", "wiki", "win", "wine", "work", "works", "world", "ws",
    "wtf", "xxx", "xyz", "ye", "yoga", "yt", "za", "zm", "zone", "zw", "ελ", "бел", "мкд",
    "мон", "рф", "срб", "укр", "қаз", "հայ", "ישראל", "الاردن", "الجزائر", "السعودية", "المغرب",
    "امارات", "ایران", "تونس", "عمان", "فلسطين", "قطر", "مصر", "پاکستان", "भारत", "ভারত",
    "இந்தியா", "ไทย", "გე", "中国", "中國", "台湾", "台灣", "新加坡", "香港", "한국",
};
// clang-format on
static_assert(std::ranges::is_sorted(k_tlds), "k_tlds must stay sorted for binary_search");

}  // namespace

bool is_known_tld(std::string_view label) {
    return std::ranges::binary_search(k_tlds, label);
}

bool is_country_tld(std::string_view label) {
    return label.size() == 2 && is_known_tld(label);
}

}  // namespace cmtool::text::detail
