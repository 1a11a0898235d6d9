"""The renderers: every section in every format, in order, and outside text kept inert."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from pydantic import ValidationError
from rich.console import Console

from pulsewire.article.model import Article, RelatedRef, ScoreBadge, SourceRef
from pulsewire.article.render import (
    _md,
    article_json,
    article_schema,
    to_html,
    to_markdown,
    to_terminal,
)
from pulsewire.model import clean_text

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "article.schema.json"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
MARKUP = "[bold red]boom[/]"


def _iwm() -> Article:
    return Article(
        slug="iwm-2026-02-02",
        symbol="IWM",
        title="Small caps hold a narrow shelf above 258 while the range tightens",
        dek="IWM closed at 262.18, between support at 258.20 and resistance at 271.60.",
        category="Stocks",
        tags=("russell-2000", "small-caps", "range"),
        sentiment="Neutral",
        scores=(
            ScoreBadge(
                name="Pulse",
                value=54.0,
                label="Neutral",
                display="54/100",
                explanation="Trend and momentum roughly cancel; RSI sits near 52.",
            ),
            ScoreBadge(
                name="Conviction",
                value=48.0,
                label="Moderate",
                display="48/100",
                explanation="About half of the signals point the same way.",
            ),
            ScoreBadge(
                name="Risk",
                value=55.0,
                label="Medium",
                display="Medium",
                explanation="Volatility is near its yearly median; payrolls are 3 days out.",
            ),
            ScoreBadge(
                name="Threat",
                value=3.0,
                label="3/5",
                display="3/5",
                explanation="Realised volatility is in the calmer third of its year.",
            ),
        ),
        summary="Pulse 54/100: range-bound between 258.20 and 271.60, Threat 3/5.",
        body=(
            "IWM finished the session at 262.18, little changed on the day.",
            "The fund has spent eleven sessions between 258.20 and 271.60.",
        ),
        watch=(
            "Support at 258.20 has held on four tests since January.",
            "A daily close above 271.60 would break the range to the upside.",
        ),
        catalysts=("The January payrolls report is due on 2026-02-06.",),
        risks=("A close below 258.20 would open the way to the 50-day average.",),
        opportunities=("Buying near 258.20 with a stop under the zone keeps the risk small.",),
        take="The range holds until a close says otherwise; 258.20 and 271.60 decide it.",
        sources=(
            SourceRef(
                title="Stocks open February higher as yields ease",
                snippet="US indexes edged up at the open on Monday as Treasury yields slipped.",
                domain="reuters.com",
                url="https://www.reuters.com/markets/us/stocks-open-february-2026-02-02/",
                published=dt.datetime(2026, 2, 2, 15, 10, tzinfo=dt.UTC),
            ),
            SourceRef(
                title="Fed's Bostic sees no rush to cut rates",
                snippet="The Atlanta Fed president said policy is near neutral.",
                domain="bloomberg.com",
                url="https://www.bloomberg.com/news/articles/2026-02-02/bostic-no-rush",
                published=dt.datetime(2026, 2, 2, 13, 0, tzinfo=dt.UTC),
            ),
            SourceRef(
                title="Jobs report delayed by the partial shutdown",
                snippet="The January report had been scheduled for Friday.",
                domain="nytimes.com",
                url="https://www.nytimes.com/2026/02/01/business/jobs-report-delay.html",
                published=dt.datetime(2026, 2, 1, 22, 30, tzinfo=dt.UTC),
            ),
        ),
        related=(
            RelatedRef(
                symbol="SPY",
                title="SPY presses toward its record",
                slug="spy-2026-02-02",
                reason="Large caps lead while small caps stall.",
            ),
        ),
        reading_minutes=4,
        published=dt.datetime(2026, 2, 2, 21, 45, tzinfo=dt.UTC),
        data_as_of=dt.date(2026, 2, 2),
        stale=False,
    )


@pytest.fixture
def iwm() -> Article:
    return _iwm()


@pytest.fixture
def hostile() -> Article:
    source = SourceRef(
        title=f"{SCRIPT} {IMG}",
        snippet="Shares &amp; bonds &lt;b&gt;fell&lt;/b&gt; [x](javascript:alert(1))",
        domain="evil.example",
        url="javascript:alert(1)",
        published=dt.datetime(2026, 2, 2, 12, 0, tzinfo=dt.UTC),
    )
    return _iwm().model_copy(
        update={
            "title": f"{SCRIPT} {IMG}",
            "tags": (MARKUP, "# heading"),
            "sources": (source, *_iwm().sources),
            "body": (f"[x](javascript:alert(1)) {IMG}", "1. not a list"),
        }
    )


class _Page(HTMLParser):
    """Every start tag with its attributes, and the text a reader sees."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _page(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def _markdown_page(article: Article) -> _Page:
    # Raw HTML on, as the most permissive Markdown site would have it.
    return _page(MarkdownIt("commonmark", {"html": True}).render(to_markdown(article)))


