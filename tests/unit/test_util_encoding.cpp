// Base64 / Base64url and SHA-256 against published vectors (FIPS 180-4 examples, RFC 4648 §10,
// RFC 7636 appendix B) and lengths around the 55/56/64-byte padding boundaries (from hashlib).
#include <doctest/doctest.h>

#include "cmtool/util/encoding.hpp"

using namespace cmtool::util;

TEST_CASE("sha256: FIPS 180-4 examples and padding boundaries") {
    CHECK(to_hex(sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(to_hex(sha256("abc")) ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(to_hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(to_hex(sha256(std::string(1000000, 'a'))) ==
          "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    const std::pair<std::size_t, const char*> lengths[] = {
        {55, "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072"},
        {56, "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e"},
        {63, "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2"},
        {64, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c"},
        {65, "9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9"},
        {119, "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c"},
        {120, "13f05a0b594787f5ecd315edc96141bd3243203d1b7d4f0836f37308b276ba98"},
    };
    for (const auto& [n, hex] : lengths) {
        CAPTURE(n);
        CHECK(to_hex(sha256(std::string(n, 'x'))) == hex);
    }
}

TEST_CASE("base64: RFC 4648 §10 vectors, padded and URL-safe unpadded") {
    const std::pair<const char*, const char*> vectors[] = {
        {"", ""},
        {"f", "Zg=="},
        {"fo", "Zm8="},
        {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="},
        {"fooba", "Zm9vYmE="},
        {"foobar", "Zm9vYmFy"},
    };
    for (const auto& [in, out] : vectors) {
        CHECK(base64(in) == out);
        std::string unpadded = out;
        while (!unpadded.empty() && unpadded.back() == '=') {
            unpadded.pop_back();
        }
        CHECK(base64url(in) == unpadded);
        CHECK(base64url_decode(out) == std::string(in));
        CHECK(base64url_decode(unpadded) == std::string(in));
    }
    const std::string bytes(
        "\xff\xfe\x00"
        "ab",
        5);
    CHECK(base64(bytes) == "//4AYWI=");
    CHECK(base64url(bytes) == "__4AYWI");
    CHECK(base64url_decode("__4AYWI") == bytes);
    CHECK(base64url_decode("//4AYWI=") == bytes);
    CHECK_FALSE(base64url_decode("Zm9v!").has_value());
    CHECK_FALSE(base64url_decode("Z").has_value());
}

TEST_CASE("encoding: html_escape escapes the five characters HTML gives meaning to") {
    CHECK(html_escape("") == "");
    CHECK(html_escape("Atelier Lumière") == "Atelier Lumière");
    CHECK(html_escape(R"(<a href="x">Tom & Jerry's</a>)") ==
          "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
}
