"""Articles end to end: the bundled edition, and articles per second on 5,000 symbols.

`bench/run.py` renders `article_section` as section 7 of BENCHMARKS.md. One run times
every stage of a full edition of the 28 bundled symbols, from their Parquet files to
HTML, Markdown and JSON, then the same stages on the seeded synthetic universe of
`indicators.synthetic_panel`: the one-off pass over the universe (analysis and scores)
apart from the per-article work (FactSheets, writing, rendering), in this process and
then split over `WORKERS` forked processes (`map_sheets`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Final, TypeVar

import polars as pl

from indicators import synthetic_panel
from pulsewire.analysis.rows import as_date
from pulsewire.analysis.snapshot import UniverseAnalysis
from pulsewire.article.model import Article
from pulsewire.article.render import article_json, to_html, to_markdown
from pulsewire.facts.edition import build_sheets, map_sheets
from pulsewire.facts.sheet import FactSheet
from pulsewire.model import CalendarEvent, Panel
from pulsewire.scores.board import ScoreBoard
from pulsewire.sources import bundled_data, load
from pulsewire.writer.audit import audit
from pulsewire.writer.compose import write_article
from pulsewire.writer.edition import write_edition

REPEATS: Final = 3
WORKERS: Final = 2
"""Processes of the parallel run: this machine's cores."""
GOAL: Final = 500.0
"""The issue's goal: articles per second on the 5,000-symbol universe, on this machine."""
AUTOMATED_INSIGHTS: Final = 47.0
"""Articles per second Automated Insights averaged in 2016, the issue's reference."""

_Result = TypeVar("_Result")


@dataclass(frozen=True)
class Stage:
    """One stage of the pipeline: its median time over REPEATS runs."""

    label: str
    median_ms: float


@dataclass(frozen=True)
class Run:
    """The stages of one universe, timed together in each of REPEATS runs."""

    name: str
    articles: int
    as_of: dt.date
    setup: list[Stage]
    """Work done once per universe, whatever the number of articles."""
    per_article: list[Stage]
    """Work that grows with the articles written."""

    @property
    def setup_ms(self) -> float:
        return sum(stage.median_ms for stage in self.setup)

    @property
    def per_article_ms(self) -> float:
        return sum(stage.median_ms for stage in self.per_article)

    @property
    def steady_rate(self) -> float:
        """Articles per second once the universe pass is done."""
        return self.articles / self.per_article_ms * 1000

    @property
    def all_in_rate(self) -> float:
        """Articles per second counting the universe pass too."""
        return self.articles / (self.setup_ms + self.per_article_ms) * 1000


class _Clock:
    """Times named stages of one run."""

    def __init__(self) -> None:
        self.ms: dict[str, float] = {}

    def __call__(self, label: str, run: Callable[[], _Result]) -> _Result:
        start = time.perf_counter()
        result = run()
        self.ms[label] = (time.perf_counter() - start) * 1000
        return result


def _rendered(articles: Sequence[Article]) -> int:
    """Render every article as HTML, Markdown and JSON; return the characters written."""
    return sum(len(to_html(a)) + len(to_markdown(a)) + len(article_json(a)) for a in articles)


def _written(sheet: FactSheet, published: dt.datetime) -> int:
    """Write and render one sheet's article, in a worker; return the characters rendered."""
    return _rendered([write_article(sheet, published)])


def _events() -> list[CalendarEvent]:
    frame = load(str(Path(bundled_data()) / "calendar" / "events.parquet")).frame
    return [CalendarEvent(**row) for row in frame.iter_rows(named=True)]


def _high(events: Sequence[CalendarEvent]) -> list[dt.date]:
    return [event.date for event in events if event.importance == "high"]


def _news() -> pl.DataFrame:
    return load(str(Path(bundled_data()) / "news" / "headlines.parquet")).frame


