#include "text_table.hpp"

#include <algorithm>

#include "cmtool/text/count.hpp"

namespace cmtool::calendar {

namespace {

std::string line(const std::vector<std::string>& cells, const std::vector<std::size_t>& widths,
                 std::string_view align) {
    std::string out = "  ";
    for (std::size_t i = 0; i < cells.size() && i < widths.size(); ++i) {
        const std::size_t pad = widths[i] - std::min(widths[i], text::count_graphemes(cells[i]));
        const bool right = i < align.size() && align[i] == 'r';
        if (i > 0) {
            out += "  ";
        }
        out += right ? std::string(pad, ' ') + cells[i] : cells[i] + std::string(pad, ' ');
    }
    while (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
    return out;
}

}  // namespace

std::string render_table(const TextTable& t, const StyleFn& bold, const StyleFn& warn) {
    std::vector<std::size_t> widths(t.header.size(), 0);
    const auto measure = [&](const std::vector<std::string>& cells) {
        for (std::size_t i = 0; i < cells.size() && i < widths.size(); ++i) {
            widths[i] = std::max(widths[i], text::count_graphemes(cells[i]));
        }
    };
    measure(t.header);
    for (const auto& r : t.rows) {
        measure(r);
    }
    std::string out = bold(line(t.header, widths, t.align)) + "\n";
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
        const std::string l = line(t.rows[i], widths, t.align);
        switch (t.styles[i]) {
            case RowStyle::bold:
                out += bold(l);
                break;
            case RowStyle::warn:
                out += warn(l);
                break;
            case RowStyle::plain:
                out += l;
                break;
        }
        out += "\n";
    }
    return out;
}

}  // namespace cmtool::calendar
