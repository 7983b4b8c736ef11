#include "tests/support/test_ca.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace cxos::test {

namespace {

std::shared_ptr<void> new_key() {
    EVP_PKEY* key = EVP_EC_gen("P-256");
    if (!key) throw std::runtime_error("test_ca: cannot make a key");
    return {key, [](void* k) { EVP_PKEY_free(static_cast<EVP_PKEY*>(k)); }};
}

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value);
    if (!ext) throw std::runtime_error(std::string("test_ca: bad extension ") + value);
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

// `issuer` null: self-signed.
std::shared_ptr<void> new_cert(const char* common_name, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key,
                               long serial) {
    X509* cert = X509_new();
    if (!cert) throw std::runtime_error("test_ca: cannot make a certificate");
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
    X509_set_pubkey(cert, key);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(common_name), -1, -1, 0);
    X509_set_issuer_name(cert, X509_get_subject_name(issuer ? issuer : cert));
    if (!issuer) {
        add_extension(cert, cert, NID_basic_constraints, "critical,CA:TRUE");
        add_extension(cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        add_extension(cert, issuer, NID_basic_constraints, "critical,CA:FALSE");
        add_extension(cert, issuer, NID_subject_alt_name, "IP:127.0.0.1");
        add_extension(cert, issuer, NID_ext_key_usage, "serverAuth");
    }
    X509_sign(cert, issuer_key, EVP_sha256());
    return {cert, [](void* c) { X509_free(static_cast<X509*>(c)); }};
}

} // namespace

test_ca::test_ca() {
    ca_key_ = new_key();
    auto* ca_key = static_cast<EVP_PKEY*>(ca_key_.get());
    ca_cert_ = new_cert("cxos test CA", ca_key, nullptr, ca_key, 1);
    server_key_ = new_key();
    server_cert_ = new_cert("127.0.0.1", static_cast<EVP_PKEY*>(server_key_.get()), static_cast<X509*>(ca_cert_.get()),
                            ca_key, 2);

    std::string path = (std::filesystem::temp_directory_path() / "cxos-test-ca-XXXXXX").string();
    int fd = ::mkstemp(path.data());
    if (fd < 0) throw std::runtime_error("test_ca: cannot create the CA file");
    FILE* out = ::fdopen(fd, "w");
    PEM_write_X509(out, static_cast<X509*>(ca_cert_.get()));
    std::fclose(out);
    ca_file_ = path;
}

test_ca::~test_ca() {
    std::error_code ec;
    std::filesystem::remove(ca_file_, ec);
}

std::unique_ptr<boost::asio::ssl::context> test_ca::server_context() const {
    auto ctx = std::make_unique<boost::asio::ssl::context>(boost::asio::ssl::context::tls_server);
    SSL_CTX_use_certificate(ctx->native_handle(), static_cast<X509*>(server_cert_.get()));
    SSL_CTX_use_PrivateKey(ctx->native_handle(), static_cast<EVP_PKEY*>(server_key_.get()));
    return ctx;
}

} // namespace cxos::test
