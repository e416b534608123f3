// main() of cmtool_live_tests: tests against real services started outside the suite. Without
// their environment it prints why and exits 77, which CTest reports as "Skipped"
// (SKIP_RETURN_CODE in tests/CMakeLists.txt).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
    const char* env = std::getenv("CMTOOL_BSKY_ENV");
    if (env == nullptr || *env == '\0') {
        std::printf(
            "SKIPPED: CMTOOL_BSKY_ENV is not set. Start a local Bluesky network with "
            "`bash ../shared/servers/bluesky/start.sh` and set CMTOOL_BSKY_ENV to the env file "
            "path it prints last.\n");
        return 77;
    }
    doctest::Context context(argc, argv);
    return context.run();
}
