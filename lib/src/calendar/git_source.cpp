// libgit2 behind git_source.hpp: every handle owned by a unique_ptr with its own free function.
#include "git_source.hpp"

#include <fmt/format.h>
#include <git2.h>

#include <algorithm>
#include <array>
#include <optional>

#include "cmtool/calendar/load.hpp"

namespace cmtool::calendar::git {

namespace fs = std::filesystem;

namespace {

template <class T, void (*Free)(T*)>
struct GitFree {
    void operator()(T* p) const noexcept { Free(p); }
};
template <class T, void (*Free)(T*)>
using GitPtr = std::unique_ptr<T, GitFree<T, Free>>;

using RepoPtr = GitPtr<git_repository, git_repository_free>;
using ObjectPtr = GitPtr<git_object, git_object_free>;
using CommitPtr = GitPtr<git_commit, git_commit_free>;
using TreePtr = GitPtr<git_tree, git_tree_free>;
using TreeEntryPtr = GitPtr<git_tree_entry, git_tree_entry_free>;
using BlobPtr = GitPtr<git_blob, git_blob_free>;
using RefPtr = GitPtr<git_reference, git_reference_free>;

// libgit2's global state; libgit2 counts init/shutdown pairs, so one per Repository is fine.
class Library {
  public:
    Library() { git_libgit2_init(); }
    ~Library() { git_libgit2_shutdown(); }
    Library(const Library&) = delete;
    Library& operator=(const Library&) = delete;
};

std::string last_error() {
    const git_error* e = git_error_last();
    return e != nullptr && e->message != nullptr ? e->message : "unknown libgit2 error";
}

std::string hex(const git_oid& oid) {
    std::array<char, GIT_OID_HEXSZ + 1> buf{};
    git_oid_tostr(buf.data(), buf.size(), &oid);
    return buf.data();
}

Revision make_revision(const std::string& name, const git_oid& oid, std::string_view note = {}) {
    const std::string full = hex(oid);
    const std::string shortened = full.substr(0, 7);
    return Revision{note.empty() ? fmt::format("{} ({})", name, shortened)
                                 : fmt::format("{} ({} {})", name, note, shortened),
                    full};
}

struct Branch {
    std::string name;        // as shown: "origin/main", "main"
    std::string local_name;  // the branch it stands for: "main"
    git_oid oid{};
};

// origin/HEAD's target when the remote's default branch is known, else main, else master.
std::optional<Branch> default_branch(git_repository* repo) {
    Branch b;
    git_reference* raw = nullptr;
    if (git_reference_lookup(&raw, repo, "refs/remotes/origin/HEAD") == 0) {
        const RefPtr origin_head(raw);
        const char* target = git_reference_symbolic_target(origin_head.get());
        if (target != nullptr && git_reference_name_to_id(&b.oid, repo, target) == 0) {
            b.name = std::string(target).substr(std::string_view("refs/remotes/").size());
            b.local_name = b.name.substr(b.name.find('/') + 1);
            return b;
        }
    }
    for (const char* name : {"main", "master"}) {
        if (git_reference_name_to_id(&b.oid, repo, fmt::format("refs/heads/{}", name).c_str()) ==
            0) {
            b.name = b.local_name = name;
            return b;
        }
    }
    return std::nullopt;
}

struct WalkState {
    const std::vector<std::string>* globs = nullptr;
    std::vector<std::pair<std::string, git_oid>> hits;
};

int collect_matches(const char* root, const git_tree_entry* entry, void* payload) {
    auto& state = *static_cast<WalkState*>(payload);
    if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB ||
        git_tree_entry_filemode(entry) == GIT_FILEMODE_LINK) {
        return 0;
    }
    std::string path = std::string(root) + git_tree_entry_name(entry);
    const bool wanted =
        std::any_of(state.globs->begin(), state.globs->end(),
                    [&](const std::string& g) { return matches_calendar_glob(g, path); });
    if (wanted) {
        state.hits.emplace_back(std::move(path), *git_tree_entry_id(entry));
    }
    return 0;
}

}  // namespace

struct Repository::Impl {
    Library library;  // first member: initialised before the handles, shut down after
    RepoPtr repo;
    std::string prefix;  // the workspace folder inside the work tree: "" or "site/planning"

    // The tree of the workspace folder at `commit`; null when the folder is absent there.
    Result<TreePtr> workspace_tree(const std::string& commit) const;
};

