"""Rebuild ``src/pactnet/web/assets/topojson/world_110m.json`` from Natural Earth via the npm package world-atlas.

Run once by a maintainer, not at install or run time:

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    pip install --target /tmp/pyc pycountry
    PYTHONPATH=/tmp/pyc python tools/vendor_world_topojson.py package/countries-110m.json

world-atlas (ISC licence, (c) Mike Bostock) packages Natural Earth 1:110m admin-0 countries (public domain) as
TopoJSON with ISO 3166-1 numeric ids. plotly.js matches ``locationmode="ISO-3"`` against feature ids and draws the
base map from the objects ``land`` and ``coastlines``, so this script renames the ids to ISO-3 letter codes
(pycountry, used only here), adds ``coastlines`` as the land outline and empty ``ocean``, ``lakes``, ``rivers`` and
``subunits`` layers (plotly.js reads every layer it may draw). Three features have no ISO code in Natural Earth:
Kosovo gets ``XKX`` (a code from the user-assigned range), Northern Cyprus and Somaliland keep no id.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/pactnet/web/assets/topojson/world_110m.json"


def main(src: str) -> None:
    import pycountry

    topo = json.loads(Path(src).read_text())
    for geom in topo["objects"]["countries"]["geometries"]:
        num = geom.get("id")
        name = geom.get("properties", {}).get("name")
        if num is None:
            geom["id"] = "XKX" if name == "Kosovo" else None
            if geom["id"] is None:
                geom.pop("id")
            continue
        country = pycountry.countries.get(numeric=num)
        if country is None:
            raise SystemExit(f"no ISO-3 code for numeric id {num} ({name})")
        geom["id"] = country.alpha_3
    topo["objects"]["coastlines"] = topo["objects"]["land"]
    for layer in ("ocean", "lakes", "rivers", "subunits"):  # layers plotly.js may ask for; not drawn here
        topo["objects"].setdefault(layer, {"type": "GeometryCollection", "geometries": []})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(topo, separators=(",", ":")))
    print(f"{OUT}: {len(topo['objects']['countries']['geometries'])} countries, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
