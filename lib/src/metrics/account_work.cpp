// One account's share of a pull (account_work.hpp): the order of requests (profile, recent
// posts, batches, single lookups), what each answer means, and when to stop asking.
#include "metrics/account_work.hpp"

#include <algorithm>

namespace cmtool::metrics::detail {

using platforms::Answer;

namespace {

constexpr int k_max_attempts = 3;  // a transient failure is asked again at most twice

}  // namespace

AccountWork::AccountWork(std::string account, std::unique_ptr<platforms::MetricsSource> source,
                         std::vector<store::TrackedPost> known, std::vector<store::TrackedPost> due,
                         Seconds since, const PullOptions& options)
    : m_source(std::move(source)), m_options(options), m_since(since) {
    m_report.account = std::move(account);
    m_report.platform = std::string(platform_name(m_source->platform()));
    if (auto a = m_source->prepared_account(); a && a->answer == Answer::ok) {
        m_account = a->counters;
        m_account_pending = false;
    }
    for (auto& p : known) {
        m_known.emplace(p.remote_id, std::move(p));
    }
    for (const auto& p : due) {
        m_due.push_back(p.remote_id);
        m_queued.insert(p.remote_id);
    }
    m_ready.push_back(Item{Item::Kind::page, {}, std::nullopt, 0});
}

bool AccountWork::budget_spent(net::SysTime now) const {
    if (!m_rate.remaining) {
        return false;
    }
    if (m_rate.reset && *m_rate.reset <= now) {
        return false;  // the window has refilled since that answer
    }
    return *m_rate.remaining <= static_cast<long>(m_in_flight);
}

std::optional<Item> AccountWork::take_item() {
    if (m_account_pending) {
        m_account_pending = false;
        return Item{Item::Kind::account, {}, std::nullopt, 0};
    }
    if (!m_ready.empty()) {
        Item item = std::move(m_ready.front());
        m_ready.pop_front();
        if (item.kind == Item::Kind::page) {
            m_page_in_flight = true;
        }
        return item;
    }
    if (m_page_in_flight && m_pages == 0) {
        return std::nullopt;  // the first page shows the newest posts: no batch asks for them
    }
    const std::size_t size =
        m_batch_unsupported ? 1 : std::max<std::size_t>(1, m_source->batch_size());
    Item item{m_batch_unsupported ? Item::Kind::single : Item::Kind::batch, {}, std::nullopt, 0};
    while (!m_due.empty() && item.ids.size() < size) {
        if (!m_seen.count(m_due.front())) {
            item.ids.push_back(m_due.front());
        }
        m_due.pop_front();
    }
    if (item.ids.empty()) {
        return std::nullopt;
    }
    return item;
}

std::optional<net::HttpRequest> AccountWork::next(Item& item, net::SysTime now) {
    if (m_stopped || m_needs_renewal ||
        m_in_flight >= std::max<std::size_t>(1, m_options.concurrency)) {
        return std::nullopt;
    }
    if (budget_spent(now)) {
        stop_for_rate_limit("rate limit budget spent");
        return std::nullopt;
    }
    auto taken = take_item();
    if (!taken) {
        return std::nullopt;
    }
    item = std::move(*taken);
    ++m_in_flight;
    ++m_report.requests;
    switch (item.kind) {
        case Item::Kind::account:
            return m_source->account_request();
        case Item::Kind::page:
            return m_source->timeline_request(item.cursor);
        case Item::Kind::batch:
            return m_source->batch_request(item.ids);
        case Item::Kind::single:
            return m_source->single_request(item.ids.front());
    }
    return std::nullopt;
}

void AccountWork::done(Item item, const Result<net::HttpResponse>& response, net::SysTime now) {
    --m_in_flight;
    if (response) {
        if (const auto limit = m_source->rate_limit(*response, now); !limit.empty()) {
            m_rate = limit;
        }
    }
    Answer answer = Answer::ok;
    std::string message;
    switch (item.kind) {
        case Item::Kind::account: {
            auto a = m_source->read_account(response);
            if (a.answer == Answer::ok) {
                m_account = a.counters;
                return;
            }
            answer = a.answer;
            message = std::move(a.message);
            break;
        }
        case Item::Kind::page:
            return read_page(item, response);
        case Item::Kind::batch:
            return read_batch(item, response);
        case Item::Kind::single:
            return read_single(item, response);
    }
    // Only the account item gets here with a failure.
    if (answer == Answer::auth && !m_renewed) {
        m_needs_renewal = true;
        m_account_pending = true;
    } else if (answer == Answer::rate_limited) {
        m_account_pending = true;
        stop_for_rate_limit(message);
    } else if (answer == Answer::transient && ++m_account_attempts < k_max_attempts) {
        m_account_pending = true;  // (a new Item each time: the count lives in the work)
    } else {
        fail_item(item, message);
    }
}

void AccountWork::fail_item(const Item& item, const std::string& message) {
    for (const auto& id : item.ids) {
        if (m_failed.insert(id).second) {
            ++m_report.failed;
        }
    }
    if (m_report.error.empty()) {
        m_report.error = m_source->redact(message);
    }
}

void AccountWork::retry_or_fail(Item item, const std::string& message) {
    if (++item.attempts < k_max_attempts) {
        m_ready.push_back(std::move(item));
    } else {
        fail_item(item, message);
    }
}

void AccountWork::stop_for_rate_limit(const std::string& message) {
    if (!m_stopped) {
        m_stopped = true;
        m_report.budget_reset = m_rate.reset;
        m_report.hint = "the rest is left for the next run (" + m_source->redact(message) + ")";
    }
}

bool AccountWork::handle_failure(const Item& item, Answer answer, const std::string& message) {
    switch (answer) {
        case Answer::ok:
        case Answer::gone:
        case Answer::unsupported:
            return false;
        case Answer::auth:
            if (m_renewed) {
                fail_item(item, message);
                m_stopped = true;
                m_report.status = AccountStatus::failed;
            } else {
                m_needs_renewal = true;
                m_ready.push_front(item);
            }
            return true;
        case Answer::rate_limited:
            m_ready.push_front(item);  // counted as deferred
            stop_for_rate_limit(message);
            return true;
        case Answer::transient:
            retry_or_fail(item, message);
            return true;
        case Answer::failed:
            fail_item(item, message);
            return true;
    }
    return true;
}

void AccountWork::list_for_batch(platforms::RemotePost post) {
    if (m_seen.count(post.remote_id) != 0) {
        return;
    }
    if (m_queued.insert(post.remote_id).second) {
        m_due.push_back(post.remote_id);
    }
    std::string id = post.remote_id;
    m_listed.insert_or_assign(std::move(id), std::move(post));
}

void AccountWork::saw(platforms::RemotePost post) {
    if (auto l = m_listed.find(post.remote_id); l != m_listed.end()) {
        // Counters from a batch, the rest from the timeline's listing.
        post.url = post.url.empty() ? l->second.url : post.url;
        post.excerpt = post.excerpt.empty() ? l->second.excerpt : post.excerpt;
        if (post.published_at == Seconds{}) {
            post.published_at = l->second.published_at;
        }
        m_listed.erase(l);
    }
    if (m_seen.insert(post.remote_id).second) {
        std::string id = post.remote_id;
        m_found.push_back(Found{std::move(id), false, std::move(post)});
    }
}

void AccountWork::read_page(const Item& item, const Result<net::HttpResponse>& response) {
    m_page_in_flight = false;
    auto a = m_source->read_timeline(response);
    if (handle_failure(item, a.answer, a.message)) {
        return;
    }
    ++m_pages;
    bool all_known = !a.posts.empty();
    bool window_end = false;
    for (auto& p : a.posts) {
        if (p.published_at < m_since) {
            window_end = true;  // newest first: the rest is older still
            continue;
        }
        if (p.reply && !m_known.count(p.remote_id)) {
            continue;  // a thread's later part or a conversation: not a post of its own
        }
        if (!m_known.count(p.remote_id)) {
            all_known = false;
            if (!m_seen.count(p.remote_id)) {
                ++m_report.unplanned;
            }
        }
        if (m_source->timeline_counts()) {
            saw(std::move(p));
        } else {
            list_for_batch(std::move(p));
        }
    }
    // Stop at the window's start, at the end, or where every post was already tracked (the
    // pages after it were seen by earlier runs); and after max_pages in any case.
    if (a.cursor && !window_end && !all_known && m_pages < m_options.max_pages) {
        m_ready.push_back(Item{Item::Kind::page, {}, a.cursor, 0});
    }
}

void AccountWork::read_batch(const Item& item, const Result<net::HttpResponse>& response) {
    auto a = m_source->read_batch(response);
    if (a.answer == Answer::unsupported) {
        m_batch_unsupported = true;  // an older server: one request per post from now on
    }
    if (handle_failure(item, a.answer, a.message)) {
        return;
    }
    std::set<std::string> answered;
    for (auto& p : a.posts) {
        answered.insert(p.remote_id);
        saw(std::move(p));
    }
    for (const auto& id : item.ids) {
        if (!answered.count(id)) {  // deleted, hidden or not indexed: ask about it alone
            m_ready.push_back(Item{Item::Kind::single, {id}, std::nullopt, 0});
        }
    }
}

void AccountWork::read_single(const Item& item, const Result<net::HttpResponse>& response) {
    auto a = m_source->read_single(response);
    if (handle_failure(item, a.answer, a.message)) {
        return;
    }
    const std::string& id = item.ids.front();
    if (a.answer == Answer::gone) {
        if (m_seen.insert(id).second) {
            m_found.push_back(Found{id, true, {}});
            ++m_report.deleted;
        }
        return;
    }
    if (!a.posts.empty()) {
        a.posts.front().remote_id = id;
        saw(std::move(a.posts.front()));
    } else {
        m_seen.insert(id);  // exists, but no counters yet (not indexed): nothing to record
    }
}

Result<void> AccountWork::renew() {
    m_renewed = true;
    auto r = m_source->renew();
    if (r) {
        m_needs_renewal = false;
        return r;
    }
    m_stopped = true;
    m_report.status = AccountStatus::failed;
    m_report.error = m_source->redact(r.error().message);
    m_report.hint = r.error().hint;
    return r;
}

bool AccountWork::has_work() const {
    return !m_stopped && (m_account_pending || !m_ready.empty() || !m_due.empty());
}

std::size_t AccountWork::planned_requests() const {
    const std::size_t size =
        m_batch_unsupported ? 1 : std::max<std::size_t>(1, m_source->batch_size());
    return (m_account_pending ? 1 : 0) + m_ready.size() + (m_due.size() + size - 1) / size;
}

std::vector<Found> AccountWork::take_found() {
    return std::exchange(m_found, {});
}

std::optional<store::AccountCounters> AccountWork::take_account() {
    return std::exchange(m_account, std::nullopt);
}

const store::TrackedPost* AccountWork::known(const std::string& remote_id) const {
    const auto it = m_known.find(remote_id);
    return it == m_known.end() ? nullptr : &it->second;
}

void AccountWork::remember(const store::TrackedPost& post) {
    m_known.insert_or_assign(post.remote_id, post);
}

AccountPull AccountWork::finish(bool interrupted) {
    std::set<std::string> left(m_due.begin(), m_due.end());
    for (const auto& item : m_ready) {
        left.insert(item.ids.begin(), item.ids.end());
    }
    for (const auto& id : left) {
        if (!m_seen.count(id) && !m_failed.count(id)) {
            ++m_report.deferred;
        }
    }
    // A post whose request failed but that another answer showed (a page, a retry) is fine.
    m_report.failed = static_cast<std::size_t>(std::count_if(
        m_failed.begin(), m_failed.end(), [this](const auto& id) { return !m_seen.count(id); }));
    if (m_report.status != AccountStatus::failed) {
        const bool nothing = m_report.posts == 0 && !m_report.counters && m_report.deleted == 0;
        if (!m_report.error.empty() && nothing) {
            m_report.status = AccountStatus::failed;
        } else if (m_report.failed > 0 || m_report.deferred > 0 || !m_report.error.empty()) {
            m_report.status = AccountStatus::partial;
        }
    }
    if (interrupted && m_report.deferred > 0 && m_report.hint.empty()) {
        m_report.hint = "interrupted: the rest is left for the next run";
    }
    return m_report;
}

}  // namespace cmtool::metrics::detail
