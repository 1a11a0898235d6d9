"""Sources: read prices, news and the economic calendar, and validate every record.

Each source turns bytes into a validated `Batch`; nothing here writes anywhere.
"""

from pulsewire.sources.bars import bars_from_table
from pulsewire.sources.calendar import calendar_from_table
from pulsewire.sources.files import bundled_data, discover, fetch, kind_of, load, parse
from pulsewire.sources.news import news_from_table
from pulsewire.sources.rss import RssNewsSource, news_from_feed
from pulsewire.sources.tables import RawTable, read_table

__all__ = [
    "RawTable",
    "RssNewsSource",
    "bars_from_table",
    "bundled_data",
    "calendar_from_table",
    "discover",
    "fetch",
    "kind_of",
    "load",
    "news_from_feed",
    "news_from_table",
    "parse",
    "read_table",
]
