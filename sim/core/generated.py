"""Generated sections of documentation pages: the text between two HTML-comment markers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


def with_section(text: str, name: str, body: str) -> str:
    """``text`` with the section between ``<!-- NAME:start -->`` and its end replaced."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    head, rest = text.split(start, 1)
    tail = rest.split(end, 1)[1]
    return f"{head}{start}\n{body}\n{end}{tail}"


def regenerate(argv: list[str], renew: Callable[[str], str]) -> None:
    """Rewrite the page named by ``argv[1]`` with ``renew`` (for ``python -m ... PAGE``)."""
    target = Path(argv[1])
    target.write_text(renew(target.read_text(encoding="utf-8")), encoding="utf-8")
