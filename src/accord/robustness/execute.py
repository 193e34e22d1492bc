"""Running the draw chunks: here, or on a Dask cluster, with identical results.

Each chunk's generator comes from ``numpy.random.SeedSequence(seed).spawn(chunks)``
and the chunk sizes depend on the job alone, so a chunk draws the same numbers
wherever it runs; tallies are integer counts summed in chunk order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import numpy as np
import numpy.typing as npt

from accord.errors import AccordError
from accord.robustness.inputs import Layout
from accord.robustness.kernel import Space, Tally, chunk_draws, tally_chunk

__all__ = ["DrawPlan", "Job", "ScenarioJob", "run_draws"]

IntArray = npt.NDArray[np.int64]
Progress = Callable[[int, int], None]
T = TypeVar("T", bound="Addable")
T_co = TypeVar("T_co", bound="Addable", covariant=True)


class Addable(Protocol):
    draws: int

    def add(self, other: Any) -> Any: ...


class Job(Protocol[T_co]):
    """What a chunk runs: draws ``count`` readings with ``rng`` and tallies them."""

    @property
    def per_chunk(self) -> int: ...

    def tally(self, rng: np.random.Generator, count: int) -> T_co: ...


@dataclass(frozen=True)
class ScenarioJob:
    """Zone, solutions and acceptability over the whole space (and Pareto counts for
    ``packages``)."""

    layout: Layout
    space: Space
    packages: IntArray | None = None

    @property
    def per_chunk(self) -> int:
        return chunk_draws(self.space)

    def tally(self, rng: np.random.Generator, count: int) -> Tally:
        return tally_chunk(self.layout, self.space, rng, count, self.packages)


@dataclass(frozen=True)
class DrawPlan:
    """How ``draws`` split into chunks, and each chunk's seed."""

    draws: int
    seed: int
    per_chunk: int

    def chunks(self) -> list[tuple[np.random.SeedSequence, int]]:
        count = -(-self.draws // self.per_chunk)
        seeds = np.random.SeedSequence(self.seed).spawn(count)
        sizes = [min(self.per_chunk, self.draws - n * self.per_chunk) for n in range(count)]
        return list(zip(seeds, sizes, strict=True))


def run_chunk(job: Job[T], seed: np.random.SeedSequence, count: int) -> T:
    """One chunk: its own generator, its own tallies."""
    return job.tally(np.random.default_rng(seed), count)


def run_draws(
    job: Job[T],
    draws: int,
    seed: int,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> T:
    """Tally ``draws`` draws of ``job``, locally or on the Dask cluster at ``scheduler``."""
    chunks = DrawPlan(draws, seed, job.per_chunk).chunks()
    if scheduler is not None:
        tallies = _dask(job, chunks, scheduler)
    else:
        tallies = []
        done = 0
        for seed_sequence, count in chunks:
            tallies.append(run_chunk(job, seed_sequence, count))
            done += count
            if progress is not None:
                progress(done, draws)
    total = tallies[0]
    for tally in tallies[1:]:
        total = total.add(tally)
    return total


def _dask(job: Job[T], chunks: list[tuple[np.random.SeedSequence, int]], scheduler: str) -> list[T]:
    from accord.tournament.runner import _check_address

    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - dask is a dependency
        raise AccordError("running on a Dask cluster needs dask[distributed]") from None
    _check_address(scheduler)
    try:
        client = Client(scheduler, timeout="10s", set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as error:
        raise AccordError(f"cannot reach the Dask scheduler at {scheduler!r}: {error}") from None
    futures = []
    try:
        shared = client.scatter(job, broadcast=True)  # type: ignore[no-untyped-call]
        futures = [
            client.submit(run_chunk, shared, seed, count, pure=False) for seed, count in chunks
        ]
        return list(client.gather(futures))  # type: ignore[no-untyped-call]
    finally:
        client.cancel(futures)  # type: ignore[no-untyped-call]
        client.close()  # type: ignore[no-untyped-call]
