"""What an output column is: its name, unit and meaning (``sim.outputs.columns`` lists them)."""

from __future__ import annotations

from dataclasses import dataclass

from sim.core.counters import BY_NAME


@dataclass(frozen=True)
class Column:
    """One column of an output table.

    ``start_date_only`` marks the ``month`` column, present only when the scenario has a
    ``start_date``; ``initial_book_only`` the columns present only with a real initial book
    (``growth.initial_book``).
    """

    name: str
    unit: str
    meaning: str
    start_date_only: bool = False
    initial_book_only: bool = False


def counter_column(name: str, meaning: str | None = None) -> Column:
    """The column showing a per-period counter (``sim.core.counters``), its unit and meaning."""
    counter = BY_NAME[name]
    return Column(name, counter.unit, meaning or counter.meaning)


MONTH = Column("month", "YYYY-MM",
               "with a scenario `start_date`: the calendar month (of the period's start, or of "
               "the event)", start_date_only=True)
"""The month column that ``sim.outputs.tables.with_month`` inserts."""
