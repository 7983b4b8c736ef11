#pragma once
// A TLS server context with a freshly made self-signed certificate for 127.0.0.1: a peer that
// no system trust store knows, which a correct client must refuse.
#include <boost/asio/ssl/context.hpp>

#include <memory>

namespace cxos::test {

std::unique_ptr<boost::asio::ssl::context> self_signed_server_context();

} // namespace cxos::test
