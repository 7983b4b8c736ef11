#pragma once
// A certificate authority made at test time and a server certificate it signed for 127.0.0.1
// (as a subjectAltName IP address, which is what host-name verification checks for an address).
// The CA is written to a PEM file: point OpenSSL's default trust store at it with SSL_CERT_FILE
// and a client that verifies against "the system store" trusts this server and nothing else.
#include <boost/asio/ssl/context.hpp>

#include <filesystem>
#include <memory>

namespace cxos::test {

class test_ca {
  public:
    test_ca();
    ~test_ca();
    test_ca(const test_ca&) = delete;
    test_ca& operator=(const test_ca&) = delete;

    const std::filesystem::path& ca_file() const { return ca_file_; }
    // A TLS server context presenting the certificate for 127.0.0.1.
    std::unique_ptr<boost::asio::ssl::context> server_context() const;

  private:
    std::shared_ptr<void> ca_key_, ca_cert_, server_key_, server_cert_; // EVP_PKEY / X509
    std::filesystem::path ca_file_;
};

} // namespace cxos::test
