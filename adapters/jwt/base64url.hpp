#pragma once
// The base64url JOSE writes tokens and keys in.
#include <optional>
#include <string>
#include <string_view>

namespace cxos::jwt {

// RFC 4648 §5 without padding. nullopt for any character outside [A-Za-z0-9_-], '=' included,
// an impossible length, or non-zero trailing bits (so every value has exactly one encoding).
std::optional<std::string> base64url_decode(std::string_view in);

} // namespace cxos::jwt
