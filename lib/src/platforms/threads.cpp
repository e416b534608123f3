// The Threads adapter (platforms.md §5.3, docs/networks/threads.md): container then publish
// (meta_containers.hpp) for text, image and carousel posts; a thread is a chain of replies, part
// N+1 created with reply_to_id = the media id of part N. Images are fetched by Meta from the
// workspace's media_base_url.
//
// Account settings: `user_id` (the Threads user id), `api` (default https://graph.threads.net;
// Meta's newer pages say graph.threads.com, §5.3), `graph_version` (default v1.0),
// `media_base_url` (else the workspace's), `client_id`.
#include <fmt/format.h>

#include "cmtool/platforms/credentials.hpp"
#include "cmtool/platforms/oauth.hpp"
#include "cmtool/util/json.hpp"
#include "platforms/adapters.hpp"
#include "platforms/meta_containers.hpp"
#include "platforms/meta_graph.hpp"

namespace cmtool::platforms {
namespace meta {

using nlohmann::json;

namespace {

constexpr std::chrono::minutes k_clock_skew{5};

}  // namespace

class ThreadsAdapter final : public Adapter {
  public:
    explicit ThreadsAdapter(const AdapterContext& ctx)
        : m_ctx(ctx),
          m_user(ctx.account.get("user_id")),
          m_graph(m_ctx, graph_base(ctx.account)),
          m_flow(m_ctx, m_graph,
                 {"/" + m_user + "/threads", "/" + m_user + "/threads_publish", "status"}) {}

    Platform platform() const override { return Platform::threads; }

    Capabilities capabilities() const override {
        return Capabilities{
            .threads = true, .alt_text = true, .idempotent_publish = false, .lookup = true};
    }

    json preview(const PublishRequest& request) const override {
        std::vector<net::FieldList> children;
        net::FieldList parent;
        std::string error, hint;
        const bool ok = build(request, children, parent, error, hint);
        json containers = json::array();
        const std::string create = m_graph.base() + "/" + m_user + "/threads";
        for (const auto& c : children) {
            containers.push_back({{"method", "POST"}, {"url", create}, {"form", fields_json(c)}});
        }
        json p = fields_json(parent);
        if (!children.empty()) {
            p["children"] = "(ids of the carousel items above)";
        }
        if (!request.parent && request.part.index > 0) {
            p["reply_to_id"] =
                fmt::format("(id of part {}, known once it is published)", request.part.index);
        }
        containers.push_back({{"method", "POST"}, {"url", create}, {"form", p}});
        json out = {{"containers", containers},
                    {"then", "GET /{container-id}?fields=status until FINISHED"},
                    {"publish",
                     {{"method", "POST"},
                      {"url", m_graph.base() + "/" + m_user + "/threads_publish"},
                      {"form", {{"creation_id", "(id of the last container)"}}}}}};
        if (!ok) {
            out["error"] = error;
        }
        return out;
    }

    Result<AccountInfo> verify() override {
        return m_graph.verify_user(m_user, "https://www.threads.net/@");
    }

    Result<void> ready_to_publish() override {
        // The token's presence only; a post with images and no media_base_url is refused by
        // publish() before any request, and by `plan validate`.
        if (auto t = require_token(m_ctx, "access token"); !t) {
            return t;
        }
        return {};
    }

    PublishResult publish(const PublishRequest& request) override {
        std::vector<net::FieldList> children;
        net::FieldList parent;
        std::string error, hint;
        if (!build(request, children, parent, error, hint)) {
            return m_graph.result(Outcome::permanent_failure, error, hint);
        }
        return m_flow.publish(request.key, children, std::move(parent));
    }

    Result<LookupResult> lookup(const PublishRequest& request,
                                std::chrono::sys_seconds intent_at) override {
        if (auto tok = m_graph.token(); !tok) {
            return fail(std::move(tok).error());
        }
        // A reply is listed among the user's replies, not their threads [C: denim].
        const std::string path = "/" + m_user + (request.parent ? "/replies" : "/threads");
        auto match = find_by_text(m_graph, path, {{"fields", "id,text,timestamp,permalink"}},
                                  "text", "timestamp", request.part.text, intent_at - k_clock_skew);
        if (!match) {
            return fail(std::move(match).error());
        }
        LookupResult out;
        out.how = match->how;
        out.found = match->found;
        if (match->found == Found::yes) {
            out.ref.id = util::json_string(match->item, "id");
            out.ref.url = util::json_string(match->item, "permalink");
            return out;
        }
        auto s = m_flow.stored_status(request.key);
        if (!s) {
            out.found = Found::cannot_tell;
            out.how += "; container: " + s.error().message;
        } else if (*s && (*s)->status == "PUBLISHED") {
            out.found = Found::cannot_tell;
            out.how += "; its container is PUBLISHED but the post is not listed yet";
        } else if (*s) {
            out.how += "; its container is " + ((*s)->gone ? "gone" : (*s)->status) +
                       " and will be published, not created again";
        }
        return out;
    }

  private:
    bool build(const PublishRequest& request, std::vector<net::FieldList>& children,
               net::FieldList& parent, std::string& error, std::string& hint) const {
        const auto& media = request.part.media;
        std::vector<std::string> urls;
        for (const auto& m : media) {
            auto url = public_media_url(m_ctx, m);
            if (!url) {
                error = url.error().message;
                hint = url.error().hint;
                return false;
            }
            urls.push_back(*url);
        }
        auto item = [&](std::size_t i, bool carousel) {
            net::FieldList f;
            if (is_video(media[i])) {
                f.emplace_back("media_type", "VIDEO");
                f.emplace_back("video_url", urls[i]);
            } else {
                f.emplace_back("media_type", "IMAGE");
                f.emplace_back("image_url", urls[i]);
            }
            if (!media[i].alt.empty() && *k_alt_text_field != '\0') {
                f.emplace_back(k_alt_text_field, media[i].alt);
            }
            if (carousel) {
                f.emplace_back("is_carousel_item", "true");
            }
            return f;
        };
        if (media.empty()) {
            parent.emplace_back("media_type", "TEXT");
        } else if (media.size() == 1) {
            parent = item(0, false);
        } else {
            for (std::size_t i = 0; i < media.size(); ++i) {
                children.push_back(item(i, true));
            }
            parent.emplace_back("media_type", "CAROUSEL");
        }
        parent.emplace_back("text", request.part.text);
        if (request.parent) {
            parent.emplace_back("reply_to_id", request.parent->id);
        }
        return true;
    }

    AdapterContext m_ctx;
    std::string m_user;
    GraphClient m_graph;
    ContainerFlow m_flow;
};

}  // namespace meta

Result<std::unique_ptr<Adapter>> make_threads_adapter(const AdapterContext& ctx) {
    if (ctx.account.get("user_id").empty()) {
        return fail(ErrorCode::config,
                    "Threads account " + ctx.account.name + " has no `user_id` setting",
                    "add `user_id: \"<Threads user id>\"` (quoted) to the account in cmtool.yaml");
    }
    return std::unique_ptr<Adapter>(std::make_unique<meta::ThreadsAdapter>(ctx));
}

}  // namespace cmtool::platforms
