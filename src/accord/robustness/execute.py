"""Running the draw chunks: here, or on a Dask cluster, with identical results.

Each chunk's generator comes from ``numpy.random.SeedSequence(seed).spawn(chunks)``
and the chunk sizes depend on the space alone, so a chunk draws the same numbers
wherever it runs; tallies are integer counts summed in chunk order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.errors import AccordError
from accord.robustness.inputs import Layout
from accord.robustness.kernel import Space, Tally, chunk_draws, tally_chunk

__all__ = ["DrawPlan", "run_draws"]

IntArray = npt.NDArray[np.int64]
Progress = Callable[[int, int], None]


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


def run_chunk(
    layout: Layout,
    space: Space,
    seed: np.random.SeedSequence,
    count: int,
    packages: IntArray | None,
) -> Tally:
    """One chunk: its own generator, its own tallies."""
    return tally_chunk(layout, space, np.random.default_rng(seed), count, packages)


def run_draws(
    layout: Layout,
    space: Space,
    draws: int,
    seed: int,
    packages: IntArray | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> Tally:
    """Tally ``draws`` draws, locally or on the Dask cluster at ``scheduler``."""
    plan = DrawPlan(draws, seed, chunk_draws(space))
    chunks = plan.chunks()
    if scheduler is not None:
        tallies = _dask(layout, space, chunks, packages, scheduler)
    else:
        tallies = []
        for seed_sequence, count in chunks:
            tallies.append(run_chunk(layout, space, seed_sequence, count, packages))
            if progress is not None:
                progress(sum(t.draws for t in tallies), draws)
    total = tallies[0]
    for tally in tallies[1:]:
        total = total.add(tally)
    return total


def _dask(
    layout: Layout,
    space: Space,
    chunks: list[tuple[np.random.SeedSequence, int]],
    packages: IntArray | None,
    scheduler: str,
) -> list[Tally]:
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
        shared_layout, shared_space = client.scatter([layout, space], broadcast=True)  # type: ignore[no-untyped-call]
        futures = [
            client.submit(run_chunk, shared_layout, shared_space, seed, count, packages, pure=False)
            for seed, count in chunks
        ]
        return list(client.gather(futures))  # type: ignore[no-untyped-call]
    finally:
        client.cancel(futures)  # type: ignore[no-untyped-call]
        client.close()  # type: ignore[no-untyped-call]
