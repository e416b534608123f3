#pragma once
// Calendar files read straight from git objects (commits, trees, blobs): nothing is checked out,
// the working tree and the index are never written. libgit2 stays inside git_source.cpp.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cmtool/util/result.hpp"

namespace cmtool::calendar::git {

struct Revision {
    std::string label;   // for people: "HEAD~2 (9f8e7d6)", "main (merge base 1a2b3c4)"
    std::string commit;  // full hexadecimal object id
};

struct SourceFile {
    std::string path;  // relative to the workspace folder, '/'-separated
    std::string content;
};

class Repository {
  public:
    // The repository whose work tree holds `workspace_root` (parent folders are searched).
    // Fails (config) when there is none, or when it is bare.
    static Result<Repository> open(const std::filesystem::path& workspace_root);

    Repository(Repository&&) noexcept;
    Repository& operator=(Repository&&) noexcept;
    ~Repository();

    // Anything git_revparse_single reads (commit, branch, tag, HEAD~2), peeled to a commit.
    // Fails (usage) naming `spec` when git cannot resolve it or it is not a commit.
    Result<Revision> resolve(const std::string& spec) const;
    // The merge base of HEAD with the default branch (origin/HEAD's target, else main, else
    // master), or HEAD itself when HEAD is that branch. Fails (usage) when HEAD has no commit,
    // there is no default branch or no common ancestor.
    Result<Revision> default_base() const;
    // The files of `rev` under the workspace folder whose workspace-relative path matches one
    // of `globs`, sorted by path; none when the folder does not exist at `rev`. Fails (io)
    // when an object cannot be read.
    Result<std::vector<SourceFile>> calendar_sources(const Revision& rev,
                                                     const std::vector<std::string>& globs) const;

  private:
    struct Impl;
    explicit Repository(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace cmtool::calendar::git
