import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pactnet import schema as S


@pytest.mark.parametrize(
    ("text", "lo", "hi", "precision"),
    [
        ("2022-05-18", dt.date(2022, 5, 18), dt.date(2022, 5, 18), "day"),
        ("2022-05", dt.date(2022, 5, 1), dt.date(2022, 5, 31), "month"),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "month"),
        ("2008", dt.date(2008, 1, 1), dt.date(2008, 12, 31), "year"),
        ("~2002", dt.date(2002, 1, 1), dt.date(2002, 12, 31), "approximate"),
        (1979, dt.date(1979, 1, 1), dt.date(1979, 12, 31), "year"),
    ],
)
def test_parse_date(text, lo, hi, precision):
    d = S.parse_date(text)
    assert (d.lo, d.hi, d.precision) == (lo, hi, precision)


@pytest.mark.parametrize("bad", ["2022-13", "2022-02-30", "May 2022", "22-05-01", "", None, 3.5, "2022/05"])
def test_parse_date_rejects(bad):
    with pytest.raises(ValueError):
        S.parse_date(bad)


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_day_dates_round_trip(d):
    fd = S.parse_date(d.isoformat())
    assert fd.lo == fd.hi == d and fd.precision == "day"
    assert S.parse_date(f"{d.year:04d}-{d.month:02d}").lo <= d <= S.parse_date(f"{d.year:04d}-{d.month:02d}").hi


@given(st.text(max_size=12))
def test_parse_date_never_raises_anything_but_valueerror(text):
    try:
        S.parse_date(text)
    except ValueError:
        pass


@pytest.mark.parametrize(
    ("value", "expected"),
    [("briefing@L23", ("briefing", "L23")), ({"source": "treaty", "locator": "Art. 5"}, ("treaty", "Art. 5")),
     ("mnna@22 U.S.C. 2321k(b)", ("mnna", "22 U.S.C. 2321k(b)"))],
)
def test_parse_citation(value, expected):
    c = S.parse_citation(value)
    assert (c.source, c.locator) == expected


@pytest.mark.parametrize("bad", ["briefing", "briefing@", "@L3", {"source": "x"}, 5])
def test_citation_needs_source_and_locator(bad):
    with pytest.raises(ValueError):
        S.parse_citation(bad)


def test_ladder_order():
    assert [S.level_rank(x) for x in S.LEVELS] == [5, 4, 3, 2, 1, -1]
    assert all(lv in S.LEVEL_RANK for _, lv in S.TIE_KINDS.values())
