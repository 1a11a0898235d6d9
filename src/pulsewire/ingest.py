"""Ingest: read and validate every named file, then write them to the store in one go.

This module wires `sources` to `store`; it holds no parsing and no SQL of its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx

from pulsewire.model import Batch
from pulsewire.sources import discover, fetch, parse
from pulsewire.store import Store, StoreCounts

LogKey = tuple[str, str]
"""How the ingest log knows a file: (`log_name` of its origin, sha256 of its bytes)."""


@dataclass(frozen=True)
class IngestReport:
    """What one ingest did: the batches it wrote, the files it found unchanged, counts."""

    written: tuple[Batch, ...]
    unchanged: tuple[str, ...]
    before: StoreCounts
    after: StoreCounts

    @property
    def notes(self) -> tuple[str, ...]:
        """What sources chose to drop, prefixed by the file they came from."""
        return tuple(f"{b.origin}: {note}" for b in self.written for note in b.notes)


def log_name(origin: str) -> str:
    """Return the name that, with its digest, identifies a file in the ingest log.

    A file's base name (a feed's whole URL): the name is part of what the bytes mean
    (``SPY.csv`` holds SPY's bars, the same bytes as ``QQQ.csv`` would be QQQ's), the
    folder is not, so moving a folder re-ingests nothing and a rename re-ingests the file.
    """
    return origin if "://" in origin else Path(origin).name


def known_files(path: Path) -> set[LogKey]:
    """Return the log keys of the files ingested into the store at `path` (none if absent).

    The store is opened read-only for the time of one query.

    Raises
    ------
    StoreError
        If the store cannot be read (StoreBusyError while another process writes it).
    """
    if not path.exists():
        return set()
    with Store.open(path, read_only=True) as store:
        return {(log_name(origin), digest) for origin, digest in store.known_files()}


def read_files(
    files: Sequence[str],
    known: Collection[LogKey],
    now: dt.datetime,
    *,
    client: httpx.Client | None = None,
    on_file: Callable[[str, int], None] | None = None,
) -> tuple[list[Batch], list[str]]:
    """Fetch and validate `files`, skipping those whose log key is in `known`.

    Returns the batches read and the files skipped, each in file order. No store is
    involved. `on_file(location, total)` is called after each file.

    Raises
    ------
    SourceError
        At the first invalid file, in file order.
    """
    written: list[Batch] = []
    unchanged: list[str] = []

    def read(location: str) -> Batch | None:
        data = fetch(location, client)
        key = (log_name(location), hashlib.sha256(data).hexdigest())
        return None if key in known else parse(location, data, now)

    # Files are read on every core (polars and hashlib release the GIL); results come
    # back in file order, so the error reported is the first bad file's.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        for location, batch in zip(files, pool.map(read, files), strict=True):
            if batch is None:
                unchanged.append(location)
            else:
                written.append(batch)
            if on_file is not None:
                on_file(location, len(files))
    return written, unchanged


def ingest(
    locations: Sequence[str],
    store: Path,
    now: dt.datetime,
    *,
    force: bool = False,
    client: httpx.Client | None = None,
    on_file: Callable[[str, int], None] | None = None,
) -> IngestReport:
    """Validate every file under `locations`, then write all of them in one transaction.

    One bad record stops the whole ingest before anything is written, so the store
    never holds half a batch. A file ingested before under the same name with the same
    bytes (`log_name`) is skipped (its records are already there) unless `force` is
    set. Bars dated after `now`'s UTC day are refused. `on_file(location, total)` is
    called after each file, for progress bars.

    The store at `store` (created if absent) is only read briefly at the start, for
    the files it knows; its write lock is taken once every file is fetched and
    validated, for the one transaction, so other processes can read it meanwhile.

    Raises
    ------
    SourceError
        At the first invalid file, naming file, line and field.
    StoreError
        If the store cannot be read or written; it is then unchanged.
    """
    files = discover(locations)
    known = known_files(store)  # also checks the store is whole before any file is read
    if force:
        known = set()
    written, unchanged = read_files(files, known, now, client=client, on_file=on_file)
    with Store.open(store, read_only=bool(not written and store.exists())) as target:
        before = target.counts()
        target.write(written, now)
        after = target.counts()
    return IngestReport(tuple(written), tuple(unchanged), before, after)
