"""The desk: the pipeline from a store to a stored, published edition, in one place.

The CLI (and later the site) asks the desk; the desk reads the store once, runs the
analysis and scores over the universe, builds the FactSheets of an as-of, writes and
audits the articles, and stores them with their files, all or nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Final

import polars as pl

from pulsewire.analysis.rows import as_date
from pulsewire.analysis.snapshot import UniverseAnalysis
from pulsewire.article.model import Article
from pulsewire.article.render import article_json, to_html, to_markdown
from pulsewire.errors import PulsewireError
from pulsewire.facts.edition import LeftOut, Omission, Sheets, build_sheets, evening
from pulsewire.facts.sheet import FactSheet
from pulsewire.model import CalendarEvent, Panel
from pulsewire.publish.folder import EditionFolder, check_target
from pulsewire.scores.board import WARM_UP_BARS, ScoreBoard
from pulsewire.scores.scorecard import calls_frame
from pulsewire.store import Store
from pulsewire.writer.edition import (
    Edition,
    edition_calls,
    edition_rows,
    left_out_rows,
    stored_edition,
    write_edition,
)

EARLIEST_ASOF: Final = dt.date(1900, 1, 1)
"""No market series the desk reads starts earlier; an older as-of is a typo."""


@dataclass(frozen=True, slots=True)
class AsOf:
    """What an as-of asks for: a day, and the minute of it when a time was given."""

    day: dt.date
    moment: dt.datetime | None

    @property
    def clock(self) -> dt.datetime:
        """The moment the desk reads at: the minute given, else the day's evening."""
        return evening(self.day) if self.moment is None else self.moment


def parse_asof(text: str, now: dt.datetime | None, option: str = "--asof") -> AsOf:
    """Return what `text` (YYYY-MM-DD or YYYY-MM-DDTHH:MM, UTC) asks for.

    `now` bounds it for whatever reads data (nothing is known of the future); None
    leaves it open, for a clock such as `status` judging freshness. Errors name the
    `option` the text came from.

    Raises
    ------
    PulsewireError
        If the text is not a date or minute, is before 1900, or is after `now`.
    """
    moment: dt.datetime | None = None
    cleaned = text.strip()
    try:
        if len(cleaned) <= 10:
            day = dt.date.fromisoformat(cleaned)
        else:
            moment = dt.datetime.fromisoformat(cleaned)
            if moment.tzinfo is not None:
                moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
            moment = moment.replace(second=0, microsecond=0, tzinfo=dt.UTC)
            day = moment.date()
    except ValueError as e:
        raise PulsewireError(
            f"{option}: {text!r} is not a date or a time",
            hint="write YYYY-MM-DD, or YYYY-MM-DDTHH:MM in UTC",
        ) from e
    if day < EARLIEST_ASOF:
        raise PulsewireError(
            f"{option}: {text} is before {EARLIEST_ASOF}, older than any series the desk reads",
            hint="check the year",
        )
    if now is not None and (moment or dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)) > now:
        raise PulsewireError(
            f"{option}: {text} is in the future (now is {now:%Y-%m-%d %H:%M} UTC)",
            hint=f"the desk reads only what is known: pick a past date, or leave {option} out",
        )
    return AsOf(day, moment)


@dataclass(frozen=True)
class Written:
    """What `Desk.write` did: the edition written, and what it kept of the stored one."""

    edition: Edition
    kept: tuple[tuple[FactSheet, Article], ...]
    kept_out: tuple[LeftOut, ...]


