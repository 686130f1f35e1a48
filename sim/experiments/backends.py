"""Where batches run: in this process, in a local process pool, or on a Dask cluster.

All three run the same function (``tasks.run_batch``) on the same batches, so results do not
depend on the backend. :func:`execute` keeps at most two batches per worker in flight, so the
parent holds a bounded amount of work and results whatever the number of replicates, and
yields results as they complete.

Local workers are supervised (``sim.experiments.supervision``): they die with the sweep's
main process however it ends, and a worker that dies mid-batch (killed, out of memory) costs
only its batch: the replicates of every batch in flight are run again one by one on a fresh
pool, and a replicate whose retry kills its worker again is recorded as failed.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Generator, Iterable, Iterator
from concurrent import futures as cf
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any

from sim.experiments.supervision import Backend, Supervisor, interrupt_on_sigterm, start_worker
from sim.experiments.tasks import Batch, BatchResult, run_batch

__all__ = ["Backend", "execute", "open_backend"]


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextmanager
def open_backend(jobs: int | None = None, scheduler: str | None = None) -> Iterator[Backend]:
    """The backend for ``jobs`` local processes, or the Dask scheduler at ``scheduler``.

    ``jobs == 1`` runs in this process. On an exception (Ctrl-C included) work in flight is
    abandoned: local workers are terminated, Dask futures cancelled.
    """
    if scheduler is not None:
        with _dask_backend(scheduler) as backend:
            yield backend
    elif (jobs or default_jobs()) == 1:
        yield InProcess()
    else:
        with _pool_backend(jobs or default_jobs()) as backend:
            yield backend


def execute(backend: Backend, batches: Iterable[Batch]) -> Generator[BatchResult, None, None]:
    """Run the batches on the backend; yield results in the order they complete."""
    supervisor = Supervisor(backend)
    try:
        for batch in batches:
            supervisor.submit(batch)
            while supervisor.full():
                yield from supervisor.collect()
        while supervisor.busy():
            yield from supervisor.collect()
    finally:
        supervisor.cancel()


class InProcess:
    """Runs each batch when it is submitted, in this process."""

    workers = 1

    def submit(self, batch: Batch) -> cf.Future:
        """Run the batch now; the future holds its result or its exception."""
        future: cf.Future = cf.Future()
        try:
            future.set_result(run_batch(batch))
        except Exception as error:
            future.set_exception(error)
        return future

    def wait(self, pending: set[Any]) -> tuple[set[Any], set[Any]]:
        """Everything submitted is already done."""
        return set(pending), set()

    def cancel(self, pending: set[Any]) -> None:
        """Nothing is ever pending."""


class LocalPool:
    """A pool of local worker processes, replaced by a fresh one when a worker dies."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.executor = _executor(workers)

    def submit(self, batch: Batch) -> cf.Future:
        """Queue the batch for a worker (on a fresh pool if a worker of this one died)."""
        try:
            return self.executor.submit(run_batch, batch)
        except BrokenProcessPool:
            _terminate(self.executor)
            self.executor = _executor(self.workers)
            return self.executor.submit(run_batch, batch)

    def wait(self, pending: set[Any]) -> tuple[set[Any], set[Any]]:
        """Block until a batch finishes."""
        done, not_done = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
        return set(done), set(not_done)

    def cancel(self, pending: set[Any]) -> None:
        """Cancel queued batches (running ones end when the pool is terminated)."""
        for future in pending:
            future.cancel()


@contextmanager
def _pool_backend(jobs: int) -> Iterator[LocalPool]:
    with interrupt_on_sigterm():
        pool = LocalPool(jobs)
        try:
            yield pool
        except BaseException:
            _terminate(pool.executor)
            raise
        pool.executor.shutdown(wait=True)


def _executor(jobs: int) -> cf.ProcessPoolExecutor:
    return cf.ProcessPoolExecutor(max_workers=jobs, mp_context=_start_context(),
                                  initializer=start_worker, initargs=(os.getpid(),))


def _start_context() -> multiprocessing.context.BaseContext:
    """Fork workers from a clean server process that has the simulator imported, if possible."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["sim.experiments.tasks", "sim.model"])
        return context
    return multiprocessing.get_context("spawn")


def _terminate(executor: cf.ProcessPoolExecutor) -> None:
    """Stop the workers now, abandoning the batches they are running."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=10)


class DaskCluster:
    """A Dask distributed cluster reached through its scheduler."""

    def __init__(self, client: Any) -> None:
        from distributed import as_completed

        self.client = client
        self.workers = max(1, sum(client.nthreads().values()))
        self.finished = as_completed(loop=client.loop)

    def submit(self, batch: Batch) -> Any:
        """Send the batch to the cluster."""
        future = self.client.submit(run_batch, batch, pure=False)
        self.finished.add(future)
        return future

    def wait(self, pending: set[Any]) -> tuple[set[Any], set[Any]]:
        """Block until a batch finishes on the cluster."""
        done = {next(self.finished), *self.finished.next_batch(block=False)} & pending
        return done, pending - done

    def cancel(self, pending: set[Any]) -> None:
        """Cancel the batches still on the cluster."""
        self.client.cancel(list(pending))


@contextmanager
def _dask_backend(address: str) -> Iterator[DaskCluster]:
    try:
        from distributed import Client
    except ImportError as error:  # pragma: no cover - dask is a dependency
        raise RuntimeError(f"--scheduler needs dask.distributed ({error})") from error
    client = Client(address, timeout="20s", set_as_default=False)
    try:
        yield DaskCluster(client)
    finally:
        client.close()
