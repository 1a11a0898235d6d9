"""A sample of `make sweep`: editions across the news era write every symbol."""

from __future__ import annotations

from pulsewire.desk import AsOf, Desk
from pulsewire.facts.edition import evening
from pulsewire.writer.edition import write_edition

EVERY = 41
"""One date in this many of the news era (prime, so weekdays and weekends both come up)."""


def test_every_sampled_date_of_the_news_era_writes_a_whole_edition(desk: Desk) -> None:
    sample = desk.news_era()[::EVERY]
    assert len(sample) >= 20
    for day in sample:
        sheets = desk.sheets(AsOf(day, None))
        edition = write_edition(sheets.written, evening(day), sheets.left_out)
        assert edition.left_out == (), f"{day}: {'; '.join(map(str, edition.left_out))}"
        assert len(edition.articles) == len(desk.panel.symbols)
