#pragma once
// Test doubles for the network edge: a transport that answers from a script and records what
// was sent, and a clock set by the test.
#include <doctest/doctest.h>

#include <deque>
#include <vector>

#include "cmtool/net/http.hpp"
#include "cmtool/net/retry.hpp"

namespace cmtool::test {

class ScriptedTransport final : public net::HttpTransport {
  public:
    std::deque<net::HttpResponse> answers;
    std::vector<net::HttpRequest> seen;
    Result<net::HttpResponse> send(const net::HttpRequest& request) override {
        seen.push_back(request);
        REQUIRE_FALSE(answers.empty());
        auto r = answers.front();
        answers.pop_front();
        return r;
    }
    // Queues a JSON answer.
    void answer(int status, std::string body, net::HeaderList headers = {}) {
        answers.push_back({status, std::move(headers), std::move(body)});
    }
};

class FixedClock final : public net::Clock {
  public:
    explicit FixedClock(net::SysTime t) : at(t) {}
    net::SysTime now() const override { return at; }
    net::SysTime at;
};

}  // namespace cmtool::test
