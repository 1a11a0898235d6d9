"""The real files committed in tests/data are verbatim line ranges of ../shared/data."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SHARED, SLICES

Lines = tuple[int, int]  # first and last line, 1-based and inclusive

# Each slice, by its path under tests/data and ../shared/data: the line ranges it copies, in
# order. The same ranges, with their dates, are in tests/data/README.md.
RANGES: dict[str, tuple[Lines, ...]] = {
    "prices/IWM.csv": ((1, 1), (5437, 6599)),
    "prices/SPY.csv": ((1, 1), (7287, 8449)),
    "prices/VIX.csv": ((1, 1), (8066, 9231)),
    "news/headlines.jsonl": ((1, 2000),),
    "calendar/events.csv": ((1, 291),),
}


def _committed() -> set[str]:
    """The data files under tests/data, other than its README and the golden files."""
    return {
        path.relative_to(SLICES).as_posix()
        for path in SLICES.rglob("*")
        if path.is_file() and path.name != "README.md" and "golden" not in path.parts
    }


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def test_every_committed_slice_is_listed_with_its_lines_in_the_readme() -> None:
    readme = (SLICES / "README.md").read_text()
    assert _committed() == RANGES.keys()
    for name, ranges in RANGES.items():
        assert len(_lines(SLICES / name)) == sum(last - first + 1 for first, last in ranges), name
        assert f"`{name}`" in readme, name


@pytest.mark.shared
def test_every_committed_slice_is_its_lines_of_the_shared_file() -> None:
    for name, ranges in RANGES.items():
        source = _lines(SHARED / name)
        copied = [line for first, last in ranges for line in source[first - 1 : last]]
        assert _lines(SLICES / name) == copied, name
