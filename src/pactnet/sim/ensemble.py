"""Monte Carlo ensembles: replicas in batches, seeded from one ``SeedSequence``, run on a local process pool or
on Dask, streamed to Parquet batch by batch, resumable after an interruption.

The unit of work is a batch of replicas run vectorised (:func:`pactnet.sim.model.simulate`); a batch's random
numbers come only from its own child of the root ``SeedSequence``, so the same seed and batch size give the
same rows whatever the back end, the number of workers or the order in which batches finish.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError, MissingExtra
from ..seeding import seed_sequence
from .model import CAMPAIGNS, LEVELS, Compiled, simulate
from .scenario import Scenario, compile_scenario, load_scenario

__all__ = ["prepare", "run_ensemble", "read_ensemble", "Ensemble", "run_batch"]

_META_KEY = b"pactnet"


def prepare(scenario: str | Path | Scenario, *, db: Any = None, params: dict[str, Any] | None = None
            ) -> tuple[Scenario, Compiled]:
    """Load a scenario (a shipped name, a path or a :class:`Scenario`) and compile it with the knowledge base's
    state at its start date."""
    from .initial import kb_state

    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    rivals = tuple(sc.data["rivals"]) or ("CHN", "RUS")
    state = kb_state(sc.start, patron=sc.data["patron"], rivals=rivals, db=db)
    return sc, compile_scenario(sc, state, **(params or {}))


@dataclass(frozen=True)
class _Batch:
    index: int
    first: int          # global index of the batch's first replica
    size: int
    seed: np.random.SeedSequence


def run_batch(comp: Compiled, batch: _Batch) -> tuple[int, int, np.ndarray, np.ndarray]:
    """Run one batch: ``(index, first replica, levels, drivers)``, arrays shaped (T, size, partners)."""
    levels, drivers = simulate(comp, batch.size, np.random.default_rng(batch.seed))
    return batch.index, batch.first, levels, drivers


def _batches(replicas: int, batch_size: int, entropy: int) -> list[_Batch]:
    n = -(-replicas // batch_size)
    from pactnet.seeding import seed_sequence

    children = seed_sequence(entropy).spawn(n)
    return [_Batch(b, b * batch_size, min(batch_size, replicas - b * batch_size), children[b]) for b in range(n)]


def _table(comp: Compiled, batch: int, first: int, levels: np.ndarray, drivers: np.ndarray, meta: dict):
    import pyarrow as pa

    T, R, n = levels.shape
    lv = np.ascontiguousarray(levels.transpose(1, 0, 2))       # (R, T, n): rows by replica, then year
    dv = np.ascontiguousarray(drivers.transpose(1, 0, 2))
    cols = {
        "replica": pa.array(np.repeat(np.arange(first, first + R, dtype=np.int32), T)),
        "year": pa.array(np.tile(comp.years.astype(np.int16), R)),
        "batch": pa.array(np.full(R * T, batch, dtype=np.int32)),
    }
    for lvl in range(1, len(LEVELS)):
        cols[f"n_{lvl}"] = pa.array((lv == lvl).sum(axis=2).reshape(-1).astype(np.int16))
    cols["levels"] = pa.FixedSizeListArray.from_arrays(pa.array(lv.reshape(-1)), n)
    cols["drivers"] = pa.FixedSizeListArray.from_arrays(pa.array(dv.reshape(-1)), n)
    table = pa.table(cols)
    return table.replace_schema_metadata({_META_KEY: json.dumps(meta).encode()})


def _read_meta(path: Path) -> dict:
    import pyarrow.parquet as pq

    raw = pq.read_schema(path).metadata or {}
    if _META_KEY not in raw:
        raise InputError(f"path: {path} is not a pactnet ensemble (no pactnet metadata)")
    return json.loads(raw[_META_KEY])


def _run_key(meta: dict) -> dict:
    keys = ("scenario_hash", "seed", "batch_size", "replicas", "partners", "params", "pactnet_version")
    return {k: meta[k] for k in keys}


def _ignore_sigint() -> None:
    """Workers leave Ctrl-C to the parent, which stops the run; finished batches stay on disk."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


