#pragma once
// Inserting a prepared batch of mentions (mentions_insert.cpp), for MentionStore and
// MentionBatch (mentions.cpp).
#include <chrono>

#include "cmtool/store/mentions.hpp"
#include "store/sqlite.hpp"

namespace cmtool::store::detail {

// Inserts the mentions of `batch` not yet stored, in the connection's current transaction:
// duplicates (same remote_uri) skipped, reposts within `window` of a leader grouped under it.
// Fails (io/conflict, internal when a URI finds no free key) leaving the transaction to roll
// back.
Result<SaveResult> insert_all(sqlite::Connection& c, const PreparedMentions& batch,
                              std::chrono::minutes window);

}  // namespace cmtool::store::detail
