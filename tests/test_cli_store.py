"""`status` and `ingest --force` refuse a truncated store, in one line, and leave it as it was."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.test_cli import run


@pytest.mark.parametrize(
    "args", [("status",), ("ingest", "--force"), ("brief", "IWM", "--format", "html")]
)
def test_a_truncated_store_is_one_error_and_is_not_written(
    bundled_store: Path, args: tuple[str, ...]
) -> None:
    with bundled_store.open("r+b") as handle:
        handle.truncate(bundled_store.stat().st_size // 2)
    before = hashlib.sha256(bundled_store.read_bytes()).hexdigest()

    shown = run(*args, db=bundled_store)

    assert shown.returncode == 1
    # Only the one error and its hint (a progress bar may have started before it).
    lines = [line for line in shown.stderr.splitlines() if not line.startswith("validating")]
    assert lines[0] == f"error: store {bundled_store} is corrupt or truncated: " + (
        f"its {bundled_store.stat().st_size:,} bytes end inside a block of 262,144"
    )
    assert lines[1].startswith("hint: restore it from a backup") and len(lines) == 2
    assert hashlib.sha256(bundled_store.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in bundled_store.parent.iterdir()) == [bundled_store.name]