class _Local:
    """The local back end: a process pool over ``workers`` processes (inline when there is one)."""

    def __init__(self, workers: int | None) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.pool = None

    def results(self, comp: Compiled, batches: list[_Batch]) -> Iterator[tuple]:
        if self.workers == 1 or len(batches) == 1:
            for b in batches:
                yield run_batch(comp, b)
            return
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor, as_completed

        pool = ProcessPoolExecutor(self.workers, mp_context=mp.get_context("spawn"), initializer=_ignore_sigint)
        try:
            futures: list[Future] = [pool.submit(run_batch, comp, b) for b in batches]
            for fut in as_completed(futures):
                yield fut.result()
        finally:
            # an interruption drops the batches not started; finished ones are already on disk
            pool.shutdown(wait=True, cancel_futures=True)


class _Dask:
    """The Dask back end: ``"local"`` starts a LocalCluster on 127.0.0.1, otherwise a scheduler address."""

    def __init__(self, address: str, workers: int | None) -> None:
        self.address, self.workers = address, workers

    def results(self, comp: Compiled, batches: list[_Batch]) -> Iterator[tuple]:
        try:
            from distributed import Client, LocalCluster, as_completed
        except ImportError:  # pragma: no cover - depends on the environment
            raise MissingExtra("sim", "distributed", "the Dask back end") from None
        cluster = None
        if self.address == "local":
            cluster = LocalCluster(n_workers=self.workers or os.cpu_count() or 1, threads_per_worker=1,
                                   host="127.0.0.1", dashboard_address=None, processes=True)
            client = Client(cluster)
        elif self.address.startswith(("tcp://", "tls://", "inproc://")):
            try:
                client = Client(self.address, timeout=30)
            except OSError as exc:
                raise InputError(f"dask: cannot reach the scheduler at {self.address}: {exc}") from None
        else:
            raise InputError(f"dask: expected 'local' or a scheduler address tcp://HOST:PORT, got {self.address!r}")
        try:
            comp_f = client.scatter(comp, broadcast=True)
            futures = client.map(run_batch, [comp_f] * len(batches), batches, pure=False)
            for _fut, res in as_completed(futures, with_results=True):
                yield res
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def run_ensemble(scenario: str | Path | Scenario, replicas: int, *, seed: int | None = None,
                 out: str | Path, batch_size: int = 1000, dask: str | None = None, workers: int | None = None,
                 progress: bool = False, db: Any = None, params: dict[str, Any] | None = None,
                 compiled: Compiled | None = None,
                 on_batch: Callable[[int], None] | None = None) -> Path:
    """Run ``replicas`` replicas of a scenario and write them to the Parquet file ``out``.

    Parameters
    ----------
    scenario : a shipped scenario's name, a YAML path, or a :class:`Scenario`
    replicas : number of replicas (at least 1)
    seed : entropy of the root ``SeedSequence``; None draws one and records it
    out : the Parquet file; finished batches stream to ``out + ".parts/"`` and a rerun resumes from them
    batch_size : replicas per batch (part of the seeding: keep it to reproduce a run)
    dask : None for the local back end, ``"local"`` for a Dask LocalCluster, or ``"tcp://HOST:PORT"``
    workers : processes of the local back end or the LocalCluster (default: all cores)
    params : parameter overrides on top of the scenario's
    compiled : the compiled inputs, when already prepared (skips reading the knowledge base)
    on_batch : called with each finished batch's index (after it is on disk)
    """
    from pactnet import __version__

    if not isinstance(replicas, int) or replicas < 1:
        raise InputError(f"replicas: expected a positive integer, got {replicas!r}")
    if not isinstance(batch_size, int) or batch_size < 1:
        raise InputError(f"batch_size: expected a positive integer, got {batch_size!r}")
    if compiled is None:
        sc, comp = prepare(scenario, db=db, params=params)
    else:
        sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        comp = compiled.with_params(**params) if params else compiled
    entropy = int(seed_sequence(seed).entropy)
    batches = _batches(replicas, batch_size, entropy)
    meta = {
        "pactnet_version": __version__, "scenario": sc.name, "scenario_hash": sc.hash, "seed": entropy,
        "batch_size": batch_size, "replicas": replicas, "partners": list(comp.partners),
        "regions": list(comp.regions), "levels": list(LEVELS), "campaigns": list(CAMPAIGNS),
        "years": [int(comp.years[0]), int(comp.years[-1])],
        "params": {k: list(v) if isinstance(v, tuple) else v for k, v in comp.params.items()},
        "spawn_keys": [list(b.seed.spawn_key) for b in batches],
    }
    out = Path(out)
    if out.exists():
        if _run_key(_read_meta(out)) == _run_key(meta):
            return out
        raise InputError(f"out: {out} exists and holds a different run; remove it or choose another file")
    parts = Path(str(out) + ".parts")
    parts.mkdir(parents=True, exist_ok=True)
    done = set()
    for f in parts.glob("batch-*.parquet"):
        if _run_key(_read_meta(f)) != _run_key(meta):
            raise InputError(f"out: {parts} holds batches of a different run; remove it or choose another file")
        done.add(int(f.stem.split("-")[1]))
    todo = [b for b in batches if b.index not in done]
    backend = _Local(workers) if dask is None else _Dask(dask, workers)

    import pyarrow.parquet as pq
    from rich.progress import Progress

    with Progress(disable=not progress, transient=False) as bar:
        task = bar.add_task(f"{sc.name}: {replicas:,} replicas", total=len(batches), completed=len(done))
        for index, first, levels, drivers in backend.results(comp, todo):
            table = _table(comp, index, first, levels, drivers, meta)
            tmp = parts / f".batch-{index:05d}.tmp"
            pq.write_table(table, tmp, compression="zstd")
            os.replace(tmp, parts / f"batch-{index:05d}.parquet")
            bar.advance(task)
            if on_batch is not None:
                on_batch(index)
    _combine(parts, out, len(batches))
    return out


