"""Render an `Article` as JSON, Markdown, a standalone HTML page or a rich terminal layout.

Every string of an Article is outside text: headlines, snippets and URLs come from news
feeds, and the prose may quote them. So each renderer escapes every string for its
format (Jinja2 autoescape, Markdown and HTML escapes, `rich.text.Text` and never markup),
and a URL becomes a link only when its scheme is http or https. Before escaping, every
string goes through `clean_text`: no terminal escape sequence, control character or bidi
override reaches a page or a terminal, whatever the article was built from.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any, Final, Literal
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.style import Style
from rich.table import Table
from rich.text import Text

from pulsewire.article.model import Article, RelatedRef, ScoreBadge, SourceRef
from pulsewire.model.text import clean_text

__all__ = ["article_json", "article_schema", "to_html", "to_markdown", "to_terminal"]

_JSON_SCHEMA_DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"

_Tone = Literal["green", "amber", "red", "grey"]
"""A badge's colour: good, watch, bad, or no signal."""

_LABEL_TONES: Final[dict[str, dict[str, _Tone]]] = {
    "Pulse": {"Bullish": "green", "Neutral": "amber", "Bearish": "red"},
    "Conviction": {"High": "green", "Moderate": "amber", "Low": "grey"},
    "Risk": {"Low": "green", "Medium": "amber", "High": "red"},
}
_TERMINAL_TONES: Final[dict[_Tone, str]] = {
    "green": "bold green",
    "amber": "bold yellow",
    "red": "bold red",
    "grey": "bold bright_black",
}
_LINK_SCHEMES: Final = frozenset({"http", "https"})
# Reserved characters a URL keeps as they are; anything else that could end an HTML
# attribute or a Markdown link destination (quotes, parentheses, <, >, spaces) is
# percent-encoded.
_URL_SAFE: Final = "!#$%&'*+,/:;=?@[]~"
# What can turn text into markup anywhere on a line: emphasis, code, links and images
# (their brackets), raw HTML and autolinks, strikethrough, and an entity reference. A
# backslash shows each literally; everything else, "(", "+", "#" or a bare "&", is text.
_MD_SPECIAL: Final = re.compile(r"[\\`*_\[\]<>~]|&(?=#?\w+;)")
# At the start of a line, "1." or "1)" then a space opens a numbered list, and "-", "+",
# "=" or "#" then a space (or a run of them) a list, a rule or a heading.
_MD_NUMBERED: Final = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_MD_MARKER: Final = re.compile(r"^([-+=#])(?=[\s\-=#]|$)")
_EXTERNAL_REL: Final = "noopener noreferrer nofollow"


