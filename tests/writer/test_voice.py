from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pulsewire.writer.compose import _bare, _headline, _subject
from pulsewire.writer.voice import Choice, Voice, parse


def test_a_template_parses_into_text_and_nested_choices() -> None:
    assert parse("a [b|c [d|e]] f") == (
        "a ",
        Choice((("b",), ("c ", Choice((("d",), ("e",)))))),
        " f",
    )
    assert parse("[|x]") == (Choice(((), ("x",))),)


@pytest.mark.parametrize("template", ["a [b|c", "a ]b", "[a|[b]"])
def test_a_bracket_out_of_place_is_a_writer_bug(template: str) -> None:
    with pytest.raises(ValueError, match=r"unclosed|outside brackets"):
        parse(template)


def test_every_wording_of_a_template_is_reachable_and_reruns_are_identical() -> None:
    template = "[up|down] [a little|a lot] [today|this week]"
    said = {Voice(f"SYM{i}|2026-02-02").say("slot", template, {}) for i in range(400)}
    assert len(said) == 8
    again = {Voice(f"SYM{i}|2026-02-02").say("slot", template, {}) for i in range(400)}
    assert said == again


@given(st.text(min_size=1, max_size=40))
def test_values_are_filled_in_after_the_choice_so_outside_text_is_never_grammar(
    headline: str,
) -> None:
    # A headline with brackets, pipes and braces comes out exactly as it went in.
    said = Voice("IWM|2026-02-02").say("news", "“{title}”[ ran| led]", {"title": headline})
    assert re.fullmatch(r"“(.*)” (ran|led)", said, re.DOTALL)
    assert said[1 : 1 + len(headline)][1:] == headline[1:]


def test_verbs_agree_with_the_name_they_follow() -> None:
    assert _subject("small caps")["is"] == "are"
    assert _subject("the VIX")["is"] == "is"
    assert _subject("crypto's benchmark")["has"] == "has"
    assert _bare("Pushes Higher") == "Push Higher"
    assert _bare("Rallies Hard") == "Rally Hard"
    assert _bare("Holds Its Ground") == "Hold Their Ground"
    assert _headline("the small-cap index") == "The Small-Cap Index"
