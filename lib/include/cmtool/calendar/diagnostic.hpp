#pragma once
// Findings: what validation (and loading) reports about a file, with a stable rule code.
#include <cstdint>
#include <string>
#include <vector>

namespace cmtool::calendar {

// 1-based position in a source file; line 0 means "the whole file".
struct Pos {
    std::uint32_t line = 0;
    std::uint32_t column = 0;
};

enum class Severity { warning, error };

struct Finding {
    std::string rule;  // stable code, e.g. "text-too-long" (docs/calendar.md lists them)
    Severity severity = Severity::error;
    std::string file;  // path as given or relative to the workspace root
    Pos pos;
    std::string post_id;  // may be empty (file-level findings)
    std::string channel;  // may be empty
    std::string message;  // one sentence a non-programmer understands
    std::string hint;     // optional next step ("did you mean ...?")
};

// Sort order for output: file, line, column, rule.
bool finding_less(const Finding& a, const Finding& b);

// Collects findings; cheap to move, one per file when loading in parallel.
class Diagnostics {
  public:
    void add(Finding f) { m_findings.push_back(std::move(f)); }
    void error(std::string rule, std::string file, Pos pos, std::string message,
               std::string post_id = {}, std::string channel = {}, std::string hint = {});
    void warning(std::string rule, std::string file, Pos pos, std::string message,
                 std::string post_id = {}, std::string channel = {}, std::string hint = {});
    const std::vector<Finding>& findings() const { return m_findings; }
    std::vector<Finding>& findings() { return m_findings; }
    std::size_t error_count() const;
    std::size_t warning_count() const;
    void append(Diagnostics&& other);

  private:
    std::vector<Finding> m_findings;
};

}  // namespace cmtool::calendar
