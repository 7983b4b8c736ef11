#pragma once
// Secrets at rest and the random values of sign-in flows. Workspace tokens are sealed with
// AES-256-GCM under CXOS_ENCRYPTION_KEY before they reach the store, so a copied database or a
// backup opens no workspace; the row's key is bound in as associated data, so a sealed token
// moved to another workspace's row does not open either.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxos::bot {

class secret_box {
  public:
    // `key_base64` must be 32 bytes in standard base64 (`openssl rand -base64 32`); nothing, with
    // `problem` saying why, otherwise.
    static std::optional<secret_box> from_base64(std::string_view key_base64, std::string& problem);

    // "v1:" + base64(nonce ‖ ciphertext ‖ tag), a fresh random nonce each time.
    std::string seal(std::string_view plain, std::string_view context) const;
    // Nothing when `sealed` was not sealed under this key for this `context`, or was changed.
    std::optional<std::string> open(std::string_view sealed, std::string_view context) const;

  private:
    explicit secret_box(std::vector<unsigned char> key) : key_(std::move(key)) {}
    std::vector<unsigned char> key_;
};

// `bytes` from the system's CSPRNG as base64url without padding: URL- and cookie-safe.
std::string random_token(std::size_t bytes = 32);
// Lower-case hex SHA-256: how states and session ids are stored (a leaked table opens nothing).
std::string sha256_hex(std::string_view text);
// Constant-time equality.
bool same_secret(std::string_view a, std::string_view b);

} // namespace cxos::bot
