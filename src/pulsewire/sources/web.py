"""Fetch one feed over HTTP defensively: one deadline, a size cap, no internal addresses.

A feed URL comes from a user's command line or config, and each redirect it answers with
comes from whoever runs the server, so every fetch is treated as hostile:

* **One deadline per fetch.** httpx's timeouts bound each network operation, so a server
  that sends one byte every few seconds never trips them. `fetch_url` runs the fetch in a
  worker thread and waits for it at most `deadline` seconds, which also bounds what no
  socket timeout covers (name resolution). The abandoned worker winds down on its own:
  each network operation's timeout is the time left when its request started and the
  clock is checked between chunks, so it ends within one more `deadline` at worst (name
  resolution aside, which only the resolver's own timeout bounds), holding no more than
  the size cap meanwhile.
* **A cap on the decoded body.** The body is read raw and decoded here (gzip, deflate or
  identity) with zlib's `max_length`, so no decompression step yields more than 64 KiB
  and the fetch stops as soon as the body, raw or decoded, passes `max_bytes`; a
  Content-Length above the cap is refused before any body is read. Memory stays within
  about twice the cap whatever the server sends.
* **No internal addresses (SSRF).** Redirects are followed here, at most `max_redirects`
  of them, and every hop's URL must be http or https. Where requests go is decided by
  `GuardedTransport`: it resolves the host itself, refuses the request if *any* address
  is not globally reachable (loopback, private, link-local such as the cloud metadata
  service at 169.254.169.254, multicast, reserved, unspecified, shared, and IPv4 held in
  IPv4-mapped, 6to4, Teredo or NAT64 IPv6 forms), and then connects to the very address it
  checked: the URL's host is replaced by that address while the Host header, and for
  https the TLS server name (SNI) and certificate check, keep the real name. A second DNS
  answer (rebinding) therefore never reaches the connection. Environment proxies are not
  used, since a proxy would resolve names where they cannot be checked.
* **Trusting an internal feed is explicit and exact.** `allowed` lists the origins,
  ``"host:port"`` exactly as the URL spells them (``"127.0.0.1:8080"``,
  ``"[::1]:8080"``, ``"intranet.example:443"``), whose addresses are not checked. Every
  other origin is still checked, so a trusted internal feed that redirects to another
  internal port or host is refused before any request reaches it.

Every failure is one `SourceError` naming the URL first asked for.

An injected `httpx.Client` keeps its own transport, so it decides where requests go:
deadline, size cap, redirects and status are still enforced, the address policy is not.
Inject `guarded_client(allowed)` (or a client built on `GuardedTransport`) to keep it.

Known limits: a feed reachable only through a proxy cannot be fetched (proxies are not
used); an address whose resolver order puts an unreachable address first costs one
failed connection attempt per address before the next is tried.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Final

import httpx

from pulsewire.errors import ParameterError, SourceError, check_at_least

__all__ = [
    "FETCH_DEADLINE_SECONDS",
    "MAX_FEED_BYTES",
    "MAX_REDIRECTS",
    "AddressRefusedError",
    "GuardedTransport",
    "check_public",
    "fetch_url",
    "guarded_client",
]

FETCH_DEADLINE_SECONDS: Final = 20.0
MAX_FEED_BYTES: Final = 10 * 2**20
MAX_REDIRECTS: Final = 5

_SCHEMES: Final = ("http", "https")
_DEFAULT_PORTS: Final = {"http": 80, "https": 443}
_REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})
_DECODED_STEP: Final = 64 * 2**10  # most bytes one decompression call may yield
_NAT64: Final = ipaddress.IPv6Network("64:ff9b::/96")
_PRIVATE_HINT: Final = (
    "pulsewire fetches feeds only from public addresses; "
    "if you trust this server, allow its host:port explicitly"
)
_SLOW_HINT: Final = "the server is too slow or stalls; try again later or use another feed"
_LARGE_HINT: Final = "a news feed is far smaller; check that the URL names a feed"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefusedError(Exception):
    """A URL's scheme or address is not one a feed may be fetched from; `reason` says why.

    `internal` is True when the address is internal, which the user may choose to allow.
    """

    def __init__(self, reason: str, *, internal: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.internal = internal


Origins = frozenset[tuple[str, int]]


def _origin(host: str, port: int) -> tuple[str, int]:
    return host.lower().removeprefix("[").removesuffix("]"), port


def _parse_allowed(allowed: Collection[str]) -> Origins:
    """Return the allowed origins as (host, port) pairs; each must be ``host:port``."""
    if isinstance(allowed, str):  # a lone origin would otherwise be read letter by letter
        allowed = (allowed,)
    origins: set[tuple[str, int]] = set()
    for entry in allowed:
        host, sep, port = entry.strip().rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ParameterError("allowed", entry, f"{entry!r} is not host:port")
        origins.add(_origin(host, int(port)))
    return frozenset(origins)


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """Return the IPv4 address an IPv6 form carries (mapped, 6to4, Teredo, NAT64), if any."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _kind(address: IPAddress) -> str | None:
    """Return what kind of internal address `address` is ("loopback"...), or None if public."""
    for kind, flagged in (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
        ("non-global", not address.is_global),
    ):
        if flagged:
            return kind
    return None


