#pragma once
// Aligned plain-text tables for reports: widths in graphemes (accents and "—" count one),
// colour applied after padding so escape codes never shift a column.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace cmtool::calendar {

enum class RowStyle { plain, bold, warn };

struct TextTable {
    std::vector<std::string> header;
    std::string align;  // one 'l' or 'r' per column
    std::vector<std::vector<std::string>> rows;
    std::vector<RowStyle> styles;  // one per row

    void add(std::vector<std::string> row, RowStyle style = RowStyle::plain) {
        rows.push_back(std::move(row));
        styles.push_back(style);
    }
};

using StyleFn = std::function<std::string(std::string_view)>;
// The header then the rows, indented by two spaces, columns two spaces apart, no trailing
// spaces; `bold` styles the header and bold rows, `warn` the warn rows.
std::string render_table(const TextTable& t, const StyleFn& bold, const StyleFn& warn);

}  // namespace cmtool::calendar
