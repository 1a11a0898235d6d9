"""Fetching feeds from hostile servers: real loopback HTTP servers, real httpx, real sockets."""

from __future__ import annotations

import gzip
import socket
import ssl
import struct
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from pulsewire.errors import ParameterError, SourceError
from pulsewire.sources import RssNewsSource, load, news_from_feed
from pulsewire.sources.web import check_public, fetch_url, guarded_client
from tests.conftest import BUNDLE

FEED = BUNDLE / "news" / "feeds" / "llm.xml"
CAP = 10 * 2**20
MEMORY_BOUND = 64 * 2**20  # peak traced allocations of one capped fetch

Route = Callable[["Handler"], None]

# A test CA and a certificate it signed for feeds.internal.test only (no IP address),
# valid 2000-2100: made with `openssl ca`, used for nothing else.
TEST_CA = """\
-----BEGIN CERTIFICATE-----
MIIBajCCARGgAwIBAgIBATAKBggqhkjOPQQDAjAcMRowGAYDVQQDDBFwdWxzZXdp
cmUgdGVzdCBDQTAgFw0wMDAxMDEwMDAwMDBaGA8yMTAwMDEwMTAwMDAwMFowHDEa
MBgGA1UEAwwRcHVsc2V3aXJlIHRlc3QgQ0EwWTATBgcqhkjOPQIBBggqhkjOPQMB
BwNCAAQ0nTqszBTZgm2Nyh0jpKFmhLFKRpn41ae1VgtFIRdoOAYLc9jFB9RBIBlQ
EPlibZIhd8hKVt5plrcBbVVTfGjEo0IwQDAPBgNVHRMBAf8EBTADAQH/MA4GA1Ud
DwEB/wQEAwIBBjAdBgNVHQ4EFgQUi2+aT++e/EjG0R4gzJnp8WyaJTwwCgYIKoZI
zj0EAwIDRwAwRAIgDA6S/vO69C/u/cz+joiu+ASci1eiI0iKj/+MGgNLp7oCIH/3
nhvHf5B+BJkCLjiK+FBat7G6lRBTd5aGBfw8Vw8Z
-----END CERTIFICATE-----
"""
TEST_CERT = """\
-----BEGIN CERTIFICATE-----
MIIBwjCCAWigAwIBAgIBAjAKBggqhkjOPQQDAjAcMRowGAYDVQQDDBFwdWxzZXdp
cmUgdGVzdCBDQTAgFw0wMDAxMDEwMDAwMDBaGA8yMTAwMDEwMTAwMDAwMFowHjEc
MBoGA1UEAwwTZmVlZHMuaW50ZXJuYWwudGVzdDBZMBMGByqGSM49AgEGCCqGSM49
AwEHA0IABO+Dm5QwASW6MBKJrLYdP985Fs/46NTFW5teaIM4o1QMw1+cQ2hX73kH
koq29TtLhFzovhSrJ94kRsydIQd53IqjgZYwgZMwHgYDVR0RBBcwFYITZmVlZHMu
aW50ZXJuYWwudGVzdDAMBgNVHRMBAf8EAjAAMA4GA1UdDwEB/wQEAwIHgDATBgNV
HSUEDDAKBggrBgEFBQcDATAfBgNVHSMEGDAWgBSLb5pP7578SMbRHiDMmenxbJol
PDAdBgNVHQ4EFgQU8LBG/lSrgz5pcGQvBvTMkN9HeK8wCgYIKoZIzj0EAwIDSAAw
RQIhAJZZISBvGlzbLUwz8AOTpiVrtxmywnKNw4uBpdxdw9uXAiAB5lLy0+mjgUvp
nUKwfTSF4tLCqrnnxDcM5l4aYCJufg==
-----END CERTIFICATE-----
"""
TEST_KEY = """\
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgE21kog5ESiKfD5YV
MHduqwC6he+X7iX1TdNi2Wy9/TahRANCAATvg5uUMAElujASiay2HT/fORbP+OjU
xVubXmiDOKNUDMNfnENoV+95B5KKtvU7S4Rc6L4UqyfeJEbMnSEHedyK
-----END PRIVATE KEY-----
"""


