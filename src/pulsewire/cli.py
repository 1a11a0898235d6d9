"""The `pulsewire` command: typer for arguments, rich for everything a person reads."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import platformdirs
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from pulsewire._json import json_safe
from pulsewire.analysis import freshness
from pulsewire.analysis.rows import as_date
from pulsewire.analysis.snapshot import SymbolAnalysis
from pulsewire.article.render import article_json, to_html, to_markdown, to_terminal
from pulsewire.desk import AsOf, Desk, Written, nothing_to_write, parse_asof
from pulsewire.errors import DataError, PulsewireError
from pulsewire.facts.edition import Sheets, closed_by
from pulsewire.facts.format import show_price
from pulsewire.facts.sheet import FactSheet
from pulsewire.ingest import IngestReport, ingest
from pulsewire.model import Outlier, check_symbol
from pulsewire.publish.folder import check_target, replace_file
from pulsewire.scores import report
from pulsewire.scores.scorecard import (
    LEVEL_BARS,
    OUTCOMES,
    Scorecard,
    call_at,
    calls_frame,
    grade_calls,
    replay_rows,
    scorecard,
)
from pulsewire.scores.threat import HORIZON
from pulsewire.sources import bundled_data
from pulsewire.sources.web import guarded_client
from pulsewire.store import Store
from pulsewire.writer.edition import write_edition

app = typer.Typer(
    name="pulsewire",
    help="An automated market desk: validated data in, scored and sourced analysis out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)


def default_db() -> Path:
    """Return the store used when neither --db nor PULSEWIRE_DB names one."""
    return platformdirs.user_data_path("pulsewire") / "pulsewire.duckdb"


DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        envvar="PULSEWIRE_DB",
        help="DuckDB store file [default: the user data dir; env PULSEWIRE_DB].",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
AsofOption = Annotated[
    str | None,
    typer.Option(
        "--asof",
        help=(
            "As of this UTC date or minute, YYYY-MM-DD or YYYY-MM-DDTHH:MM. A date reads "
            "that day's closes and news to its evening; a time reads only the bars whose "
            "session had closed by then and the news published by then [default: now, or "
            "the last bar]."
        ),
        show_default=False,
    ),
]


@contextmanager
def _one_line_errors(interrupted: str) -> Iterator[None]:
    """Turn any error into one line and a hint on stderr, with a non-zero exit code.

    `interrupted` says what Ctrl-C leaves behind, for the line printed when it comes.
    """
    try:
        yield
    except PulsewireError as e:
        err.print(Text.assemble(("error: ", "bold red"), str(e)))
        if e.hint:
            err.print(Text.assemble(("hint: ", "bold"), e.hint))
        raise typer.Exit(1) from e
    except KeyboardInterrupt as e:
        err.print(Text.assemble(("interrupted: ", "bold yellow"), interrupted))
        raise typer.Exit(130) from e
    except (typer.Exit, typer.Abort):
        raise
    except Exception as e:
        if os.environ.get("PULSEWIRE_DEBUG"):
            raise
        err.print(Text.assemble(("error: ", "bold red"), f"unexpected {type(e).__name__}: {e}"))
        err.print(
            Text.assemble(
                ("hint: ", "bold"),
                "this is a bug: rerun with PULSEWIRE_DEBUG=1 for a traceback and report it",
            )
        )
        raise typer.Exit(2) from e


READ_ONLY = "nothing was written"
"""What Ctrl-C leaves of a command that only reads."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _progress(transient: bool) -> Progress:
    """Return the progress bar of long commands, on stderr so that stdout stays clean."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[file]}", style="dim"),
        TimeElapsedColumn(),
        console=err,
        transient=transient,
    )


def _print_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(json_safe(payload), indent=2, default=str) + "\n")


def _ingest_summary(report: IngestReport) -> dict[str, Any]:
    before, after = report.before, report.after
    return {
        "files_written": [
            {"file": b.origin, "kind": b.kind, "rows": b.rows, "sha256": b.sha256}
            for b in report.written
        ],
        "files_unchanged": list(report.unchanged),
        "added": {
            "bars": after.bars - before.bars,
            "news": after.news - before.news,
            "calendar_events": after.calendar_events - before.calendar_events,
        },
        "totals": {
            "symbols": after.symbols,
            "bars": after.bars,
            "news": after.news,
            "calendar_events": after.calendar_events,
        },
        "notes": list(report.notes),
    }


@app.command("ingest")
def ingest_command(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files, folders or feed URLs [default: the bundled data]."),
    ] = None,
    db: DbOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Re-apply files already ingested.")
    ] = False,
    allow_feed: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-feed",
            metavar="HOST:PORT",
            help=(
                "Trust this feed server although it resolves to a private, loopback or "
                "link-local address (repeatable). Every other internal address, and any "
                "redirect to one, is refused."
            ),
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Validate price, news and calendar files and write them to the store in one transaction.

    Feeds are fetched first, each within 20 s and 10 MiB once decoded, and the store is
    locked only for the final write.
    """
    with _one_line_errors("the store is as it was before this ingest"):
        locations = paths or [bundled_data()]
        client = guarded_client(allow_feed) if allow_feed else None
        store_path = db or default_db()
        # ingest holds the store's write lock only for the final transaction.
        with _progress(transient=as_json) as progress:
            task = progress.add_task("validating", total=None, file="")

            def advance(location: str, total: int) -> None:
                progress.update(task, total=total, advance=1, file=Path(location).name)

            report = ingest(
                locations, store_path, _now(), force=force, client=client, on_file=advance
            )
            progress.update(task, description="written", file="")
        summary = _ingest_summary(report)
        if as_json:
            _print_json({"store": str(store_path), **summary})
            return
        added, totals = summary["added"], summary["totals"]
        out.print(
            f"[bold green]ingested[/] {len(report.written)} files, "
            f"{len(report.unchanged)} unchanged: "
            f"+{added['bars']:,} bars, +{added['news']:,} news, "
            f"+{added['calendar_events']:,} calendar events"
        )
        out.print(
            Text(
                f"store {store_path}: {totals['symbols']} symbols, {totals['bars']:,} bars, "
                f"{totals['news']:,} news, {totals['calendar_events']:,} calendar events"
            )
        )
        for note in report.notes:
            err.print(Text.assemble(("note: ", "bold yellow"), note))


