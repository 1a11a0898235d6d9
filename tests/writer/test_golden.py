"""Golden files: articles and FactSheets that must not drift without a reviewed diff.

A change to the analysis, the facts or the writer that alters one of these shows up
here as a diff. When the change is meant, rewrite them with `make golden` and review
the diff in the commit.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from pulsewire.article.render import to_markdown
from pulsewire.writer.edition import Edition

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden"
UPDATE = os.environ.get("PULSEWIRE_UPDATE_GOLDEN") == "1"

CASES = (
    ("IWM", dt.date(2026, 2, 2)),  # the brief: jobs report delayed, Warsh named
    ("BTC-USD", dt.date(2025, 4, 7)),  # a 24/7 calendar on a tariff-crash Monday
    ("VIX", dt.date(2024, 8, 5)),  # quoted in points, on its largest one-day spike
    ("TLT", dt.date(2022, 6, 13)),  # bonds in the 2022 sell-off
)


def _rounded(value: Any) -> Any:
    """Round floats to 10 significant digits: the last bits of a SIMD log may differ by CPU."""
    if isinstance(value, float):
        return float(f"{value:.10g}")
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return value


def _check(path: Path, text: str) -> None:
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                text.splitlines(keepends=True),
                str(path),
                "written now",
            )
        )
        pytest.fail(f"{path.name} drifted (run `make golden` if this is meant):\n{diff}")


@pytest.mark.parametrize(("symbol", "day"), CASES, ids=[f"{s}-{d}" for s, d in CASES])
def test_article_and_factsheet_match_their_golden_files(
    editions: dict[dt.date, Edition], symbol: str, day: dt.date
) -> None:
    edition = editions[day]
    index = next(i for i, a in enumerate(edition.articles) if a.symbol == symbol)
    slug = edition.articles[index].slug
    _check(GOLDEN / f"{slug}.md", to_markdown(edition.articles[index]))
    sheet = _rounded(edition.sheets[index].model_dump(mode="json"))
    _check(
        GOLDEN / f"{slug}.factsheet.json", json.dumps(sheet, indent=2, ensure_ascii=False) + "\n"
    )
