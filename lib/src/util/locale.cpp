#include "cmtool/util/locale.hpp"

#include <cmath>

#include <fmt/format.h>

namespace cmtool::util {

namespace {

constexpr const char* k_days_en[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                     "Friday", "Saturday", "Sunday"};
constexpr const char* k_days_fr[] = {"lundi",    "mardi",  "mercredi", "jeudi",
                                     "vendredi", "samedi", "dimanche"};
constexpr const char* k_days_en_short[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr const char* k_days_fr_short[] = {"lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."};
constexpr const char* k_months_en[] = {"January",   "February", "March",    "April",
                                       "May",       "June",     "July",     "August",
                                       "September", "October",  "November", "December"};
constexpr const char* k_months_fr[] = {"janvier",   "février", "mars",     "avril",
                                       "mai",       "juin",    "juillet",  "août",
                                       "septembre", "octobre", "novembre", "décembre"};
constexpr const char* k_months_en_short[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr const char* k_months_fr_short[] = {"janv.", "févr.", "mars",  "avr.", "mai",  "juin",
                                             "juil.", "août",  "sept.", "oct.", "nov.", "déc."};
constexpr const char* k_nnbsp = "\u202F";  // narrow no-break space: French thousands separator
constexpr const char* k_nbsp = "\u00A0";   // no-break space before % in French

unsigned iso_weekday(date::local_days d) {
    return (date::weekday{d}.c_encoding() + 6) % 7;  // Monday = 0
}

}  // namespace

Lang parse_lang(std::string_view s) {
    return s == "fr" ? Lang::fr : Lang::en;
}

std::string weekday_name(unsigned i, Lang lang, bool abbreviated) {
    i %= 7;
    if (lang == Lang::fr) {
        return abbreviated ? k_days_fr_short[i] : k_days_fr[i];
    }
    return abbreviated ? k_days_en_short[i] : k_days_en[i];
}

std::string long_day(date::local_days d, Lang lang) {
    const date::year_month_day ymd{d};
    const auto m = static_cast<unsigned>(ymd.month()) - 1;
    const auto day = static_cast<unsigned>(ymd.day());
    if (lang == Lang::fr) {
        return fmt::format("{} {}{} {} {}", k_days_fr[iso_weekday(d)], day, day == 1 ? "er" : "",
                           k_months_fr[m], static_cast<int>(ymd.year()));
    }
    return fmt::format("{} {} {} {}", k_days_en[iso_weekday(d)], day, k_months_en[m],
                       static_cast<int>(ymd.year()));
}

std::string short_day(date::local_days d, Lang lang) {
    const date::year_month_day ymd{d};
    const auto m = static_cast<unsigned>(ymd.month()) - 1;
    const auto day = static_cast<unsigned>(ymd.day());
    if (lang == Lang::fr) {
        return fmt::format("{} {} {}", k_days_fr_short[iso_weekday(d)], day, k_months_fr_short[m]);
    }
    return fmt::format("{} {} {}", k_days_en_short[iso_weekday(d)], day, k_months_en_short[m]);
}

std::string month_name(date::year_month ym, Lang lang) {
    const auto m = static_cast<unsigned>(ym.month()) - 1;
    return fmt::format("{} {}", lang == Lang::fr ? k_months_fr[m] : k_months_en[m],
                       static_cast<int>(ym.year()));
}

std::string format_number(double v, int decimals, Lang lang) {
    if (!std::isfinite(v)) {
        return "—";
    }
    const bool negative = v < 0;
    std::string digits = fmt::format("{:.{}f}", std::fabs(v), decimals);
    const auto dot = digits.find('.');
    std::string integer = digits.substr(0, dot);
    const std::string fraction = dot == std::string::npos ? "" : digits.substr(dot + 1);
    std::string grouped;
    const std::string sep = lang == Lang::fr ? k_nnbsp : ",";
    for (std::size_t i = 0; i < integer.size(); ++i) {
        if (i != 0 && (integer.size() - i) % 3 == 0) {
            grouped += sep;
        }
        grouped += integer[i];
    }
    std::string out = negative ? "-" + grouped : grouped;
    if (!fraction.empty()) {
        out += (lang == Lang::fr ? "," : ".") + fraction;
    }
    return out;
}

std::string format_percent(double share, int decimals, Lang lang) {
    const std::string n = format_number(share * 100.0, decimals, lang);
    return lang == Lang::fr ? n + k_nbsp + "%" : n + "%";
}

std::string format_change(double share, int decimals, Lang lang) {
    const std::string p = format_percent(std::fabs(share), decimals, lang);
    return (share < 0 ? "\u2212" : "+") + p;
}

}  // namespace cmtool::util