Repository::Repository(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Repository::Repository(Repository&&) noexcept = default;
Repository& Repository::operator=(Repository&&) noexcept = default;
Repository::~Repository() = default;

Result<Repository> Repository::open(const fs::path& workspace_root) {
    auto impl = std::make_unique<Impl>();
    git_repository* raw = nullptr;
    const std::string start = workspace_root.string();
    const int rc = git_repository_open_ext(&raw, start.c_str(), 0, nullptr);
    if (rc == GIT_ENOTFOUND) {
        return fail(ErrorCode::config, fmt::format("{} is not in a git repository", start),
                    "`plan diff` compares git revisions: run `git init` and commit the calendar, "
                    "or give -C a workspace inside a repository");
    }
    if (rc < 0) {
        return fail(ErrorCode::config,
                    fmt::format("cannot open the git repository of {}: {}", start, last_error()));
    }
    impl->repo.reset(raw);
    const char* workdir = git_repository_workdir(raw);
    if (workdir == nullptr) {
        return fail(ErrorCode::config, fmt::format("the git repository of {} is bare", start));
    }
    std::error_code ec;
    const auto top = fs::canonical(workdir, ec);
    const auto ws = ec ? fs::path() : fs::canonical(workspace_root, ec);
    const auto rel = ws.lexically_relative(top).generic_string();
    if (ec || rel.empty() || rel.rfind("..", 0) == 0) {
        return fail(ErrorCode::config,
                    fmt::format("{} is outside the work tree of its git repository", start));
    }
    impl->prefix = rel == "." ? std::string() : rel;
    return Repository(std::move(impl));
}

Result<Revision> Repository::resolve(const std::string& spec) const {
    git_object* raw = nullptr;
    if (git_revparse_single(&raw, m_impl->repo.get(), spec.c_str()) < 0) {
        return fail(ErrorCode::usage, fmt::format("unknown revision `{}`", spec),
                    "give a commit, branch or tag git knows (`git log --oneline`, `git branch`)");
    }
    const ObjectPtr obj(raw);
    git_object* peeled = nullptr;
    if (git_object_peel(&peeled, obj.get(), GIT_OBJECT_COMMIT) < 0) {
        return fail(ErrorCode::usage, fmt::format("revision `{}` is not a commit", spec),
                    "give a commit, branch or tag");
    }
    const ObjectPtr commit(peeled);
    return make_revision(spec, *git_object_id(commit.get()));
}

Result<Revision> Repository::default_base() const {
    git_repository* repo = m_impl->repo.get();
    git_reference* raw = nullptr;
    if (git_repository_head(&raw, repo) < 0) {
        return fail(ErrorCode::usage, "HEAD has no commit yet: there is nothing to compare with",
                    "commit the calendar first");
    }
    const RefPtr head(raw);
    git_oid head_oid{};
    if (git_reference_name_to_id(&head_oid, repo, "HEAD") < 0) {
        return fail(ErrorCode::usage, fmt::format("cannot resolve HEAD: {}", last_error()));
    }
    const auto branch = default_branch(repo);
    if (!branch) {
        return fail(ErrorCode::usage,
                    "no default branch to compare with (origin/HEAD, main or "
                    "master)",
                    "name the base: cmtool plan diff BASE");
    }
    if (git_reference_is_branch(head.get()) != 0 &&
        git_reference_shorthand(head.get()) == branch->local_name) {
        return make_revision("HEAD", head_oid);
    }
    git_oid base{};
    if (git_merge_base(&base, repo, &head_oid, &branch->oid) < 0) {
        return fail(ErrorCode::usage,
                    fmt::format("HEAD and {} have no common ancestor", branch->name),
                    "name the base: cmtool plan diff BASE");
    }
    return make_revision(branch->name, base, "merge base");
}

Result<TreePtr> Repository::Impl::workspace_tree(const std::string& commit) const {
    git_oid oid{};
    git_commit* raw_commit = nullptr;
    git_tree* raw_tree = nullptr;
    if (git_oid_fromstr(&oid, commit.c_str()) < 0 ||
        git_commit_lookup(&raw_commit, repo.get(), &oid) < 0) {
        return fail(ErrorCode::io, fmt::format("cannot read commit {}: {}", commit, last_error()));
    }
    const CommitPtr c(raw_commit);
    if (git_commit_tree(&raw_tree, c.get()) < 0) {
        return fail(ErrorCode::io,
                    fmt::format("cannot read the tree of {}: {}", commit, last_error()));
    }
    TreePtr root(raw_tree);
    if (prefix.empty()) {
        return root;
    }
    git_tree_entry* raw_entry = nullptr;
    if (git_tree_entry_bypath(&raw_entry, root.get(), prefix.c_str()) < 0) {
        return TreePtr();  // the workspace folder did not exist yet
    }
    const TreeEntryPtr entry(raw_entry);
    if (git_tree_entry_type(entry.get()) != GIT_OBJECT_TREE) {
        return TreePtr();
    }
    if (git_tree_lookup(&raw_tree, repo.get(), git_tree_entry_id(entry.get())) < 0) {
        return fail(ErrorCode::io,
                    fmt::format("cannot read {} at {}: {}", prefix, commit, last_error()));
    }
    return TreePtr(raw_tree);
}

Result<std::vector<SourceFile>> Repository::calendar_sources(
    const Revision& rev, const std::vector<std::string>& globs) const {
    auto tree = m_impl->workspace_tree(rev.commit);
    if (!tree) {
        return fail(std::move(tree).error());
    }
    std::vector<SourceFile> out;
    if (!*tree) {
        return out;
    }
    WalkState state{&globs, {}};
    if (git_tree_walk(tree->get(), GIT_TREEWALK_PRE, collect_matches, &state) < 0) {
        return fail(ErrorCode::io, fmt::format("cannot list {}: {}", rev.label, last_error()));
    }
    for (const auto& [path, oid] : state.hits) {
        git_blob* raw = nullptr;
        if (git_blob_lookup(&raw, m_impl->repo.get(), &oid) < 0) {
            return fail(ErrorCode::io,
                        fmt::format("cannot read {} at {}: {}", path, rev.label, last_error()));
        }
        const BlobPtr blob(raw);
        const auto* data = static_cast<const char*>(git_blob_rawcontent(blob.get()));
        out.push_back(
            {path, std::string(data, static_cast<std::size_t>(git_blob_rawsize(blob.get())))});
    }
    std::sort(out.begin(), out.end(),
              [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
    return out;
}

}  // namespace cmtool::calendar::git
