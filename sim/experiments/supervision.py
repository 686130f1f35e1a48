"""Supervising local workers: they die with the sweep, and a dying worker costs one retry.

A worker must not outlive the sweep's main process, however that process ends: Ctrl-C and
SIGTERM stop the pool (SIGTERM is turned into an interrupt), and after ``kill -9`` of the main
process each worker's watchdog thread sees it gone within a second and exits; on Linux the
kernel also kills a worker whose parent dies (``PR_SET_PDEATHSIG``).

A worker killed mid-batch (by the out-of-memory killer, say) breaks the whole process pool:
every batch in flight fails with ``BrokenProcessPool``. :class:`Supervisor` then runs the
replicates of those batches again, one replicate per task and one task at a time, on a fresh
pool; a replicate whose retry breaks the pool again is recorded as failed and the sweep goes on.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, Protocol

from sim.experiments.tasks import Batch, BatchResult, failed_batch

IN_FLIGHT_PER_WORKER = 2
WATCH_SECONDS = 0.5
RETRY = 2
"""The attempt number of a retried replicate (the first attempt is 1)."""
_PR_SET_PDEATHSIG = 1
WORKER_DIED = ("its worker process died twice (killed, or out of memory); see docs/limits.md")


class Backend(Protocol):
    """Runs batches somewhere and reports which have finished."""

    workers: int

    def submit(self, batch: Batch) -> Any:
        """Start a batch; returns a future whose ``result()`` is its :class:`BatchResult`."""

    def wait(self, pending: set[Any]) -> tuple[set[Any], set[Any]]:
        """Block until at least one future is done; returns (done, not done)."""

    def cancel(self, pending: set[Any]) -> None:
        """Give up on futures not yet done."""


class Supervisor:
    """Keeps a bounded number of batches in flight and retries those a dying worker took."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.window = IN_FLIGHT_PER_WORKER * max(1, backend.workers)
        self.pending: dict[Any, tuple[Batch, int]] = {}
        self.retries: deque[Batch] = deque()

    def submit(self, batch: Batch, attempt: int = 1) -> None:
        """Start a batch."""
        self.pending[self.backend.submit(batch)] = (batch, attempt)

    def full(self) -> bool:
        """Whether the window of batches in flight is full."""
        return len(self.pending) >= self.window

    def busy(self) -> bool:
        """Whether batches are in flight or waiting for a retry."""
        return bool(self.pending or self.retries)

    def collect(self) -> Iterator[BatchResult]:
        """Wait for batches to finish; yield their results (failed rows for lost retries)."""
        retrying = any(attempt == RETRY for _, attempt in self.pending.values())
        if self.retries and not retrying:
            self.submit(self.retries.popleft(), RETRY)
        if not self.pending:
            return
        done, _ = self.backend.wait(set(self.pending))
        for future in done:
            batch, attempt = self.pending.pop(future)
            try:
                result = future.result()
            except BrokenProcessPool:
                if attempt == RETRY:
                    yield failed_batch(batch, WORKER_DIED)
                else:
                    self.retries.extend(single for single in _singles(batch))
                continue
            yield result

    def cancel(self) -> None:
        """Give up on the batches in flight."""
        if self.pending:
            self.backend.cancel(set(self.pending))
        self.retries.clear()


def _singles(batch: Batch) -> Iterator[Batch]:
    for replicate in batch.replicates:
        yield Batch(batch.plan, batch.scenario, (replicate,), batch.base_seed, batch.engine)


def start_worker(parent_pid: int) -> None:
    """Initialise a worker: Ctrl-C is the parent's business, and die with the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _kill_on_parent_death()
    threading.Thread(target=_watch, args=(parent_pid,), name="cssim-watchdog",
                     daemon=True).start()


def _kill_on_parent_death() -> None:
    """Ask Linux to SIGKILL this process when its parent dies (no-op elsewhere)."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL))


def _watch(parent_pid: int) -> None:
    while True:
        time.sleep(WATCH_SECONDS)
        if not process_alive(parent_pid):
            os._exit(1)


def process_alive(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie, dead but not reaped, is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:
        return _signalable(pid)
    state = stat.rpartition(")")[2].split()[:1]
    return state not in (["Z"], ["X"])


def _signalable(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def interrupt_on_sigterm() -> Iterator[None]:
    """Within the block, SIGTERM raises ``KeyboardInterrupt`` (as Ctrl-C), so the pool stops."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")
