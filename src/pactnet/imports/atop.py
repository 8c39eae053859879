"""ATOP 5.1 (Alliance Treaty Obligations and Provisions; Leeds et al. 2002): member-level file to ties,
directed dyad-years and state-years.

The member-level file ``atop5_1m.csv`` has one row per member, alliance and phase. From it:

* :func:`atop_dyad_years` derives ATOP's directed dyad-years (``atop5_1ddyr``) - two members form a
  dyad-year when their memberships of the same alliance phase overlap for at least one day of that year
  (strictly: a membership ending the day the other begins is no overlap); when a member's alliance
  changes phase within a year, that year takes the obligations of the later phase. The obligations
  of ``ccode1`` towards ``ccode2`` are ``ccode1``'s own obligations in that alliance, maximised over
  alliances. ATOP's own directed files use a dyad-level coding of to whom each obligation is owed in
  asymmetric alliances, which the member file does not carry: see ``docs/datasets.md`` for the list.
* :func:`read_official_dyad_years` reads ATOP's own directed dyad-year file ``atop5_1ddyr.csv`` when the
  release holds it (variables in the codebook's order, section 2.7: ``ddyad, year, atopally, defense, offense,
  neutral, nonagg, consul, shareob, transyr, bilatno, multino, number, asymm, atopid1 .. atopid9, stateA,
  stateB, version``; the checked columns are ``year, defense .. consul`` in that order and ``stateA, stateB``,
  after them or before). :func:`read` stores it as table ``atop_ddyr``; the panels then use it instead of the
  derivation, so every cell equals ATOP's coding. :func:`asymmetric_alliances` lists the alliances whose derived cells
  may differ from it.
* :func:`atop_state_years` derives ``atop5_1sy`` (one row per allied state-year).
* :func:`atop_ties` gives one undirected tie per pair of members per alliance phase, with both sides'
  obligations kept in ``attrs``.

Obligation -> commitment ladder: ``defense`` or ``offense`` -> ``guarantee`` (kind
``mutual_defense_treaty``); ``neutral``, ``nonagg`` or ``consul`` only -> ``structured`` (kind
``neutrality_pact``, ``nonaggression_pact`` or ``consultation_pact``, by the strongest obligation). Reasons in
``docs/datasets.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pactnet.imports._codes import COW_CODES, actor_expr
from pactnet.imports._io import Col, Imported, check_rows, find_file, read_csv_checked

if TYPE_CHECKING:
    from pathlib import Path

    import polars as pl

    from pactnet.imports._io import SourceFile

__all__ = [
    "NAME",
    "VERSION",
    "OBLIGATIONS",
    "read",
    "read_members",
    "atop_dyad_years",
    "atop_state_years",
    "atop_ties",
    "read_official_dyad_years",
    "read_dyad_years",
    "asymmetric_alliances",
]

NAME = "atop"
VERSION = "5.1"
URL = "https://www.atopdata.org/uploads/6/9/1/3/69134503/atop_5.1__.csv_.zip"
OBLIGATIONS = ("defense", "offense", "neutral", "nonagg", "consul")
#: ATOP's data end: alliances in force are coded as of this day.
END_DATE = (2018, 12, 31)
FIRST_YEAR, LAST_YEAR = 1815, 2018
#: ATOP codes that are not COW codes (Annam, ATOPID 1320; dropped from ATOP's dyadic files).
NON_COW_CODES = frozenset({8152})

MEMBER_HEADER = (
    "atopid,cowid,cow4id,member,cowsys,yrent,moent,dayent,yrexit,moexit,dayexit,ineffect,bilat,phase,maxphase,"
    "wartime,cowwar,estmode,pubsecr,secrart,proadd,futmem,speclgth,length,renounce,proren,renewlgt,term,"
    "termmode,termcaus,defense,offense,neutral,nonagg,consul,active,conditio,defcon,offcon,neucon,concon,"
    "defcoadv,defcoloc,defcocon,defconum,defcodem,defconpr,offcoadv,offcoloc,offcocon,offconum,offcodem,"
    "neucoadv,neucoloc,neucocon,neuconum,neucodem,neuconpr,neucoatt,concoadv,concoloc,concocon,concoreq,"
    "olimob,asymm,obvary,notaiden,dipaid,terrres,seppeace,thirdcom,noothall,specthrt,statthr1,statthr2,"
    "conwtin,medarb,milcon,milaid,intcom,subord,organ1,orgpurp1,organ2,orgpurp2,base,contrib,armred,acqterr,"
    "divgains,demwith,reflnun,refothio,natrefal,compag,nomicoop,conres,agprois,conmen,ecaid,interv,source,"
    "new5,rev5,version"
).split(",")

_B = frozenset({0, 1})
_TERM = {1: "expired", 2: "superseded", 3: "breakdown", 4: "dissolution", 5: "termination", 6: "termination"}


def _member_columns() -> list[Col]:
    def years(lo: int, hi: int, zero: bool = False):
        return lambda e: ((e >= lo) & (e <= hi)) | ((e == 0) if zero else False)

    return [
        Col("atopid", nullable=False, check=lambda e: (e >= 1000) & (e <= 9999), expected="a 4-digit ATOP id"),
        Col("cowid"),
        Col("cow4id"),
        Col("member", nullable=False, allowed=COW_CODES | NON_COW_CODES, expected="a COW country code"),
        Col("cowsys", allowed=_B),
        Col("yrent", nullable=False, check=years(FIRST_YEAR, LAST_YEAR), expected="an entry year 1815-2018"),
        Col("moent", nullable=False, check=years(1, 12), expected="a month 1-12"),
        Col("dayent", check=years(1, 31), expected="a day 1-31 or blank"),
        Col("yrexit", nullable=False, check=years(FIRST_YEAR, LAST_YEAR, True), expected="an exit year or 0"),
        Col("moexit", nullable=False, check=years(0, 12), expected="a month 0-12"),
        Col("dayexit", check=years(0, 31), expected="a day 0-31 or blank"),
        Col("ineffect", nullable=False, allowed=_B),
        Col("bilat", allowed=_B),
        Col("phase", nullable=False, check=years(0, 9), expected="a phase number 0-9"),
        Col("maxphase"),
        Col("termmode"),
        Col("termcaus"),
        *[Col(o, nullable=False, allowed=_B, expected="0 or 1") for o in OBLIGATIONS],
        Col("active"),
        Col("conditio"),
        Col("defcon"),
        Col("offcon"),
        Col("neucon"),
        Col("concon"),
        Col("asymm"),
        Col("obvary"),
        Col("version", kind="str"),
    ]


def _dates(df: pl.DataFrame, file: str) -> pl.DataFrame:
    """Add ``entry``/``exit`` dates (exit 2018-12-31 while in force) and their precisions; check them."""
    import polars as pl

    month_len = pl.date(pl.col("yrent"), pl.col("moent"), 1).dt.month_end().dt.day()
    check_rows(df, df.select((pl.col("dayent") > month_len).fill_null(False)).to_series(), file,
               column="dayent", expected="a day that exists in that month")
    open_ = pl.col("yrexit") == 0
    check_rows(df, df.select(~open_ & (pl.col("moexit") == 0)).to_series(), file, column="moexit",
               expected="an exit month 1-12 when yrexit is not 0")
    xlen = pl.date(pl.col("yrexit").clip(1, None), pl.col("moexit").clip(1, 12), 1).dt.month_end().dt.day()
    check_rows(df, df.select((~open_ & (pl.col("dayexit") > xlen)).fill_null(False)).to_series(), file,
               column="dayexit", expected="a day that exists in that month")
    df = df.with_columns(
        entry=pl.date(pl.col("yrent"), pl.col("moent"), pl.col("dayent").fill_null(1)),
        entry_precision=pl.when(pl.col("dayent").is_null()).then(pl.lit("month")).otherwise(pl.lit("day")),
        exit=pl.when(open_)
        .then(pl.date(*END_DATE))
        .when(pl.col("dayexit").is_null() | (pl.col("dayexit") == 0))
        .then(pl.date(pl.col("yrexit").clip(1, None), pl.col("moexit").clip(1, 12), 1).dt.month_end())
        .otherwise(pl.date(pl.col("yrexit").clip(1, None), pl.col("moexit").clip(1, 12),
                           pl.col("dayexit").clip(1, 31))),
        exit_precision=pl.when(open_)
        .then(pl.lit("open"))
        .when(pl.col("dayexit").is_null() | (pl.col("dayexit") == 0))
        .then(pl.lit("month"))
        .otherwise(pl.lit("day")),
    )
    check_rows(df, df["exit"] < df["entry"], file, column="yrexit",
               expected="an exit date on or after the entry date",
               found=[f"{x} before entry {e}" for x, e in zip(df["exit"], df["entry"], strict=True)])
    return df


def read_members(path: str | Path) -> tuple[pl.DataFrame, str]:
    """Parse and check the member-level file found at ``path`` (zip, folder or file)."""
    src = find_file(path, ["atop5_1m.csv", "atop*m.csv"], what="the ATOP member-level file atop5_1m.csv")
    df = read_csv_checked(src, _member_columns(), header="exact", exact_header=MEMBER_HEADER, keep_all=True)
    return _dates(df, src.name), src.name


_DDYR = ("atop5_1ddyr.csv", "atop*ddyr.csv")


def read_official_dyad_years(src: SourceFile) -> pl.DataFrame:
    """ATOP's own directed dyad-years (``atop5_1ddyr.csv``) as ``ccode1, ccode2, year, atop_defense ..
    atop_consul`` (``stateA`` owes ``stateB``), sorted; codes that are not COW codes are dropped."""
    import polars as pl

    b = dict(nullable=False, allowed=_B, expected="0 or 1")
    code = dict(nullable=False, allowed=COW_CODES | NON_COW_CODES, expected="a COW country code")
    cols = [Col("year", nullable=False, check=lambda e: (e >= FIRST_YEAR) & (e <= LAST_YEAR),
                expected=f"a year {FIRST_YEAR}-{LAST_YEAR}"),
            *[Col(o, **b) for o in OBLIGATIONS]]
    pair = [Col("stateA", **code), Col("stateB", **code)]
    # The codebook lists stateA, stateB after the obligations; a file with them first is read as well.
    head = [c.strip().lower() for c in src.data.split(b"\n", 1)[0].decode("utf-8", "replace").split(",")]
    first = "statea" in head and "year" in head and head.index("statea") < head.index("year")
    df = read_csv_checked(src, pair + cols if first else cols + pair)
    dup = df.select(pl.struct("stateA", "stateB", "year").is_duplicated()).to_series()
    check_rows(df, dup, src.name, column="year", expected="one row per directed dyad-year")
    return df.filter(~pl.col("stateA").is_in(list(NON_COW_CODES)) & ~pl.col("stateB").is_in(list(NON_COW_CODES))
                     ).select(
        pl.col("stateA").cast(pl.Int32).alias("ccode1"), pl.col("stateB").cast(pl.Int32).alias("ccode2"),
        pl.col("year").cast(pl.Int32), *[pl.col(o).cast(pl.Int8).alias(f"atop_{o}") for o in OBLIGATIONS],
    ).sort("ccode1", "ccode2", "year")


def read_dyad_years(path: str | Path) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """The directed dyad-years of the release at ``path``: ATOP's own file when the release holds it (then
    ``(frame, None)``), else derived from the member file (then ``(frame, members)``)."""
    official = find_file(path, _DDYR, what="the ATOP directed dyad-year file", required=False)
    if official is not None and official.name.lower().endswith("ddyr.csv"):
        return read_official_dyad_years(official), None
    members, _ = read_members(path)
    return atop_dyad_years(members), members


def asymmetric_alliances(members: pl.DataFrame) -> list[int]:
    """ATOPIDs of the alliances coded asymmetric (``asymm = 1``) whose members' obligations differ within a
    phase: there the member file cannot say to whom an obligation is owed, so derived directed cells may
    differ from ATOP's own file (in 5.1, 421 cells of 10 of these 56 alliances do: ``docs/datasets.md``)."""
    import polars as pl

    if "asymm" not in members.columns:
        return []
    g = members.filter(pl.col("asymm") == 1).group_by("atopid", "phase").agg(
        pl.any_horizontal(*[pl.col(o).n_unique() > 1 for o in OBLIGATIONS]).alias("varies"))
    return sorted(int(a) for a in g.filter(pl.col("varies"))["atopid"].unique())


