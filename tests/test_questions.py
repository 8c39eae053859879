"""The briefing's questions, answered from the shipped knowledge base through the public API."""

from __future__ import annotations

import pytest

from tests.json_api import network


@pytest.fixture(scope="module")
def db(kb_store):
    return kb_store


def _other(t, actor):
    return t["target"] if t["source"] == actor else t["source"]


def test_gwot_partnerships_ended_or_broken_down_by_2022(db):
    formed = network.ties(patron="USA", driver="gwot", db=db)
    gone = {_other(t, "USA"): t for t in formed
            if (t["end"] is not None and t["end"] <= "2022-12-31") or t["status"] in ("broken_down", "faded")}
    gone_ids = {t["id"] for t in gone.values()} | {t["id"] for t in formed if t["end"] and t["end"] <= "2022-12-31"}
    afg = next(t for t in formed if _other(t, "USA") == "AFG" and t["level"] != "hostile")
    assert afg["end"].startswith("2021-08")
    assert "kgz-usa-manas" in gone_ids  # the temporary base in Kyrgyzstan
    central_asia = {_other(t, "USA") for t in formed if t["kind"] == "counter_terrorism"
                    and t["end"] is not None and t["end"] <= "2022-12-31"}
    assert {"KAZ", "KGZ", "TJK", "TKM", "UZB"} <= central_asia
    rus = next(t for t in formed if _other(t, "USA") == "RUS")
    assert rus["end_reason"] == "breakdown" and rus["end"] < "2005"
    pak = next(t for t in formed if _other(t, "USA") == "PAK" and t["kind"] == "counter_terrorism")
    assert pak["end_reason"] == "breakdown" and pak["status"] == "broken_down"
    # Nothing of it is left at the end of 2022 but the open-ended campaigns against IS and al-Qaeda.
    still = {t["id"] for t in network.ties(at="2022-12-31", patron="USA", driver="gwot", db=db)}
    assert not still & {afg["id"], pak["id"], rus["id"], "kgz-usa-manas"}


def test_finland_and_sweden_moved_to_seek_alliance_in_2022_05_assured_by_us_and_uk(db):
    apps = network.ties(kind="membership_application", db=db)
    by_state = {t["source"]: t for t in apps if t["target"] == "NATO"}
    assert {"FIN", "SWE"} <= set(by_state)
    for state in ("FIN", "SWE"):
        assert by_state[state]["start"].startswith("2022-05")
        # Before applying, each held a partnership with NATO but no guarantee.
        before = network.ties(at="2022-01-01", patron=state, db=db)
        assert any(t["kind"] == "partner_status" and _other(t, state) == "NATO" for t in before)
        assert all(t["level"] != "guarantee" for t in before)
        assurers = {t["source"] for t in network.ties(at="2022-06-30", partner=state, kind="security_assurance",
                                                       db=db)}
        assert assurers == {"USA", "GBR"}
        # ... until ratification: the assurance ends as the guarantee through NATO begins.
        (via,) = network.ties(at="2024-06-01", patron="USA", partner=state, kind="alliance_membership", db=db)
        assert via["via"] == "NATO"
        assurance = network.ties(patron="USA", partner=state, kind="security_assurance", db=db)[0]
        assert assurance["end"] == via["start"]


def test_what_us_and_pakistan_received_in_the_gwot(db):
    (t,) = network.ties(patron="USA", partner="PAK", kind="counter_terrorism", db=db)
    assert set(t["flows"]["USA"]) == {"intel_sharing", "overflight"}
    assert {"weapons", "pme"} <= set(t["flows"]["PAK"])
    assert {"exercises", "training"} & set(t["flows"]["PAK"])
    assert "briefing@L25" in t["sources"]


def test_ukraine_became_enhanced_opportunities_partner_2020_06_12(db):
    eop = [t for t in network.ties(patron="UKR", partner="NATO", kind="partner_status", db=db) if t["start"] >= "2020"]
    assert [t["start"] for t in eop] == ["2020-06-12"]
    assert any(s.startswith("nato-eop-ukraine-2020@") for s in eop[0]["sources"])


