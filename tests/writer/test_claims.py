"""Claims, figures and contradictions over every article of ten editions (crash days among them).

The audit runs inside `write_edition`; these tests check that it is right to pass them:
that it fails an article whose figures are swapped, and that the rules a reader checks
first (direction, size, plan against call, trend against ADX) hold on every article.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from pulsewire.article.model import Article, Mark
from pulsewire.writer import messages
from pulsewire.writer.audit import audit
from pulsewire.writer.edition import Edition

_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _every(editions: dict[dt.date, Edition]):  # type: ignore[no-untyped-def]
    for edition in editions.values():
        yield from zip(edition.articles, edition.sheets, strict=True)


def _texts(article: Article) -> dict[str, str]:
    texts = {"title": article.title, "dek": article.dek, "summary": article.summary}
    for name in ("body", "watch", "catalysts", "risks", "opportunities"):
        texts.update({f"{name}[{i}]": t for i, t in enumerate(getattr(article, name))})
    return texts | {"take": article.take}


def _skeletons(article: Article) -> list[str]:
    """Every sentence of the body to the Take, each figure, date, name and quote masked."""
    texts = _texts(article)
    for mark in sorted(article.marks, key=lambda m: -m.start):
        text = texts[mark.section]
        texts[mark.section] = text[: mark.start] + "#" * (mark.end - mark.start) + text[mark.end :]
    prose = [t for s, t in texts.items() if s not in ("title", "dek", "summary")]
    return [re.sub("#+", "#", s) for text in prose for s in _SENTENCE.split(text) if s]


def test_no_sentence_skeleton_repeats_within_an_article(editions: dict[dt.date, Edition]) -> None:
    for article, _ in _every(editions):
        counts = Counter(_skeletons(article))
        assert max(counts.values()) == 1, (article.slug, counts.most_common(2))


def test_each_message_is_written_at_most_once(editions: dict[dt.date, Edition]) -> None:
    for article, sheet in _every(editions):
        body = [c for c in article.claims if not c.startswith("dek:")]
        assert len(body) == len(set(body)), (article.slug, Counter(body).most_common(2))
        assert all(messages.holds(c.rpartition(":")[2], sheet) for c in article.claims)


def test_every_figure_is_marked_with_the_fact_it_prints(editions: dict[dt.date, Edition]) -> None:
    for article, sheet in _every(editions):
        texts = _texts(article)
        figures = [m for m in article.marks if m.kind == "figure"]
        assert figures, article.slug
        assert all(m.key in sheet.facts for m in figures)
        # What is left once the marks are cut out holds no digit at all.
        for section, text in texts.items():
            rest = list(text)
            for m in (m for m in article.marks if m.section == section):
                rest[m.start : m.end] = " " * (m.end - m.start)
            assert not re.search(r"\d", "".join(rest)), (article.slug, section, text)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_swapping_two_facts_of_a_template_fails_the_audit(
    editions: dict[dt.date, Edition], data: st.DataObject
) -> None:
    article, sheet = data.draw(st.sampled_from(list(_every(editions))))
    texts = _texts(article)
    figures = [m for m in article.marks if m.kind == "figure"]
    first, second = data.draw(
        st.tuples(st.sampled_from(figures), st.sampled_from(figures)).filter(
            lambda pair: (
                texts[pair[0].section][pair[0].start : pair[0].end]
                != texts[pair[1].section][pair[1].start : pair[1].end]
                and sheet.facts[pair[0].key or ""].unit == sheet.facts[pair[1].key or ""].unit
            )
        )
    )

    def swapped(mark: Mark) -> Mark:
        other = second if mark is first else first if mark is second else None
        return mark if other is None else mark.model_copy(update={"key": other.key})

    forged = article.model_copy(update={"marks": tuple(swapped(m) for m in article.marks)})
    assert audit(article, sheet) == []
    problems = {(u.section, u.token) for u in audit(forged, sheet)}
    for mark in (first, second):
        assert (mark.section, texts[mark.section][mark.start : mark.end]) in problems


_UP = re.compile(r"\b(Rises|Rise|Climbs?|Jumps?|Soars?|Edges? Up|rose)\b")
_DOWN = re.compile(r"\b(Slips?|Falls?|Tumbles?|Plunges?|Edges? Down|fell)\b")


def test_direction_size_plan_and_trend_agree_with_the_facts(
    editions: dict[dt.date, Edition],
) -> None:
    checked = Counter()
    for article, sheet in _every(editions):
        if sheet.stale:
            continue
        r1 = sheet.facts["return_1"].value
        for text in (article.title, article.dek, article.body[0]):
            if _UP.search(text):
                assert r1 > 0, (article.slug, text)
                checked["up"] += 1
            if _DOWN.search(text):
                assert r1 < 0, (article.slug, text)
                checked["down"] += 1
        if messages.holds("move.big", sheet) or messages.holds("move.shock", sheet):
            assert not re.search(r"Edges?|Slips?|Rises?|Hold", article.title), article.title
            checked["big"] += 1
        call = messages.call(sheet)
        if call == "Bullish":
            assert not re.search(r"\b(sell|short)\b", article.take, re.I), article.take
        if call == "Bearish":
            assert not re.search(r"\bbuy\b", article.take, re.I), article.take
        checked[call] += 1
        adx, line = sheet.facts["adx_14"].value, sheet.facts["threshold.adx_trend"].value
        text = " ".join(article.body)
        if "No trend qualifies" in text:
            assert adx < line
        if "The regime is a trend" in text:
            assert adx >= line
    # The ten dates hold every case the rules are about.
    assert min(checked[k] for k in ("up", "down", "big", "Bullish", "Bearish", "Neutral")) > 0, (
        checked
    )


def test_every_figure_of_a_title_is_printed_again_in_the_article(
    editions: dict[dt.date, Edition],
) -> None:
    for article, _ in _every(editions):
        title = {m.key for m in article.marks if m.section == "title" and m.kind == "figure"}
        rest = {
            m.key
            for m in article.marks
            if m.kind == "figure" and m.section not in ("title", "dek", "summary")
        }
        assert title <= rest, (article.slug, article.title, title - rest)


def test_no_quoted_level_sits_within_half_an_atr_of_the_close(
    editions: dict[dt.date, Edition],
) -> None:
    quoted = 0
    for article, sheet in _every(editions):
        close, atr = sheet.facts["close"].value, sheet.facts["atr_14"].value
        for m in article.marks:
            side = (m.key or "").split(".")[0]
            if (
                m.kind == "figure"
                and side in ("support", "resistance")
                and m.key.endswith((".price", ".low", ".high"))
            ):
                assert abs(sheet.facts[m.key].value - close) >= 0.5 * atr, (article.slug, m.key)
                quoted += 1
    assert quoted > 500
