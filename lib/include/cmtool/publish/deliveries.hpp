#pragma once
// Deliveries: one occurrence of a ready post to one channel, rendered into the parts that will
// be sent (the post, then each thread item), with a stable key per part and a content hash.
#include <chrono>
#include <string>
#include <vector>

#include "cmtool/calendar/post.hpp"
#include "cmtool/calendar/recurrence.hpp"
#include "cmtool/calendar/workspace.hpp"
#include "cmtool/platforms/adapter.hpp"

namespace cmtool::publish {

struct Delivery {
    const calendar::Post* post = nullptr;
    calendar::Occurrence occurrence;
    const calendar::Account* account = nullptr;
    std::vector<platforms::Part> parts;       // part 0 is the post; thread items follow
    std::string content_hash;                 // of what is sent: text, thread, media and alt
    std::vector<calendar::Finding> blocking;  // validation errors: the delivery is not sent

    const std::string& channel() const { return account->name; }
    // The idempotency key / record-key seed of a part: stable across runs and machines.
    std::string part_key(std::size_t index) const;
};

struct DeliveryFilter {
    std::vector<std::string> posts;     // post ids or occurrence ids; empty = all
    std::vector<std::string> channels;  // account names; empty = all
};

// Every delivery of a `ready` post whose time has come (at <= now), in time order, filtered.
// Each is checked with the validation rules; errors that concern it are in `blocking`.
std::vector<Delivery> due_deliveries(const std::vector<calendar::Post>& posts,
                                     const calendar::WorkspaceConfig& ws,
                                     std::chrono::sys_seconds now, const DeliveryFilter& filter);

// The parts of one post for one channel (thread items only where the platform has threads).
std::vector<platforms::Part> render_parts(const calendar::Post& post,
                                          const calendar::Account& account,
                                          const calendar::WorkspaceConfig& ws);

// The content hash of what is sent: every part's text, media file, alt text and size.
std::string parts_hash(const std::vector<platforms::Part>& parts);

}  // namespace cmtool::publish
