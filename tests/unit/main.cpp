// main() of cmtool_tests. Every server a test talks to is on 127.0.0.1; a proxy set in the
// runner's environment (http_proxy, ALL_PROXY...) would route the tests' own requests through
// it, off the machine. They are removed before any test runs (cmtool processes the tests
// start get an environment of their own).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdlib>

int main(int argc, char** argv) {
    for (const char* name : {"http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY",
                             "ALL_PROXY", "ftp_proxy", "FTP_PROXY"}) {
        ::unsetenv(name);
    }
    doctest::Context context(argc, argv);
    return context.run();
}
