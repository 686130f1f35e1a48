"""How the ``cssim`` commands fail: one line on stderr and an exit code, a traceback on demand.

Bad input ends with ``error: FILE: PATH = VALUE: REASON`` and exit code 2, an unexpected failure
with exit code 1, Ctrl-C with exit code 130, a closed stdout with 141.
"""

from __future__ import annotations

import os
import sys
import traceback
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NoReturn

import click

from sim.core.errors import InputError, ScenarioWarning
from sim.outputs.results import RunResult
from sim.scenario.schema import Scenario

EXIT_UNEXPECTED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141
"""128 + SIGPIPE: what a shell reports for a writer whose reader went away."""
MAX_SEED = 2**63 - 1
"""Largest seed: seeds are stored as signed 64-bit integers in the output tables."""


class OneLineUsage(click.Command):
    """A command whose bad flags (unknown value, wrong type) print one line and exit 2."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Parse as usual; a usage error becomes ``error: MESSAGE`` on stderr."""
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            click.echo(f"error: {error.format_message()}", err=True)
            ctx.exit(EXIT_BAD_INPUT)


def engine() -> Callable[[Scenario, int], RunResult]:
    """The engine's ``run``, imported late so that the other commands work without it."""
    try:
        from sim.model import run as simulate
    except ImportError as error:
        raise EngineMissingError(
            f"the simulation engine sim.model cannot be imported ({error})") from error
    return simulate


class EngineMissingError(RuntimeError):
    """``sim.model`` is not importable."""


@contextmanager
def reported_errors(ctx: click.Context) -> Iterator[None]:
    """Turn exceptions into one line on stderr and an exit code (plus a traceback if debug)."""
    debug = bool((ctx.obj or {}).get("debug"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", ScenarioWarning)
            warnings.showwarning = _show_warning
            yield
    except (click.ClickException, click.exceptions.Exit, click.Abort, BrokenPipeError):
        raise
    except KeyboardInterrupt:
        fail(ctx, "interrupted", EXIT_INTERRUPTED, debug)
    except InputError as error:
        lines = (" ".join(line.split()) for line in error.lines)
        fail(ctx, "\nerror: ".join(lines), EXIT_BAD_INPUT, debug)
    except (ValueError, OSError) as error:  # ScenarioError is a ValueError
        fail(ctx, one_line(error), EXIT_BAD_INPUT, debug)
    except EngineMissingError as error:
        fail(ctx, str(error), EXIT_UNEXPECTED, debug)
    except Exception as error:
        hint = "" if debug else " (rerun with --debug for the traceback)"
        message = f"unexpected {type(error).__name__}: {one_line(error)}{hint}"
        fail(ctx, message, EXIT_UNEXPECTED, debug)


def fail(ctx: click.Context, message: str, code: int, debug: bool) -> NoReturn:
    """Print the error line (after the traceback of the exception being handled) and exit."""
    if debug:
        click.echo(traceback.format_exc(), err=True, nl=False)
    click.echo(f"error: {message}", err=True)
    ctx.exit(code)


def _show_warning(message: Warning | str, category: type[Warning], *_: object,
                  **__: object) -> None:
    """A scenario warning is one line on stderr; other warnings go to Python's handler."""
    if issubclass(category, ScenarioWarning):
        click.echo(f"warning: {message}", err=True)
    else:
        warnings._showwarnmsg_impl(warnings.WarningMessage(message, category, "", 0))  # type: ignore[attr-defined]


def silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (e.g. captured output)
        pass
    finally:
        os.close(devnull)


def one_line(error: BaseException) -> str:
    """The error's message on one line (its type's name if it has none)."""
    return " ".join(str(error).split()) or type(error).__name__
