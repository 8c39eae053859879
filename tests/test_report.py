"""The demo's briefing-style summary is computed from the data."""

from pactnet.report import portfolio_summary


def test_summary_lists_portfolio_and_change(kb_store):
    text = portfolio_summary("USA", start=1990, end=2024, change=(2006, 2022), db=kb_store)
    lines = text.splitlines()
    assert lines[0] == "USA security ties by commitment level, 1990-2024 (view: record)"
    years = [ln for ln in lines if ln.strip()[:4].isdigit() and len(ln.split()) == 8]
    assert [int(ln.split()[0]) for ln in years] == list(range(1990, 2025))
    # GWOT partnerships came and went: ad hoc ties rise after 2001 and fall back after the withdrawals.
    ad_hoc = {int(ln.split()[0]): int(ln.split()[4]) for ln in years}
    assert ad_hoc[2000] < ad_hoc[2003] and ad_hoc[2022] < ad_hoc[2010]
    assert "usa-afg-partnership" in text and "driver lost salience" in text
    assert "[usa-fin-assurance]" in text and "Formed and ended in between" in text