def _not_public(address: IPAddress) -> str | None:
    """Return what makes `address` unfit to fetch from ("a loopback address"...), or None."""
    inner = _embedded_ipv4(address)
    kind = _kind(address) if inner is None else _kind(inner)
    if kind is None:
        return None
    article = "an" if kind[0] in "aeiou" else "a"
    return f"{article} {kind} address" + ("" if inner is None else f" ({inner} in IPv6 form)")


def _resolve(host: str, port: int) -> list[IPAddress]:
    """Return every address `host` resolves to, in the resolver's order, without repeats."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as e:
        raise httpx.ConnectError(f"cannot resolve {host}: {e}") from e
    found: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).partition("%")[0])
        if address not in found:
            found.append(address)
    if not found:
        raise httpx.ConnectError(f"cannot resolve {host}: no address")
    return found


def _check_scheme(url: httpx.URL) -> str:
    scheme = url.scheme.lower()
    if scheme not in _SCHEMES:
        raise AddressRefusedError(f"scheme {scheme or '(none)'!r} is not http or https")
    if not url.host:
        raise AddressRefusedError("the address has no host")
    return scheme


def _check(url: httpx.URL, allowed: Origins) -> list[IPAddress]:
    port = url.port or _DEFAULT_PORTS[_check_scheme(url)]
    addresses = _resolve(url.host, port)
    if _origin(url.host, port) in allowed:
        return addresses
    for address in addresses:
        why = _not_public(address)
        if why is not None:
            shown = address if str(address) == url.host else f"{url.host} ({address})"
            raise AddressRefusedError(f"{shown} is {why}", internal=True)
    return addresses


def check_public(url: str | httpx.URL, allowed: Collection[str] = ()) -> list[IPAddress]:
    """Return the addresses a request to `url` may connect to, having resolved its host.

    The scheme must be http or https. Unless the URL's ``host:port`` is in `allowed`,
    every address the host resolves to must be globally reachable: a name with one
    public and one internal answer is refused, since either could be the one used.

    Raises
    ------
    AddressRefusedError
        If the scheme is not http(s) or an address is internal (reason names which).
    httpx.ConnectError
        If the host does not resolve.
    ParameterError
        If an `allowed` entry is not ``host:port``.
    """
    return _check(httpx.URL(url) if isinstance(url, str) else url, _parse_allowed(allowed))


class GuardedTransport(httpx.BaseTransport):
    """An httpx transport that connects only to the checked addresses of a request's host.

    Each request's host is resolved and checked as `check_public` does; the request is
    then sent to the first address that accepts a connection, with the URL's host
    replaced by that address, the Host header unchanged and, for https, the real name as
    TLS server name, so the certificate is verified for the name, not the address.
    Nothing is sent anywhere when the check fails.
    """

    def __init__(
        self, allowed: Collection[str] = (), *, verify: ssl.SSLContext | bool = True
    ) -> None:
        self._allowed = _parse_allowed(allowed)
        self._verify = verify
        # One pool per host name: a TLS connection verified for one name is never reused
        # for another name that happens to share its address.
        self._pools: dict[str, httpx.HTTPTransport] = {}

    def _pool(self, host: str) -> httpx.HTTPTransport:
        if host not in self._pools:
            self._pools[host] = httpx.HTTPTransport(verify=self._verify, trust_env=False)
        return self._pools[host]

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request` to a checked address of its host (see the class docstring)."""
        addresses = _check(request.url, self._allowed)
        host = request.url.host
        extensions = dict(request.extensions)
        if request.url.scheme == "https":
            extensions["sni_hostname"] = host
        for i, address in enumerate(addresses):
            pinned = httpx.Request(
                request.method,
                request.url.copy_with(host=str(address)),
                headers=request.headers,  # keeps Host: the name, not the address
                stream=request.stream,
                extensions=extensions,
            )
            try:
                return self._pool(host).handle_request(pinned)
            except httpx.ConnectError:
                if i == len(addresses) - 1:
                    raise
        raise AssertionError("unreachable: _resolve returns at least one address")

    def close(self) -> None:
        """Close every connection pool."""
        for pool in self._pools.values():
            pool.close()
        self._pools.clear()


