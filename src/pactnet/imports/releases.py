"""Known releases: the official files of each supported dataset release, recognised by checksum.

Each file an importer reads is looked up here: a file whose checksum (sha256 of its text, line endings
normalised, so a copy whose line endings were converted still matches) is a known release file is reported
as ``verified: ATOP 5.1 member file``; a file that carries the name of a release file but another checksum is
reported as differing from the release, with the rows expected and found (a file cut off at a row boundary
parses cleanly: this is how it shows).

The checksums and row counts were computed from the unmodified release files (ATOP 5.1 from atopdata.org as
re-posted in jandresgannon/DoDL; COW State System v2016; the COW, Gleditsch-Ward and covariate tables converted
by peacesciencer 1.2.9), listed in the test data's ``PROVENANCE.md``.
"""

from __future__ import annotations

import warnings
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pactnet.imports._io import SourceFile

__all__ = ["Release", "RELEASES", "check_release", "collecting", "DatasetWarning"]


class DatasetWarning(UserWarning):
    """A dataset file differs from the official release it is named after."""


@dataclass(frozen=True)
class Release:
    """One official file: what it is, its file name and its number of data rows."""

    label: str
    name: str
    rows: int


#: sha256 of the normalised text -> the release file.
RELEASES: dict[str, Release] = {
    "b13b70c7b07e8316b70a7d64b084780510d934edc9785f46496dfabfdc8a440b":
        Release("ATOP 5.1 member file", "atop5_1m.csv", 2510),
    "cc6026b7ea8094d4c172c46ddc555fb7809eb675450ac83738ea801a0407e59a":
        Release("ATOP 5.1 alliance file", "atop5_1a.csv", 789),
    "518ae55af3f5dc40e23403dceeae7990dcf6fb605dd708078f09902a59e5fdcc":
        Release("COW State System Membership v2016 state-years", "system2016.csv", 15950),
    "76733bacf602007038b72e2ebec24d37a34ba6dc36793eb7c894af82e952f735":
        Release("COW state list (peacesciencer 1.2.9 cow_states)", "cow_states.csv", 243),
    "0b897644a04ed9346a839477db81d0b51a6f56f8f3d983084d3bf36a0bb4e6f8":
        Release("COW state system (isard cw_system)", "cw_system.csv", 243),
    "80e062971052837012f0a76849e4c6642d4680ce60cfc910125d7fb1534f028d":
        Release("Gleditsch-Ward state list (peacesciencer 1.2.9 gw_states)", "gw_states.csv", 216),
    "f0d01c94b61c4c1466ce82fe83136910c1f5db04b3d2944b185b0e18cb26b2c5":
        Release("Gleditsch-Ward state system (isard gw_system)", "gw_system.csv", 239),
    "e7c2bbe153ba471a1382722e08faa1cb41951185210fc574e80578782d404f8e":
        Release("COW to Gleditsch-Ward crosswalk (isard cw_gw_panel)", "cw_gw_panel.csv", 17916),
    "d47ef4a060a2ce611ad4343240dbea5a47fc99e7da2619ce74a75bb0dd59e41c":
        Release("Gleditsch-Ward to COW crosswalk (isard gw_cw_panel)", "gw_cw_panel.csv", 20990),
    "684646296af189a77374b375c5611ed37c41228e6146ff227b58fa7804a9ba07":
        Release("COW National Material Capabilities v7.0 (peacesciencer 1.2.9)", "cow_nmc_v7.csv.gz", 17121),
    "1fbc6601fdb72823da4d0eb260028abc7a1de02c9b444b86175d699554ee2ae9":
        Release("COW Direct Contiguity v3.2 (peacesciencer 1.2.9 cow_contdir)", "cow_contdir.csv", 1874),
    "ec77f12e94d822e0213d8708b8fd13dd1fb32a4579dfaef082d3a53d4c77872e":
        Release("Thompson and Dreyer strategic rivalries (peacesciencer 1.2.9 td_rivalries)", "td_rivalries.csv",
                197),
}
_BY_NAME = {r.name.lower(): r for r in RELEASES.values()}

#: The release checks of the dataset being read (see :func:`collecting`).
_NOTES: ContextVar[list[str] | None] = ContextVar("pactnet_release_notes", default=None)


def check_release(src: SourceFile, rows: int) -> str | None:
    """``verified: <release file>``, a warning that the file differs from the release it is named after
    (rows expected and found; also issued as a :class:`DatasetWarning`), or ``None`` for a file of no known
    release. The result is also added to the list of :func:`collecting`, if one is open."""
    release = RELEASES.get(src.sha256)
    if release is not None:
        note = f"verified: {release.label} ({src.name})"
    else:
        release = _BY_NAME.get(src.name.lower())
        if release is None:
            return None
        detail = ("the same number of rows, other contents" if rows == release.rows else
                  f"expected {release.rows:,} rows, found {rows:,}" + ("; cut off?" if rows < release.rows else ""))
        note = f"warning: {src.name} differs from the {release.label} ({detail})"
        warnings.warn(note.removeprefix("warning: "), DatasetWarning, stacklevel=3)
    notes = _NOTES.get()
    if notes is not None:
        notes.append(note)
    return note


class collecting:
    """``with collecting() as notes:``: the release checks of the files read in the block, in order."""

    def __enter__(self) -> list[str]:
        self._token = _NOTES.set([])
        return _NOTES.get()  # type: ignore[return-value]

    def __exit__(self, *exc: object) -> None:
        _NOTES.reset(self._token)
