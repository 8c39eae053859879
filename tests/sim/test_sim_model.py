"""The model: invariants of every run, and each mechanism moving outcomes the way the briefing argues."""

from __future__ import annotations

import numpy as np
import pytest

from pactnet.sim.hindcast import transitions
from pactnet.sim.model import CAMPAIGNS, PARAMETERS, default_params, simulate

R = 400


def run(comp, replicas=R, seed=11):
    return simulate(comp, replicas, np.random.default_rng(seed))


def allowed(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The changes the step may make in one year (docs/model.md, 'The yearly step')."""
    same = a == b
    formation = (a == 0) & ((b == 1) | (b == 2) | (b == 3) | (b == 5))
    up = (a >= 1) & (a <= 3) & ((b == a + 1) | (b == 4) | (b == 5))
    bridge = (a == 4) & (b == 5)
    down = (a >= 2) & (a <= 4) & (b == a - 1)
    exit_ = (a >= 1) & (b == 0)
    return same | formation | up | bridge | down | exit_


@pytest.mark.parametrize("name", ["historical-2000", "contraction", "taiwan-strait-crisis", "asean-pressure"])
def test_invariants(compiled, name):
    _, comp = compiled(name)
    levels, drivers = run(comp)
    assert levels.dtype == np.int8 and levels.min() >= 0 and levels.max() <= 5     # on the ladder
    assert drivers.min() >= 0 and drivers.max() < len(CAMPAIGNS)
    assert (levels[0] == comp.level0).all()
    assert allowed(levels[:-1], levels[1:]).all()
    # one level per tie and year: a tie that ended (0) is not counted active, counts add up
    counts = np.stack([(levels == k).sum(axis=2) for k in range(6)])
    assert (counts.sum(axis=0) == comp.n).all()
    assert ((levels > 0).sum(axis=2) == counts[1:].sum(axis=0)).all()


def test_a_forced_withdrawal_ends_the_tie_in_every_replica(compiled):
    _, comp = compiled("historical-2000")
    levels, _ = run(comp)
    afg, y2021 = comp.partners.index("AFG"), list(comp.years).index(2021)
    assert (levels[y2021, :, afg] == 0).all()


def test_the_global_random_state_is_untouched(compiled):
    _, comp = compiled("contraction")
    before = np.random.get_state()[1].copy()
    run(comp, replicas=10)
    assert (np.random.get_state()[1] == before).all()


def test_defaults_lie_in_their_ranges():
    for p in PARAMETERS.values():
        values = p.default if isinstance(p.default, tuple) else (p.default,)
        assert all(p.low <= v <= p.high for v in values), p.name
    assert set(default_params()) == set(PARAMETERS)


# --------------------------------------------------------------- each mechanism, in the briefing's direction

def formations_by(levels, drivers, campaign):
    codes = transitions(levels)
    return int(((codes == 1) & (drivers[1:] == CAMPAIGNS.index(campaign))).sum())


def test_raising_gwot_salience_raises_gwot_driven_formations(compiled):
    """(a) L3, L21: ad hoc partnerships form around urgent transnational threats."""
    from dataclasses import replace

    _, comp = compiled("historical-2000")
    gwot = CAMPAIGNS.index("gwot")
    high = comp.salience.copy()
    high[:, gwot] = np.minimum(1.0, high[:, gwot] + 0.3)
    low = comp.salience.copy()
    low[:, gwot] = np.maximum(0.0, low[:, gwot] - 0.3)
    n_high = formations_by(*run(replace(comp, salience=high)), "gwot")
    n_base = formations_by(*run(comp), "gwot")
    n_low = formations_by(*run(replace(comp, salience=low)), "gwot")
    assert n_high > n_base * 1.1 > n_low * 1.2


def upgraded(levels, comp, partner, from_year=2022):
    k, y = comp.partners.index(partner), list(comp.years).index(from_year)
    return (levels[y:, :, k] >= 4).any(axis=0).mean()


def test_removing_the_2022_invasion_removes_finlands_and_swedens_upgrade(compiled):
    """(d) L7, L43, L49: a neighbour attacked sends partners without a guarantee to seek one."""
    _, hist = compiled("historical-2000")
    _, cf = compiled("no-2022-invasion")
    h, c = run(hist)[0], run(cf)[0]
    for partner in ("FIN", "SWE"):
        p_hist, p_cf = upgraded(h, hist, partner), upgraded(c, cf, partner)
        assert p_hist > 0.6, (partner, p_hist)
        assert p_cf < 0.15 and p_cf < p_hist / 5, (partner, p_cf)
    # and Ukraine, attacked but offered no guarantee (L45, L47), never reaches one
    ukr = hist.partners.index("UKR")
    assert (h[:, :, ukr] < 5).all()


def ended_share(levels, start_mask, year_index):
    """Share of the ties at the start selected by ``start_mask`` that have ended (0) by ``year_index``."""
    sel = np.broadcast_to(start_mask, levels.shape[1:])
    return ((levels[: year_index + 1] == 0).any(axis=0) & sel).sum() / sel.sum()


def test_a_falling_budget_ends_ad_hoc_ties_before_guarantees(compiled):
    """(g) L53, L69 with (b) L35: a contracting patron prunes, and guarantees last."""
    _, comp = compiled("contraction")
    flat = comp.with_params()
    from dataclasses import replace

    flat = replace(comp, budget=np.ones_like(comp.budget))
    lv_c, lv_f = run(comp)[0], run(flat)[0]
    ad_hoc = (comp.level0 >= 1) & (comp.level0 <= 2)
    guarantee = comp.level0 == 5
    assert ad_hoc.sum() >= 2 and guarantee.sum() >= 40
    mid = len(comp.years) // 2
    # ad hoc ties end sooner than guarantees, and the falling budget is what ends them
    assert ended_share(lv_c, ad_hoc, mid) > 3 * ended_share(lv_c, guarantee, mid)
    assert ended_share(lv_c, ad_hoc, len(comp.years) - 1) > ended_share(lv_f, ad_hoc, len(comp.years) - 1) + 0.05
    extra_ad_hoc = ended_share(lv_c, ad_hoc, mid) - ended_share(lv_f, ad_hoc, mid)
    extra_guarantee = ended_share(lv_c, guarantee, mid) - ended_share(lv_f, guarantee, mid)
    assert extra_ad_hoc > extra_guarantee + 0.02


def mean_level(levels, comp, members):
    idx = [comp.partners.index(p) for p in members]
    return float(levels[-1][:, idx].mean())


def test_rival_pressure_on_hedgers_lowers_their_ties(compiled):
    """(e, f) L63, L65, L71: a balance of influences tilting to China obstructs US partnerships."""
    from dataclasses import replace

    _, comp = compiled("asean-pressure")
    sea = [p for p, r in zip(comp.partners, comp.regions, strict=True) if r == "southeast_asia"]
    k = [comp.partners.index(p) for p in sea]
    calm = comp.rival_pull.copy()
    calm[:, k] = calm[0, k]
    pressured, _ = run(comp)
    relaxed, _ = run(replace(comp, rival_pull=calm))
    assert mean_level(pressured, comp, sea) < mean_level(relaxed, comp, sea) - 0.05


def test_an_attack_on_taiwan_raises_balancing_formations_among_chinas_neighbours(compiled):
    """Balance of threat (L55, L61): threatened neighbours partner with the patron."""
    from dataclasses import replace

    _, comp = compiled("taiwan-strait-crisis")
    calm = replace(comp, threat=np.repeat(comp.threat[:1], len(comp.years), axis=0),
                   neighbour_attacked=np.zeros_like(comp.neighbour_attacked))
    crisis, _ = run(comp)
    quiet, _ = run(calm)
    assert (transitions(crisis) == 1).sum() > 1.2 * (transitions(quiet) == 1).sum()


@pytest.mark.parametrize(("param", "outcome", "direction"), [
    ("entrap", "downgrade", +1),      # (c) L37, L39: an entrapped patron is exploited
    ("fade", "exit", +1),             # (a) L3, L33: exit when salience fades
    ("lockin", "exit", -1),           # (c) L39: cannot exit while dependent
    ("obstruct", "formation", -1),    # (f) L5, L71: rivals reduce opportunities
    ("hedge", "downgrade", +1),       # (e) L63, L65: a hedger drifts away
    ("form_threat", "formation", +1),  # balance of threat, L55
])
def test_each_term_moves_its_outcome(compiled, param, outcome, direction):
    from pactnet.sim.hindcast import OUTCOMES

    _, comp = compiled("historical-2000")
    p = PARAMETERS[param]
    low = run(comp.with_params(**{param: p.low}))[0]
    high = run(comp.with_params(**{param: min(p.high, 2 * float(p.default) + 1)}))[0]
    k = OUTCOMES.index(outcome)
    n_low, n_high = (transitions(low) == k).sum(), (transitions(high) == k).sum()
    assert (n_high - n_low) * direction > 0, (param, n_low, n_high)