def _bundled_edition(clock: _Clock) -> tuple[int, dt.date]:
    """Run the whole edition of the last bundled date, as `pulsewire write` does, from files."""
    bundle = Path(bundled_data())

    def read() -> tuple[Panel, list[CalendarEvent], pl.DataFrame]:
        files = sorted((bundle / "prices").glob("*.parquet"))
        panel = Panel.from_bars(pl.concat(load(str(path)).frame for path in files))
        return panel, _events(), _news()

    panel, events, news = clock("read the bundled Parquet files into a panel", read)
    universe = clock("`UniverseAnalysis.compute`", lambda: UniverseAnalysis.compute(panel))
    board = clock("`ScoreBoard.compute`", lambda: ScoreBoard.compute(universe, _high(events)))
    as_of = as_date(panel.dates[-1])
    sheets = clock(
        "`build_sheets`: one FactSheet per symbol",
        lambda: build_sheets(universe, board, as_of, panel.symbols, events, news).written,
    )
    published = dt.datetime.combine(as_of, dt.time(23, 59), tzinfo=dt.UTC)
    edition = clock(
        "`write_edition`: an article per sheet, linked to its related articles",
        lambda: write_edition(sheets, published),
    )
    clock("render each article to HTML, Markdown and JSON", lambda: _rendered(edition.articles))
    return len(edition.articles), as_of


def market_panel() -> Panel:
    """The synthetic universe, its first symbol named SPY: relative strength is measured."""
    panel = synthetic_panel()
    return dataclasses.replace(panel, symbols=("SPY", *panel.symbols[1:]))


def _synthetic_articles(clock: _Clock, panel: Panel) -> tuple[int, dt.date]:
    """Write every symbol of the synthetic universe at its last date."""
    events, news = _events(), _news()
    universe = clock("`UniverseAnalysis.compute`", lambda: UniverseAnalysis.compute(panel))
    board = clock("`ScoreBoard.compute`", lambda: ScoreBoard.compute(universe, _high(events)))
    as_of = as_date(panel.dates[-1])
    sheets: tuple[FactSheet, ...] = clock(
        "`build_sheets`: one FactSheet per symbol",
        lambda: build_sheets(universe, board, as_of, panel.symbols, events, news).written,
    )
    published = dt.datetime.combine(as_of, dt.time(23, 59), tzinfo=dt.UTC)
    articles = clock(
        "`write_article` per sheet", lambda: [write_article(s, published) for s in sheets]
    )
    clock(
        "`audit` per article: figures, dates, names, quotes, claims and contradiction rules",
        lambda: [audit(a, s) for a, s in zip(articles, sheets, strict=True)],
    )
    clock("render each article to HTML, Markdown and JSON", lambda: _rendered(articles))
    clock(
        PARALLEL,
        lambda: map_sheets(
            universe,
            board,
            as_of,
            panel.symbols,
            events,
            news,
            partial(_written, published=published),
            workers=WORKERS,
        ),
    )
    return len(articles), as_of


PARALLEL: Final = (
    f"`map_sheets` on {WORKERS} workers: FactSheet, `write_article` and renderings per symbol"
)

SETUP: Final = frozenset(
    {
        "read the bundled Parquet files into a panel",
        "`UniverseAnalysis.compute`",
        "`ScoreBoard.compute`",
    }
)


def _measure(name: str, run: Callable[[_Clock], tuple[int, dt.date]]) -> list[Run]:
    """Time REPEATS runs; the stages of `PARALLEL`, if timed, make a run of their own.

    Both runs share the universe pass: the parallel one reads what the other computed.
    """
    clocks = []
    for _ in range(REPEATS):
        clock = _Clock()
        articles, as_of = run(clock)
        clocks.append(clock)
    stages = [
        Stage(label, statistics.median(c.ms[label] for c in clocks)) for label in clocks[0].ms
    ]
    setup = [s for s in stages if s.label in SETUP]
    serial = [s for s in stages if s.label not in SETUP and s.label != PARALLEL]
    parallel = [s for s in stages if s.label == PARALLEL]
    if not parallel:
        return [Run(name, articles, as_of, setup, serial)]
    return [
        Run(f"{name}, 1 process", articles, as_of, setup, serial),
        Run(f"{name}, {WORKERS} workers", articles, as_of, setup, parallel),
    ]