def test_us_afghanistan_partnership_ended_2021_08_as_driver_lost_salience(db):
    (t,) = [t for t in network.ties(patron="USA", partner="AFG", db=db) if t["kind"] != "designation"
            and t["level"] != "hostile"]
    assert t["end"].startswith("2021-08") and t["end_reason"] == "driver_lost_salience"
    assert "briefing@L33" in t["sources"]
    ended = network.diff("2021-07-01", "2021-09-30", patron="USA", db=db)["ended"]
    assert t["id"] in {x["id"] for x in ended}


def test_pakistan_exploited_us_dependence_through_the_isi(db):
    (t,) = network.ties(patron="USA", partner="PAK", kind="counter_terrorism", db=db)
    assert t["agent"] == "ISI"
    covert = network.ties(patron="ISI", kind="covert_support", db=db)
    assert [(c["source"], c["target"]) for c in covert] == [("ISI", "TALIBAN")]
    (isi,) = [a for a in network.actors(db=db) if a["id"] == "ISI"]
    assert isi["parent"] == "PAK"


def test_pakistan_turned_to_china_and_russia_after_its_fallout_with_the_us(db):
    (us,) = network.ties(patron="USA", partner="PAK", kind="counter_terrorism", db=db)
    breakdown = next(p for p in network.ties(patron="PAK", db=db) if p["id"] == us["id"])
    assert us["id"] in {h["id"] for h in network.history("PAK", db=db)}
    after = network.diff("2010-01-01", "2022-12-31", patron="PAK", db=db)
    strengthened = {_other(t, "PAK") for t in after["added"] + after["upgraded"] if t["rank"] > 0}
    assert {"CHN", "RUS"} <= strengthened
    assert breakdown["end_reason"] == "breakdown"


def test_india_bought_the_s400_deliveries_late_2021_us_threatened_sanctions(db):
    # The S-400 purchase is a phase of the one Russia-India arms-supply tie (no second tie of the same kind).
    (arms,) = network.ties(at="2022-01-01", patron="IND", partner="RUS", kind="arms_supply", db=db)
    assert arms["phase"] == "S-400 deliveries"
    (contract,) = network.ties(at="2019-06-30", patron="IND", partner="RUS", kind="arms_supply", db=db)
    assert contract["phase"] == "S-400 contract"
    deliveries = [e for e in network.events(actor="IND", kind="deployment", db=db) if "s400" in e["id"]]
    assert deliveries and deliveries[0]["date"].startswith("2021-1")
    # The record dates the CAATSA threat from October 2018; the briefing ties it to the 2021 deliveries.
    (threat,) = network.ties(patron="USA", partner="IND", kind="sanctions_threat", db=db)
    assert threat["start"].startswith("2018-10") and threat["level"] == "hostile"
    (bthreat,) = network.ties(patron="USA", partner="IND", kind="sanctions_threat", view="briefing", db=db)
    assert bthreat["start"].startswith("2021")
    # India is a US partner at the time.
    assert network.ties(at="2021-12-31", patron="USA", partner="IND", min_level="structured", db=db)


def test_aukus_2021_australia_uk_us_naval_cyber_ai(db):
    pacts = network.ties(kind="minilateral_pact", at="2021-12-31", db=db)
    aukus = [t for t in pacts if t["id"].startswith("aukus")]
    members = {a for t in aukus for a in (t["source"], t["target"])}
    assert members == {"AUS", "GBR", "USA"}
    assert all(t["start"].startswith("2021") for t in aukus)
    assert all({"naval", "cyber", "ai"} <= set(t["contents"]) for t in aukus)
    assert not network.ties(kind="minilateral_pact", at="2021-01-01", patron="AUS", db=db)