def _terminal_text(article: Article) -> str:
    console = Console(record=True, width=100, file=io.StringIO())
    console.print(to_terminal(article))
    return console.export_text()


def _in_order(text: str, markers: list[str]) -> None:
    positions = [text.index(marker) for marker in markers]
    assert positions == sorted(positions), list(zip(markers, positions, strict=True))


def test_markdown_has_every_section_in_reading_order(iwm: Article) -> None:
    markdown = to_markdown(iwm)
    _in_order(
        markdown,
        [
            "# Small caps hold",
            "*IWM closed at 262",
            "Published 2026",
            "## Scores",
            "- **Pulse** 54/100 (Neutral): Trend",
            "- **Risk** Medium: Volatility",
            "- **Threat** 3/5: Realised",
            "## Analysis",
            "> **Neutral.** Pulse 54/100",
            "IWM finished the session",
            "## Watch",
            "Support at 258",
            "## Catalysts",
            "## Risks",
            "## Opportunities",
            "## Take",
            "## Sources (3)",
            "- [Stocks open February higher as yields ease](https://www.reuters.com/",
            "(reuters.com · Feb 2, 2026)",
            "## Tags",
            "#russell-2000",
            "## Related articles",
            "- **SPY** · SPY presses toward its record",
        ],
    )
    assert markdown.endswith("\n") and not markdown.endswith("\n\n")
    assert "Stale" not in markdown


def test_markdown_parses_to_one_title_and_a_heading_per_section(iwm: Article) -> None:
    tokens = MarkdownIt("commonmark").parse(to_markdown(iwm))
    headings = [
        (token.tag, tokens[index + 1].content)
        for index, token in enumerate(tokens)
        if token.type == "heading_open"
    ]
    assert headings == [
        ("h1", iwm.title),
        ("h2", "Scores"),
        ("h2", "Analysis"),
        ("h2", "Watch"),
        ("h2", "Catalysts"),
        ("h2", "Risks"),
        ("h2", "Opportunities"),
        ("h2", "Take"),
        ("h2", "Sources (3)"),
        ("h2", "Tags"),
        ("h2", "Related articles"),
    ]
    links = [attrs["href"] for tag, attrs in _markdown_page(iwm).tags if tag == "a"]
    assert links == [source.url for source in iwm.sources]


def test_html_has_every_section_in_reading_order(iwm: Article) -> None:
    html = to_html(iwm)
    assert html.startswith('<!doctype html>\n<html lang="en">')
    assert '<meta charset="utf-8">' in html
    assert 'name="viewport"' in html
    assert "prefers-color-scheme: dark" in html
    _in_order(
        html,
        [
            "<title>Small caps hold",
            '<span class="symbol">IWM</span>',
            "<h1>Small caps hold",
            "4 min read",
            'data as of <time datetime="2026-02-02">2026-02-02</time>',
            '<span class="score-value">54/100</span>',
            '<span class="score-value">3/5</span>',
            "<h2>Analysis</h2>",
            "<p>IWM finished the session",
            "<h2>Watch</h2>",
            "<h2>Catalysts</h2>",
            "<h2>Risks</h2>",
            "<h2>Opportunities</h2>",
            "<h2>Take</h2>",
            "<h2>Sources (3)</h2>",
            "reuters.com · <time",
            "<li>#russell-2000</li>",
            "<h2>Related articles</h2>",
        ],
    )
    assert 'class="stale"' not in html