def guarded_client(
    allowed: Collection[str] = (), *, verify: ssl.SSLContext | bool = True
) -> httpx.Client:
    """Return an `httpx.Client` whose every request goes through `GuardedTransport`.

    `verify` is httpx's: True checks certificates against the usual roots, an
    `ssl.SSLContext` against its own.
    """
    return httpx.Client(
        transport=GuardedTransport(allowed, verify=verify),
        trust_env=False,
        follow_redirects=False,
    )


def _size(n: int) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= scale and n % scale == 0:
            return f"{n // scale} {unit}"
    return f"{n:,} bytes"


class _FetchError(Exception):
    """A reason a fetch failed, with its hint, raised inside the worker."""

    def __init__(self, reason: str, hint: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint


def _is_zlib_header(data: bytes) -> bool:
    return (
        len(data) >= 2
        and data[0] & 0x0F == 8
        and data[0] >> 4 <= 7
        and (data[0] << 8 | data[1]) % 31 == 0
    )


class _Decoder:
    """Decode a Content-Encoding in steps of at most `_DECODED_STEP` bytes each."""

    def __init__(self, encoding: str) -> None:
        if encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
            raise _FetchError(f"unsupported Content-Encoding {encoding!r}")
        self.encoding = "" if encoding == "identity" else encoding
        self._zlib: zlib._Decompress | None = None
        self._fed = False

    def _start(self, data: bytes) -> zlib._Decompress:
        if self.encoding != "deflate":
            return zlib.decompressobj(zlib.MAX_WBITS | 16)
        # "deflate" should be zlib-wrapped (RFC 9110), but some servers send it raw.
        return zlib.decompressobj(zlib.MAX_WBITS if _is_zlib_header(data) else -zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        """Yield the decoded bytes of `data`, the next raw chunk of the body."""
        if not self.encoding:
            yield data
            return
        try:
            while True:
                if self._zlib is None:
                    self._zlib = self._start(data)
                elif self._zlib.eof:  # a gzip body may hold several members in a row
                    data = self._zlib.unused_data + data
                    if self.encoding == "deflate" or not data.startswith(b"\x1f\x8b"):
                        return  # bytes after the end of the stream are ignored
                    self._zlib = self._start(data)
                self._fed = self._fed or bool(data)
                out = self._zlib.decompress(data, _DECODED_STEP)
                data = self._zlib.unconsumed_tail
                if out:
                    yield out
                if not data and len(out) < _DECODED_STEP:
                    return  # all input used and no output held back
        except zlib.error as e:
            raise _FetchError(f"body is not valid {self.encoding} ({e})") from e

    def finish(self) -> None:
        """Raise unless a compressed body was complete."""
        if self._fed and self._zlib is not None and not self._zlib.eof:
            raise _FetchError(f"{self.encoding} body is cut short")


@dataclass
class _Fetch:
    """One fetch's limits and the state its worker thread and the caller share."""

    url: str
    deadline: float
    max_bytes: int
    max_redirects: int
    expires: float
    cancelled: threading.Event = field(default_factory=threading.Event)
    body: bytes | None = None
    failure: _FetchError | None = None

    def remaining(self) -> float:
        """Return the seconds left, raising once none are left or the caller gave up."""
        left = self.expires - time.monotonic()
        if left <= 0 or self.cancelled.is_set():
            raise _FetchError(f"no complete response within {self.deadline:g} s", _SLOW_HINT)
        return left

    def too_large(self, what: str) -> _FetchError:
        return _FetchError(f"body larger than {_size(self.max_bytes)}{what}", _LARGE_HINT)


def _read_body(job: _Fetch, response: httpx.Response) -> bytes:
    length = response.headers.get("content-length", "").strip()
    if length.isdigit() and int(length) > job.max_bytes:
        raise job.too_large(f" (Content-Length: {int(length):,})")
    if response.is_stream_consumed:  # built from bytes in memory (httpx.MockTransport)
        if len(response.content) > job.max_bytes:
            raise job.too_large("")
        return response.content
    decoder = _Decoder(response.headers.get("content-encoding", "").strip().lower())
    once = " once decoded" if decoder.encoding else ""
    chunks: list[bytes] = []
    raw = decoded = 0
    for chunk in response.iter_raw():
        raw += len(chunk)
        if raw > job.max_bytes:
            raise job.too_large("")
        for out in decoder.feed(chunk):
            decoded += len(out)
            if decoded > job.max_bytes:
                raise job.too_large(once)
            chunks.append(out)
        job.remaining()
    decoder.finish()
    return b"".join(chunks)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _run(job: _Fetch, client: httpx.Client) -> bytes:
    try:
        url = httpx.URL(job.url)
    except httpx.InvalidURL as e:
        raise _FetchError(f"not a valid URL ({_one_line(str(e))})") from e
    for hop in range(job.max_redirects + 1):
        try:
            _check_scheme(url)  # the transport checks addresses; an injected one may not
            with client.stream(
                "GET",
                url,
                headers={"Accept-Encoding": "gzip, deflate"},
                timeout=httpx.Timeout(job.remaining()),
                follow_redirects=False,
            ) as response:
                status = response.status_code
                if status in _REDIRECTS:
                    location = response.headers.get("location", "").strip()
                    if not location:
                        raise _FetchError(f"HTTP {status} redirect without a Location")
                    try:
                        url = url.join(location)
                    except httpx.InvalidURL as e:
                        raise _FetchError(
                            f"HTTP {status} redirect to an invalid address ({_one_line(str(e))})"
                        ) from e
                    continue
                if not 200 <= status < 300:
                    phrase = httpx.codes.get_reason_phrase(status)
                    raise _FetchError(f"cannot fetch: HTTP {status} {phrase}".rstrip())
                return _read_body(job, response)
        except AddressRefusedError as e:
            where = "refused" if hop == 0 else f"redirect to {url} refused"
            hint = _PRIVATE_HINT if e.internal else "pulsewire fetches feeds over http(s) only"
            raise _FetchError(f"{where}: {e.reason}", hint) from e
        except httpx.TimeoutException as e:
            job.remaining()  # past the deadline: say so
            raise _FetchError(f"cannot fetch: timed out ({_one_line(str(e))})", _SLOW_HINT) from e
        except httpx.HTTPError as e:
            raise _FetchError(f"cannot fetch: {_one_line(str(e))}") from e
    raise _FetchError(f"more than {job.max_redirects} redirects")


def _work(job: _Fetch, client: httpx.Client, own: bool) -> None:
    try:
        job.body = _run(job, client)
    except _FetchError as e:
        job.failure = e
    except Exception as e:  # the worker must not die silently: the caller reports it
        job.failure = _FetchError(f"cannot fetch: {type(e).__name__}: {_one_line(str(e))}")
    finally:
        if own:
            client.close()


def fetch_url(
    url: str,
    client: httpx.Client | None = None,
    *,
    deadline: float = FETCH_DEADLINE_SECONDS,
    max_bytes: int = MAX_FEED_BYTES,
    max_redirects: int = MAX_REDIRECTS,
    allowed: Collection[str] = (),
) -> bytes:
    """Return the decoded body of `url`, fetched within `deadline` seconds in all.

    Without `client`, a `guarded_client(allowed)` is used for this one fetch and closed;
    see the module docstring for what each limit guards against and how. An injected
    client brings its own transport, so `allowed` cannot apply to it and is refused with
    one: inject `guarded_client(allowed)` to fetch from trusted internal origins.

    Raises
    ------
    SourceError
        One line naming `url`: the deadline passed, the body passed `max_bytes` (raw or
        decoded), a hop's scheme or address was refused, more than `max_redirects`
        redirects, a status other than 2xx, or the connection failed.
    ParameterError
        If a limit is not positive, an `allowed` entry is not ``host:port``, or `allowed`
        is given with a `client`.
    """
    if client is not None and allowed:
        raise ParameterError(
            "allowed", allowed, "allowed applies to fetch_url's own client, not an injected one"
        )
    check_at_least("deadline", deadline, 0.001)
    check_at_least("max_bytes", max_bytes, 1)
    check_at_least("max_redirects", max_redirects, 0)
    own = client is None
    http = guarded_client(allowed) if client is None else client
    job = _Fetch(url, deadline, max_bytes, max_redirects, time.monotonic() + deadline)
    worker = threading.Thread(
        target=_work, args=(job, http, own), name="pulsewire-fetch", daemon=True
    )
    worker.start()
    worker.join(max(0.0, job.expires - time.monotonic()))
    if worker.is_alive():
        job.cancelled.set()  # the worker stops at its next chunk or timeout
        failure = _FetchError(f"no complete response within {deadline:g} s", _SLOW_HINT)
    elif job.failure is not None:
        failure = job.failure
    else:
        assert job.body is not None
        return job.body
    hint = failure.hint or "check the URL, or try again later"
    raise SourceError(url, None, None, None, failure.reason, hint=hint)
