"""One registry of the output tables' columns: name, unit and meaning, per table.

``docs/outputs.md`` is generated from it (``python -m sim.outputs.columns docs/outputs.md``
rewrites the section between its markers; a test checks it has not drifted), and a test checks
that every column a real run produces is here and every column here is produced.
"""

from __future__ import annotations

from sim.core.events import KINDS, VALUE_COLUMNS
from sim.core.generated import regenerate, with_section
from sim.outputs.column_spec import Column
from sim.outputs.row_columns import CUSTOMERS, EVENTS, SUMMARY
from sim.outputs.series_columns import TIMESERIES, WORKFORCE

TABLE_COLUMNS: dict[str, tuple[Column, ...]] = {
    "timeseries": TIMESERIES, "workforce": WORKFORCE, "events": EVENTS,
    "customers": CUSTOMERS, "summary": SUMMARY,
}
"""Every output table's columns, in table order."""

ROWS = {
    "timeseries": "one row per (period, tier), plus tier `all`",
    "workforce": "one row per (period, staff pool)",
    "events": "one row per event",
    "customers": "one row per customer, final state",
    "summary": "one row of headline KPIs",
}


def column_names(table: str, start_date: bool = False, initial_book: bool = False) -> list[str]:
    """The columns a table has, in order.

    With ``month`` when the scenario has a start date, with ``account_id`` when it has a real
    initial book.
    """
    return [column.name for column in TABLE_COLUMNS[table]
            if (start_date or not column.start_date_only)
            and (initial_book or not column.initial_book_only)]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _table(table: str) -> list[str]:
    lines = [f"## `{table}.parquet` — {ROWS[table]}", "", "| column | unit | meaning |",
             "|---|---|---|"]
    lines += [f"| `{column.name}` | {column.unit} | {_cell(column.meaning)} |"
              for column in TABLE_COLUMNS[table]]
    return [*lines, ""]


def _kinds() -> list[str]:
    typed = {column.name: column for column in VALUE_COLUMNS}
    lines = ["Kinds of event, and the value column each fills (`sim.core.events`):", "",
             "| kind | value column | meaning |", "|---|---|---|"]
    for kind in KINDS:
        column = f"`{kind.column}` ({typed[kind.column].unit})" if kind.column else "—"
        lines.append(f"| `{kind.name}` | {column} | {_cell(kind.meaning)} |")
    return [*lines, ""]


def outputs_reference() -> str:
    """Markdown tables of every output table's columns, and of the kinds of event."""
    lines: list[str] = []
    for table in TABLE_COLUMNS:
        lines += _table(table)
        if table == "events":
            lines += _kinds()
    return "\n".join(lines).rstrip("\n")


def with_outputs_reference(text: str) -> str:
    """The text of ``docs/outputs.md`` with its generated section regenerated."""
    return with_section(text, "outputs", outputs_reference())


if __name__ == "__main__":  # python -m sim.outputs.columns docs/outputs.md
    import sys

    regenerate(sys.argv, with_outputs_reference)