def read(path: str | Path) -> Imported:
    """Read ATOP from ``path``: ``atop5_1m.csv`` (required), ``atop5_1a.csv`` (alliance level, optional) and
    ``atop5_1ddyr.csv`` (ATOP's own directed dyad-years, optional: stored as ``atop_ddyr``)."""
    import polars as pl

    members, file = read_members(path)
    tables = {"members": members.drop("entry_precision", "exit_precision")}
    alliances = find_file(path, ["atop5_1a.csv", "atop*a.csv"], what="the ATOP alliance-level file", required=False)
    if alliances is not None and alliances.name != file:
        a = read_csv_checked(
            alliances,
            [Col("atopid", nullable=False), Col("cowid"), Col("cow4id"), Col("begyr", nullable=False),
             Col("begmo"), Col("begday"), Col("endyr", nullable=False), Col("endmo"), Col("endday"),
             Col("ineffect", allowed=_B), Col("bilat", allowed=_B), Col("maxphase")],
            keep_all=True,
        )
        tables["alliances"] = a.with_columns(pl.lit(alliances.name).alias("source_file"))
    tables["dyad_years"] = atop_dyad_years(members)
    official = find_file(path, _DDYR, what="the ATOP directed dyad-year file", required=False)
    if official is not None and official.name != file and official.name.lower().endswith("ddyr.csv"):
        tables["ddyr"] = read_official_dyad_years(official)
    tables["state_years"] = atop_state_years(members)
    ties = atop_ties(members, file)
    files = [file] + ([alliances.name] if "alliances" in tables else []) + ([official.name] if "ddyr" in tables else [])
    meta = {"dataset": NAME, "version": VERSION, "files": files, "rows": members.height, "url": URL,
            "dyad_years_from": official.name if "ddyr" in tables else f"{file} (derived)"}
    return Imported(NAME, tables, ties, meta)


