"""Analysis: pure functions over arrays and calendars. No I/O, no clock: `now` is passed in."""

from pulsewire.analysis.sessions import Freshness, freshness, last_closed_session

__all__ = ["Freshness", "freshness", "last_closed_session"]
