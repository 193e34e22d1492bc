"""Running a tournament: in this process, on all local cores, or on a Dask cluster.

Cells are grouped into batches per scenario (so a scenario is shipped once per batch);
a batch is a pure function of its cells, whose seeds do not depend on where or in
which order they run, so every executor gives identical rows. Dask distributed is the
scale-out engine (a ``LocalCluster`` in tests, a scheduler address in production;
DESIGN §7); locally a :class:`~concurrent.futures.ProcessPoolExecutor` uses every core.

Ctrl-C stops cleanly: pending work is cancelled, workers are stopped, and the rows of
the runs that finished are returned (``interrupted=True``) for the caller to write.
Inside :func:`accord.interrupts.signals_as_interrupts` (every CLI command) SIGTERM and
SIGHUP do the same; workers ignore all three and are killed by this process.
"""

from __future__ import annotations

import math
import multiprocessing
import os
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from accord.errors import AccordError
from accord.interrupts import Interrupted, ignore_in_worker, received, shielded_children
from accord.simulation.session import simulate
from accord.tournament.plan import Arena, Cell, Plan
from accord.tournament.results import Row, rows_of

__all__ = ["Batch", "TournamentRun", "run_batch", "run_tournament"]

_Stream = Generator[tuple["Batch", list[Row]], None, None]
OnRows = Callable[[Sequence[Row], int], None]
"""Called with each finished batch's rows and its number of runs."""


@dataclass(frozen=True)
class Batch:
    arena: Arena
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class TournamentRun:
    rows: list[Row]
    """Sorted by run, then negotiator order: identical whichever executor ran them."""
    finished: int
    total: int
    interrupted: bool


def run_batch(batch: Batch) -> list[Row]:
    """Run every cell of ``batch`` (a top-level function: it travels to workers)."""
    arena = batch.arena
    rows: list[Row] = []
    for cell in batch.cells:
        strategies = dict(zip(arena.parties, cell.strategies, strict=True))
        result = simulate(
            arena.scenario, cell.protocol, strategies, spec=arena.spec, seed=cell.seed
        )
        rows += rows_of(cell, result)
    return rows


def batches(plan: Plan, workers: int) -> list[Batch]:
    """Cells grouped per scenario, about four batches per worker, at most 16 cells each
    (so progress is smooth and Ctrl-C loses little)."""
    size = max(1, min(16, math.ceil(len(plan.cells) / max(1, 4 * workers))))
    grouped: dict[str, list[Cell]] = {}
    for cell in plan.cells:
        grouped.setdefault(cell.arena, []).append(cell)
    return [
        Batch(plan.arenas[label], tuple(cells[start : start + size]))
        for label, cells in grouped.items()
        for start in range(0, len(cells), size)
    ]


def run_tournament(
    plan: Plan,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    on_rows: OnRows | None = None,
) -> TournamentRun:
    """Run ``plan``: on a Dask cluster at ``scheduler``, else on ``workers`` local
    processes (default: every core; 1 runs in this process)."""
    count = workers or os.cpu_count() or 1
    work = batches(plan, count)
    rows: list[Row] = []
    finished = 0
    interrupted = False
    stream: _Stream
    if scheduler is not None:
        stream = _dask(work, scheduler)
    elif count == 1:
        stream = ((b, run_batch(b)) for b in work)
    else:
        stream = _processes(work, count)
    try:
        for batch, batch_rows in stream:
            rows += batch_rows
            finished += len(batch.cells)
            if on_rows is not None:
                on_rows(batch_rows, len(batch.cells))
    except KeyboardInterrupt:
        interrupted = True
    finally:
        stream.close()
    rows.sort(key=lambda row: row["run"])  # stable: negotiator order kept within a run
    return TournamentRun(rows, finished, len(plan.cells), interrupted)


def _context() -> multiprocessing.context.BaseContext:
    """A fork server that has imported accord once (safe with threads, unlike fork, and
    quick to start workers, unlike spawn); spawn where there is no fork server."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["accord.tournament.runner"])
    return context


def _start_helpers(context: multiprocessing.context.BaseContext) -> None:
    """Start multiprocessing's resource tracker and fork server with the stop signals
    blocked, one at a time: the tracker's own start-up unblocks SIGINT and SIGTERM."""
    from multiprocessing import forkserver, resource_tracker

    with shielded_children():
        resource_tracker.ensure_running()
    if context.get_start_method() == "forkserver":
        with shielded_children():
            forkserver.ensure_running()


def _processes(work: list[Batch], workers: int) -> _Stream:
    futures: dict[Future[list[Row]], Batch] = {}
    complete = False
    context = _context()
    _start_helpers(context)
    executor: ProcessPoolExecutor | None = None
    try:
        # Helpers and workers leave stop signals to this process; one that arrives
        # meanwhile is raised as the block ends, inside this try.
        with shielded_children():
            executor = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=context,
                initializer=ignore_in_worker,
                initargs=(os.getpid(),),
            )
            futures = {executor.submit(run_batch, batch): batch for batch in work}
        for future in as_completed(futures):
            yield futures[future], _rows_of(future)
        complete = True
    finally:  # also on Ctrl-C and on GeneratorExit: stop what is still running
        if executor is not None:
            _stop(executor, futures, complete)


def _rows_of(future: Future[list[Row]]) -> list[Row]:
    try:
        return future.result()
    except BrokenProcessPool as error:
        signum = received()
        if signum is not None:  # the stop signal reached the workers first
            raise Interrupted(signum) from None
        raise AccordError(f"a worker process stopped unexpectedly ({error})") from None


def _stop(
    executor: ProcessPoolExecutor, futures: dict[Future[list[Row]], Batch], complete: bool
) -> None:
    if not complete:
        for future in futures:
            future.cancel()
        for process in list(getattr(executor, "_processes", {}).values()):
            process.kill()  # workers ignore the stop signals (ignore_in_worker)
    executor.shutdown(wait=True, cancel_futures=True)


def _check_address(address: str) -> None:
    """Refuse an address Dask cannot parse before a Client half-starts on it."""
    from distributed.comm.addressing import parse_address
    from distributed.comm.registry import get_backend

    try:
        get_backend(parse_address(address, strict=False)[0])
    except (ValueError, TypeError) as error:
        raise AccordError(f"--scheduler {address!r}: {error}") from None


def _dask(work: list[Batch], scheduler: str) -> _Stream:
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:  # pragma: no cover - dask is a dependency
        raise AccordError("running on a Dask cluster needs dask[distributed]") from None
    _check_address(scheduler)
    try:
        client = Client(scheduler, timeout="10s", set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as error:
        raise AccordError(f"cannot reach the Dask scheduler at {scheduler!r}: {error}") from None
    futures = []
    try:
        futures = [client.submit(run_batch, batch, pure=False) for batch in work]
        where = {future.key: batch for future, batch in zip(futures, work, strict=True)}
        for future in dask_completed(futures, loop=client.loop):  # type: ignore[no-untyped-call]
            yield where[future.key], future.result()
    finally:
        client.cancel(futures)  # type: ignore[no-untyped-call]
        client.close()  # type: ignore[no-untyped-call]