def test_html_has_no_external_resources(iwm: Article) -> None:
    page = _page(to_html(iwm))
    assert not [tag for tag, attrs in page.tags if "src" in attrs or tag == "link"]
    assert "url(" not in to_html(iwm)


def test_html_links_sources_with_rel_and_related_only_when_asked(iwm: Article) -> None:
    page = _page(to_html(iwm))
    links = [attrs for tag, attrs in page.tags if tag == "a"]
    assert [link["href"] for link in links] == [source.url for source in iwm.sources]
    assert all(link["rel"] == "noopener noreferrer nofollow" for link in links)

    linked = _page(to_html(iwm, related_href=lambda ref: f"{ref.slug}.html"))
    assert [attrs["href"] for tag, attrs in linked.tags if tag == "a"][-1] == "spy-2026-02-02.html"


def test_html_related_href_with_a_script_scheme_is_not_linked(iwm: Article) -> None:
    html = to_html(iwm, related_href=lambda ref: f"javascript:alert('{ref.slug}')")
    hrefs = [attrs["href"] for tag, attrs in _page(html).tags if tag == "a"]
    assert len(hrefs) == len(iwm.sources)
    assert "SPY presses toward its record" in html


def test_terminal_puts_watch_before_the_story(iwm: Article) -> None:
    text = _terminal_text(iwm)
    _in_order(
        text,
        [
            "IWM · Stocks · Neutral",
            "Small caps hold a narrow shelf",
            "Published 2026-02-02 21:45 UTC · data as of 2026-02-02 · 4 min read",
            "Pulse",
            "54/100",
            "Threat",
            "Analysis",
            "Pulse 54/100: range-bound",
            "Watch",
            "Support at 258.20",
            "Story",
            "IWM finished the session",
            "Catalysts",
            "Risks",
            "Opportunities",
            "Take",
            "Sources (3)",
            "Stocks open February higher",
            "reuters.com · Feb 2, 2026",
            "nytimes.com · Feb 1, 2026",
            "Tags",
            "#russell-2000",
            "Related articles",
            "SPY",
        ],
    )
    assert "STALE" not in text


@pytest.mark.parametrize("render", [to_markdown, to_html, _terminal_text])
def test_empty_sections_are_left_out(iwm: Article, render: Callable[[Article], str]) -> None:
    empty = ("watch", "catalysts", "risks", "opportunities", "sources", "tags", "related")
    text = render(iwm.model_copy(update=dict.fromkeys(empty, ())))
    for heading in ("Watch", "Catalysts", "Risks", "Opportunities", "Sources", "Tags", "Related"):
        assert heading not in text
    assert "Take" in text and iwm.take in text


@pytest.mark.parametrize("render", [to_markdown, to_html, _terminal_text])
def test_stale_article_shows_a_banner_in_every_format(
    iwm: Article, render: Callable[[Article], str]
) -> None:
    stale = iwm.model_copy(update={"stale": True})
    notice = "The last bar is from 2026-02-02, before the date asked for"
    assert notice in render(stale)
    assert notice not in render(iwm)


def test_html_stale_banner_is_an_alert(iwm: Article) -> None:
    page = _page(to_html(iwm.model_copy(update={"stale": True})))
    assert ("div", {"class": "stale", "role": "alert"}) in page.tags


