"""The terminal consoles of the CLI: rich consoles that let a closed pipe reach the CLI.

Rich's default reaction to a closed stdout (``cssim run ... | head``) is to exit with status 1;
these consoles raise ``BrokenPipeError`` instead, which the CLI turns into a quiet exit.
"""

from __future__ import annotations

from rich.console import Console


class PipeAwareConsole(Console):
    """A rich console whose closed pipe raises ``BrokenPipeError`` to the caller."""

    def on_broken_pipe(self) -> None:
        """Raise, instead of rich's redirect-and-exit(1)."""
        raise BrokenPipeError("output pipe closed")