def _finalize(value: object) -> object:
    """Clean every string a template prints; Jinja2 escapes it next."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return clean_text(value)
    return value


_ENV: Final = Environment(
    loader=PackageLoader("pulsewire.article", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    finalize=_finalize,
)


def article_json(article: Article) -> str:
    """Return `article` as indented JSON, fields in model order, ending with a newline.

    Parameters
    ----------
    article
        The article to serialise.

    Returns
    -------
    str
        JSON that `Article.model_validate_json` reads back into an equal article.
    """
    return article.model_dump_json(indent=2) + "\n"


def article_schema() -> dict[str, Any]:
    """Return the JSON schema of `Article`, the contract of `article_json`'s output.

    Returns
    -------
    dict
        `Article.model_json_schema()` with its `$schema` dialect named.
    """
    return {"$schema": _JSON_SCHEMA_DIALECT, **Article.model_json_schema()}


def to_markdown(article: Article) -> str:
    """Return `article` as CommonMark, every outside string escaped to show literally.

    Only http(s) source URLs become links, so a hostile feed cannot plant HTML, an
    image or a `javascript:` link in a page built from this text.

    Parameters
    ----------
    article
        The article to render.

    Returns
    -------
    str
        One heading per section, in reading order, ending with a newline.
    """
    blocks = [f"# {_md(article.title)}"]
    if article.dek:
        blocks.append(f"*{_md(article.dek)}*")
    blocks.append(
        f"**{_md(article.symbol)}** · {_md(article.category)} · **{article.sentiment}** · "
        f"{_md(_meta_line(article))}"
    )
    if article.stale:
        blocks.append(f"> **Stale data.** {_md(_stale_notice(article))}")
    blocks.append(_md_section("Scores", ["\n".join(_md_badge(badge) for badge in article.scores)]))
    blocks.append(
        _md_section(
            "Analysis",
            [
                f"> **{article.sentiment}.** {_md(article.summary)}",
                *(_md(paragraph) for paragraph in article.body),
            ],
        )
    )
    blocks.append(_md_section("Watch", [_md(paragraph) for paragraph in article.watch]))
    for title, items in (
        ("Catalysts", article.catalysts),
        ("Risks", article.risks),
        ("Opportunities", article.opportunities),
    ):
        blocks.append(_md_section(title, [_md_bullets(items)]))
    blocks.append(_md_section("Take", [f"> {_md(article.take)}"]))
    blocks.append(
        _md_section(
            f"Sources ({len(article.sources)})",
            ["\n".join(_md_source(source) for source in article.sources)],
        )
    )
    blocks.append(_md_section("Tags", [" · ".join(f"#{_md(tag)}" for tag in article.tags)]))
    related = (
        f"- **{_md(ref.symbol)}** · {_md(ref.title)}: {_md(ref.reason)}" for ref in article.related
    )
    blocks.append(_md_section("Related articles", ["\n".join(related)]))
    return "\n\n".join(block for block in blocks if block) + "\n"


def to_html(article: Article, *, related_href: Callable[[RelatedRef], str] | None = None) -> str:
    """Return `article` as a standalone HTML page: inline CSS, no external resources.

    Parameters
    ----------
    article
        The article to render.
    related_href
        Where a related article lives, e.g. ``lambda ref: f"{ref.slug}.html"``. Its
        result is linked only when it is relative or http(s). Without it, related
        articles are listed without links.

    Returns
    -------
    str
        An HTML5 document, every outside string escaped by Jinja2's autoescape.
    """

    def related_link(ref: RelatedRef) -> str | None:
        return None if related_href is None else _href(related_href(ref), relative=True)

    return _ENV.get_template("article.html.j2").render(
        article=article,
        stale_notice=_stale_notice(article),
        sentiment_tone=_LABEL_TONES["Pulse"][article.sentiment],
        badge_tone=_tone,
        badge_caption=_caption,
        source_link=_href,
        related_link=related_link,
        external_rel=_EXTERNAL_REL,
        day=_day,
        utc=_utc,
        back_dated=_back_dated,
        working=_working,
    )


def to_terminal(article: Article) -> RenderableType:
    """Return `article` as a rich layout for a trader's terminal, levels first.

    Built from `rich.text.Text` only, so brackets in outside text stay brackets, and
    escape sequences and control characters (an ESC in a headline) are dropped whole.

    Parameters
    ----------
    article
        The article to render.

    Returns
    -------
    RenderableType
        A `Group`: masthead, stale banner, badges, summary, Watch, story, catalysts,
        risks, opportunities, take, sources, tags and related articles.
    """
    sentiment_style = _TERMINAL_TONES[_LABEL_TONES["Pulse"][article.sentiment]]
    masthead = Group(
        Text.assemble(
            (_plain(article.symbol), "bold"),
            " · ",
            _plain(article.category),
            " · ",
            (article.sentiment, sentiment_style),
        ),
        Text(_plain(article.title), style="bold"),
        *([Text(_plain(article.dek), style="italic")] if article.dek else []),
        Text(_meta_line(article), style="dim"),
    )
    parts: list[RenderableType] = [Panel(masthead, border_style=sentiment_style)]
    if article.stale:
        parts.append(
            Panel(
                Text(_stale_notice(article), style="bold yellow"),
                title=Text("STALE DATA", style="bold red"),
                border_style="red",
            )
        )
    parts.append(_score_grid(article.scores))
    parts.append(
        Panel(
            Text.assemble((article.sentiment, sentiment_style), "  ", _plain(article.summary)),
            title=Text("Analysis", style="bold"),
            title_align="left",
        )
    )
    for title, paragraphs in (("Watch", article.watch), ("Story", article.body)):
        if paragraphs:
            parts += _terminal_section(title, [_paragraphs(paragraphs)])
    for title, items, bullet_style in (
        ("Catalysts", article.catalysts, "cyan"),
        ("Risks", article.risks, "red"),
        ("Opportunities", article.opportunities, "green"),
    ):
        if items:
            parts += _terminal_section(title, [_bullets(items, bullet_style)])
    parts.append(
        Panel(Text(_plain(article.take)), title=Text("Take", style="bold"), title_align="left")
    )
    if article.sources:
        parts += _terminal_section(f"Sources ({len(article.sources)})", [_source_grid(article)])
    if article.tags:
        tags = Text("  ").join(Text("#" + _plain(tag), style="cyan") for tag in article.tags)
        parts += _terminal_section("Tags", [tags])
    if article.related:
        parts += _terminal_section("Related articles", [_related_grid(article.related)])
    return Group(*parts)


def _tone(badge: ScoreBadge) -> _Tone:
    if badge.name == "Threat":
        # Threat's label is its display ("3/5"); level 0 means no calibration.
        if badge.value < 1:
            return "grey"
        return "green" if badge.value <= 2 else "amber" if badge.value <= 3 else "red"
    return _LABEL_TONES[badge.name].get(badge.label, "grey")


def _caption(badge: ScoreBadge) -> str | None:
    """Return the label when it adds to the display: "Neutral" for "54/100", not "Medium"."""
    return None if badge.label == badge.display else badge.label


def _href(url: str, *, relative: bool = False) -> str | None:
    """Return `url` fit for an href: absolute http(s), or relative when allowed; else None."""
    try:
        parts = urlsplit(clean_text(url))  # and urlsplit strips what a browser would ignore
    except ValueError:
        return None
    linkable = parts.scheme in _LINK_SCHEMES and bool(parts.netloc)
    if not (linkable or (relative and not parts.scheme)):
        return None
    return quote(parts.geturl(), safe=_URL_SAFE)


def _utc(moment: dt.datetime) -> dt.datetime:
    # The model does not require an aware time; the desk writes every timestamp in UTC.
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _day(day: dt.date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def _back_dated(article: Article) -> bool:
    """Whether the article was written after the evening of its close: a replay or a fix.

    Such an article says so ("Written ... for the close of ..."), so that a reader never
    takes it for the day's live piece.
    """
    return _utc(article.published).date() > article.data_as_of + dt.timedelta(days=1)


def _dateline(article: Article) -> str:
    written, close = _utc(article.published), article.data_as_of.isoformat()
    if _back_dated(article):
        return f"Written {written:%Y-%m-%d %H:%M} UTC for the close of {close}"
    return f"Published {written:%Y-%m-%d %H:%M} UTC · data as of {close}"


def _meta_line(article: Article) -> str:
    return f"{_dateline(article)} · {article.reading_minutes} min read"


def _stale_notice(article: Article) -> str:
    return (
        f"The last bar is from {article.data_as_of.isoformat()}, before the date asked for: "
        "levels and scores may be out of date."
    )


def _md(text: str) -> str:
    """Return `text` on one line, escaped only where Markdown would read it as markup."""
    escaped = _MD_SPECIAL.sub(lambda found: "\\" + found.group(), clean_text(text))
    return _MD_MARKER.sub(r"\\\1", _MD_NUMBERED.sub(r"\1\\\2", escaped))


def _md_section(title: str, blocks: Iterable[str]) -> str:
    body = [block for block in blocks if block]
    return "\n\n".join([f"## {title}", *body]) if body else ""


def _md_bullets(items: Iterable[str]) -> str:
    return "\n".join(f"- {_md(item)}" for item in items)


def _working(badge: ScoreBadge) -> str:
    """A score's working without the name and label its badge already shows.

    "Pulse 78.1 (Bullish) = 50 + trend 7.6..." beside "Pulse 78/100 (Bullish)" reads
    as the line repeating itself; the working keeps the exact value: "78.1 = 50 + ...".
    """
    text = badge.explanation.removeprefix(f"{badge.name} ")
    return text.replace(f" ({badge.label}) = ", " = ", 1)


def _md_badge(badge: ScoreBadge) -> str:
    caption = _caption(badge)
    label = f" ({_md(caption)})" if caption else ""
    return f"- **{badge.name}** {_md(badge.display)}{label}: {_md(_working(badge))}"


def _md_source(source: SourceRef) -> str:
    href = _href(source.url)
    title = f"[{_md(source.title)}]({href})" if href else _md(source.title)
    when = _day(_utc(source.published).date())
    snippet = f": {_md(source.snippet)}" if clean_text(source.snippet) else ""
    return f"- {title} ({_md(source.domain)} · {when}){snippet}"


def _plain(text: str) -> str:
    return clean_text(text)


def _terminal_section(title: str, renderables: list[RenderableType]) -> list[RenderableType]:
    return [Text(), Rule(Text(title, style="bold"), align="left"), *renderables]


def _paragraphs(paragraphs: Iterable[str]) -> Text:
    return Text("\n\n").join(Text(_plain(paragraph)) for paragraph in paragraphs)


def _bullets(items: Iterable[str], style: str) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=1)
    grid.add_column(ratio=1)
    for item in items:
        grid.add_row(Text("•", style=style), Text(_plain(item)))
    return grid


def _score_grid(scores: Iterable[ScoreBadge]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, justify="right")
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    for badge in scores:
        style = _TERMINAL_TONES[_tone(badge)]
        grid.add_row(
            Text(badge.name, style="bold"),
            Text(_plain(badge.display), style=style),
            Text(_plain(_caption(badge) or ""), style=style),
            Text(_plain(_working(badge)), style="dim"),
        )
    return grid


def _source_grid(article: Article) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, justify="right")
    grid.add_column(ratio=1)
    for number, source in enumerate(article.sources, start=1):
        when = _day(_utc(source.published).date())
        grid.add_row(
            Text(f"{number}.", style="dim"),
            Group(
                Text(_plain(source.title), style=Style(bold=True, link=_href(source.url))),
                *([Text(_plain(source.snippet))] if _plain(source.snippet) else []),
                Text(f"{_plain(source.domain)} · {when}", style="dim italic"),
            ),
        )
    return grid


def _related_grid(related: Iterable[RelatedRef]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    for ref in related:
        grid.add_row(
            Text(_plain(ref.symbol), style="bold"),
            Group(Text(_plain(ref.title)), Text(_plain(ref.reason), style="dim")),
        )
    return grid