def _member_frame(members: pl.DataFrame) -> pl.DataFrame:
    import polars as pl

    if "entry" not in members.columns:  # a stored members table without derived dates
        members = _dates(members, "atop members")
    return members.select(
        "atopid", "phase", "member", "entry", "exit", "source_row", *OBLIGATIONS,
        pl.col("entry").dt.year().alias("y0"), pl.col("exit").dt.year().alias("y1"),
    )


def _pairs(m: pl.DataFrame) -> pl.DataFrame:
    """Every ordered pair of distinct members of the same alliance phase whose memberships overlap."""
    import polars as pl

    a = m.rename({c: f"{c}_a" for c in m.columns if c not in ("atopid", "phase")})
    b = m.rename({c: f"{c}_b" for c in m.columns if c not in ("atopid", "phase")})
    j = a.join(b, on=["atopid", "phase"]).filter(pl.col("member_a") != pl.col("member_b"))
    j = j.with_columns(
        lo=pl.max_horizontal("entry_a", "entry_b"), hi=pl.min_horizontal("exit_a", "exit_b")
    ).filter(pl.col("lo") < pl.col("hi"))
    return j


def atop_dyad_years(members: pl.DataFrame, *, keep_non_cow: bool = False) -> pl.DataFrame:
    """ATOP directed dyad-years from the member-level table (``ccode1`` owes the obligations to ``ccode2``).

    Columns ``ccode1, ccode2, year`` (Int32) and ``atop_defense`` .. ``atop_consul`` (Int8), sorted.
    Codes that are not COW codes (8152) are dropped unless ``keep_non_cow``.
    """
    import polars as pl

    m = _member_frame(members)
    if not keep_non_cow:
        m = m.filter(~pl.col("member").is_in(list(NON_COW_CODES)))
    j = _pairs(m).select(
        "atopid", "member_a", "member_b", "lo", *[f"{o}_a" for o in OBLIGATIONS],
        year=pl.int_ranges(pl.col("lo").dt.year(), pl.col("hi").dt.year() + 1),
    ).explode("year")
    # Within a year, the phase in force last gives the obligations.
    j = j.filter(pl.col("lo") == pl.col("lo").max().over("atopid", "member_a", "member_b", "year"))
    out = j.group_by("member_a", "member_b", "year").agg(
        [pl.col(f"{o}_a").max().cast(pl.Int8).alias(f"atop_{o}") for o in OBLIGATIONS]
    )
    return out.select(
        pl.col("member_a").cast(pl.Int32).alias("ccode1"),
        pl.col("member_b").cast(pl.Int32).alias("ccode2"),
        pl.col("year").cast(pl.Int32),
        *[f"atop_{o}" for o in OBLIGATIONS],
    ).sort("ccode1", "ccode2", "year")


