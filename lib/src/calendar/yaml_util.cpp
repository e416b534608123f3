#include "yaml_util.hpp"

#include <fmt/format.h>

#include "cmtool/calendar/workspace.hpp"

namespace cmtool::calendar::yaml {

Pos pos_of(const YAML::Mark& mark) {
    if (mark.line < 0) {
        return {};
    }
    return Pos{static_cast<std::uint32_t>(mark.line + 1),
               static_cast<std::uint32_t>(mark.column + 1)};
}

Pos pos_of(const YAML::Node& node) {
    return pos_of(node.Mark());
}

std::string_view kind_name(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Scalar:
            return "text";
        case YAML::NodeType::Sequence:
            return "a list";
        case YAML::NodeType::Map:
            return "a mapping";
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined:
            break;
    }
    return "empty";
}

void Reporter::error(std::string_view rule, Pos pos, std::string message, std::string hint,
                     std::string channel) const {
    diags.error(std::string(rule), file, pos, std::move(message), post_id, std::move(channel),
                std::move(hint));
}

void Reporter::warning(std::string_view rule, Pos pos, std::string message, std::string hint,
                       std::string channel) const {
    diags.warning(std::string(rule), file, pos, std::move(message), post_id, std::move(channel),
                  std::move(hint));
}

void Reporter::type_error(const YAML::Node& node, std::string_view key,
                          std::string_view expected) const {
    error("type", pos_of(node),
          fmt::format("`{}` must be {}, not {}", key, expected, kind_name(node)));
}

void Reporter::unknown_key(const YAML::Node& key, const std::vector<std::string>& allowed,
                           std::string_view where) const {
    const std::string& name = key.Scalar();
    const std::string guess = did_you_mean(name, allowed);
    std::string hint = guess.empty() ? fmt::format("allowed keys: {}", fmt::join(allowed, ", "))
                                     : fmt::format("did you mean `{}`?", guess);
    error("unknown-key", pos_of(key), fmt::format("unknown key `{}` in {}", name, where),
          std::move(hint));
}

std::optional<std::string> scalar(const YAML::Node& node, std::string_view key, const Reporter& r) {
    if (!node.IsScalar()) {
        r.type_error(node, key, "text");
        return std::nullopt;
    }
    return node.Scalar();
}

std::optional<std::vector<std::string>> scalar_list(const YAML::Node& node, std::string_view key,
                                                    const Reporter& r,
                                                    std::vector<Pos>* positions) {
    if (!node.IsSequence()) {
        r.type_error(node, key, "a list such as [a, b]");
        return std::nullopt;
    }
    std::vector<std::string> out;
    out.reserve(node.size());
    bool ok = true;
    for (const auto& item : node) {
        if (!item.IsScalar()) {
            r.type_error(item, fmt::format("{} item", key), "text");
            ok = false;
            continue;
        }
        out.push_back(item.Scalar());
        if (positions != nullptr) {
            positions->push_back(pos_of(item));
        }
    }
    if (!ok) {
        return std::nullopt;
    }
    return out;
}

std::optional<YAML::Node> parse(const std::string& content, const std::string& file,
                                Diagnostics& diags) {
    try {
        return YAML::Load(content);
    } catch (const YAML::ParserException& e) {
        diags.error("yaml-syntax", file, pos_of(e.mark),
                    fmt::format("YAML syntax error: {}", e.msg), {}, {},
                    "check the indentation and the brackets or quotes around this place");
    } catch (const YAML::Exception& e) {
        diags.error("yaml-syntax", file, pos_of(e.mark), fmt::format("YAML error: {}", e.msg));
    }
    return std::nullopt;
}

}  // namespace cmtool::calendar::yaml
