"""One exception tree: every error pulsewire raises on purpose is a `PulsewireError`.

The CLI and the HTTP edge turn these into one readable line plus a hint; everything
else is a bug and keeps its traceback.
"""

from __future__ import annotations

__all__ = [
    "DataError",
    "ParameterError",
    "PulsewireError",
    "SourceError",
    "StoreBusyError",
    "StoreError",
    "check_at_least",
    "check_within",
]


class PulsewireError(Exception):
    """Base of every error the desk raises on purpose; `hint` says what to do next."""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


class DataError(PulsewireError):
    """A value breaks an invariant of the domain (a bar with high below close...)."""

    def __init__(self, field: str, value: object, reason: str, *, hint: str = "") -> None:
        super().__init__(f"{field}: {reason}", hint=hint)
        self.field = field
        self.value = value
        self.reason = reason


class ParameterError(DataError, ValueError):
    """A function was called with a parameter out of its bounds (a programming error)."""


def check_at_least(name: str, value: float, bound: float) -> None:
    """Raise `ParameterError` naming the parameter, value and bound unless value >= bound."""
    if value < bound:
        raise ParameterError(name, value, f"{name}={value} is below {bound}")


def check_within(name: str, value: int, size: int) -> None:
    """Raise `ParameterError` unless 0 <= value < size (an index into `size` items)."""
    if not 0 <= value < size:
        raise ParameterError(name, value, f"{name}={value} is outside [0, {size - 1}]")


class SourceError(PulsewireError):
    """Bad input in a file or feed, located by path, line (or row) and field.

    Rendered as ``IWM.csv:812: high: 101.2 is below close 103.5``. `line` is None for
    problems of the whole file (empty, unreadable); `field` is None when no single
    field is at fault (a line that is not JSON).
    """

    def __init__(
        self,
        path: str,
        line: int | None,
        field: str | None,
        value: object,
        reason: str,
        *,
        line_label: str = "",
        hint: str = "",
    ) -> None:
        where = path if line is None else f"{path}:{line_label}{line}"
        what = reason if field is None else f"{field}: {reason}"
        super().__init__(f"{where}: {what}", hint=hint)
        self.path = path
        self.line = line
        self.field = field
        self.value = value
        self.reason = reason


class StoreError(PulsewireError):
    """The store cannot be opened, read or written."""


class StoreBusyError(StoreError):
    """Another process holds the store's write lock."""
