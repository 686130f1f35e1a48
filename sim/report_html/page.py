"""The report's HTML: one self-contained page of sections, cards, tables and charts.

A page is a title and a list of :class:`Section`; each section is a heading, an optional
lead paragraph and a block of HTML. The charting library's JavaScript is written into the page
once, so the file works offline, from disk or as an e-mail attachment.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone

from sim.version import __version__


@dataclass(frozen=True)
class Card:
    """A headline figure: label, value and a smaller line under it.

    ``key`` names the summary column the value comes from (``data-key`` in the page).
    """

    label: str
    value: str
    detail: str = ""
    key: str = ""


@dataclass(frozen=True)
class Section:
    """A part of the report.

    Attributes:
        id: the anchor of the section (``#arr``).
        title: its heading.
        body: its HTML (charts, tables, paragraphs).
        lead: a sentence under the heading saying what the section shows.
    """

    id: str
    title: str
    body: str
    lead: str = ""


@dataclass(frozen=True)
class Page:
    """The whole report."""

    title: str
    subtitle: str
    sections: Sequence[Section]
    source: str
    notes: Sequence[str] = field(default_factory=tuple)


def render(page: Page, script: str) -> str:
    """The page as one HTML document, with ``script`` (the charting library) inlined."""
    toc = "".join(f'<a href="#{section.id}">{escape(section.title)}</a>'
                  for section in page.sections)
    body = "\n".join(_section(section) for section in page.sections)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    notes = "".join(f"<p>{escape(note)}</p>" for note in page.notes)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="cssim {escape(__version__)}">
<title>{escape(page.title)}</title>
<style>{STYLE}</style>
<script>{script}</script>
</head><body>
<header><h1>{escape(page.title)}</h1><p class="subtitle">{escape(page.subtitle)}</p>
<nav>{toc}</nav></header>
<main>
{body}
</main>
<footer>{notes}<p>cssim {escape(__version__)} &middot; from {escape(page.source)} &middot;
generated {stamp}</p></footer>
</body></html>
"""


def cards(items: Sequence[Card]) -> str:
    """A row of headline-figure cards."""
    return '<div class="cards">' + "".join(
        f'<div class="card" data-key="{escape(card.key)}"><div class="label">'
        f'{escape(card.label)}</div><div class="value">{escape(card.value)}</div>'
        f'<div class="detail">{escape(card.detail)}</div></div>' for card in items) + "</div>"


Cell = str | tuple[str, str]
"""A table cell: its text, or its text and a CSS class (``better``, ``worse``)."""


def table(headers: Sequence[str], rows: Sequence[Sequence[Cell]], table_id: str = "",
          numeric_from: int = 1) -> str:
    """An HTML table of already formatted cells; columns from ``numeric_from`` align right.

    A line break in a cell's text starts a new line in the cell.
    """
    head = "".join(f"<th{_right(index, numeric_from)}>{escape(text)}</th>"
                   for index, text in enumerate(headers))
    lines = "".join("<tr>" + "".join(_cell(cell, index >= numeric_from)
                                     for index, cell in enumerate(row)) + "</tr>"
                    for row in rows)
    ident = f' id="{escape(table_id)}"' if table_id else ""
    return (f'<div class="table-wrap"><table{ident}><thead><tr>{head}</tr></thead>'
            f"<tbody>{lines}</tbody></table></div>")


def details(summary: str, content: str) -> str:
    """A block folded under a one-line summary (open it to see the content)."""
    return f"<details><summary>{escape(summary)}</summary>{content}</details>"


def paragraph(text: str, css: str = "") -> str:
    """A paragraph of plain text."""
    return f'<p{f" class={chr(34)}{css}{chr(34)}" if css else ""}>{escape(text)}</p>'


def grid(blocks: Sequence[str]) -> str:
    """Charts side by side on a wide screen, stacked on a narrow one."""
    return '<div class="grid">' + "".join(blocks) + "</div>"


def escape(text: str) -> str:
    """HTML-escape text."""
    return html.escape(str(text), quote=True)


def _section(section: Section) -> str:
    lead = f'<p class="lead">{escape(section.lead)}</p>' if section.lead else ""
    return (f'<section id="{escape(section.id)}"><h2>{escape(section.title)}</h2>{lead}'
            f"{section.body}</section>")


def _cell(cell: Cell, numeric: bool) -> str:
    """A cell; with a CSS class, its last line (the difference) carries the class."""
    text, css = (cell, "") if isinstance(cell, str) else cell
    lines = [escape(line) for line in text.split("\n")]
    if css:
        lines[-1] = f'<span class="{escape(css)}">{lines[-1]}</span>'
    attribute = ' class="num"' if numeric else ""
    return f"<td{attribute}>{'<br>'.join(lines)}</td>"


def _right(index: int, numeric_from: int) -> str:
    return ' class="num"' if index >= numeric_from else ""


STYLE = """
:root { --ink:#1d2733; --muted:#5b6675; --line:#dfe3e8; --accent:#1f5fa8; --bg:#f6f7f9; }
* { box-sizing: border-box; }
body { margin:0; font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; color:var(--ink); background:var(--bg); line-height:1.45; }
header { background:#fff; border-bottom:1px solid var(--line); padding:24px 40px 12px; }
h1 { margin:0 0 4px; font-size:26px; }
.subtitle { margin:0 0 12px; color:var(--muted); }
nav a { display:inline-block; margin:0 14px 6px 0; color:var(--accent); text-decoration:none;
  font-size:14px; }
main { max-width:1280px; margin:0 auto; padding:8px 40px 32px; }
section { background:#fff; border:1px solid var(--line); border-radius:8px; margin:20px 0;
  padding:16px 24px 20px; }
h2 { margin:4px 0 6px; font-size:20px; }
.lead { color:var(--muted); margin:0 0 12px; }
.story { font-size:16px; max-width:900px; }
.cards { display:flex; flex-wrap:wrap; gap:12px; }
.card { flex:1 1 calc(25% - 12px); min-width:180px; border:1px solid var(--line);
  border-radius:8px; padding:12px 16px; background:#fbfcfd; }
.card .label { color:var(--muted); font-size:13px; }
.card .value { font-size:26px; font-weight:600; margin:2px 0; }
.card .detail { color:var(--muted); font-size:13px; min-height:1em; }
.grid { display:grid; grid-template-columns:repeat(2, minmax(0, 1fr)); gap:8px 20px; }
@media (max-width: 1100px) { .grid { grid-template-columns:minmax(0, 1fr); } }
.chart { min-height:360px; min-width:0; }
.table-wrap { overflow-x:auto; margin:8px 0; }
table { border-collapse:collapse; font-size:14px; }
th, td { padding:5px 12px; border-bottom:1px solid var(--line); text-align:left;
  white-space:nowrap; }
th { background:#f0f2f5; font-weight:600; }
td.num, th.num { text-align:right; font-variant-numeric: tabular-nums; }
.better { color:#1a7f37; font-weight:600; }
.worse { color:#b42318; font-weight:600; }
details { margin:10px 0; }
summary { cursor:pointer; color:var(--accent); }
footer { max-width:1280px; margin:0 auto; padding:0 40px 40px; color:var(--muted);
  font-size:13px; }
@media print { nav { display:none; } section { break-inside: avoid; } }
"""