def _combine(parts: Path, out: Path, n: int) -> None:
    import pyarrow.parquet as pq

    tmp = out.with_name(f".{out.name}.tmp")
    writer = None
    try:
        for b in range(n):
            table = pq.read_table(parts / f"batch-{b:05d}.parquet")
            if writer is None:
                writer = pq.ParquetWriter(tmp, table.schema, compression="zstd")
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    os.replace(tmp, out)
    shutil.rmtree(parts)


@dataclass(frozen=True)
class Ensemble:
    """A finished ensemble read back: its rows (polars) and metadata (seed, scenario hash, partners ...)."""

    frame: Any
    meta: dict

    @property
    def partners(self) -> list[str]:
        return self.meta["partners"]

    def levels(self) -> np.ndarray:
        """Levels shaped (years, replicas, partners)."""
        return self._cube("levels")

    def drivers(self) -> np.ndarray:
        return self._cube("drivers")

    def _cube(self, col: str) -> np.ndarray:
        f = self.frame.sort(["replica", "year"])
        years = f["year"].n_unique()
        flat = f[col].to_numpy()
        return flat.reshape(-1, years, len(self.partners)).transpose(1, 0, 2)


def read_ensemble(path: str | Path) -> Ensemble:
    """Read an ensemble written by :func:`run_ensemble`."""
    import polars as pl

    path = Path(path)
    if not path.exists():
        raise InputError(f"path: no such ensemble file {str(path)!r}")
    return Ensemble(pl.read_parquet(path), _read_meta(path))
