#pragma once
// The texts of `cmtool help TOPIC` (and of the man page's sections): one table, in
// help_topics.cpp, kept within 80 columns for terminals and `man`.
#include <span>
#include <string_view>

namespace cmtool::cli {

struct HelpTopic {
    std::string_view name;      // what `cmtool help NAME` takes
    std::string_view summary;   // one line for the topic list
    std::string_view man_name;  // the man page section's title
    std::string_view text;      // the body, ending with a newline
};

// Every topic, in the order `cmtool help` lists them.
std::span<const HelpTopic> help_topics();

}  // namespace cmtool::cli
