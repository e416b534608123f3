#include "test_support.hpp"

#include <unistd.h>

#include <fmt/format.h>

namespace cmtool::test {

TempDir::TempDir(const std::string& name)
    : m_path(std::filesystem::temp_directory_path() /
             fmt::format("cmtool-{}-{}", name, ::getpid())) {
    std::filesystem::remove_all(m_path);
    std::filesystem::create_directories(m_path);
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

void TempDir::write(const std::string& relative, const std::string& content) const {
    auto r = util::write_file_atomic(m_path / relative, content);
    if (!r) {
        throw std::runtime_error(r.error().message);
    }
}

std::string contract_workspace_yaml() {
    return R"(version: 1
brand: Atelier Lumière
timezone: Europe/Paris            # IANA name; all calendar times without offset are in this zone
calendar: ["calendar/**/*.yaml"]  # default
accounts:                         # the names posts use in `channels`
  masto:    {platform: mastodon, instance: https://mastodon.social}
  bsky:     {platform: bluesky, service: https://bsky.social, handle: atelier.bsky.social}
  linkedin: {platform: linkedin, author: "urn:li:organization:123456"}
  x:        {platform: x}
  insta:    {platform: instagram, user_id: "17841400000000000"}
  fb:       {platform: facebook, page_id: "1234567890"}
  threads:  {platform: threads, user_id: "1234567890"}
  tg:       {platform: telegram, chat_id: "@atelier_news"}
  discord:  {platform: discord}
media_base_url: https://atelier.example/media   # Instagram and Threads fetch media/ from here
categories:                       # the editorial line; target = share of posts (optional)
  inspiration: {target: 40%}
  behind-the-scenes: {target: 30%}
  promo: {target: 20%}
)";
}

}  // namespace cmtool::test