def atop_state_years(members: pl.DataFrame) -> pl.DataFrame:
    """ATOP state-years (``atop5_1sy``): ``state, year, atopally, defense .. consul, number``.

    A state-year exists when the state is in at least one alliance at some point of the year; the
    obligations are those of the phase in force last in the year; ``number`` counts distinct alliances.
    """
    import polars as pl

    m = _member_frame(members).filter(~pl.col("member").is_in(list(NON_COW_CODES)))
    e = m.with_columns(year=pl.int_ranges("y0", pl.col("y1") + 1)).explode("year")
    e = e.filter(pl.col("entry") == pl.col("entry").max().over("atopid", "member", "year"))
    out = e.group_by("member", "year").agg(
        *[pl.col(o).max().cast(pl.Int8) for o in OBLIGATIONS],
        pl.col("atopid").n_unique().cast(pl.Int32).alias("number"),
    )
    return out.select(
        pl.col("member").cast(pl.Int32).alias("state"), pl.col("year").cast(pl.Int32),
        pl.lit(1, dtype=pl.Int8).alias("atopally"), *OBLIGATIONS, "number",
    ).sort("state", "year")


def atop_ties(members: pl.DataFrame, file: str = "atop5_1m.csv") -> pl.DataFrame:
    """One undirected tie per pair of members per alliance phase (``id`` ``atop:<atopid>[p<phase>]:<c1>-<c2>``)."""
    import polars as pl

    from pactnet.imports._ties import period_start
    from pactnet.store import check_ties

    m = members.select(
        "atopid", "phase", "member", "entry", "exit", "entry_precision", "exit_precision", "source_row",
        *OBLIGATIONS, "ineffect", "termmode", "cowid", "cow4id", "asymm", "bilat", "conditio", "defcon",
        "offcon", "neucon", "concon",
    )
    j = _pairs(m).filter(pl.col("member_a") < pl.col("member_b"))
    guar = pl.max_horizontal(*[pl.col(f"{o}_{s}") for o in ("defense", "offense") for s in "ab"]) == 1

    def either(o: str) -> pl.Expr:
        return (pl.col(f"{o}_a") == 1) | (pl.col(f"{o}_b") == 1)

    a_first = pl.col("exit_a") <= pl.col("exit_b")
    end_open = (pl.col("exit_precision_a") == "open") & (pl.col("exit_precision_b") == "open")
    termmode = pl.when(a_first).then(pl.col("termmode_a")).otherwise(pl.col("termmode_b"))
    pid = pl.when(pl.col("phase") > 0).then(pl.format("p{}", pl.col("phase"))).otherwise(pl.lit(""))
    side = lambda s: pl.struct(*[pl.col(f"{o}_{s}").alias(o) for o in OBLIGATIONS])  # noqa: E731
    attrs = pl.struct(
        pl.lit("atop").alias("dataset"), pl.lit(VERSION).alias("version"), pl.col("atopid"), pl.col("phase"),
        pl.col("cowid_a").alias("cowid"), pl.col("cow4id_a").alias("cow4id"),
        pl.struct(side("a").alias("source"), side("b").alias("target")).alias("obligations"),
        pl.struct(*[pl.col(f"{c}_a").alias(c) for c in ("conditio", "defcon", "offcon", "neucon", "concon")])
        .alias("conditions"),
        pl.col("asymm_a").alias("asymm"), pl.col("bilat_a").alias("bilat"),
    ).struct.json_encode()
    ties = j.select(
        pl.format("atop:{}{}:{}-{}", "atopid", pid, "member_a", "member_b").alias("id"),
        pl.lit("record").alias("view"),
        actor_expr("member_a").alias("source"),
        actor_expr("member_b").alias("target"),
        pl.when(pl.col("member_a").is_in(list(COW_CODES))).then(pl.col("member_a")).cast(pl.Int32).alias("source_ccode"),
        pl.when(pl.col("member_b").is_in(list(COW_CODES))).then(pl.col("member_b")).cast(pl.Int32).alias("target_ccode"),
        pl.lit(False).alias("directed"),
        pl.when(guar).then(pl.lit("mutual_defense_treaty"))
        .when(either("neutral")).then(pl.lit("neutrality_pact"))
        .when(either("nonagg")).then(pl.lit("nonaggression_pact"))
        .otherwise(pl.lit("consultation_pact")).alias("kind"),
        pl.lit([], dtype=pl.List(pl.String)).alias("drivers"),
        pl.when((pl.col("defense_a") == 1) | (pl.col("defense_b") == 1))
        .then(pl.lit(["defense_guarantee"], dtype=pl.List(pl.String)))
        .otherwise(pl.lit([], dtype=pl.List(pl.String))).alias("contents"),
        pl.col("lo").alias("start"),
        pl.when(pl.col("entry_a") >= pl.col("entry_b")).then("entry_precision_a").otherwise("entry_precision_b")
        .alias("start_precision"),
        pl.when(end_open).then(None).otherwise(pl.col("hi")).alias("end"),
        pl.when(end_open).then(None).when(a_first).then("exit_precision_a").otherwise("exit_precision_b")
        .alias("end_precision"),
        pl.when(end_open).then(None)
        .otherwise(termmode.replace_strict(_TERM, default="superseded", return_dtype=pl.String)).alias("end_reason"),
        pl.lit(None, dtype=pl.String).alias("via"),
        pl.concat_list(
            pl.format("{}@{} row {}", pl.lit(f"{NAME}-{VERSION}"), pl.lit(file), "source_row_a"),
            pl.format("{}@{} row {}", pl.lit(f"{NAME}-{VERSION}"), pl.lit(file), "source_row_b"),
        ).alias("sources"),
        attrs.alias("attrs"),
    )
    # A member listed twice in one phase (re-entry) gives a second tie: number it.
    n = pl.int_range(pl.len()).over("id")
    ties = ties.with_columns(pl.when(n > 0).then(pl.format("{}#{}", "id", n + 1)).otherwise("id").alias("id"),
                             period_start(pl.col("end"), pl.col("end_precision")).alias("end"))
    return check_ties(ties.sort("id"), NAME)
