"""Headlines from RSS 2.0 / Atom feeds, read from a file or fetched over HTTP with httpx.

Fetching is `pulsewire.sources.web.fetch_url`: one deadline, a cap on the decoded size
and no internal addresses unless allowed (see that module).
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import hashlib
import re
from collections.abc import Collection
from typing import Any, Final
from urllib.parse import urlsplit

import feedparser
import httpx
import polars as pl

from pulsewire.errors import SourceError
from pulsewire.model import Batch
from pulsewire.sources.news import with_news_ids
from pulsewire.sources.web import FETCH_DEADLINE_SECONDS, MAX_FEED_BYTES, fetch_url

# Kept for importers: a fetch now has one deadline in all, no longer a timeout per read.
FETCH_TIMEOUT_SECONDS: Final = FETCH_DEADLINE_SECONDS
_DECLARED_ENTRY: Final = re.compile(rb"<(?:item|entry)[\s>]")


def is_url(location: str) -> bool:
    """Return whether `location` is an http(s) address rather than a path."""
    return location.startswith(("http://", "https://"))


def _domain(link: str) -> str:
    host = urlsplit(link).hostname or ""
    return host.removeprefix("www.")


def _published(entry: Any) -> dt.datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed is None:
        return None
    return dt.datetime.fromtimestamp(_calendar.timegm(parsed), tz=dt.UTC)


def news_from_feed(origin: str, data: bytes) -> Batch:
    """Return the headlines of a feed document.

    An entry without a title, a link or a date cannot be cited and is dropped. When
    feedparser marks the document malformed, the entries it could still read are kept
    and the batch's notes say so, with how many declared entries were lost.

    Raises
    ------
    SourceError
        If the document yields no usable entry.
    """
    # No HTML sanitizing here: `with_news_ids` strips control characters and escape codes;
    # markup is escaped where it is rendered.
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    declared = len(_DECLARED_ENTRY.findall(data))
    rows: list[tuple[dt.datetime, str, str, str]] = []
    for entry in parsed.entries:
        title, link, published = entry.get("title"), entry.get("link"), _published(entry)
        if title and title.strip() and link and published is not None:
            rows.append((published, title, link, entry.get("summary", "")))
    dropped = max(declared, len(parsed.entries)) - len(rows)
    notes: list[str] = []
    if parsed.get("bozo"):
        reason = str(parsed.get("bozo_exception", "unknown error")).strip()
        if not rows:
            raise SourceError(
                origin, None, None, None, f"malformed feed ({reason}); no entry readable"
            )
        notes.append(f"malformed feed ({reason}): kept {len(rows)} entries, dropped {dropped}")
    elif dropped:
        notes.append(f"dropped {dropped} entries without a title, link or date")
    if not rows:
        raise SourceError(
            origin, None, None, None, "feed has no entries with a title, link and date"
        )
    frame = with_news_ids(
        pl.DataFrame(
            {
                "ts_event": [r[0] for r in rows],
                "title": [r[1] for r in rows],
                "url": [r[2] for r in rows],
                "summary": [r[3] for r in rows],
                "source": [_domain(r[2]) for r in rows],
                "origin": [origin] * len(rows),
            }
        )
    )
    return Batch("news", origin, hashlib.sha256(data).hexdigest(), frame, tuple(notes))


class RssNewsSource:
    """Read feeds from files or URLs; HTTP goes through an injectable `httpx.Client`.

    `allowed` lists the ``host:port`` origins on internal addresses the user trusts
    (see `fetch_url`); it applies to the guarded client used when none is injected
    (with an injected client, build it with `guarded_client(allowed)` instead).
    """

    def __init__(
        self,
        client: httpx.Client | None = None,
        *,
        allowed: Collection[str] = (),
        deadline: float = FETCH_DEADLINE_SECONDS,
        max_bytes: int = MAX_FEED_BYTES,
    ) -> None:
        self._client = client
        self._allowed = allowed
        self._deadline = deadline
        self._max_bytes = max_bytes

    def extract(self, location: str) -> bytes:
        """Return the raw feed document (the only I/O of this source)."""
        if not is_url(location):
            try:
                with open(location, "rb") as handle:
                    return handle.read()
            except OSError as e:
                raise SourceError(location, None, None, None, f"cannot read: {e.strerror}") from e
        return fetch_url(
            location,
            self._client,
            deadline=self._deadline,
            max_bytes=self._max_bytes,
            allowed=self._allowed,
        )

    def load(self, location: str) -> Batch:
        """Return the validated headlines of the feed at `location`."""
        return news_from_feed(location, self.extract(location))