def test_html_with_hostile_text_has_no_script_handler_or_bad_link(hostile: Article) -> None:
    page = _page(to_html(hostile))
    assert not [tag for tag, _ in page.tags if tag in {"script", "img", "iframe"}]
    assert not [name for _, attrs in page.tags for name in attrs if name.startswith("on")]
    hrefs = [attrs.get("href") for _, attrs in page.tags if "href" in attrs]
    assert hrefs and all(str(href).startswith(("https://", "http://")) for href in hrefs)
    text = "".join(page.text)
    assert f"{SCRIPT} {IMG}" in text
    assert "Shares &amp; bonds &lt;b&gt;fell&lt;/b&gt;" in text
    assert f"#{MARKUP}" in text


def test_html_shows_an_unlinkable_source_title_as_text(hostile: Article) -> None:
    html = to_html(hostile)
    assert "javascript:" not in html.replace("[x](javascript:alert(1))", "")
    assert '<span class="source-title">&lt;script&gt;' in html


def test_markdown_with_hostile_text_makes_no_html_or_link(hostile: Article) -> None:
    markdown = to_markdown(hostile)
    # Every "<" and "]" of outside text is escaped, so none opens a tag or a link.
    assert not re.search(r"(?<!\\)<(?:script|img)", markdown)
    assert not re.search(r"(?<!\\)\]\(javascript:", markdown)
    page = _markdown_page(hostile)
    assert not [tag for tag, _ in page.tags if tag in {"script", "img", "ol", "h3"}]
    assert not [name for _, attrs in page.tags for name in attrs if name.startswith("on")]
    hrefs = [attrs.get("href") for _, attrs in page.tags if "href" in attrs]
    assert len(hrefs) == len(hostile.sources) - 1
    assert all(str(href).startswith("https://") for href in hrefs)
    text = "".join(page.text)
    assert f"{SCRIPT} {IMG}" in text
    assert "Shares &amp; bonds &lt;b&gt;fell&lt;/b&gt; [x](javascript:alert(1))" in text
    assert f"[x](javascript:alert(1)) {IMG}" in text
    assert "1. not a list" in text
    assert f"#{MARKUP} · ## heading" in text


@pytest.mark.parametrize(
    "url",
    [
        " javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "https:javascript:alert(1)",
        "//evil.example/x",
        "http://[::1",
        "\x01javascript:alert(1)",
        "java\x00script:alert(1)",
        "\u202ejavascript:alert(1)",
        "\x1b]8;;https://x.example\x07javascript:alert(1)",
    ],
)
def test_source_url_that_is_not_absolute_http_is_not_linked(iwm: Article, url: str) -> None:
    source = iwm.sources[0].model_copy(update={"url": url})
    article = iwm.model_copy(update={"sources": (source,)})
    assert not [tag for tag, _ in _page(to_html(article)).tags if tag == "a"]
    assert not [tag for tag, _ in _markdown_page(article).tags if tag == "a"]


def test_quotes_and_brackets_in_a_url_cannot_leave_the_link(iwm: Article) -> None:
    url = 'https://x.example/a"onmouseover="alert(1)<b>(c) d'
    source = iwm.sources[0].model_copy(update={"url": url})
    article = iwm.model_copy(update={"sources": (source,)})
    for page in (_page(to_html(article)), _markdown_page(article)):
        links = [attrs for tag, attrs in page.tags if tag == "a"]
        assert links == [links[0]] and set(links[0]) <= {"href", "rel", "class"}
        assert (
            links[0]["href"]
            == "https://x.example/a%22onmouseover=%22alert%281%29%3Cb%3E%28c%29%20d"
        )


@pytest.mark.parametrize(
    ("name", "value", "label", "display", "tone"),
    [
        ("Pulse", 71.0, "Bullish", "71/100", "green"),
        ("Pulse", 28.0, "Bearish", "28/100", "red"),
        ("Conviction", 22.0, "Low", "22/100", "grey"),
        ("Risk", 81.0, "High", "High", "red"),
        ("Risk", 12.0, "Low", "Low", "green"),
        ("Threat", 5.0, "5/5", "5/5", "red"),
        ("Threat", 1.0, "1/5", "1/5", "green"),
        ("Threat", 0.0, "0/5", "0/5", "grey"),
    ],
)
def test_badge_colour_follows_its_label(
    iwm: Article, name: str, value: float, label: str, display: str, tone: str
) -> None:
    badge = ScoreBadge.model_validate(
        {"name": name, "value": value, "label": label, "display": display, "explanation": "x"}
    )
    html = to_html(iwm.model_copy(update={"scores": (badge,)}))
    assert f'<div class="score tone-{tone}">' in html


