// The Instagram adapter (platforms.md §5.2, docs/networks/instagram.md): professional accounts
// through the Content Publishing API, container then publish (meta_containers.hpp). Media are
// fetched by Meta from the workspace's media_base_url; a post without media cannot exist.
//
// Account settings: `user_id` (the IG user id), `api` (default https://graph.facebook.com),
// `graph_version` (default v25.0), `media_base_url` (else the workspace's), `client_id`.
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

class InstagramAdapter final : public Adapter {
  public:
    explicit InstagramAdapter(const AdapterContext& ctx)
        : m_ctx(ctx),
          m_user(ctx.account.get("user_id")),
          m_graph(m_ctx, graph_base(ctx.account)),
          m_flow(m_ctx, m_graph,
                 {"/" + m_user + "/media", "/" + m_user + "/media_publish", "status_code"}) {}

    Platform platform() const override { return Platform::instagram; }

    Capabilities capabilities() const override {
        // A container is published once, and its id is kept across runs: but media_publish
        // itself has no idempotency key, so a lost answer is looked up.
        return Capabilities{
            .threads = false, .alt_text = true, .idempotent_publish = false, .lookup = true};
    }

    json preview(const PublishRequest& request) const override {
        json containers = json::array();
        std::vector<net::FieldList> children;
        net::FieldList parent;
        std::string error;
        build(request, children, parent, error);
        for (const auto& c : children) {
            containers.push_back({{"method", "POST"},
                                  {"url", m_graph.base() + "/" + m_user + "/media"},
                                  {"form", fields_json(c)}});
        }
        json p = fields_json(parent);
        if (!children.empty()) {
            p["children"] = "(ids of the carousel items above)";
        }
        containers.push_back(
            {{"method", "POST"}, {"url", m_graph.base() + "/" + m_user + "/media"}, {"form", p}});
        json out = {{"containers", containers},
                    {"then", "GET /{container-id}?fields=status_code until FINISHED"},
                    {"publish",
                     {{"method", "POST"},
                      {"url", m_graph.base() + "/" + m_user + "/media_publish"},
                      {"form", {{"creation_id", "(id of the last container)"}}}}}};
        if (!error.empty()) {
            out["error"] = error;
        }
        return out;
    }

    Result<AccountInfo> verify() override {
        return m_graph.verify_user(m_user, "https://www.instagram.com/");
    }

    Result<void> ready_to_publish() override {
        if (auto t = require_token(m_ctx, "access token"); !t) {
            return t;
        }
        if (media_base_url(m_ctx).empty()) {
            MediaFile probe;
            probe.file = "media/x.jpg";
            return fail(public_media_url(m_ctx, probe).error());
        }
        return {};
    }

    PublishResult publish(const PublishRequest& request) override {
        std::vector<net::FieldList> children;
        net::FieldList parent;
        std::string error;
        if (!build(request, children, parent, error)) {
            return m_graph.result(Outcome::permanent_failure, error, m_hint);
        }
        return m_flow.publish(request.key, children, std::move(parent));
    }

    Result<LookupResult> lookup(const PublishRequest& request,
                                std::chrono::sys_seconds intent_at) override {
        if (auto tok = m_graph.token(); !tok) {
            return fail(std::move(tok).error());
        }
        auto match = find_by_text(m_graph, "/" + m_user + "/media",
                                  {{"fields", "id,caption,timestamp,permalink"}}, "caption",
                                  "timestamp", request.part.text, intent_at - k_clock_skew);
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
        return settle_with_container(request.key, std::move(out));
    }

  private:
    // A media list without the post: the container kept for the key tells whether a publish
    // may still be under way (PUBLISHED but not listed yet: cannot tell).
    Result<LookupResult> settle_with_container(const std::string& key, LookupResult out) {
        auto s = m_flow.stored_status(key);
        if (!s) {
            out.found = Found::cannot_tell;
            out.how += "; container: " + s.error().message;
            return out;
        }
        if (*s && (*s)->status == "PUBLISHED") {
            out.found = Found::cannot_tell;
            out.how += "; its container is PUBLISHED but the post is not listed yet";
        } else if (*s) {
            out.how += "; its container is " + ((*s)->gone ? "gone" : (*s)->status) +
                       " and will be published, not created again";
        }
        return out;
    }

    // The carousel items and the container of `request`; false with `error` when it cannot
    // be posted (no media, no media_base_url, a file outside media/).
    bool build(const PublishRequest& request, std::vector<net::FieldList>& children,
               net::FieldList& parent, std::string& error) const {
        const auto& media = request.part.media;
        if (media.empty()) {
            error = "an Instagram post needs an image or a video (§5.2)";
            m_hint = "add media to the post, or remove the Instagram channel from it";
            return false;
        }
        std::vector<std::string> urls;
        for (const auto& m : media) {
            auto url = public_media_url(m_ctx, m);
            if (!url) {
                error = url.error().message;
                m_hint = url.error().hint;
                return false;
            }
            urls.push_back(*url);
        }
        auto item = [&](std::size_t i, bool carousel) {
            net::FieldList f;
            if (is_video(media[i])) {
                f.emplace_back("media_type", carousel ? "VIDEO" : "REELS");
                f.emplace_back("video_url", urls[i]);
            } else {
                f.emplace_back("image_url", urls[i]);
                if (!media[i].alt.empty() && *k_alt_text_field != '\0') {
                    f.emplace_back(k_alt_text_field, media[i].alt);
                }
            }
            if (carousel) {
                f.emplace_back("is_carousel_item", "true");
            }
            return f;
        };
        if (media.size() == 1) {
            parent = item(0, false);
        } else {
            for (std::size_t i = 0; i < media.size(); ++i) {
                children.push_back(item(i, true));
            }
            parent.emplace_back("media_type", "CAROUSEL");
        }
        parent.emplace_back("caption", request.part.text);
        return true;
    }

    AdapterContext m_ctx;
    std::string m_user;
    GraphClient m_graph;
    ContainerFlow m_flow;
    mutable std::string m_hint;
};

}  // namespace meta

Result<std::unique_ptr<Adapter>> make_instagram_adapter(const AdapterContext& ctx) {
    if (ctx.account.get("user_id").empty()) {
        return fail(ErrorCode::config,
                    "Instagram account " + ctx.account.name + " has no `user_id` setting",
                    "add `user_id: \"<IG user id>\"` (quoted) to the account in cmtool.yaml");
    }
    return std::unique_ptr<Adapter>(std::make_unique<meta::InstagramAdapter>(ctx));
}

}  // namespace cmtool::platforms