class Handler(BaseHTTPRequestHandler):
    server: Server

    def do_GET(self) -> None:
        self.server.requests.append((self.path, self.headers.get("Host", "")))
        route = self.server.routes.get(self.path.partition("?")[0])
        try:
            if route is None:
                self.send_error(404)
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_body(self, body: bytes, **headers: str) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str, status: int = 302) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def stream(self, chunk: bytes, pause: float, until: float = float("inf")) -> None:
        """Send `chunk` every `pause` seconds, for `until` seconds or until stopped."""
        self.send_response(200)  # HTTP/1.0: the body ends when the connection closes
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        ends = time.monotonic() + until
        while not self.server.stopping.is_set() and time.monotonic() < ends:
            self.wfile.write(chunk)
            self.wfile.flush()
            if pause:
                self.server.stopping.wait(pause)
        self.server.stopping.wait(30)  # then stall, holding the connection open


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, routes: dict[str, Route]) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes = routes
        self.requests: list[tuple[str, str]] = []
        self.stopping = threading.Event()

    @property
    def origin(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        return f"http://{self.origin}{path}"


@pytest.fixture
def serve() -> Iterator[Callable[[dict[str, Route]], Server]]:
    servers: list[Server] = []

    def start(routes: dict[str, Route]) -> Server:
        server = Server(routes)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stopping.set()
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """Return a valid 1 MB gzip body that decodes to 1 GiB of zeros.

    After a full flush, deflate's state is the same before each MiB of zeros, so one
    compressed MiB repeats: built in well under a second instead of compressing 1 GiB.
    """
    zeros = bytes(2**20)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    assert deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH) == block
    crc = 0
    for _ in range(1024):
        crc = zlib.crc32(zeros, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    body = header + block * 1024 + deflate.flush() + struct.pack("<II", crc, 2**30 % 2**32)
    assert len(body) < 1_100_000
    return body


def _fails(call: Callable[[], object]) -> tuple[SourceError, float]:
    started = time.monotonic()
    with pytest.raises(SourceError) as caught:
        call()
    return caught.value, time.monotonic() - started


def _measured(call: Callable[[], object]) -> tuple[SourceError, float, int]:
    tracemalloc.start()
    try:
        error, seconds = _fails(call)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return error, seconds, peak


def _one_line(error: SourceError, url: str, reason: str) -> None:
    assert str(error) == f"{url}: {reason}"
    assert "\n" not in str(error)
    assert error.hint


# --- one deadline per fetch ---------------------------------------------------------------


def test_drip_server_is_cut_off_at_the_deadline(serve: Callable[..., Server]) -> None:
    server = serve({"/drip": lambda h: h.stream(b"<", 0.5)})
    url = server.url("/drip")
    error, seconds = _fails(lambda: fetch_url(url, deadline=1.5, allowed=[server.origin]))
    _one_line(error, url, "no complete response within 1.5 s")
    assert 1.4 < seconds < 2.0


def test_server_that_stalls_just_before_the_deadline_is_cut_off_at_it(
    serve: Callable[..., Server],
) -> None:
    # Each read waits at most the time left when the request started: without the
    # deadline on the whole fetch, a read begun at 1.2 s could wait until 2.7 s.
    server = serve({"/stall": lambda h: h.stream(b"<item>", 0.1, until=1.2)})
    url = server.url("/stall")
    error, seconds = _fails(lambda: fetch_url(url, deadline=1.5, allowed=[server.origin]))
    _one_line(error, url, "no complete response within 1.5 s")
    assert 1.4 < seconds < 1.8


# --- a cap on the decoded body, memory bounded -------------------------------------------


def test_gzip_bomb_stops_at_the_cap_with_memory_bounded(
    serve: Callable[..., Server], gzip_bomb: bytes
) -> None:
    server = serve({"/bomb": lambda h: h.send_body(gzip_bomb, Content_Encoding="gzip")})
    url = server.url("/bomb")
    error, seconds, peak = _measured(lambda: fetch_url(url, allowed=[server.origin]))
    _one_line(error, url, "body larger than 10 MiB once decoded")
    assert seconds < 3
    assert peak < MEMORY_BOUND


def test_body_streamed_past_the_cap_stops_there_with_memory_bounded(
    serve: Callable[..., Server],
) -> None:
    server = serve({"/big": lambda h: h.stream(b"x" * 2**16, 0, until=30)})  # 50 MB and more
    url = server.url("/big")
    error, seconds, peak = _measured(lambda: fetch_url(url, allowed=[server.origin]))
    _one_line(error, url, "body larger than 10 MiB")
    assert seconds < 3
    assert peak < MEMORY_BOUND


def test_content_length_above_the_cap_is_refused_before_the_body(
    serve: Callable[..., Server],
) -> None:
    def huge(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "50000000")
        h.end_headers()
        h.wfile.write(b"<rss>")
        h.server.stopping.wait(30)  # sends nothing more: only the header can refuse it

    server = serve({"/huge": huge})
    url = server.url("/huge")
    error, seconds = _fails(lambda: fetch_url(url, allowed=[server.origin]))
    _one_line(error, url, "body larger than 10 MiB (Content-Length: 50,000,000)")
    assert seconds < 1


def test_cap_is_a_parameter(serve: Callable[..., Server]) -> None:
    body = FEED.read_bytes()
    server = serve({"/feed": lambda h: h.send_body(gzip.compress(body), Content_Encoding="gzip")})
    url = server.url("/feed")
    assert fetch_url(url, max_bytes=len(body), allowed=[server.origin]) == body
    error, _ = _fails(lambda: fetch_url(url, max_bytes=len(body) - 1, allowed=[server.origin]))
    assert str(error).endswith(f"body larger than {len(body) - 1:,} bytes once decoded")


# --- no internal addresses ----------------------------------------------------------------


def test_redirect_from_an_allowed_origin_to_another_internal_port_is_refused(
    serve: Callable[..., Server],
) -> None:
    internal = serve({"/admin": lambda h: h.send_body(b"secret")})
    target = internal.url("/admin")
    server = serve({"/feed": lambda h: h.redirect(target)})
    url = server.url("/feed")
    error, _ = _fails(lambda: fetch_url(url, allowed=[server.origin]))
    _one_line(error, url, f"redirect to {target} refused: 127.0.0.1 is a loopback address")
    assert "allow its host:port explicitly" in error.hint
    assert [path for path, _ in server.requests] == ["/feed"]
    assert internal.requests == []


def test_allowed_origin_is_exact_as_spelled(serve: Callable[..., Server]) -> None:
    # The same server named `localhost` is another origin, which the user did not allow.
    server = serve({"/feed": lambda h: h.redirect(f"http://localhost:{h.server.server_port}/x")})
    url = server.url("/feed")
    error, _ = _fails(lambda: fetch_url(url, allowed=[server.origin]))
    assert str(error).endswith("refused: localhost (127.0.0.1) is a loopback address")
    assert len(server.requests) == 1


def test_loopback_feed_without_allowance_is_refused_unrequested(
    serve: Callable[..., Server],
) -> None:
    server = serve({"/feed": lambda h: h.send_body(FEED.read_bytes())})
    url = server.url("/feed")
    for read in (lambda: fetch_url(url), lambda: load(url), lambda: RssNewsSource().load(url)):
        error, _ = _fails(read)
        _one_line(error, url, "refused: 127.0.0.1 is a loopback address")
    assert server.requests == []


@pytest.fixture
def no_connections(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record every outgoing connection attempt, and let none through."""
    attempts: list[object] = []

    def connect(address: object, *args: object, **kwargs: object) -> socket.socket:
        attempts.append(address)
        raise ConnectionRefusedError(111, "refused by the test")

    monkeypatch.setattr(socket, "create_connection", connect)
    return attempts


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[list[str]]]:
    """Fake names: each maps to its successive answers (the last one repeats)."""
    answers: dict[str, list[list[str]]] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in answers:
            return real(host, port, *args, **kwargs)
        queue = answers[host]
        ips = queue.pop(0) if len(queue) > 1 else queue[0]
        return [
            (
                socket.AF_INET6 if ":" in ip else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (ip, port),
            )
            for ip in ips
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://[::1]/feed", "::1 is a loopback address"),
        ("http://10.0.0.1/feed", "10.0.0.1 is a private address"),
        ("http://192.168.1.1:8080/feed", "192.168.1.1 is a private address"),
        ("http://100.64.0.1/feed", "100.64.0.1 is a non-global address"),
        ("http://0.0.0.0:8080/", "0.0.0.0 is an unspecified address"),
        ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
        ("http://[fe80::1]/", "fe80::1 is a link-local address"),
        ("http://[::ffff:127.0.0.1]/", "is a loopback address (127.0.0.1 in IPv6 form)"),
        ("http://[::ffff:169.254.169.254]/", "link-local address (169.254.169.254 in IPv6 form)"),
        ("http://[2002:a00:1::]/", "is a private address (10.0.0.1 in IPv6 form)"),
        ("http://[64:ff9b::7f00:1]/", "is a loopback address (127.0.0.1 in IPv6 form)"),
        ("http://2130706433/", "2130706433 (127.0.0.1) is a loopback address"),
        ("http://localhost:8080/feed", "localhost (127.0.0.1) is a loopback address"),
        (
            "http://intranet.example.test/feed",
            "intranet.example.test (10.1.2.3) is a private address",
        ),
        ("http://mixed.example.test/feed", "mixed.example.test (192.168.7.7) is a private address"),
        ("ftp://feeds.example.test/llm.xml", "scheme 'ftp' is not http or https"),
        ("file:///etc/passwd", "scheme 'file' is not http or https"),
    ],
)
def test_internal_address_or_other_scheme_is_refused_before_any_connection(
    url: str,
    reason: str,
    no_connections: list[object],
    dns: dict[str, list[list[str]]],
) -> None:
    dns["intranet.example.test"] = [["10.1.2.3"]]
    dns["mixed.example.test"] = [["93.184.216.34", "192.168.7.7"]]  # any internal answer
    error, _ = _fails(lambda: fetch_url(url))
    assert str(error).startswith(f"{url}: refused: ")
    assert str(error).endswith(reason)
    assert no_connections == []


def test_connection_goes_to_the_address_checked_not_a_second_answer(
    serve: Callable[..., Server],
    dns: dict[str, list[list[str]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # DNS rebinding: the name passes the check as public, then answers with loopback.
    internal = serve({"/feed": lambda h: h.send_body(b"secret")})
    dns["rebind.example.test"] = [["93.184.216.34"], ["127.0.0.1"]]
    attempts: list[object] = []
    real = socket.create_connection

    def connect(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        attempts.append(address)
        if address[0] != "127.0.0.1":
            raise ConnectionRefusedError(111, "refused by the test")  # no internet here
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", connect)
    url = f"http://rebind.example.test:{internal.server_port}/feed"
    error, _ = _fails(lambda: fetch_url(url))
    assert str(error).startswith(f"{url}: cannot fetch: ")
    assert attempts == [("93.184.216.34", internal.server_port)]
    assert internal.requests == []


def test_allowed_name_is_fetched_from_its_checked_address_with_its_host_header(
    serve: Callable[..., Server], dns: dict[str, list[list[str]]]
) -> None:
    server = serve({"/feed": lambda h: h.send_body(b"<rss/>")})
    dns["feeds.internal.test"] = [["127.0.0.1"], ["10.9.9.9"]]  # a later answer is never used
    origin = f"feeds.internal.test:{server.server_port}"
    assert fetch_url(f"http://{origin}/feed", allowed=[origin]) == b"<rss/>"
    assert server.requests == [("/feed", origin)]


def test_https_is_pinned_to_the_address_while_tls_checks_the_name(
    serve: Callable[..., Server], dns: dict[str, list[list[str]]], tmp_path: Path
) -> None:
    # The certificate names feeds.internal.test and no address: the connection goes to
    # 127.0.0.1, so it verifies only if SNI and the hostname check use the name.
    (tmp_path / "cert.pem").write_text(TEST_CERT + TEST_KEY)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(tmp_path / "cert.pem")
    names: list[str | None] = []
    server_tls.sni_callback = lambda sock, name, ctx: names.append(name)
    server = serve({"/feed": lambda h: h.send_body(b"<rss/>")})
    server.socket = server_tls.wrap_socket(server.socket, server_side=True)
    trust = ssl.create_default_context(cadata=TEST_CA)
    dns["feeds.internal.test"] = [["127.0.0.1"], ["10.9.9.9"]]
    dns["other.internal.test"] = [["127.0.0.1"]]
    good = f"feeds.internal.test:{server.server_port}"
    other = f"other.internal.test:{server.server_port}"
    with guarded_client([good, other], verify=trust) as client:
        assert fetch_url(f"https://{good}/feed", client) == b"<rss/>"
        error, _ = _fails(lambda: fetch_url(f"https://{other}/feed", client))
    assert "certificate verify failed" in str(error).lower()
    assert names == ["feeds.internal.test", "other.internal.test"]
    assert server.requests == [("/feed", good)]


def test_check_public_names_every_address_it_allows(dns: dict[str, list[list[str]]]) -> None:
    dns["cdn.example.test"] = [["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"]]
    assert [str(a) for a in check_public("https://cdn.example.test/feed")] == [
        "93.184.216.34",
        "2606:2800:220:1:248:1893:25c8:1946",
    ]
    assert [str(a) for a in check_public("http://127.0.0.1:8080/", ["127.0.0.1:8080"])] == [
        "127.0.0.1"
    ]


@pytest.mark.parametrize("entry", ["127.0.0.1", "127.0.0.1:", ":8080", "host:http", "h:70000"])
def test_allowed_entry_must_be_host_and_port(entry: str) -> None:
    with pytest.raises(ParameterError, match="is not host:port"):
        fetch_url("http://127.0.0.1:8080/", allowed=[entry])


def test_allowed_cannot_be_given_with_an_injected_client() -> None:
    with guarded_client() as client, pytest.raises(ParameterError, match="injected"):
        fetch_url("http://127.0.0.1:8080/", client, allowed=["127.0.0.1:8080"])


# --- normal feeds, redirects and statuses -------------------------------------------------


def test_feed_behind_a_same_origin_redirect_reads_as_the_bundled_file(
    serve: Callable[..., Server],
) -> None:
    body = FEED.read_bytes()
    server = serve(
        {
            "/old.xml": lambda h: h.redirect("/feeds/llm.xml", 301),
            "/feeds/llm.xml": lambda h: h.send_body(body, Content_Type="application/rss+xml"),
            "/gz.xml": lambda h: h.send_body(gzip.compress(body), Content_Encoding="gzip"),
        }
    )
    expected = news_from_feed(str(FEED), body)
    for path in ("/old.xml", "/gz.xml"):
        url = server.url(path)
        batch = RssNewsSource(allowed=[server.origin]).load(url)
        assert batch.rows == expected.rows == 280
        assert batch.sha256 == expected.sha256
        assert batch.frame.drop("origin").equals(expected.frame.drop("origin"))
        assert batch.frame["origin"].unique().to_list() == [url]
    assert [path for path, _ in server.requests] == ["/old.xml", "/feeds/llm.xml", "/gz.xml"]


def test_redirect_loop_stops_after_five_redirects(serve: Callable[..., Server]) -> None:
    server = serve({"/loop": lambda h: h.redirect("/loop")})
    url = server.url("/loop")
    error, _ = _fails(lambda: fetch_url(url, allowed=[server.origin]))
    _one_line(error, url, "more than 5 redirects")
    assert len(server.requests) == 6


def test_not_found_is_one_clear_error(serve: Callable[..., Server]) -> None:
    server = serve({})
    url = server.url("/missing.xml")
    error, _ = _fails(lambda: fetch_url(url, allowed=[server.origin]))
    _one_line(error, url, "cannot fetch: HTTP 404 Not Found")
