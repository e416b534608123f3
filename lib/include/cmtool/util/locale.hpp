#pragma once
// French and English formatting of dates and numbers for people (reports, agenda, messages).
#include <string>
#include <string_view>

#include <date/date.h>

namespace cmtool::util {

enum class Lang { en, fr };
// "fr" → fr; anything else → en.
Lang parse_lang(std::string_view s);

// "Friday 27 November 2026" / "vendredi 27 novembre 2026".
std::string long_day(date::local_days d, Lang lang);
// "Fri 27 Nov" / "ven. 27 nov."
std::string short_day(date::local_days d, Lang lang);
// "November 2026" / "novembre 2026".
std::string month_name(date::year_month ym, Lang lang);
// "Monday" / "lundi" for 0 = Monday ... 6 = Sunday.
std::string weekday_name(unsigned iso_index, Lang lang, bool abbreviated = false);

// 12345.6 → "12,345.6" / "12 345,6" (narrow no-break space as the French group separator).
std::string format_number(double v, int decimals, Lang lang);
// 0.125 → "12.5%" / "12,5 %" (no-break space before % in French).
std::string format_percent(double share, int decimals, Lang lang);
// A signed change: +4.2% / +4,2 %; "−" (minus sign) for decreases.
std::string format_change(double share, int decimals, Lang lang);

}  // namespace cmtool::util
