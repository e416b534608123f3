// The Facebook Pages adapter (platforms.md §5.1, docs/networks/facebook.md): feed posts (text,
// link) with POST /{page-id}/feed and photo posts with a multipart POST /{page-id}/photos (the
// file is uploaded, so no media_base_url is needed), both with the Page's token. No thread and
// no first comment: the calendar's thread items are not published to Facebook (the validator
// says so).
//
// Exactly once: neither endpoint takes an idempotency key, so a lost answer is `unknown` and
// lookup() reads the Page's feed since the intent for a post with exactly that message.
//
// Account settings: `page_id`, `api` (default https://graph.facebook.com), `graph_version`
// (default v25.0), `client_id`.
#include <fmt/format.h>

#include "cmtool/platforms/credentials.hpp"
#include "cmtool/platforms/image_info.hpp"
#include "cmtool/platforms/oauth.hpp"
#include "cmtool/util/files.hpp"
#include "cmtool/util/json.hpp"
#include "platforms/adapters.hpp"
#include "platforms/meta_graph.hpp"

namespace cmtool::platforms {
namespace meta {

using nlohmann::json;

namespace {

constexpr std::chrono::minutes k_clock_skew{5};

}  // namespace

class FacebookAdapter final : public Adapter {
  public:
    explicit FacebookAdapter(const AdapterContext& ctx)
        : m_ctx(ctx), m_page(ctx.account.get("page_id")), m_graph(m_ctx, graph_base(ctx.account)) {}

    Platform platform() const override { return Platform::facebook; }

    Capabilities capabilities() const override {
        // The photo endpoint documents no alt text parameter (§5.1): none is sent.
        return Capabilities{
            .threads = false, .alt_text = false, .idempotent_publish = false, .lookup = true};
    }

    json preview(const PublishRequest& request) const override {
        const auto& media = request.part.media;
        if (media.empty()) {
            json form = {{"message", request.part.text}};
            if (!request.part.link.empty()) {
                form["link"] = request.part.link;
            }
            return {{"method", "POST"},
                    {"url", m_graph.base() + "/" + m_page + "/feed"},
                    {"form", form}};
        }
        json out = {{"method", "POST"},
                    {"url", m_graph.base() + "/" + m_page + "/photos"},
                    {"multipart",
                     {{"message", request.part.text},
                      {"source", media.front().file + " (" + media.front().mime + ")"}}}};
        if (media.size() > 1 || media.front().mime.rfind("image/", 0) != 0) {
            out["error"] = unsupported_media(request);
        }
        return out;
    }

    Result<AccountInfo> verify() override {
        const std::string what = "GET /" + m_page;
        const auto r = m_graph.get("/" + m_page, {{"fields", "id,name,link"}});
        if (!r || r->status != 200) {
            return fail(m_graph.as_error(r, what));
        }
        const json j = json::parse(r->body, nullptr, false);
        AccountInfo info;
        info.id = util::json_string(j, "id");
        if (info.id.empty()) {
            return fail(ErrorCode::parse, what + ": malformed answer (no id)");
        }
        info.display_name = util::json_string(j, "name");
        info.handle = info.display_name;
        info.url = util::json_string(j, "link");
        if (info.url.empty()) {
            info.url = "https://www.facebook.com/" + info.id;
        }
        return info;
    }

    Result<void> ready_to_publish() override {
        if (auto t = require_token(m_ctx, "Page access token"); !t) {
            return t;
        }
        return {};
    }

    PublishResult publish(const PublishRequest& request) override {
        if (auto tok = m_graph.token(); !tok) {
            return m_graph.result(Outcome::permanent_failure, tok.error().message,
                                  tok.error().hint);
        }
        const auto& media = request.part.media;
        if (!media.empty() && (media.size() > 1 || media.front().mime.rfind("image/", 0) != 0)) {
            return m_graph.result(Outcome::permanent_failure, unsupported_media(request),
                                  "one image per Facebook post; videos are not supported yet");
        }
        std::string what;
        Result<net::HttpResponse> r = fail(ErrorCode::internal, "not sent");
        if (media.empty()) {
            what = "POST /" + m_page + "/feed";
            net::FieldList form = {{"message", request.part.text}};
            if (!request.part.link.empty()) {
                form.emplace_back("link", request.part.link);
            }
            r = m_graph.post("/" + m_page + "/feed", form, net::Retryable::no);
        } else {
            what = "POST /" + m_page + "/photos (" + media.front().file + ")";
            auto bytes = util::read_file(media.front().path);
            if (!bytes) {
                return m_graph.result(Outcome::permanent_failure, bytes.error().message,
                                      bytes.error().hint);
            }
            net::MultipartForm form;
            form.add_text("message", request.part.text);
            form.add_file("source", media.front().path.filename().string(), media.front().mime,
                          std::move(*bytes));
            r = m_graph.post_multipart("/" + m_page + "/photos", std::move(form),
                                       net::Retryable::no);
        }
        if (!r || r->status != 200) {
            return m_graph.failure(r, what, Step::create);
        }
        const json j = json::parse(r->body, nullptr, false);
        // /feed answers {"id": "<page>_<post>"}; /photos {"id": <photo>, "post_id"} [U].
        std::string id = util::json_string(j, "post_id");
        if (id.empty()) {
            id = util::json_string(j, "id");
        }
        if (id.empty()) {
            return m_graph.result(Outcome::unknown, what + ": HTTP 200 without a post id",
                                  "the lookup finds the post before anything is sent again");
        }
        PublishResult ok = m_graph.result(Outcome::sent, {});
        ok.ref.id = id;
        ok.ref.url = "https://www.facebook.com/" + id;
        if (const auto p = m_graph.get("/" + net::url_encode(id), {{"fields", "permalink_url"}});
            p && p->status == 200) {
            const std::string link =
                util::json_string(json::parse(p->body, nullptr, false), "permalink_url");
            ok.ref.url = link.empty() ? ok.ref.url : link;
        }
        return ok;
    }

    Result<LookupResult> lookup(const PublishRequest& request,
                                std::chrono::sys_seconds intent_at) override {
        if (auto tok = m_graph.token(); !tok) {
            return fail(std::move(tok).error());
        }
        const auto since = intent_at - k_clock_skew;
        auto match = find_by_text(m_graph, "/" + m_page + "/feed",
                                  {{"fields", "id,message,created_time,permalink_url"},
                                   {"since", std::to_string(since.time_since_epoch().count())}},
                                  "message", "created_time", request.part.text, since);
        if (!match) {
            return fail(std::move(match).error());
        }
        LookupResult out;
        out.how = match->how;
        out.found = match->found;
        if (match->found == Found::yes) {
            out.ref.id = util::json_string(match->item, "id");
            out.ref.url = util::json_string(match->item, "permalink_url");
        }
        return out;
    }

  private:
    static std::string unsupported_media(const PublishRequest& request) {
        return fmt::format("{} media file(s): cmtool posts one image per Facebook post (§5.1)",
                           request.part.media.size());
    }

    AdapterContext m_ctx;
    std::string m_page;
    GraphClient m_graph;
};

}  // namespace meta

Result<std::unique_ptr<Adapter>> make_facebook_adapter(const AdapterContext& ctx) {
    if (ctx.account.get("page_id").empty()) {
        return fail(ErrorCode::config,
                    "Facebook account " + ctx.account.name + " has no `page_id` setting",
                    "add `page_id: \"<Page id>\"` (quoted) to the account in cmtool.yaml");
    }
    return std::unique_ptr<Adapter>(std::make_unique<meta::FacebookAdapter>(ctx));
}

}  // namespace cmtool::platforms
