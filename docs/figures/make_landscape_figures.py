"""Regenerate the ASEAN figure of docs/landscape.md from the knowledge base and COW capabilities.

    python docs/figures/make_landscape_figures.py /path/to/cow_nmc_v7.csv.gz

Prints the minima and each actor's alignment class (blocs: "US alliances" = USA, PHL, THA on side 0;
"China" = CHN on side 1).
"""

from __future__ import annotations

import sys
from pathlib import Path

from pactnet.landscape import Bloc, classify_alignment, landscape_from_kb, orient, plot_alignment, solve

HERE = Path(__file__).resolve().parent
ACTORS = ["USA", "CHN", "IDN", "MYS", "PHL", "SGP", "THA", "VNM", "KHM", "LAO", "MMR"]
BLOCS = [Bloc("US alliances", ("USA", "PHL", "THA"), 0), Bloc("China", ("CHN",), 1)]


def main(capabilities: str) -> None:
    land = landscape_from_kb("2022-12-31", ACTORS, capabilities=capabilities)
    result = solve(land)
    best = result.minima[0]
    x = orient(land, best.config, BLOCS)
    classes = classify_alignment(land, BLOCS)
    for m in result.minima:
        print(f"E = {m.energy:.6f}  basin = {m.basin}")
    for lab in land.labels:
        c = classes[lab]
        fields = ", ".join(f"{b} {v:.3f}" for b, v in c["fields"].items())
        print(f"{lab}: {c['class']} ({fields}; adverse {c['adverse']:.3f} from {c['adverse_from']})")
    plot_alignment(land, x, HERE / "landscape-asean-2022.png",
                   title="ASEAN states between the US and China: KB ties at 2022-12-31, CINC 2022 (lowest minimum)",
                   side_names=["with the US", "with China"], classes={k: v["class"] for k, v in classes.items()})


if __name__ == "__main__":
    main(sys.argv[1])