@app.command("status")
def status_command(
    db: DbOption = None,
    asof: AsofOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show each series' first and last bar, bar count, and whether it is current."""
    with _one_line_errors(READ_ONLY):
        store_path = db or default_db()
        # Any clock, future included: status says what would be stale then.
        now = _now() if asof is None else parse_asof(asof, None).clock
        with Store.open(store_path, read_only=True) as store:
            series = store.coverage()
            counts = store.counts()
            last_ingest = store.last_ingest()
        fresh = [freshness(s.symbol, s.last, now) for s in series]
        if as_json:
            _print_json(
                {
                    "store": str(store_path),
                    "asof": now.isoformat(),
                    "series": [
                        {
                            "symbol": s.symbol,
                            "calendar": f.calendar,
                            "first": s.first.isoformat(),
                            "last": s.last.isoformat(),
                            "bars": s.bars,
                            "current": f.current,
                            "expected_last": f.expected.isoformat(),
                            "sessions_behind": f.sessions_behind,
                        }
                        for s, f in zip(series, fresh, strict=True)
                    ],
                    "news": counts.news,
                    "calendar_events": counts.calendar_events,
                    "last_ingest": None if last_ingest is None else last_ingest.isoformat(),
                }
            )
            return
        expected = sorted({(f.calendar, f.expected) for f in fresh})
        table = Table(
            title=f"pulsewire store as of {now:%Y-%m-%d %H:%M} UTC",
            caption=Text(
                f"{store_path} · {counts.news:,} news · "
                f"{counts.calendar_events:,} calendar events · last ingest "
                + ("never" if last_ingest is None else f"{last_ingest:%Y-%m-%d %H:%M} UTC")
                + " · last complete session: "
                + ", ".join(f"{day} ({calendar})" for calendar, day in expected)
            ),
        )
        for header in ("Symbol", "Calendar", "First", "Last", "Bars", "Status"):
            table.add_column(header, justify="right" if header == "Bars" else "left", no_wrap=True)
        for s, f in zip(series, fresh, strict=True):
            state = (
                Text("current", style="green")
                if f.current
                else Text(f"stale, {f.sessions_behind} behind", style="yellow")
            )
            table.add_row(
                Text(s.symbol),
                f.calendar,
                s.first.isoformat(),
                s.last.isoformat(),
                f"{s.bars:,}",
                state,
            )
        out.print(table)
        stale = sum(not f.current for f in fresh)
        if stale:
            out.print(
                f"[yellow]{stale} of {len(series)} series are stale[/]: their last bar is older "
                "than the last complete session of their calendar."
            )


def _levels_table(analysis: SymbolAnalysis, around: int = 3) -> Table:
    levels = analysis.levels
    below = [level for level in levels.levels if level.supports(analysis.close)][-around:]
    above = [level for level in levels.levels if not level.supports(analysis.close)][:around]
    table = Table(title="Levels near the close (strongest zones of the last year)")
    for header in ("Price", "Zone", "Kind", "Touches", "Last touch", "Strength"):
        table.add_column(header, justify="left" if header in ("Kind", "Last touch") else "right")
    for level in reversed(below + above):
        table.add_row(
            show_price(level.price, analysis.close),
            f"{show_price(level.low, analysis.close)}-{show_price(level.high, analysis.close)}",
            str(level.kind),
            str(level.touches),
            level.last_touch.isoformat(),
            f"{level.strength:.0f}",
        )
    return table


@app.command("analyze")
def analyze_command(
    symbol: Annotated[str, typer.Argument(help="Symbol, e.g. IWM.")],
    db: DbOption = None,
    asof: AsofOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show what the analysis stage knows about a symbol at a close: levels, regime, scores."""
    with _one_line_errors(READ_ONLY):
        asked = _asked(asof)
        desk = Desk.open(db or default_db())
        universe, board = desk.universe, desk.board
        when = desk.within(asked, _now())
        symbol = _symbol(symbol)
        # What an edition would leave out (not stored, no bar, warming up), analyze cannot show.
        left_out = desk.sheets(when, [symbol]).left_out
        if left_out:
            raise nothing_to_write(when.day, left_out)
        # Judge freshness when asked (the day's evening by default), as a desk then would.
        analysis = universe.snapshot(symbol, closed_by(symbol, when.day, when.moment), when.clock)
        scores = board.at(symbol, analysis.as_of)
        if as_json:
            _print_json({**dataclasses.asdict(analysis), "scores": dataclasses.asdict(scores)})
            return
        figures = analysis.indicators
        out.print(
            Text.assemble(
                (f"{analysis.symbol} ", "bold"),
                f"close {show_price(analysis.close)} on {analysis.as_of} · regime ",
                (str(analysis.regime or "warming up"), "bold"),
                f" · RSI {figures['rsi_14']:.1f} · ADX {figures['adx_14']:.1f} · "
                f"20d vol {figures['realized_volatility_20']:.1%} "
                f"(pct {figures['volatility_percentile']:.0%}) · "
                f"vs SMA50 {figures['distance_sma_50']:+.1%} · "
                f"vs SMA200 {figures['distance_sma_200']:+.1%}",
            )
        )
        for score in (scores.pulse, scores.conviction, scores.risk, scores.threat):
            if score is not None:
                out.print(Text(score.explain()))
        for detail in (scores.record, scores.threat_reading):
            if detail is not None:
                out.print(Text(f"  {detail.explain()}"))
        out.print(_levels_table(analysis))
        if analysis.levels.range is not None:
            box = analysis.levels.range
            out.print(
                Text(
                    f"range {show_price(box.low, analysis.close)}-"
                    f"{show_price(box.high, analysis.close)} since {box.start} "
                    f"({box.bars} bars, "
                    f"{box.support_touches}/{box.resistance_touches} touches)"
                )
            )
        moves = ", ".join(
            f"{m.symbol} {m.change:+.2%}" for m in (analysis.day.move, *analysis.day.related)
        )
        out.print(Text(f"on the day: {moves}"))
        for result in analysis.calm_history:
            today = "holds today" if result.holds_at_as_of else "does not hold today"
            out.print(Text(f"after calm ({today}), {result.horizon} bars on: {result.reason}"))
        for finding in analysis.findings:
            if not isinstance(finding, Outlier):
                out.print(Text(f"data: {finding}", style="yellow"))


def _symbol(text: str) -> str:
    """Return a symbol as stored (upper case), or say why it cannot be one."""
    try:
        return check_symbol(text.strip().upper())
    except DataError as e:
        raise PulsewireError(f"symbol: {e.reason}", hint="e.g. IWM or BTC-USD") from e


def _symbol_list(text: str | None) -> list[str] | None:
    """Return the symbols of `--symbols` once each, in order (None: every stored one).

    Raises
    ------
    PulsewireError
        If the list names no symbol, or a name that cannot be a ticker.
    """
    if text is None:
        return None
    names = [_symbol(name) for name in text.split(",") if name.strip()]
    if not names:
        raise PulsewireError(
            f"--symbols: {text!r} names no symbol",
            hint="name some, e.g. --symbols IWM,SPY, or leave --symbols out to write every one",
        )
    repeated = [name for name, count in Counter(names).items() if count > 1]
    if repeated:
        err.print(
            Text.assemble(
                ("note: ", "bold yellow"),
                f"--symbols names {', '.join(repeated)} more than once: written once",
            )
        )
    return list(dict.fromkeys(names))


def _asked(asof: str | None) -> AsOf | None:
    """Return what `--asof` asks for, None for the default, before any store is read."""
    return None if asof is None else parse_asof(asof, _now())


def _sheets(
    desk: Desk, asked: AsOf | None, symbols: list[str] | None, progress: Progress | None
) -> tuple[AsOf, Sheets[FactSheet]]:
    """Return what `asof` asks for and the FactSheets of `symbols` (all stored) then.

    Raises
    ------
    PulsewireError
        If none of the symbols can be written by then: each is named with why.
    """
    when = desk.within(asked, _now())
    on_sheet = None
    if progress is not None:
        task = progress.add_task("writing", total=len(symbols or desk.panel.symbols), file="")

        def on_sheet(symbol: str) -> None:
            progress.update(task, advance=1, file=symbol)

    sheets = desk.sheets(when, symbols, on_sheet)
    if not sheets.written:
        raise nothing_to_write(when.day, sheets.left_out)
    return when, sheets


class Format(enum.StrEnum):
    """How `brief` prints an article."""

    TERMINAL = "terminal"
    MARKDOWN = "markdown"
    HTML = "html"
    JSON = "json"


@app.command("brief")
def brief_command(
    symbol: Annotated[str, typer.Argument(help="Symbol, e.g. IWM.")],
    db: DbOption = None,
    asof: AsofOption = None,
    output: Annotated[Format, typer.Option("--format", help="How to print it.")] = Format.TERMINAL,
) -> None:
    """Write one symbol's article at a close and print it: the trader's view."""
    with _one_line_errors(READ_ONLY):
        asked, chosen = _asked(asof), [_symbol(symbol)]
        desk = Desk.open(db or default_db())
        when, sheets = _sheets(desk, asked, chosen, None)
        edition = write_edition(sheets.written, _now())
        if not edition.articles:
            raise nothing_to_write(when.day, edition.left_out)
        article = edition.articles[0]
        if output is Format.TERMINAL:
            out.print(to_terminal(article))
        else:
            render = {Format.MARKDOWN: to_markdown, Format.HTML: to_html, Format.JSON: article_json}
            sys.stdout.write(render[output](article) + "\n")


PARTIAL_EXIT = 3
"""`write`'s exit code when the edition left out some of the symbols asked for."""


@app.command(
    "write",
    epilog=(
        f"Exit codes: 0 every symbol written; {PARTIAL_EXIT} the edition is partial (the "
        "symbols left out are listed, with why, and stored with the edition); 1 nothing "
        "written."
    ),
)
def write_command(
    db: DbOption = None,
    asof: AsofOption = None,
    symbols: Annotated[
        str | None,
        typer.Option(
            "--symbols",
            help=(
                "Comma-separated symbols to write or rewrite within the date's edition; "
                "its other articles are kept [default: all, replacing the whole edition]."
            ),
        ),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help=(
                "Also write the date's whole edition as HTML, Markdown and JSON into this "
                "folder, replacing what an earlier --out wrote there, all at once."
            ),
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Write an edition, audit every number, and store it with the files, all or nothing.

    The articles are computed, audited and rendered first and the files written to a
    folder beside --out; only then is that folder swapped in and the edition stored (the
    folder is swapped back if the store fails). An article whose numbers do not all
    trace to its data is left out and named; the rest is written.
    """
    with _one_line_errors(
        "the store and the --out folder each hold the edition they held before, or the "
        "whole new one"
    ):
        asked, chosen = _asked(asof), _symbol_list(symbols)
        if out_dir is not None:
            check_target(out_dir)
        desk = Desk.open(db or default_db())
        with _progress(transient=as_json) as progress:
            sheets = _sheets(desk, asked, chosen, progress)[1]
        written = desk.write(sheets, _now(), symbols=chosen, out=out_dir)
        _print_edition(written, out_dir, as_json)
        if written.edition.left_out:
            raise typer.Exit(PARTIAL_EXIT)


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _print_edition(written: Written, out_dir: Path | None, as_json: bool) -> None:
    """Print what `write` wrote, what it kept of the stored edition, and what it left out."""
    edition, kept, kept_out = written.edition, written.kept, written.kept_out
    if as_json:
        _print_json(
            {
                "as_of": edition.as_of,
                "articles": [
                    {"slug": a.slug, "title": a.title, "sentiment": a.sentiment}
                    for a in edition.articles
                ],
                "kept": [a.slug for _, a in kept],
                "left_out": [dataclasses.asdict(s) for s in edition.left_out],
                "partial": bool(edition.left_out),
            }
        )
        return
    rows = [
        (a.symbol, a.title, *(b.display if b.name != "Risk" else b.label for b in a.scores))
        for a in edition.articles
    ]
    columns = ("symbol", "title", "Pulse", "Conviction", "Risk", "Threat")
    title = f"Edition of {edition.as_of}: {_count(len(rows), 'article')}"
    if kept:
        title += f" written, {len(kept):,} kept as stored"
    out.print(_table(title, columns, rows))
    if edition.left_out:
        out.print(
            _table(
                f"Left out: {_count(len(edition.left_out), 'symbol')} (the edition is partial)",
                ("symbol", "reason", "first bar", "bars by then"),
                [
                    (
                        s.symbol,
                        str(s.reason) + (f": {s.detail}" if s.detail else ""),
                        "-" if s.first_bar is None else s.first_bar.isoformat(),
                        f"{s.bars:,}",
                    )
                    for s in edition.left_out
                ],
            )
        )
    if kept_out:
        out.print(Text(f"still left out of the stored edition: {', '.join(map(str, kept_out))}"))
    if out_dir is not None:
        out.print(Text(f"wrote the edition's HTML, Markdown and JSON to {out_dir}"))


@app.command("calibrate")
def calibrate_command(
    db: DbOption = None,
    out_path: Annotated[
        Path, typer.Option("--out", help="Markdown report; its data goes beside it as .json.")
    ] = Path("CALIBRATION.md"),
) -> None:
    """Check Threat's calibration and Pulse's labels against the stored history."""
    with _one_line_errors(f"{out_path} and its .json are as they were"):
        calibration = report.calibration_report(Desk.open(db or default_db()).board)
        command = "pulsewire calibrate" + (
            "" if out_path == Path("CALIBRATION.md") else f" --out {out_path}"
        )
        data = report.to_json(calibration)
        replace_file(out_path.with_suffix(".json"), json.dumps(data, indent=2) + "\n")
        replace_file(out_path, report.to_markdown(calibration, command))
        for row in calibration.threat:
            out.print(
                f"threat {row.level}: predicted {row.predicted:.1%}, "
                f"observed {row.observed:.1%}, n={row.cases:,}"
            )
        out.print(Text(f"wrote {out_path} and {out_path.with_suffix('.json')}"))


@app.command("scorecard")
def scorecard_command(
    db: DbOption = None,
    replay: Annotated[
        bool,
        typer.Option(
            "--replay",
            help="First record the calls the desk would have made over the stored history.",
        ),
    ] = False,
    every: Annotated[
        int, typer.Option("--every", min=1, help="With --replay: one call per N bars.")
    ] = 5,
    since: Annotated[
        str | None,
        typer.Option("--since", help="With --replay: first date, YYYY-MM-DD [default: all]."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Grade every stored call against what prices did next, and print the record."""
    with _one_line_errors("the store holds the calls and grades it held before"):
        desk = Desk.open(db or default_db())
        universe, board = desk.universe, desk.board
        with Store.open(db or default_db()) as store:
            if replay:
                first = as_date(board.panel.dates[0])
                start = first if since is None else parse_asof(since, _now(), "--since").day
                rows = list(replay_rows(board, every, max(start, first)))
                if not rows:
                    raise PulsewireError(
                        f"--since {since}: no scored bar to replay from then on",
                        hint="pick an earlier --since, or leave it out to replay everything",
                    )
                calls = []
                with _progress(transient=as_json) as progress:
                    task = progress.add_task("replaying calls", total=len(rows), file="")
                    for symbol, row in rows:
                        calls.append(call_at(universe, board, symbol, row))
                        progress.update(task, advance=1, file=symbol)
                store.write_calls(calls_frame(calls), replace_origin=True)
            stored = store.table("calls")
            if stored.is_empty():
                raise PulsewireError(
                    "no calls to grade yet",
                    hint="write an edition (pulsewire write) or run pulsewire scorecard --replay",
                )
            grades = grade_calls(stored, board.panel, board.sharp_moves)
            store.write_grades(grades)
        card = scorecard(stored, grades)
        if as_json:
            _print_json(dataclasses.asdict(card) | {"brier_skill": card.brier_skill})
            return
        _print_scorecard(card)


def _table(title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> Table:
    """Return a table whose first column names the row and the others are right-aligned."""
    table = Table(title=title, title_justify="left")
    for index, name in enumerate(columns):
        table.add_column(name, justify="right" if index else "left")
    for row in rows:
        table.add_row(*row)
    return table


def _print_scorecard(card: Scorecard) -> None:
    out.print(Text(f"{card.calls:,} calls from {card.first} to {card.last}", style="bold"))
    directions = [
        (
            r.label,
            f"{r.calls:,}",
            f"{r.hits:,}",
            f"{r.rate:.1%}",
            f"{r.low:.1%}-{r.high:.1%}",
            f"{r.up_share:.1%}",
        )
        for r in card.direction
    ]
    columns = ("call", "graded", "hits", "hit rate", "95% interval", "share of rises")
    out.print(_table(f"Direction over {HORIZON} bars", columns, directions))
    out.print(
        Text(
            f"Threat: Brier {card.brier:.4f} on {card.threat_cases:,} calls, against "
            f"{card.brier_climatology:.4f} for always forecasting their average "
            f"(skill {card.brier_skill:+.1%})"
        )
    )
    levels = [
        (
            side.side,
            f"{side.named:,}",
            *(f"{getattr(side, outcome):,}" for outcome in OUTCOMES),
            f"{side.held_share:.1%}",
        )
        for side in card.levels
    ]
    out.print(
        _table(
            f"Named levels within {LEVEL_BARS} bars",
            ("level", "named", *OUTCOMES, "held when tested"),
            levels,
        )
    )


def main() -> None:
    """Entry point of the `pulsewire` console script."""
    app()