def test_times_are_shown_in_utc(iwm: Article) -> None:
    karachi = dt.timezone(dt.timedelta(hours=5))
    source = iwm.sources[0].model_copy(
        update={"published": dt.datetime(2026, 2, 3, 2, 0, tzinfo=karachi)}
    )
    article = iwm.model_copy(
        update={
            "sources": (source,),
            "published": dt.datetime(2026, 2, 3, 2, 45, tzinfo=karachi),
        }
    )
    for text in (to_markdown(article), _terminal_text(article)):
        assert "Published 2026-02-02 21:45 UTC" in text
        assert "reuters.com · Feb 2, 2026" in text
    assert '<time datetime="2026-02-02T21:45:00+00:00">2026-02-02 21:45 UTC</time>' in to_html(
        article
    )


def test_terminal_shows_hostile_text_literally(hostile: Article) -> None:
    text = _terminal_text(hostile)
    assert f"{SCRIPT} {IMG}" in text
    assert f"#{MARKUP}" in text
    assert "Shares &amp; bonds &lt;b&gt;fell&lt;/b&gt;" in text


def test_terminal_drops_control_characters_and_whole_escape_sequences(iwm: Article) -> None:
    article = iwm.model_copy(update={"title": "Small caps \x1b[2Jhold\x07"})
    text = _terminal_text(article)
    assert "\x1b" not in text and "\x07" not in text
    assert "Small caps hold" in text and "[2J" not in text


def test_json_round_trips(iwm: Article) -> None:
    text = article_json(iwm)
    assert Article.model_validate_json(text) == iwm
    assert text == article_json(Article.model_validate_json(text))
    assert text.startswith('{\n  "schema_version": 1,\n  "slug": "iwm-2026-02-02"')


def test_json_round_trips_hostile_text(hostile: Article) -> None:
    assert Article.model_validate_json(article_json(hostile)) == hostile


def test_committed_schema_is_the_generated_one() -> None:
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == article_schema(), (
        "docs/article.schema.json is out of date; regenerate it with\n"
        ".venv/bin/python -c 'import json; from pulsewire.article.render import "
        "article_schema; print(json.dumps(article_schema(), indent=2))' "
        "> docs/article.schema.json"
    )


def test_schema_requires_every_field_but_the_version_and_the_marks() -> None:
    # Marks and claims default to none, so an article stored before them still reads.
    schema = article_schema()
    assert set(schema["required"]) == set(Article.model_fields) - {
        "schema_version",
        "marks",
        "claims",
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("published", dt.datetime(2026, 2, 2, 23, 59)),  # naive: whose evening?
        ("reading_minutes", 0),
        ("take", ""),
    ],
)
def test_an_article_refuses_a_value_readers_cannot_trust(
    hostile: Article, field: str, value: object
) -> None:
    with pytest.raises(ValidationError, match=field):
        Article.model_validate({**hostile.model_dump(), field: value})


def test_a_score_badge_refuses_a_value_that_is_not_a_number(hostile: Article) -> None:
    badge = hostile.scores[0].model_dump()
    with pytest.raises(ValidationError, match="value"):
        ScoreBadge.model_validate({**badge, "value": float("nan")})


ESCAPES = "\x1b]8;;http://evil\x07\x1b[31m\x00\u202e\x1b]0;pwned\x1b\\\u2066\x9b2J\x1b]8;;\x07"