def test_southeast_asian_partners_with_closer_relations(db):
    sea = {a["id"] for a in network.actors(kind="state", db=db) if a["region"] == "southeast_asia"}
    partners = {_other(t, "USA") for t in network.ties(at="2022-06-30", patron="USA", db=db)
                if 2 <= t["rank"] <= 3 and t["via"] is None and "briefing@L63" in t["sources"]}
    assert partners & sea == {"IDN", "MYS", "SGP"}


def test_finland_and_sweden_channels_before_applying(db):
    for state in ("FIN", "SWE"):
        before = [t for t in network.ties(at="2022-05-01", patron=state, db=db) if "briefing@L49" in t["sources"]]
        channels = {_other(t, state) for t in before}
        assert {"USA", "NATO", "EU", "NORDEFCO"} <= channels, channels


def test_russia_facilitated_the_northern_distribution_network_for_afghanistan(db):
    routes = network.ties(patron="RUS", kind="transit", db=db)
    assert routes and all(t["source"] == "RUS" for t in routes)
    assert all("stabilisation" in t["drivers"] for t in routes)
    assert any("ndn" in t["id"] for t in routes)
    assert any("briefing@L23" in t["sources"] for t in routes)


def test_campaigns_behind_the_shift_to_ad_hoc_partnerships_by_decade(db):
    starts: dict[str, list[int]] = {}
    for t in network.ties(patron="USA", via=False, db=db):
        if t["level"] != "ad_hoc":
            continue
        for d in t["drivers"]:
            starts.setdefault(d, []).append(int(t["start"][:4]))
    assert {"war_on_drugs", "gwot", "counter_piracy", "stabilisation"} <= set(starts)
    # The War on Drugs partnerships start at the turn of the century (Plan Colombia, 2000), the GWOT's
    # mostly in the 2000s, counter-piracy's at the end of the 2000s and after.
    assert min(starts["war_on_drugs"]) == 2000
    gwot_decades = [y // 10 * 10 for y in starts["gwot"]]
    assert max(set(gwot_decades), key=gwot_decades.count) == 2000
    assert min(starts["counter_piracy"]) >= 2008
    # No ad hoc partnership of the US dates from the Cold War: those were guarantee-based alliances.
    assert "cold_war" not in starts and min(y for ys in starts.values() for y in ys) >= 1990


def test_vital_alliances_and_ties_since_2014(db):
    vital = {_other(t, "USA") for t in network.ties(patron="USA", view="briefing", via=False, db=db) if t["vital"]}
    assert {"NATO", "ANZUS", "JPN", "KOR", "GULF"} <= vital
    assert "PAK" not in vital and "AFG" not in vital
    assert all(t["level"] == "guarantee" for t in network.ties(patron="USA", view="briefing", via=False, db=db)
               if t["vital"])
    since = network.diff("2013-12-31", "2024-12-31", db=db)
    recent = {t["id"] for t in since["added"] + since["transient"]}
    assert {"ukr-nato-eop", "usa-fin-assurance", "usa-swe-assurance", "aukus-aus-usa", "usa-sdf",
            "via:NATO:FIN-USA", "via:NATO:SWE-USA", "via:NATO:MNE-USA"} <= recent
    assert not recent & {"usa-pak-gwot", "usa-afg-partnership", "usa-nato-membership", "ukr-nato-pfp"}


def test_camp_lemonnier_dates_by_view(db):
    (rec,) = network.ties(patron="DJI", partner="USA", kind="basing_access", db=db)
    (bri,) = network.ties(patron="DJI", partner="USA", kind="basing_access", view="briefing", db=db)
    assert rec["start"][:4] in ("2002", "2003")
    assert bri["start"][:4] == "2008"
    assert bri["sources"] == ["briefing@L23"]
    assert any(not s.startswith("briefing@") for s in rec["sources"])  # the public record
    assert network.ties(at="2005-06-01", patron="DJI", partner="USA", db=db)
    assert not network.ties(at="2005-06-01", patron="DJI", partner="USA", view="briefing", db=db)
