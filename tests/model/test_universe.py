from __future__ import annotations

import re
from pathlib import Path

import pytest

from pulsewire.errors import SourceError
from pulsewire.model import (
    ALWAYS_OPEN,
    XNYS,
    AssetClass,
    Number,
    Quote,
    Reference,
    calendar_for,
    profile,
    universe,
)
from pulsewire.model.universe import load_universe
from tests.conftest import BUNDLE

UNIVERSE = BUNDLE / "universe.toml"


def expected_number(text: str) -> Number:
    """A simple reading of a name's number: its head noun is the last word before a
    modifier ('the middle of the curve'), plural when it ends in -s ('small caps')."""
    head = re.split(r" (?:of|outside) ", text)[0].split()[-1]
    plural = head.endswith("s") and not head.endswith(("'s", "ss"))
    return Number.PLURAL if plural else Number.SINGULAR


def test_every_bundled_symbol_has_a_complete_entry() -> None:
    bundled = {path.stem for path in (BUNDLE / "prices").glob("*.parquet")}
    assert set(universe()) == bundled
    for symbol, entry in universe().items():
        assert entry.symbol == symbol and entry.known
        assert entry.full_name != entry.name.text and entry.aliases, symbol
        assert len(entry.related) >= 2 and entry.news_terms and entry.drivers, symbol


def test_every_related_symbol_is_in_the_universe() -> None:
    for symbol, entry in universe().items():
        assert set(entry.related) <= set(universe()) - {symbol}


def test_each_name_has_the_number_its_head_noun_shows() -> None:
    for entry in universe().values():
        for reference in entry.references:
            assert reference.number is expected_number(reference.text), reference


def test_pronoun_follows_the_short_name() -> None:
    assert profile("IWM").short == Reference(text="small caps", number=Number.PLURAL)
    assert profile("IWM").pronoun == "they"
    assert profile("VIX").pronoun == "it"


def test_short_names_and_aliases_read_inside_a_sentence() -> None:
    # Written as mid-sentence text: lowercase, or an acronym such as "EM" or "US".
    for entry in universe().values():
        for reference in (entry.short, *entry.aliases):
            first = reference.text.split()[0]
            assert first.islower() or first.isupper(), reference


# Words of a cause that another market, or the mood, would have to show: an editor found
# "rising-rate fears are hitting the bond proxies" on a day long Treasuries rallied.
UNSHOWN_CAUSE = re.compile(
    r"\b(?:rates?|fears?|safe|havens?|worr\w*|hopes?|spreads|leverage|dollar)\b"
)


def test_readings_of_a_move_state_no_cause_the_data_has_not_shown() -> None:
    for symbol, entry in universe().items():
        for reading in (entry.if_up, entry.if_down):
            causes = set(UNSHOWN_CAUSE.findall(reading)) - set(entry.name.text.split())
            assert not causes, (symbol, reading, causes)


def test_calendar_and_quote_of_bundled_symbols() -> None:
    assert {s for s in universe() if calendar_for(s) == ALWAYS_OPEN} == {"BTC-USD", "ETH-USD"}
    assert {s for s, p in universe().items() if p.quote is Quote.POINTS} == {"VIX"}
    assert profile("XLRE").asset_class is AssetClass.SECTOR


@pytest.mark.parametrize(("symbol", "calendar"), [("ZZZT", XNYS), ("SOL-USD", ALWAYS_OPEN)])
def test_unknown_symbol_gets_its_ticker_and_nothing_invented(symbol: str, calendar: str) -> None:
    generic = profile(symbol)

    assert not generic.known and generic.asset_class is None
    assert generic.name == generic.short == Reference(text=symbol, number=Number.SINGULAR)
    assert generic.pronoun == "it" and generic.references == (generic.name,)
    assert generic.aliases == generic.related == generic.news_terms == ()
    assert generic.drivers is None and generic.quote is Quote.DOLLARS
    assert generic.calendar == calendar


def broken(tmp_path: Path, old: str, new: str) -> str:
    text = UNIVERSE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "universe.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        (
            '{ text = "small caps", number = "plural" }',
            '{ text = "small caps", number = "many" }',
            "IWM.short.number",
        ),
        ('quote = "points"', 'quote = "yen"', "VIX.quote"),
        ('full_name = "iShares Russell 2000 ETF"\n', "", "IWM.full_name"),
        ('noun = "coin"', 'noun = "coin"\nnouns = "coins"', "BTC-USD.nouns"),
        ('noun = "coin"', 'noun = "coin"\nsymbol = "SOL-USD"', "BTC-USD.symbol"),
        ('related = ["SPY", "QQQ", "DIA"]', 'related = ["SPY", "QQQ", "ZZZT"]', "IWM.related"),
        ('related = ["SPY", "QQQ", "DIA"]', 'related = ["IWM", "QQQ"]', "IWM"),
    ],
)
def test_broken_universe_names_the_symbol_and_field(
    tmp_path: Path, old: str, new: str, field: str
) -> None:
    with pytest.raises(SourceError) as error:
        load_universe(broken(tmp_path, old, new))

    assert error.value.field == field
    assert str(error.value).startswith(f"{error.value.path}: {field}: ")


def test_universe_that_is_not_toml_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot read the universe"):
        load_universe(broken(tmp_path, "[IWM]", "[IWM"))
