"""Errors the simulator raises for bad input, formatted as one line."""

from __future__ import annotations

from pydantic import ValidationError


class ScenarioError(ValueError):
    """A scenario file or value is invalid. The message is one line: file, field path, value."""


def _path(loc: tuple) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _short(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def format_validation_error(error: ValidationError, source: str) -> str:
    """Turn a pydantic error into one line: ``FILE: PATH = VALUE: REASON (+N more)``."""
    problems = error.errors(include_url=False)
    first = problems[0]
    # Drop pydantic's discriminator/union tags from the path (e.g. 'lognormal').
    loc = tuple(part for part in first["loc"] if not _is_tag(part))
    message = first["msg"].removeprefix("Value error, ")
    path = _path(loc)
    if path and first["type"] not in {"value_error", "assertion_error"}:
        line = f"{source}: {path} = {_short(first.get('input'))}: {message}"
    elif path:
        line = f"{source}: {path}: {message}"
    else:
        line = f"{source}: {message}"
    if len(problems) > 1:
        line += f" (+{len(problems) - 1} more)"
    return line


def _is_tag(part: object) -> bool:
    return part in {"fixed", "exponential", "lognormal", "gamma", "uniform"}