@dataclass(frozen=True)
class Desk:
    """Everything an edition reads from a store, computed once: ask it for many dates."""

    path: Path
    universe: UniverseAnalysis
    board: ScoreBoard
    events: Sequence[CalendarEvent]
    news: pl.DataFrame

    @classmethod
    def open(cls, path: Path) -> Desk:
        """Read the store at `path` and run the analysis and scores over it."""
        with Store.open(path, read_only=True) as store:
            panel = Panel.from_bars(store.bars())
            release_dates = store.event_dates()
            events = store.events()
            news = store.table("news")
        universe = UniverseAnalysis.compute(panel)
        return cls(path, universe, ScoreBoard.compute(universe, release_dates), events, news)

    @property
    def panel(self) -> Panel:
        """Every stored bar, as the analysis reads them."""
        return self.universe.panel

    def news_era(self) -> list[dt.date]:
        """Return every stored date from the first stored headline on: the dates whose
        editions can cite news."""
        first = self.news["ts_event"].min()
        if not isinstance(first, dt.datetime):
            return []
        return [as_date(d) for d in self.panel.dates if as_date(d) >= first.date()]

    def within(self, when: AsOf | None, now: dt.datetime) -> AsOf:
        """Return `when` once it is known to be answerable; None asks for the latest.

        The latest is the last stored date; when that is today, its bars may still be
        forming, so it is read at `now`: each bar only once its session has closed.

        Raises
        ------
        PulsewireError
            If it is before every stored bar.
        """
        if when is None:
            last = as_date(self.panel.dates[-1])
            return AsOf(last, now if last >= now.date() else None)
        first = as_date(self.panel.dates[0])
        if when.day < first:
            raise PulsewireError(
                f"--asof: {when.day} is before the first stored bar ({first})",
                hint=f"pick a date from {first} on; scores need {WARM_UP_BARS} bars of a symbol",
            )
        return when

    def sheets(
        self,
        when: AsOf,
        symbols: Sequence[str] | None = None,
        on_sheet: Callable[[str], None] | None = None,
    ) -> Sheets[FactSheet]:
        """Return the FactSheets of `symbols` (every stored one) at `when`, and who is out."""
        chosen = list(self.panel.symbols) if symbols is None else list(symbols)
        return build_sheets(
            self.universe,
            self.board,
            when.day,
            chosen,
            self.events,
            self.news,
            on_sheet=on_sheet,
            until=when.moment,
        )

    def write(
        self,
        sheets: Sheets[FactSheet],
        published: dt.datetime,
        *,
        symbols: Sequence[str] | None = None,
        out: Path | None = None,
    ) -> Written:
        """Write the articles of `sheets` and store them, with their files in `out`.

        With `symbols`, the articles join the date's stored edition in place of those
        symbols' (the others are kept); without, they replace it. Everything is computed
        and rendered first, then the files are staged beside `out`, the folder swapped
        in and the edition stored: a failure at any step leaves both as they were (the
        folder is swapped back), and a kill leaves each the old edition or the new one.

        Raises
        ------
        PulsewireError
            If nothing at all can be written, or the folder or store cannot be.
        """
        if out is not None:
            check_target(out)
        day = sheets.written[0].as_of if sheets.written else None
        kept: list[tuple[FactSheet, Article]] = []
        kept_out: list[LeftOut] = []
        if symbols is not None and day is not None:
            with Store.open(self.path, read_only=True) as store:
                kept, kept_out = stored_edition(*store.edition(day), set(symbols))
        edition = write_edition(sheets.written, published, sheets.left_out, alongside=kept)
        if not edition.articles and not kept:
            raise nothing_to_write(edition.as_of, edition.left_out)
        if out is None:
            self._store(edition, symbols)
        else:
            with EditionFolder(out) as folder:
                for article in sorted(
                    [*edition.articles, *(a for _, a in kept)], key=attrgetter("slug")
                ):
                    folder.write(f"{article.slug}.html", to_html(article))
                    folder.write(f"{article.slug}.md", to_markdown(article))
                    folder.write(f"{article.slug}.json", article_json(article))
                folder.commit()
                try:
                    self._store(edition, symbols)
                except BaseException:
                    folder.undo()
                    raise
        return Written(edition, tuple(kept), tuple(kept_out))

    def _store(self, edition: Edition, symbols: Sequence[str] | None) -> None:
        with Store.open(self.path) as store:
            store.write_edition(
                edition.as_of,
                edition_rows(edition),
                calls_frame(edition_calls(edition)),
                left_out_rows(edition),
                symbols=symbols,
            )


def nothing_to_write(day: dt.date, left_out: Sequence[LeftOut]) -> PulsewireError:
    """Return the error of an edition that can write none of its symbols, with what to do."""
    starts = [(s.first_bar, s.symbol) for s in left_out if s.first_bar is not None]
    if starts:
        where, (first, symbol) = f"as_of {day}", min(starts)
        hint = (
            f"the first bar is {first} ({symbol}) and scores need {WARM_UP_BARS} bars "
            "from a symbol's first: pick a later --asof"
        )
    elif all(s.reason is Omission.UNTRACED for s in left_out):
        where = f"as_of {day}"
        hint = (
            "the desk prints no number it cannot trace to its data, and this article "
            "needs one: a gap of the writer; please report the symbol and date"
        )
    else:
        where = "symbol"
        hint = "run `pulsewire status` to list the stored symbols, or ingest the missing ones"
    if len(left_out) == 1:
        return PulsewireError(f"{where}: {left_out[0]}", hint=hint)
    reasons = Counter(str(s.reason) for s in left_out).most_common()
    return PulsewireError(
        f"{where}: none of the {len(left_out)} symbols can be written ("
        + ", ".join(f"{reason}: {count}" for reason, count in reasons)
        + ")",
        hint=hint,
    )
