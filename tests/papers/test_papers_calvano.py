"""Calvano et al. (2020): Q-learning pricing algorithms learn to collude."""

import numpy as np
import pytest

import papers
from games.errors import InvalidGameError
from papers.calvano2020_algorithmic_collusion import model
from papers.calvano2020_algorithmic_collusion.model import initial_q, market, session

NAME = "calvano2020_algorithmic_collusion"


@pytest.fixture(scope="module")
def reduced():
    return papers.run(NAME, seed=0)


def test_baseline_market_has_calvanos_grid_and_benchmarks():
    """Calvano et al. (2020), Section III: 15 prices from about 1.4277 to 1.9702,
    p^N = 1.47293, p^M = 1.92498, 225 states."""
    mk = market()
    assert mk.m == 15 and mk.n_states == 225 and mk.profits.shape == (225, 2)
    assert mk.prices[0] == pytest.approx(1.42772, abs=1e-5)
    assert mk.prices[-1] == pytest.approx(1.97019, abs=1e-5)
    assert (mk.nash_price, mk.monopoly_price) == pytest.approx((1.47293, 1.92498), abs=1e-5)
    assert (mk.nash_profit, mk.monopoly_profit) == pytest.approx((0.22293, 0.33749), abs=1e-5)


def test_initial_q_is_the_discounted_payoff_against_a_uniform_rival():
    """Their eq. (8): Q_0(s, a) = sum_b pi(a, b) / ((1 - delta) m)."""
    mk = market()
    q = initial_q(mk)
    table = mk.profits[:, 0].reshape(15, 15)
    expected = table[7].sum() / ((1 - 0.95) * 15)
    assert q[0, 123, 7] == pytest.approx(expected)
    assert np.all(q[0] == q[0, 0]) and np.allclose(q[1, 0], q[0, 0])


def test_a_session_is_reproducible_and_ends_on_a_cycle_of_its_greedy_strategies():
    mk = market(beta=4e-4, window=2_000)
    a, b, c = session(mk, 3), session(mk, 3), session(mk, 4)
    assert a.converged and a.periods == b.periods and a.cycle == b.cycle
    assert (a.periods, a.cycle) != (c.periods, c.cycle)
    assert 1 <= len(a.cycle) <= 225
    gains = (np.array(a.cycle_profits) - mk.nash_profit) / (mk.monopoly_profit - mk.nash_profit)
    assert a.profit_gain == pytest.approx(gains.mean())
    assert a.impulse_prices[0] == a.cycle[0]                   # tau = 0: before the shock


def test_the_deviation_is_the_static_best_response_to_the_rivals_planned_price():
    mk = market(beta=4e-4, window=2_000)
    r = session(mk, 5)
    rival = r.impulse_prices[1][1]
    j = int(np.argmin(np.abs(mk.prices - rival)))
    best = int(np.argmax(mk.profits[np.arange(15) * 15 + j, 0]))
    assert r.impulse_prices[1][0] == pytest.approx(mk.prices[best])


def test_penalty_above_nash_is_charged_only_above_the_nash_price():
    mk = market(fine=2.0, detection=0.5)
    prices = mk.prices[model._joint_actions(15, 2)]
    assert np.all(mk.reward_fine[prices[:, 0] <= mk.nash_price, 0] == 0)
    assert np.all(mk.reward_fine[prices[:, 0] > mk.nash_price, 0] > 0)


def test_opacity_and_cap_change_the_state_space_and_the_grid():
    assert market(observe_rivals=False).n_states == 15
    capped = market(price_cap=1.6)
    assert capped.prices.max() <= 1.6 and capped.m < 15 and capped.n_states == capped.m ** 2
    assert market(n_firms=3).n_states == 15 ** 3


@pytest.mark.parametrize("kwargs, field", [
    ({"alpha": 0}, "alpha"), ({"delta": 1}, "delta"), ({"beta": 0}, "beta"),
    ({"detection": 2}, "detection"), ({"price_cap": 1.0}, "price_cap"),
    ({"window": 10, "max_periods": 5}, "window"), ({"fine": -1}, "fine"),
])
def test_bad_learning_constants_are_rejected_naming_the_field(kwargs, field):
    with pytest.raises(InvalidGameError, match=field):
        market(**kwargs)


def test_reduced_run_matches_the_paper_within_the_reduced_tolerances(reduced):
    """Baseline Delta 0.849 (sd 0.112); n = 3: about 0.64; delta = 0.35: about 0.16
    (Calvano et al. 2020)."""
    rows = {r["quantity"]: r for r in reduced["comparison"]}
    for key in ("delta", "delta_sd", "delta_three_firms", "delta_impatient",
                "median_return_period", "punishment_above_nash"):
        assert rows[key]["within"], rows[key]
    assert 0.5 < reduced["quantities"]["delta"] < 1.0


def test_reduced_run_shows_punishment_then_return(reduced):
    exp = reduced["details"]["experiments"]["baseline"]
    ir = np.array(exp["impulse_mean_prices"])
    assert ir[1, 0] < ir[0, 0]                # the deviation undercuts
    assert ir[2, 1] < ir[0, 1]                # the rival punishes the next period
    assert abs(ir[-1] - ir[0]).max() < 0.05   # and prices return
    assert exp["punishment_above_nash"] and exp["share_returned"] >= 0.8


def test_mechanisms_bring_delta_toward_zero(reduced):
    exps = reduced["details"]["experiments"]
    base = exps["baseline"]["delta"]
    strong = exps["penalty (fine 2x overcharge, detection 0.5)"]["delta"]
    opacity = exps["opacity (rivals' prices not observed)"]["delta"]
    cap = next(v for k, v in exps.items() if k.startswith("price cap"))
    assert strong < base - 0.5 and opacity < base - 0.5
    assert cap["delta"] <= cap["delta_ceiling"] + 1e-12 < base
    assert exps["three firms"]["delta"] < base
    assert exps["impatient firms (delta = 0.35)"]["delta"] < base - 0.3


@pytest.mark.slow
def test_full_run_delta_is_within_005_of_the_paper():
    result = papers.run(NAME, full=True, seed=0)
    rows = {r["quantity"]: r for r in result["comparison"]}
    assert rows["delta"]["within"] and rows["delta_three_firms"]["within"]
    assert rows["delta_sd"]["within"] and rows["delta_impatient"]["within"]
