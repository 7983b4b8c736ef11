#include "adapters/jwt/base64url.hpp"

#include <catch2/catch.hpp>

using namespace cxos::jwt;

TEST_CASE("base64url decoding is strict", "[jwt]") {
    CHECK(base64url_decode("TWFu") == std::optional<std::string>("Man"));
    CHECK(base64url_decode("TWE") == std::optional<std::string>("Ma"));
    CHECK(base64url_decode("_-8") == std::optional<std::string>("\xff\xef"));
    CHECK(base64url_decode("") == std::optional<std::string>(""));
    CHECK_FALSE(base64url_decode("TWE="));
    CHECK_FALSE(base64url_decode("T/8"));
    CHECK_FALSE(base64url_decode("TW u"));
    CHECK_FALSE(base64url_decode("TWFuA")); // 5 characters cannot end on a byte boundary
    CHECK_FALSE(base64url_decode("TWF")); // non-zero trailing bits: a second encoding of "Ma"
}
