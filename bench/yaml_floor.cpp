// cmtool_yaml_floor DIR: the cost of reading a workspace's calendar with yaml-cpp and nothing
// else. Loads DIR/calendar/**/*.yaml (sorted) one file after another, walks every node and
// touches each scalar's text and position, then prints what it saw as one JSON object.
// `plan validate` has to do at least this much, so its time is compared with this floor.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Tally {
    std::uint64_t nodes = 0;
    std::uint64_t scalars = 0;
    std::uint64_t scalar_bytes = 0;
    std::uint64_t mark_sum = 0;  // sum of lines and columns: keeps Mark() from being optimised out
};

void walk(const YAML::Node& node, Tally& t) {
    ++t.nodes;
    const YAML::Mark mark = node.Mark();
    t.mark_sum += static_cast<std::uint64_t>(mark.line) + static_cast<std::uint64_t>(mark.column);
    switch (node.Type()) {
        case YAML::NodeType::Scalar:
            ++t.scalars;
            t.scalar_bytes += node.Scalar().size();
            break;
        case YAML::NodeType::Sequence:
            for (const auto& item : node) {
                walk(item, t);
            }
            break;
        case YAML::NodeType::Map:
            for (const auto& kv : node) {
                walk(kv.first, t);
                walk(kv.second, t);
            }
            break;
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined:
            break;
    }
}

std::vector<fs::path> calendar_files(const fs::path& root) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(root / "calendar")) {
        if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
        fmt::print(stderr, "usage: cmtool_yaml_floor WORKSPACE_DIR\n");
        return 2;
    }
    try {
        const fs::path root = argv[1];
        const auto files = calendar_files(root);
        if (files.empty()) {
            fmt::print(stderr, "cmtool_yaml_floor: error: no calendar/**/*.yaml under {}\n",
                       root.string());
            return 1;
        }
        Tally t;
        std::uintmax_t bytes = 0;
        for (const auto& f : files) {
            bytes += fs::file_size(f);
            walk(YAML::LoadFile(f.string()), t);
        }
        const nlohmann::json out = {
            {"files", files.size()},
            {"bytes", bytes},
            {"nodes", t.nodes},
            {"scalars", t.scalars},
            {"scalar_bytes", t.scalar_bytes},
            {"mark_sum", t.mark_sum},
        };
        fmt::print("{}\n", out.dump());
        return 0;
    } catch (const std::exception& e) {
        fmt::print(stderr, "cmtool_yaml_floor: error: {}\n", e.what());
        return 1;
    }
}