def test_escape_codes_in_any_string_reach_no_format(iwm: Article) -> None:
    source = iwm.sources[0].model_copy(
        update={
            "title": f"Fed {ESCAPES}holds",
            "snippet": f"Rates {ESCAPES}steady",
            "domain": f"reuters.com{ESCAPES}",
            "url": f"https://www.reuters.com/markets/{ESCAPES}",
        }
    )
    article = iwm.model_copy(
        update={
            "title": f"Small caps {ESCAPES}hold",
            "body": (f"IWM {ESCAPES}closed.",),
            "tags": (f"range{ESCAPES}",),
            "sources": (source,),
        }
    )
    console = Console(file=io.StringIO(), force_terminal=True, width=100)
    console.print(to_terminal(article))
    terminal = console.file.getvalue()  # type: ignore[attr-defined]
    for text in (to_html(article), to_markdown(article), terminal):
        for mark in ("]8;;http://evil", "]0;", "pwned", "\x00", "\x07", "\u202e", "\u2066", "\x9b"):
            assert mark not in text, mark
        assert "Fed holds" in text and "Small caps hold" in text
    for text in (to_html(article), to_markdown(article)):
        assert "\x1b" not in text
    page = _page(to_html(article))
    assert [attrs["href"] for tag, attrs in page.tags if tag == "a"] == [
        "https://www.reuters.com/markets/"
    ]


_MARKUP = st.sampled_from(
    [*"ab1 .-+=#*_`[]()<>!&;~|\\{}:/", "&amp;", "&#35;", "http://x", "1. ", "- ", "# ", "S&P"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_MARKUP, max_size=12).map("".join))
def test_markdown_shows_any_text_literally_with_no_needless_escape(text: str) -> None:
    clean = clean_text(text)
    shown = MarkdownIt("commonmark", {"html": True}).render(_md(text)).replace("&quot;", '"')
    assert shown == (f"<p>{html.escape(clean, quote=False)}</p>\n" if clean else "")
    # Prose punctuation stays as written: no backslash where no markup could start.
    if not re.search(r"[\\`*_\[\]<>~]|&#?\w+;|^\d+[.)]|^[-+=#]", clean):
        assert _md(text) == clean


def test_markdown_of_an_article_has_no_entity_and_no_escape_of_prose(iwm: Article) -> None:
    prose = "Small caps beat the S&P 500 (+1.2% against +0.4%): 2,000 names, up 5.1%."
    markdown = to_markdown(iwm.model_copy(update={"body": (prose,)}))
    assert f"\n\n{prose}\n\n" in markdown
    assert "&amp;" not in markdown and "\\(" not in markdown and "\\+" not in markdown


def test_an_empty_snippet_is_not_rendered(iwm: Article) -> None:
    first = iwm.sources[0].model_copy(update={"snippet": " "})
    article = iwm.model_copy(update={"sources": (first, *iwm.sources[1:])})
    (line,) = [x for x in to_markdown(article).splitlines() if f"[{first.title}]" in x]
    assert line.endswith(")") and "): " not in line
    assert to_html(article).count('class="snippet"') == len(article.sources) - 1


def test_a_back_dated_article_says_when_it_was_written_and_for_which_close(iwm: Article) -> None:
    later = iwm.model_copy(update={"published": dt.datetime(2026, 12, 3, 18, 5, tzinfo=dt.UTC)})
    assert "Written 2026-12-03 18:05 UTC for the close of 2026-02-02" in to_markdown(later)
    html = to_html(later)
    assert "Written <time" in html and "2026-12-03 18:05 UTC</time> for the close of" in html
    assert "Published" not in to_markdown(later) + html
    assert "Published 2026-02-02 21:45 UTC · data as of 2026-02-02" in to_markdown(iwm)


def test_a_score_line_says_its_name_and_label_once(iwm: Article) -> None:
    pulse = iwm.scores[0].model_copy(
        update={"explanation": f"Pulse 54.2 ({iwm.scores[0].label}) = 50 + trend 4.2"}
    )
    line = to_markdown(iwm.model_copy(update={"scores": (pulse,)}))
    assert ": 54.2 = 50 + trend 4.2" in line
    assert "Pulse 54.2" not in line
