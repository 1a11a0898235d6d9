"""Ingest: read and validate every named file, then write them to the store in one go.

This module wires `sources` to `store`; it holds no parsing and no SQL of its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx

from pulsewire.model import Batch
from pulsewire.sources import discover, fetch, parse
from pulsewire.store import Store, StoreCounts


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


def ingest(
    locations: Sequence[str],
    store: Store,
    now: dt.datetime,
    *,
    force: bool = False,
    client: httpx.Client | None = None,
    on_file: Callable[[str, int], None] | None = None,
) -> IngestReport:
    """Validate every file under `locations`, then write all of them in one transaction.

    One bad record stops the whole ingest before anything is written, so the store
    never holds half a batch. A file whose bytes were ingested before is skipped (its
    records are already there) unless `force` is set. `on_file(location, total)` is
    called after each file, for progress bars.

    Raises
    ------
    SourceError
        At the first invalid file, naming file, line and field.
    StoreError
        If the store cannot be written; it is then unchanged.
    """
    files = discover(locations)
    known = set() if force else store.known_digests()
    written: list[Batch] = []
    unchanged: list[str] = []
    before = store.counts()

    def read(location: str) -> Batch | None:
        data = fetch(location, client)
        return None if hashlib.sha256(data).hexdigest() in known else parse(location, data)

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
    store.write(written, now)
    return IngestReport(tuple(written), tuple(unchanged), before, store.counts())
