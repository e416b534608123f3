#include "cmtool/calendar/diagnostic.hpp"

#include <algorithm>
#include <tuple>

namespace cmtool::calendar {

bool finding_less(const Finding& a, const Finding& b) {
    return std::tie(a.file, a.pos.line, a.pos.column, a.rule, a.channel) <
           std::tie(b.file, b.pos.line, b.pos.column, b.rule, b.channel);
}

void Diagnostics::error(std::string rule, std::string file, Pos pos, std::string message,
                        std::string post_id, std::string channel, std::string hint) {
    m_findings.push_back(Finding{std::move(rule), Severity::error, std::move(file), pos,
                                 std::move(post_id), std::move(channel), std::move(message),
                                 std::move(hint)});
}

void Diagnostics::warning(std::string rule, std::string file, Pos pos, std::string message,
                          std::string post_id, std::string channel, std::string hint) {
    m_findings.push_back(Finding{std::move(rule), Severity::warning, std::move(file), pos,
                                 std::move(post_id), std::move(channel), std::move(message),
                                 std::move(hint)});
}

std::size_t Diagnostics::error_count() const {
    return static_cast<std::size_t>(
        std::count_if(m_findings.begin(), m_findings.end(),
                      [](const Finding& f) { return f.severity == Severity::error; }));
}

std::size_t Diagnostics::warning_count() const {
    return m_findings.size() - error_count();
}

void Diagnostics::append(Diagnostics&& other) {
    m_findings.insert(m_findings.end(), std::make_move_iterator(other.m_findings.begin()),
                      std::make_move_iterator(other.m_findings.end()));
    other.m_findings.clear();
}

}  // namespace cmtool::calendar
