"""The run's event log, kept column-wise: one typed array per field instead of a tuple per event.

An event is (day, kind, customer, staff, tier, pool, value column, value). Days and values are
float64, customer and staff ids int32 (−1 for none), tier and pool numbers int16 (−1 for none),
the kind and the value column small codes into the names seen so far. About 37 bytes an event,
against some 160 for a tuple of Python objects; the table is built from the arrays without a
pass over Python objects. ``Muted`` keeps nothing, for a run that reads no event.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator

import numpy as np

NO_COLUMN = ""
"""The value column of an event whose kind carries no value."""


class EventLog:
    """Events in the order they happened, one array per field."""

    __slots__ = ("day", "kind", "customer", "staff", "tier", "pool", "column", "value",
                 "kinds", "columns", "_kind_codes", "_column_codes")

    def __init__(self) -> None:
        self.day = array("d")
        self.kind = array("h")
        self.customer = array("i")
        self.staff = array("i")
        self.tier = array("h")
        self.pool = array("h")
        self.column = array("b")
        self.value = array("d")
        self.kinds: list[str] = []
        """Kind names by code."""
        self.columns: list[str] = []
        """Value-column names by code (``NO_COLUMN`` for none)."""
        self._kind_codes: dict[str, int] = {}
        self._column_codes: dict[str, int] = {}

    def add(self, day: float, kind: str, customer: int, staff: int, tier: int, pool: int,
            column: str, value: float) -> None:
        """Append one event."""
        kind_code = self._kind_codes.get(kind)
        if kind_code is None:
            kind_code = self._kind_codes[kind] = len(self.kinds)
            self.kinds.append(kind)
        column_code = self._column_codes.get(column)
        if column_code is None:
            column_code = self._column_codes[column] = len(self.columns)
            self.columns.append(column)
        self.day.append(day)
        self.kind.append(kind_code)
        self.customer.append(customer)
        self.staff.append(staff)
        self.tier.append(tier)
        self.pool.append(pool)
        self.column.append(column_code)
        self.value.append(value)

    def __len__(self) -> int:
        return len(self.day)

    def __iter__(self) -> Iterator[tuple[float, str, int, int, int, int, str, float]]:
        """The events as tuples (day, kind, customer, staff, tier, pool, column, value)."""
        kinds, columns = self.kinds, self.columns
        for index in range(len(self.day)):
            yield (self.day[index], kinds[self.kind[index]], self.customer[index],
                   self.staff[index], self.tier[index], self.pool[index],
                   columns[self.column[index]], self.value[index])

    def array(self, field: str) -> np.ndarray:
        """One field as a numpy array (a copy: the log may still grow)."""
        return np.array(getattr(self, field))

    def names(self, field: str) -> np.ndarray:
        """The ``kind`` or ``column`` field as names, one per event."""
        names = self.kinds if field == "kind" else self.columns
        return np.array([*names, NO_COLUMN], dtype=object)[self.array(field)] if names else (
            np.array([], dtype=object))


class Muted(EventLog):
    """An event log that keeps nothing (a KPI-only run reads no event)."""

    __slots__ = ()

    def add(self, day: float, kind: str, customer: int, staff: int, tier: int, pool: int,
            column: str, value: float) -> None:
        """Drop the event."""
