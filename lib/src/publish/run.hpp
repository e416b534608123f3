#pragma once
// The publish engine's run, private to lib/src/publish: engine.cpp sends, reconcile.cpp settles
// the parts an earlier run left in `intent` (docs/ledger.md).
#include <map>
#include <set>

#include "cmtool/publish/engine.hpp"
#include "cmtool/store/ledger.hpp"

namespace cmtool::publish::detail {

using store::DeliveryState;
using store::PartState;
using Seconds = std::chrono::sys_seconds;

class Run {
  public:
    Run(const std::vector<calendar::Post>& posts, const PublishOptions& o, PublishContext& ctx)
        : m_posts(posts), m_opt(o), m_ctx(ctx) {}

    Result<PublishReport> execute();

  private:
    Result<void> reconcile(const std::vector<Delivery>& due);
    Result<DeliveryReport> deliver(const Delivery& d);
    Result<DeliveryReport> send_parts(const Delivery& d, const store::DeliveryRecord& rec,
                                      DeliveryReport r);
    DeliveryReport preview(const Delivery& d);
    // Manual channel (manual.cpp): render the folder, then hold it as awaiting_confirmation.
    Result<DeliveryReport> hand_over(const Delivery& d, const store::DeliveryRecord& rec,
                                     DeliveryReport r);
    platforms::Adapter* adapter_for(const calendar::Account& account, std::string& error,
                                    std::string& hint);
    platforms::PublishRequest request_for(const Delivery& d, std::size_t index,
                                          const std::vector<store::PartRecord>& done) const;
    DeliveryReport base_report(const Delivery& d) const;
    bool stopping() const { return m_opt.stop != nullptr && m_opt.stop->load(); }

    const std::vector<calendar::Post>& m_posts;
    const PublishOptions& m_opt;
    PublishContext& m_ctx;
    std::map<std::string, std::unique_ptr<platforms::Adapter>> m_adapters;
    std::map<std::string, Error> m_adapter_errors;  // account → why it cannot be used
    std::map<std::string, Seconds> m_throttled;     // account → rate-limited until
    std::set<std::pair<std::string, std::string>>
        m_unsettled;  // (occurrence, channel) still unknown
    std::set<std::pair<std::string, std::string>> m_reconciled;
    PublishReport m_report;
};

}  // namespace cmtool::publish::detail
