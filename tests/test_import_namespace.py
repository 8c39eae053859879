import subprocess
import sys

import pactnet


def test_package_names_are_the_module_objects():
    from pactnet import errors, kb, network, store

    for name in ("ties", "allies", "actors", "snapshot", "portfolio", "diff", "history", "events", "sources",
                 "disagreements"):
        assert getattr(pactnet, name) is getattr(network, name)
    assert pactnet.Store is store.Store and pactnet.load_kb is kb.load_kb
    assert pactnet.PactnetError is errors.PactnetError


def test_import_and_cli_module_stay_light():
    code = ("import sys, pactnet.cli; heavy = {'duckdb', 'polars', 'pandas', 'networkx', 'numpy', 'numba', "
            "'matplotlib', 'pyarrow'} & set(sys.modules); print(sorted(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
