// Writes what a socket takes now, without waiting.
//
// A small message always fits an idle socket's send buffer. An async write would then complete
// at once too (its speculative send succeeds), but hand the result back only after a trip through
// the scheduler; on the proxy's hot path that trip cost more than the send. Callers write with
// this first and start an async write only for what is left.
#pragma once

#include <cstddef>

#include <boost/asio/error.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

namespace litellm::http {

/// Puts `socket` in non-blocking mode if it is not yet: synchronous I/O on a blocking socket
/// would wait in poll() when it cannot proceed. False (and `ec` set) if that failed.
template <class Socket>
bool make_nonblocking(Socket& socket, boost::system::error_code& ec) {
  if (!socket.non_blocking()) socket.non_blocking(true, ec);
  return !ec;
}

/// Sends as much of `buffers` as `socket` accepts now (one gather send) and returns the byte
/// count. Puts the socket in non-blocking mode on first use. `ec` is set only for a real error: a
/// full send buffer is not one (0 or a partial count is returned).
template <class Socket, class Buffers>
std::size_t write_now(Socket& socket, const Buffers& buffers, boost::system::error_code& ec) {
  if (!make_nonblocking(socket, ec)) return 0;
  const std::size_t n = socket.write_some(buffers, ec);
  if (ec == boost::asio::error::would_block || ec == boost::asio::error::try_again) ec = {};
  return ec ? 0 : n;
}

}  // namespace litellm::http
