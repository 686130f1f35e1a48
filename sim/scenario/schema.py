"""The scenario schema (a frozen pydantic model) and ``load_scenario(path)``.

A scenario enters the simulator once, here; everything after trusts it. Its sections are in
``sim.scenario.sections``, its cross-field rules in ``sim.scenario.rules``.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import model_validator

from sim.scenario.base import NAME_PATTERN
from sim.scenario.rules import rule_groups
from sim.scenario.sections import ArrivalStep, ScenarioFields
from sim.scenario.vocabulary import COMPLEXITIES, TICKET_LEVELS, Complexity


class Scenario(ScenarioFields):
    """A CS organisation over time: customers, tiers, growth plan, team and costs."""

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        """Every broken group of cross-field rules, one line each (one ``ValueError``).

        A group that fails in another way after one broke (it read what that one refused)
        ends the check.
        """
        broken: list[str] = []
        for group in rule_groups(self):
            try:
                group()
            except ValueError as error:
                broken.append(str(error))
            except Exception:
                if not broken:
                    raise
                break
        if broken:
            raise ValueError("\n".join(broken))
        return self


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file.

    Raises:
        ScenarioError: the file is missing, unreadable or invalid; the message names the file,
            the field path and the value.
    """
    from sim.core.errors import ScenarioError
    from sim.scenario.book_file import load_book
    from sim.scenario.intent import warn_author
    from sim.scenario.yaml_input import key_lines, load_yaml, read_text

    text = read_text(path)
    data = load_yaml(text, str(path))
    if not isinstance(data, dict):
        found = "an empty file" if data is None else f"a {type(data).__name__}"
        raise ScenarioError(f"{path}: the file must hold a mapping of scenario fields, "
                            f"found {found}")
    scenario = _book_path_resolved(parse_scenario(data, str(path), key_lines(text)),
                                   Path(path).parent)
    load_book(scenario)  # every bad row of the book now, before anything runs
    warn_author(scenario, str(path))
    return scenario


def _book_path_resolved(scenario: Scenario, folder: Path) -> Scenario:
    """The scenario with its ``initial_book`` path made absolute against ``folder``."""
    path = scenario.growth.initial_book
    if path is None or Path(path).is_absolute():
        return scenario
    growth = scenario.growth.model_copy(update={"initial_book": str((folder / path).resolve())})
    return scenario.model_copy(update={"growth": growth})


def read_yaml(path: str | Path) -> object:
    """Read a UTF-8 YAML file within the bounds of ``sim.scenario.yaml_input``.

    Raises:
        ScenarioError: the file is missing, not a regular file, too large, not UTF-8, not YAML
            or out of bounds (duplicate key, nesting, alias expansion); one line naming the
            file (and the line and column of a YAML error).
    """
    from sim.scenario.yaml_input import load_yaml, read_text

    return load_yaml(read_text(path), str(path))


def parse_scenario(data: dict, source: str = "<scenario>",
                   lines: dict[tuple, int] | None = None) -> Scenario:
    """Validate a scenario given as a dict.

    Raises:
        InputError: every problem pydantic finds, one line each (file, field path, value,
            reason, a close match for an unknown key, the line when ``lines`` maps paths to
            lines of the file).
    """
    from pydantic import ValidationError

    from sim.core.errors import InputError, ScenarioError, format_validation_error
    from sim.scenario.suggest import suggest_key

    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        found = format_validation_error(error, source, lines,
                                        lambda loc: suggest_key(loc, Scenario))
        if len(found) == 1:
            raise ScenarioError(found[0]) from error
        raise InputError(found) from error


__all__ = ["COMPLEXITIES", "NAME_PATTERN", "TICKET_LEVELS", "ArrivalStep", "Complexity", "Scenario",
           "load_scenario", "parse_scenario"]