def measure_articles() -> list[Run]:
    """Time the bundled edition and the synthetic universe, REPEATS runs each."""
    panel = market_panel()
    return [
        *_measure("bundled: 28 symbols", _bundled_edition),
        *_measure(
            f"synthetic: {len(panel.symbols):,} x {panel.dates.size:,}",
            lambda clock: _synthetic_articles(clock, panel),
        ),
    ]


def _rows(run: Run) -> list[str]:
    lines = [f"| {run.name} | once | {s.label} | {s.median_ms:,.1f} | |" for s in run.setup] + [
        f"| {run.name} | per article | {s.label} | {s.median_ms:,.1f} | "
        f"{s.median_ms / run.articles:,.3f} |"
        for s in run.per_article
    ]
    total = run.setup_ms + run.per_article_ms
    return [
        *lines,
        f"| {run.name} | **all** | **{run.articles:,} articles of {run.as_of}** | "
        f"**{total:,.1f}** | {total / run.articles:,.3f} |",
    ]


def goal_lines(runs: Sequence[Run]) -> list[str]:
    """Judge the goal on the synthetic runs, one process and workers, steady and all-in."""
    lines = []
    for synthetic in runs[1:]:
        for label, rate in (
            ("steady state (universe pass done)", synthetic.steady_rate),
            ("all-in (universe pass included)", synthetic.all_in_rate),
        ):
            verdict = "met" if rate >= GOAL else "not met"
            lines.append(
                f"- {synthetic.name}, {label}: **{rate:,.0f} articles/s**, "
                f"{rate / AUTOMATED_INSIGHTS:,.1f}x Automated Insights' "
                f"{AUTOMATED_INSIGHTS:g}/s; ≥ {GOAL:g} articles/s: **{verdict}**"
            )
    return lines


def article_section(runs: Sequence[Run]) -> list[str]:
    """Return the Markdown section of the articles benchmark."""
    bundled = runs[0]
    return [
        "## 7. Articles end to end",
        "",
        f"Goal (from the issue): at least {GOAL:g} articles per second on the 5,000-symbol "
        f"universe on this machine (Automated Insights averaged about {AUTOMATED_INSIGHTS:g} "
        "per second in 2016).",
        "",
        *goal_lines(runs),
        f"- bundled edition of {bundled.as_of}, all-in from the Parquet files: "
        f"{bundled.setup_ms + bundled.per_article_ms:,.0f} ms for {bundled.articles} articles "
        f"({bundled.all_in_rate:,.0f} articles/s; {bundled.steady_rate:,.0f}/s once the "
        "universe is computed)",
        "",
        f"Each row is the median of {REPEATS} runs of the whole pipeline, one stage after "
        "the other in one process. The bundled edition is what `pulsewire write` does "
        "without the store: the bars from the bundled Parquet files (`load`, "
        "`Panel.from_bars`), the calendar and news frames, the analysis and scores of every "
        "symbol and date, each symbol's FactSheet (news selection and correlations "
        "included), `write_edition` (articles, their audit and their related-article "
        "links) and the three renderings; not included: the store and writing files. The "
        "synthetic universe is the seeded random walk of section 5, its first symbol named "
        "SPY to serve as the benchmark, with the bundled calendar and news (which name none "
        "of its symbols); it is built in memory before the clock starts, and articles are "
        "written one per sheet with `write_article` (`write_edition` ranks every pair of "
        "articles to link related ones, quadratic in the number of symbols). "
        f"The {WORKERS}-worker run times `map_sheets`, which selects the news in this "
        f"process, then forks {WORKERS} workers that read the universe pass through "
        "copy-on-write memory, each building, writing and rendering the articles of its "
        "half of the symbols and sending back the characters rendered; process start-up "
        "is included. "
        "Steady state divides the articles by the per-article rows; all-in adds the "
        "once rows.",
        "",
        "| universe | when | stage | median ms | ms per article |",
        "| --- | --- | --- | --- | --- |",
        *(line for run in runs for line in _rows(run)),
        "",
    ]
