"""The shipped knowledge base after the issue-9 audit: each fixed date, view, citation, duplicate, succession,
driver and addition, checked against the records (one test per fix, named after it)."""

from __future__ import annotations

import pytest

from pactnet.kb import load_kb
from pactnet.kb.rules import exclusive_end


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def _tie(kb, tid, view="record"):
    return next(t for t in kb.ties if t["id"] == tid and t["view"] == view)


def _views(kb, tid):
    return {t["view"] for t in kb.ties if t["id"] == tid}


def _event(kb, eid, view="record"):
    return next(e for e in kb.events if e["id"] == eid and e["view"] == view)


# --- dates


def test_us_forces_came_under_isaf_in_2006(kb):
    t = _tie(kb, "usa-isaf")
    assert t["start"].text == "2006-07-31"
    assert [p["start"].text for p in t["phases"]] == ["2006-07-31", "2006-10-05"]
    assert "usa-isaf" not in _event(kb, "isaf-established")["ties"]
    assert _event(kb, "isaf-rc-south-2006")["ties"][0] == "usa-isaf"


def test_caatsa_threat_dates_from_october_2018_and_2021_in_the_briefing(kb):
    assert _tie(kb, "usa-ind-caatsa-threat")["start"].text == "2018-10"
    assert _tie(kb, "usa-ind-caatsa-threat", "briefing")["start"].text == "2021"
    assert _event(kb, "caatsa-sanctions-threat")["date"].text == "2018-10"
    assert _event(kb, "caatsa-sanctions-threat", "briefing")["date"].text == "2021"


def test_us_india_arms_start_with_the_trenton_transfer(kb):
    assert _tie(kb, "usa-ind-arms")["start"].text == "2006-07-31"
    assert _event(kb, "trenton-transfer-2007")["date"].text == "2007-01-17"


def test_cuba_excluded_from_the_system_not_from_the_treaty(kb):
    t = _tie(kb, "cub-rio-membership")
    assert t["end"].text == "1962-01-31" and t["end_reason"] == "suspension"
    assert "remains a party" in t["note"]
    assert "avalon-punta-del-este-1962@Resolution VI" in t["sources"]


# --- invented or missing briefing views


def test_afghanistan_mnna_has_no_invented_briefing_view(kb):
    assert not _tie(kb, "usa-afg-mnna")["disputed"]
    assert _tie(kb, "usa-afg-mnna", "briefing")["end"].text == "2022-09-23"
    assert not any(c.startswith("briefing@") for c in _tie(kb, "usa-afg-mnna")["sources"])


def test_gulf_alliances_briefing_view_keeps_the_record_start(kb):
    assert _tie(kb, "usa-gulf-alliances", "briefing")["start"].text == _tie(kb, "usa-gulf-alliances")["start"].text


@pytest.mark.parametrize("tid", ["usa-bhr-dca", "usa-kwt-dca"])
def test_gulf_dcas_are_not_cold_war_guarantees_in_the_briefing_view(kb, tid):
    t = _tie(kb, tid, "briefing")
    assert not t["disputed"] and t["kind"] == "defense_cooperation" and not t["vital"]
    vital_gulf = [x for x in kb.ties
                  if x["view"] == "briefing" and x["vital"] and x["target"] in ("GULF", "BHR", "KWT")]
    assert [x["id"] for x in vital_gulf] == ["usa-gulf-alliances"]


def test_pakistan_russia_military_ties_are_record_only(kb):
    assert _views(kb, "pak-rus-defense-cooperation") == {"record"}
    assert not any(c.startswith("briefing@") for c in _tie(kb, "pak-rus-defense-cooperation")["sources"])
    assert {e["view"] for e in kb.events if e["id"] == "pak-rus-military-agreement"} == {"record"}


def test_us_india_partnership_is_ad_hoc_in_the_briefing_view(kb):
    assert _tie(kb, "usa-ind-defense-partnership")["level"] == "structured"
    b = _tie(kb, "usa-ind-defense-partnership", "briefing")
    assert b["level"] == "ad_hoc" and "briefing@L57" in b["sources"]


@pytest.mark.parametrize("tid", ["fin-nato-membership", "swe-nato-membership"])
def test_membership_does_not_cite_the_paragraph_about_applying(kb, tid):
    assert "briefing@L49" not in _tie(kb, tid)["sources"]


# --- weak citations


@pytest.mark.parametrize(("record", "locator", "is_event"), [
    ("usa-mex-merida", "L27", False), ("sgp-usa-facilities", "L63", False), ("phl-asean", "L63", False),
    ("tha-asean", "L63", False), ("p8i-contract", "L55", True)])
def test_weak_citations_are_gone(kb, record, locator, is_event):
    rec = _event(kb, record) if is_event else _tie(kb, record)
    assert f"briefing@{locator}" not in rec["sources"]
    assert rec["sources"]


# --- duplicates and successions


def test_s400_is_a_phase_of_the_russia_india_supply_tie(kb):
    assert "rus-ind-s400" not in {t["id"] for t in kb.ties}
    assert [p["name"] for p in _tie(kb, "rus-ind-arms")["phases"]] == ["S-400 contract", "S-400 deliveries"]


@pytest.mark.parametrize(("pfp", "eop", "day"), [("fin-nato-pfp", "fin-nato-eop", "2014-09-05"),
                                                 ("swe-nato-pfp", "swe-nato-eop", "2014-09-05"),
                                                 ("ukr-nato-pfp", "ukr-nato-eop", "2020-06-12"),
                                                 ("geo-nato-pfp", "geo-nato-eop", "2014-09-05")])
