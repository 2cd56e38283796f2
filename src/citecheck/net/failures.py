"""What went wrong when no HTTP answer came back: an exception mapped to a kind.

Exceptions arrive here once, as httpx raises them (our transport and respx alike). The kind
decides the verdict (NXDOMAIN and "refused" are definite, so `dead`; a reset or a timeout is
transient, so retried and never `dead`) and whether the whole network may be down
(netcheck.py). The OS-level cause (socket.gaierror, ConnectionRefusedError, ssl.SSLError) is
found by walking `__cause__`/`__context__`. A malformed answer and a server that closed the
connection without answering are told apart from a reset, in the transport's words.
"""

from __future__ import annotations

import errno
import socket
import ssl
from collections.abc import Iterator
from enum import StrEnum

import httpx

from citecheck.net.safety import ForbiddenTarget


class Failure(StrEnum):
    NXDOMAIN = "nxdomain"
    DNS_TEMPORARY = "dns-temporary"
    REFUSED = "refused"
    UNREACHABLE = "unreachable"
    CONNECT = "connect-error"
    CONNECT_TIMEOUT = "connect-timeout"
    READ_TIMEOUT = "read-timeout"
    TIMEOUT = "timeout"
    RESET = "reset"
    CLOSED = "closed"
    MALFORMED = "malformed"
    TLS = "tls"
    FORBIDDEN = "private-address"
    INVALID = "invalid-url"
    LOOP = "redirect-loop"
    TOO_MANY_REDIRECTS = "too-many-redirects"
    RATE_LIMITED = "rate-limited"  # not sent: the host answered 429 to this run too often
    OTHER = "error"

    @property
    def transient(self) -> bool:
        """Worth another attempt: the same request may succeed in a moment. Refused is
        included because a server restarting refuses for a second; retrying it is cheap."""
        return self in _TRANSIENT

    @property
    def network_level(self) -> bool:
        """Could also be explained by this machine having no network at all (netcheck.py)."""
        return self in _NETWORK_LEVEL


_TRANSIENT = {
    Failure.DNS_TEMPORARY, Failure.REFUSED, Failure.CONNECT_TIMEOUT, Failure.READ_TIMEOUT,
    Failure.TIMEOUT, Failure.RESET, Failure.CLOSED,
}
_NETWORK_LEVEL = {
    Failure.NXDOMAIN, Failure.DNS_TEMPORARY, Failure.REFUSED, Failure.UNREACHABLE,
    Failure.CONNECT, Failure.CONNECT_TIMEOUT,
}

_NXDOMAIN_ERRNOS = {
    getattr(socket, name) for name in ("EAI_NONAME", "EAI_NODATA", "EAI_ADDRFAMILY")
    if hasattr(socket, name)
}
_UNREACHABLE_ERRNOS = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN, errno.EHOSTDOWN}
_RESET_ERRNOS = {errno.ECONNRESET, errno.EPIPE, errno.ECONNABORTED}

# When a respx side effect or a transport gives only a message, these phrases say which.
_PHRASES = (
    ("name or service not known", Failure.NXDOMAIN),
    ("nodename nor servname", Failure.NXDOMAIN),
    ("no address associated", Failure.NXDOMAIN),
    ("temporary failure in name resolution", Failure.DNS_TEMPORARY),
    ("connection refused", Failure.REFUSED),
    ("network is unreachable", Failure.UNREACHABLE),
    ("no route to host", Failure.UNREACHABLE),
    ("connection reset", Failure.RESET),
    ("certificate", Failure.TLS),
)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and what it wraps: causes, contexts, exceptions among its args, aiohttp's os_error."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo and len(seen) < 16:
        e = todo.pop(0)
        if id(e) not in seen:
            seen.add(id(e))
            yield e
            inner = (e.__cause__, e.__context__, getattr(e, "os_error", None), *e.args)
            todo.extend(x for x in inner if isinstance(x, BaseException))


def _os_kind(e: BaseException) -> Failure | None:
    if isinstance(e, ForbiddenTarget):
        return Failure.FORBIDDEN
    if isinstance(e, socket.gaierror):
        return Failure.NXDOMAIN if e.errno in _NXDOMAIN_ERRNOS else Failure.DNS_TEMPORARY
    if isinstance(e, ssl.SSLError | ssl.CertificateError):
        return Failure.TLS
    if isinstance(e, ConnectionRefusedError):
        return Failure.REFUSED
    if isinstance(e, ConnectionResetError | BrokenPipeError | ConnectionAbortedError):
        return Failure.RESET
    if isinstance(e, OSError) and e.errno in _UNREACHABLE_ERRNOS:
        return Failure.UNREACHABLE
    if isinstance(e, OSError) and e.errno in _RESET_ERRNOS:
        return Failure.RESET
    return None


def failure_of(exc: BaseException) -> tuple[Failure, str]:
    """The kind of failure `exc` stands for, and a short human description of it."""
    chain = list(_chain(exc))
    for e in chain:
        kind = _os_kind(e)
        if kind is not None:
            return kind, _describe(kind, e)
    kind = _httpx_kind(exc)
    if kind in (Failure.CONNECT, Failure.OTHER):
        text = " ".join(str(e) for e in chain).lower()
        for phrase, by_phrase in _PHRASES:
            if phrase in text:
                return by_phrase, _describe(by_phrase, exc)
    return kind, _describe(kind, exc)


def _httpx_kind(exc: BaseException) -> Failure:
    if isinstance(exc, httpx.ConnectTimeout):
        return Failure.CONNECT_TIMEOUT
    if isinstance(exc, httpx.TimeoutException):
        return Failure.READ_TIMEOUT
    if isinstance(exc, TimeoutError):
        return Failure.TIMEOUT
    if isinstance(exc, httpx.ConnectError):
        return Failure.CONNECT
    if isinstance(exc, httpx.RemoteProtocolError):
        text = str(exc)
        if text.startswith("malformed"):
            return Failure.MALFORMED
        return Failure.CLOSED if "without answering" in text else Failure.RESET
    if isinstance(exc, httpx.ReadError | httpx.WriteError):
        return Failure.RESET
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return Failure.INVALID
    return Failure.OTHER


_DESCRIPTIONS = {
    Failure.NXDOMAIN: "host not found",
    Failure.DNS_TEMPORARY: "DNS lookup failed",
    Failure.REFUSED: "connection refused",
    Failure.UNREACHABLE: "network unreachable",
    Failure.CONNECT: "could not connect",
    Failure.CONNECT_TIMEOUT: "connect timed out",
    Failure.READ_TIMEOUT: "no answer in time",
    Failure.TIMEOUT: "no answer in time",
    Failure.RESET: "connection reset",
    Failure.CLOSED: "server closed the connection without answering",
    Failure.MALFORMED: "malformed response",
    Failure.INVALID: "invalid URL",
    Failure.OTHER: "request failed",
}


def _describe(kind: Failure, e: BaseException) -> str:
    """In the exception's own words where they say more than the kind does."""
    if kind in (Failure.MALFORMED, Failure.CLOSED, Failure.FORBIDDEN):
        return str(e)[:200] or _DESCRIPTIONS.get(kind, kind.value)
    return f"TLS error: {e or type(e).__name__}" if kind is Failure.TLS else _DESCRIPTIONS[kind]
