#include "platforms/credentials_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "cmtool/util/files.hpp"
#include "store/private_dir.hpp"

namespace cmtool::platforms::detail {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int k_version = 1;

Error corrupt(const fs::path& file, std::string_view why) {
    // Never the content nor its keys: a secret pasted in the wrong place would be echoed.
    return Error{ErrorCode::config,
                 fmt::format("credentials file {} is corrupt: {}", file.string(), why),
                 "fix it by hand, or remove it and run `cmtool auth login` again"};
}

Result<void> check_shape(const fs::path& file, const json& doc) {
    if (!doc.is_object()) {
        return fail(corrupt(file, "the top level is not an object"));
    }
    if (const auto v = doc.find("version"); v != doc.end()) {
        if (!v->is_number_integer() || v->get<long long>() != k_version) {
            return fail(ErrorCode::config,
                        fmt::format("credentials file {} has an unknown version", file.string()),
                        "a newer cmtool wrote it: upgrade cmtool");
        }
    }
    const auto ws = doc.find("workspaces");
    if (ws == doc.end()) {
        return {};
    }
    if (!ws->is_object()) {
        return fail(corrupt(file, "\"workspaces\" is not an object"));
    }
    for (const auto& accounts : ws->items()) {
        if (!accounts.value().is_object()) {
            return fail(corrupt(file, "a workspace entry is not an object"));
        }
        for (const auto& kinds : accounts.value().items()) {
            if (!kinds.value().is_object()) {
                return fail(corrupt(file, "an account entry is not an object"));
            }
            for (const auto& secret : kinds.value().items()) {
                if (!secret.value().is_string()) {
                    return fail(corrupt(file, "a secret is not a string"));
                }
            }
        }
    }
    return {};
}

json empty_doc() {
    return json{{"version", k_version}, {"workspaces", json::object()}};
}

Error io_error(std::string_view what, const fs::path& file, int err) {
    return Error{
        ErrorCode::io, fmt::format("{} {}: {}", what, file.string(), std::strerror(err)), {}};
}

}  // namespace

Result<json> load_credentials(const fs::path& file) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) {
        if (errno == ENOENT) {
            return empty_doc();
        }
        return fail(io_error("cannot read credentials file", file, errno));
    }
    if ((st.st_mode & (S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH)) != 0) {
        return fail(
            ErrorCode::config,
            fmt::format("credentials file {} is accessible by group or others (mode {:04o})",
                        file.string(), st.st_mode & 07777),
            fmt::format("chmod 600 {}", file.string()));
    }
    auto text = util::read_file(file);
    if (!text) {
        return fail(std::move(text).error());
    }
    json doc;
    try {
        doc = json::parse(*text);
    } catch (const json::parse_error& e) {
        // e.what() quotes the bytes it stopped at: only the position is safe to show.
        return fail(corrupt(file, fmt::format("not valid JSON (near byte {})", e.byte)));
    }
    if (auto shape = check_shape(file, doc); !shape) {
        return fail(std::move(shape).error());
    }
    if (!doc.contains("workspaces")) {
        doc["workspaces"] = json::object();
    }
    return doc;
}

std::optional<std::string> find_secret(const json& doc, const std::string& root,
                                       std::string_view account, std::string_view kind) {
    const json::json_pointer ptr =
        json::json_pointer("/workspaces") / root / std::string(account) / std::string(kind);
    if (!doc.contains(ptr) || !doc.at(ptr).is_string()) {
        return std::nullopt;
    }
    std::string secret = doc.at(ptr).get<std::string>();
    if (secret.empty()) {
        return std::nullopt;
    }
    return secret;
}

bool set_secret(json& doc, const std::string& root, std::string_view account, std::string_view kind,
                const std::optional<std::string>& value) {
    json& workspaces = doc["workspaces"];
    const std::string acc(account);
    const std::string k(kind);
    if (value) {
        workspaces[root][acc][k] = *value;
        return true;
    }
    if (!workspaces.contains(root) || !workspaces[root].contains(acc) ||
        !workspaces[root][acc].contains(k)) {
        return false;
    }
    workspaces[root][acc].erase(k);
    if (workspaces[root][acc].empty()) {
        workspaces[root].erase(acc);
    }
    if (workspaces[root].empty()) {
        workspaces.erase(root);
    }
    return true;
}

Result<void> save_credentials(const fs::path& file, const json& doc) {
    const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
    if (auto d = store::make_private_dirs(dir); !d) {
        return d;
    }
    std::string pattern = (dir / ("." + file.filename().string() + ".XXXXXX")).string();
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    const int fd = ::mkstemp(name.data());  // O_EXCL, mode 0600
    if (fd < 0) {
        return fail(io_error("cannot write credentials file", file, errno));
    }
    const fs::path tmp(name.data());
    const std::string content = doc.dump(2) + "\n";
    std::size_t done = 0;
    int err = ::fchmod(fd, 0600) == 0 ? 0 : errno;
    while (err == 0 && done < content.size()) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno != EINTR) {
            err = errno;
        } else if (n > 0) {
            done += static_cast<std::size_t>(n);
        }
    }
    if (err == 0 && ::fsync(fd) != 0) {
        err = errno;
    }
    if (::close(fd) != 0 && err == 0) {
        err = errno;
    }
    if (err == 0 && ::rename(tmp.c_str(), file.c_str()) != 0) {
        err = errno;
    }
    if (err != 0) {
        ::unlink(tmp.c_str());
        return fail(io_error("cannot write credentials file", file, err));
    }
    if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
        ::fsync(dfd);  // make the rename durable
        ::close(dfd);
    }
    return {};
}

}  // namespace cmtool::platforms::detail