def test_pfp_upgraded_to_eop_is_an_ended_tie_and_its_successor(kb, pfp, eop, day):
    old, new = _tie(kb, pfp), _tie(kb, eop)
    assert (old["programme"], new["programme"]) == ("pfp", "eop")
    assert old["successor"] == eop and old["end_reason"] == "upgraded"
    assert old["end"].text == new["start"].text == day


@pytest.mark.parametrize(("old", "new"), [
    ("usa-jpn-security-treaty-1951", "usa-jpn-mutual-security"), ("tha-seato-membership", "usa-tha-manila-pact"),
    ("gfr-nato-membership", "deu-nato-membership"), ("fin-nato-application", "fin-nato-membership"),
    ("swe-nato-application", "swe-nato-membership"), ("usa-fin-assurance", "fin-nato-membership"),
    ("usa-isaf", "usa-ors"), ("nato-isaf", "nato-ors"), ("usa-irq-invasion", "usa-irq-stabilisation")])
def test_successions_meet_without_overlap(kb, old, new):
    a, b = _tie(kb, old), _tie(kb, new)
    assert a["successor"] == new
    assert b["start"].lo == exclusive_end(a["end"]) or (a["end"].lo, a["end"].hi) == (b["start"].lo, b["start"].hi)


def test_no_two_us_japan_treaties_on_1960_06_23(kb):
    day = _tie(kb, "usa-jpn-mutual-security")["start"].lo
    holding = [t["id"] for t in kb.ties if t["view"] == "record" and t["kind"] == "mutual_defense_treaty"
               and {t["source"], t["target"]} == {"USA", "JPN"} and t["start"].lo <= day
               and (t["end"] is None or day < exclusive_end(t["end"]))]
    assert holding == ["usa-jpn-mutual-security"]


# --- drivers and programmes


def test_every_tie_has_drivers_or_a_reason(kb):
    assert all(t["drivers"] or t["drivers_reason"] for t in kb.ties)
    c = kb.counts()
    assert c["ties_with_drivers"] + c["ties_without_drivers_reasoned"] == c["ties"]


def test_every_mnna_designation_is_queryable_as_mnna(kb):
    designations = [t for t in kb.ties if t["view"] == "record" and t["kind"] == "designation"]
    assert len(designations) == 22
    assert all(t["programme"] == "mnna" for t in designations)
    assert sum(1 for t in designations if t["drivers"]) >= 15


def test_nato_accessions_1999_2020_are_post_cold_war_enlargement(kb):
    joined = [t for t in kb.ties if t["view"] == "record" and t["target"] == "NATO"
              and t["kind"] == "alliance_membership" and 1999 <= t["start"].lo.year <= 2020]
    assert len(joined) == 14
    assert all(t["drivers"] == ["post_cold_war_enlargement"] for t in joined)


# --- additions and orphans


@pytest.mark.parametrize("tid", [
    "rus-cas-dominance", "chn-cas-resources", "chn-twn-rivalry", "usa-assad-hostility", "usa-taliban-oth-threat",
    "nato-isaf", "nato-ors", "nato-ansf", "fin-swe-defense-cooperation", "aus-chn-trade", "asean-eu-dialogue",
    "asean-jpn-dialogue", "irn-cento-membership", "usa-irn-1959-agreement", "usa-pak-1959-agreement",
    "usa-tur-1959-agreement", "tur-usa-incirlik", "usa-ukr-budapest"])
def test_addition_exists_with_sources(kb, tid):
    t = next(t for t in kb.ties if t["id"] == tid)
    assert t["sources"] and (t["drivers"] or t["drivers_reason"])


@pytest.mark.parametrize("eid", ["bush-nato-scepticism", "trump-nato-brussels-2017", "us-china-tariffs-2018",
                                 "biden-afghan-withdrawal-order-2021", "over-the-horizon-2021",
                                 "us-bilateral-agreements-1959"])
def test_policy_turn_events_exist(kb, eid):
    assert _event(kb, eid)["sources"]


def test_trump_era_is_a_strained_phase_of_us_nato_membership(kb):
    (phase,) = _tie(kb, "usa-nato-membership")["phases"]
    assert phase["status"] == "strained" and phase["start"].text == "2017-05-25"


def test_budapest_memorandum_keeps_both_views(kb):
    assert _views(kb, "usa-ukr-budapest") == {"record"}  # the briefing (L45) says there were no assurances
    assert "L45" in _tie(kb, "usa-ukr-budapest")["note"]


def test_bali_perpetrators_are_an_actor(kb):
    assert kb.actors["JI"]["kind"] == "nsag"
    assert "JI" in _event(kb, "bali-bombings")["actors"]


#: Actors kept without a tie of their own, with the reason.
TIELESS = {"DDR": "former state kept for the German unification event and the importers' GFR/DDR codes"}


def test_every_actor_is_in_a_tie_or_belongs_to_one(kb):
    tied = {a for t in kb.ties for a in (t["source"], t["target"], t["agent"], t["via"]) if a}
    related = set(tied)
    for a in kb.actors.values():
        if a["id"] in tied:  # a tied set covers its members, a tied agency or regime its state
            related |= set(a["members"]) | ({a["parent"]} if a["parent"] else set())
        if a["parent"] in tied or any(m in tied for m in a["members"]):  # a facility of a tied state
            related.add(a["id"])
    orphans = sorted(set(kb.actors) - related - set(TIELESS))
    assert not orphans, f"actors in no tie (give them ties or remove them): {orphans}"
