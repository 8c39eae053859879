"""Ensembles: the same seed gives the same rows on every back end; runs stream to Parquet and resume."""

from __future__ import annotations

import numpy as np
import pytest

from pactnet.errors import InputError
from pactnet.sim.ensemble import read_ensemble, run_ensemble

N, BATCH = 120, 40


@pytest.fixture(scope="module")
def hist(compiled):
    return compiled("historical-2000")


def run(hist, out, **kw):
    sc, comp = hist
    kw = {"seed": 5, "batch_size": BATCH, "workers": 1, **kw}
    return read_ensemble(run_ensemble(sc, kw.pop("replicas", N), out=out, compiled=comp, **kw))


@pytest.fixture(scope="module")
def reference(hist, tmp_path_factory):
    return run(hist, tmp_path_factory.mktemp("ref") / "ref.parquet")


def test_rows_and_metadata(reference, hist):
    from pactnet import __version__

    sc, comp = hist
    f, meta = reference.frame, reference.meta
    assert f.height == N * len(comp.years)
    assert f["replica"].n_unique() == N and f["batch"].n_unique() == N // BATCH
    assert meta["seed"] == 5 and meta["scenario_hash"] == sc.hash and meta["pactnet_version"] == __version__
    assert meta["spawn_keys"] == [[0], [1], [2]] and meta["partners"] == list(comp.partners)
    levels = reference.levels()
    assert levels.shape == (len(comp.years), N, comp.n)
    assert (f["n_5"].to_numpy() == (levels.transpose(1, 0, 2) == 5).sum(axis=2).reshape(-1)).all()


def test_same_seed_same_rows_different_seed_different_rows(reference, hist, tmp_path):
    again = run(hist, tmp_path / "a.parquet")
    assert again.frame.equals(reference.frame)
    other = run(hist, tmp_path / "b.parquet", seed=6)
    assert not other.frame.equals(reference.frame)


def test_the_process_pool_gives_the_same_rows(reference, hist, tmp_path):
    assert run(hist, tmp_path / "p.parquet", workers=2).frame.equals(reference.frame)


def test_a_dask_cluster_on_localhost_gives_the_same_rows(reference, hist, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, host="127.0.0.1",
                                  protocol="tcp://", dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        got = run(hist, tmp_path / "d.parquet", dask=address)
    assert got.frame.equals(reference.frame)


def test_dask_local_starts_its_own_cluster(reference, hist, tmp_path):
    pytest.importorskip("distributed")
    assert run(hist, tmp_path / "l.parquet", dask="local").frame.equals(reference.frame)


def test_an_interrupted_run_resumes_without_redoing_finished_batches(reference, hist, tmp_path):
    out = tmp_path / "r.parquet"

    class Stop(Exception):
        pass

    def interrupt(index):
        raise Stop

    with pytest.raises(Stop):
        run(hist, out, on_batch=interrupt)
    parts = list((tmp_path / "r.parquet.parts").glob("batch-*.parquet"))
    assert len(parts) == 1 and not out.exists()
    redone: list[int] = []
    got = run(hist, out, on_batch=redone.append)
    finished = int(parts[0].stem.split("-")[1])
    assert sorted(redone) == sorted(set(range(N // BATCH)) - {finished})
    assert got.frame.equals(reference.frame)
    assert not (tmp_path / "r.parquet.parts").exists()


def test_a_different_run_into_the_same_file_is_refused(hist, tmp_path):
    out = tmp_path / "x.parquet"
    run(hist, out)
    with pytest.raises(InputError, match="holds a different run"):
        run(hist, out, seed=99)


def test_bad_arguments(hist, tmp_path):
    with pytest.raises(InputError, match="replicas: expected a positive integer"):
        run(hist, tmp_path / "y.parquet", replicas=0)
    with pytest.raises(InputError, match="dask: expected 'local' or a scheduler address"):
        run(hist, tmp_path / "z.parquet", dask="yarn")


def test_replicas_differ_within_a_run(reference):
    levels = reference.levels()
    assert len({levels[:, r].tobytes() for r in range(N)}) > N * 0.9
    assert np.unique(levels[-1].sum(axis=1)).size > 3


def test_a_negative_seed_is_refused(hist, tmp_path):
    with pytest.raises(InputError, match="seed: expected a non-negative integer"):
        run(hist, tmp_path / "s.parquet", seed=-1)
