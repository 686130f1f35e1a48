"""Errors the simulator raises for bad input, formatted as one line."""

from __future__ import annotations

import re
import reprlib
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

_RULE_ERRORS = frozenset({"value_error", "assertion_error"})
# A validator message that starts with a field name: ``acv_max = 10: ...``.
_FIELD_HEAD = re.compile(r"[A-Za-z_][\w.\[\]*]*(?: [\w+]+)*")


class ScenarioError(ValueError):
    """A scenario file or value is invalid. The message is one line: file, field path, value."""


class ScenarioWarning(UserWarning):
    """A valid scenario that probably does not say what its author meant (one line)."""


class InputError(ScenarioError):
    """Several problems found in one input, reported together: one line each."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = list(lines)


def _path(loc: tuple) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def short_repr(value: object, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters, built without rendering a huge value whole.

    Nested containers are shown to a few levels and items only, so a value of any size (an
    expanded alias bomb, a megabyte string) costs microseconds to describe.
    """
    text = _BOUNDED.repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _BoundedRepr(reprlib.Repr):
    """``reprlib`` limits, and a huge integer described by its size, not converted."""

    def repr_int(self, x: int, level: int) -> str:  # noqa: D102 - reprlib's hook
        if x.bit_length() > 256:
            return f"<integer of about {int(x.bit_length() * 0.30103)} digits>"
        return super().repr_int(x, level)


def _bounded_repr() -> reprlib.Repr:
    bounded = _BoundedRepr()
    bounded.maxlevel = 3
    bounded.maxtuple = bounded.maxlist = bounded.maxdict = bounded.maxset = 6
    bounded.maxstring = bounded.maxlong = bounded.maxother = 80
    return bounded


_BOUNDED = _bounded_repr()
_short = short_repr


def format_validation_error(error: ValidationError, source: str,
                            key_lines: Mapping[tuple, int] | None = None,
                            suggest: Callable[[tuple], str] | None = None) -> list[str]:
    """Every problem of a pydantic error, one line each: ``FILE: PATH = VALUE: REASON``.

    With ``key_lines`` (a data path -> its line in the file) each line ends with the line of
    the field (or of the nearest enclosing one); ``suggest`` adds a close match to an unknown
    key (``(did you mean 'headcount'?)``).
    """
    lines = []
    problems = error.errors(include_url=False)
    places = [_without_tags(tuple(problem["loc"]), problem["type"]) for problem in problems]
    for problem, loc in zip(problems, places, strict=True):
        if any(len(other) > len(loc) and other[: len(loc)] == loc for other in places):
            continue  # a list too short because its items failed: the items say why
        number = _line_of(loc, key_lines or {})
        # The cross-field rules report every broken group in one message, a line each.
        for message in problem["msg"].removeprefix("Value error, ").split("\n"):
            text = f"{source}: {_describe(loc, {**problem, 'msg': message})}"
            if suggest is not None and problem["type"] == "extra_forbidden":
                text += suggest(loc)
            lines.append(text + (f" (line {number})" if number else ""))
    return list(dict.fromkeys(lines))


def _line_of(loc: tuple, key_lines: Mapping[tuple, int]) -> int | None:
    for end in range(len(loc), 0, -1):
        if loc[:end] in key_lines:
            return key_lines[loc[:end]]
    return None


def _describe(loc: tuple, problem: Mapping[str, Any]) -> str:
    message = problem["msg"].removeprefix("Value error, ")
    path = _path(loc)
    if problem["type"] in _RULE_ERRORS:
        return _rule_message(loc, message)
    if not path:
        return message
    if problem["type"] == "missing":
        # The input of a missing field is the enclosing mapping: not worth printing.
        return f"{path}: {message}"
    return f"{path} = {_short(problem.get('input'))}: {message}"


def _rule_message(loc: tuple, message: str) -> str:
    """Attach a model validator's ``field = value: reason`` message to the model's path."""
    path = _path(loc)
    head, separator, rest = message.partition(" = ")
    if not path:
        return message
    if not separator or not _FIELD_HEAD.fullmatch(head):
        return f"{path}: {message}"
    last = loc[-1]
    if isinstance(last, str) and (head == last or head.startswith((f"{last}.", f"{last}["))):
        loc = loc[:-1]  # the message already starts with the model's own name
    parent = _path(loc)
    return f"{parent}.{head} = {rest}" if parent else f"{head} = {rest}"


def _without_tags(loc: tuple, kind: str) -> tuple:
    """Drop pydantic's discriminator tags (e.g. 'lognormal') from an error location.

    A tag is followed by the field that failed, or ends the location when the distribution's
    own validator failed. A last part with a tag's name in any other error is a real key (an
    unknown field ``gamma``, a tier named ``fixed``) and is kept.
    """
    last = len(loc) - 1
    return tuple(part for index, part in enumerate(loc)
                 if not (_is_tag(part) and (index < last or kind in _RULE_ERRORS)))


def _is_tag(part: object) -> bool:
    return part in {"fixed", "exponential", "lognormal", "gamma", "uniform"}
