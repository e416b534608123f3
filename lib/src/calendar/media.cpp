// Media files: existence, containment in the workspace, size and type by content.
#include <fstream>

#include "cmtool/calendar/validate.hpp"
#include "cmtool/util/strings.hpp"

namespace cmtool::calendar {

namespace fs = std::filesystem;

std::string_view media_kind_name(MediaKind k) {
    switch (k) {
        case MediaKind::jpeg:
            return "JPEG";
        case MediaKind::png:
            return "PNG";
        case MediaKind::gif:
            return "GIF";
        case MediaKind::webp:
            return "WebP";
        case MediaKind::heic:
            return "HEIC";
        case MediaKind::avif:
            return "AVIF";
        case MediaKind::mp4:
            return "MP4";
        case MediaKind::mov:
            return "QuickTime";
        case MediaKind::unknown:
            break;
    }
    return "unknown";
}

namespace {

MediaKind kind_from_extension(const fs::path& p) {
    const std::string ext = util::to_lower(p.extension().string());
    if (ext == ".jpg" || ext == ".jpeg")
        return MediaKind::jpeg;
    if (ext == ".png")
        return MediaKind::png;
    if (ext == ".gif")
        return MediaKind::gif;
    if (ext == ".webp")
        return MediaKind::webp;
    if (ext == ".heic")
        return MediaKind::heic;
    if (ext == ".avif")
        return MediaKind::avif;
    if (ext == ".mp4" || ext == ".m4v")
        return MediaKind::mp4;
    if (ext == ".mov")
        return MediaKind::mov;
    return MediaKind::unknown;
}

// Signatures: JPEG FF D8 FF, PNG 89 50 4E 47, GIF "GIF8", WebP "RIFF....WEBP", ISO BMFF "ftyp".
MediaKind kind_from_content(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    unsigned char b[12] = {};
    in.read(reinterpret_cast<char*>(b), sizeof b);
    if (in.gcount() < 12) {
        return MediaKind::unknown;
    }
    if (b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
        return MediaKind::jpeg;
    if (b[0] == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G')
        return MediaKind::png;
    if (b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8')
        return MediaKind::gif;
    if (b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E' &&
        b[10] == 'B' && b[11] == 'P') {
        return MediaKind::webp;
    }
    if (b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') {
        const std::string brand(reinterpret_cast<const char*>(b + 8), 4);
        if (brand == "heic" || brand == "heix" || brand == "mif1")
            return MediaKind::heic;
        if (brand == "avif")
            return MediaKind::avif;
        if (brand == "qt  ")
            return MediaKind::mov;
        return MediaKind::mp4;
    }
    return MediaKind::unknown;
}

}  // namespace

MediaInfo MediaProbe::probe(const std::string& relative) {
    {
        std::lock_guard lock(m_mutex);
        if (auto it = m_cache.find(relative); it != m_cache.end()) {
            return it->second;
        }
    }
    MediaInfo info;
    const fs::path rel(relative);
    const fs::path joined = (m_root / rel).lexically_normal();
    const auto inside = joined.lexically_relative(m_root);
    info.inside_workspace = !rel.is_absolute() && !inside.empty() && *inside.begin() != "..";
    std::error_code ec;
    if (info.inside_workspace) {
        // A symlink may still point outside: compare canonical paths when it exists.
        const auto canon = fs::weakly_canonical(joined, ec);
        const auto root = fs::weakly_canonical(m_root, ec);
        const auto crel = canon.lexically_relative(root);
        info.inside_workspace = !crel.empty() && *crel.begin() != "..";
        info.exists = fs::is_regular_file(joined, ec);
        if (info.exists) {
            info.size = fs::file_size(joined, ec);
            info.kind = kind_from_content(joined);
        }
    }
    info.by_extension = kind_from_extension(rel);
    std::lock_guard lock(m_mutex);
    m_cache.emplace(relative, info);
    return info;
}

}  // namespace cmtool::calendar
