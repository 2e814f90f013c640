"""The misalignment testbed (mechanisms.testbed) and ``masalign testbed``."""

import json
from fractions import Fraction

import numpy as np
import pytest

import games
import mechanisms as M
import mechanisms.testbed as T
from games.errors import InvalidArgumentError
from games.learning import QLearning
from masalign.cli import main

# A tiny Dynamics keeps the default tier fast: the commons stage game is 2 x 2.
TINY = M.Dynamics(QLearning(alpha=0.1, discount=0, beta=5e-4), periods=4000, sessions=2,
                  seed=3, switch_on=2000)


def fishery_stage():
    return games.catalog.commons_fishery().stages[-1]


@pytest.fixture
def tiny_commons():
    """The commons scenario with TINY dynamics, registered under a test name."""
    s = T.scenario("commons")
    tiny = T.Scenario(name="tiny_commons", game=fishery_stage,
                      mechanisms={"fine": M.Penalty(Fraction(3, 2),
                                                    on={"Fisher 1": "high",
                                                        "Fisher 2": "high"})},
                      misalignment=s.misalignment, criterion="stock kept", threshold=2,
                      reference=("low", "low"), dynamics=TINY, quick=TINY)
    T.register(tiny)
    yield tiny
    T.unregister("tiny_commons")


def test_registry_lists_the_builtin_scenarios_and_refuses_unknown_names():
    names = T.scenarios()
    assert {"aid_delivery", "commons", "collusion", "deception"} <= set(names)
    assert T.scenario("commons").name == "commons"
    with pytest.raises(InvalidArgumentError, match="aid_delivery, commons"):
        T.scenario("nope")
    with pytest.raises(InvalidArgumentError, match="already registered"):
        T.register(T.scenario("commons"))
    with pytest.raises(InvalidArgumentError, match="unknown scenario"):
        T.run("nope")


def test_scenarios_reject_malformed_fields():
    s = T.scenario("commons")
    with pytest.raises(InvalidArgumentError, match="mechanisms"):
        T.Scenario(name="x", game=fishery_stage, mechanisms={}, misalignment="",
                   criterion=None, dynamics=TINY, quick=TINY)
    with pytest.raises(InvalidArgumentError, match="dynamics"):
        T.Scenario(name="x", game=fishery_stage, mechanisms=s.mechanisms, misalignment="",
                   criterion=None, dynamics=None, quick=TINY)
    bad = T.Scenario(name="x", game=fishery_stage, mechanisms=s.mechanisms, misalignment="",
                     criterion="no such value", dynamics=TINY, quick=TINY)
    with pytest.raises(InvalidArgumentError, match="stock kept"):
        bad.build()


def test_a_user_adds_a_scenario_in_a_few_lines():
    # The README's example: the prisoner's dilemma with a value layer (joint welfare),
    # a penalty on defection, and the testbed's table.
    def welfare_pd():
        pd = games.catalog.prisoners_dilemma()
        return pd.replace(layers={"value": pd.payoffs.sum(axis=0)[None]},
                          criteria={"value": ("joint welfare",)})

    T.register(T.Scenario(
        name="my_dilemma", game=welfare_pd,
        mechanisms={"fine on D": M.Penalty(3, on={"Player 1": "D", "Player 2": "D"})},
        misalignment="mutual defection", criterion="joint welfare", reference=("C", "C"),
        dynamics=TINY, quick=TINY, source="Rapoport & Chammah (1965)"))
    try:
        result = T.run("my_dilemma", executor="serial", progress=False)
    finally:
        T.unregister("my_dilemma")
    baseline, fined = result.rows
    # Without the fine the dilemma's learners defect (joint welfare below the midpoint)
    assert baseline.share_misaligned == 1 and baseline.static_holistic is False
    assert fined.static_holistic is True and fined.share_misaligned == 0


def test_run_rows_carry_the_fields_and_the_static_verdicts_of_evaluate(tiny_commons):
    result = T.run("tiny_commons", executor="serial", progress=False)
    assert [r.mechanism for r in result.rows] == ["none", "fine"]
    game = tiny_commons.build()
    for row in result.rows:
        e = M.evaluate(game, tiny_commons.mechanism(row.mechanism, game))
        assert row.static_holistic == e.after.holistic
        assert row.static_cost == tuple(float(c) for c in e.after.cost)
        assert row.players == ("Fisher 1", "Fisher 2")
        # the Shapley shares sum to the loss (efficiency)
        assert sum(row.shares) == pytest.approx(row.loss, abs=1e-9)
        assert row.value == pytest.approx((row.value_score,))
    none, fine = result.rows
    # one period of the commons is a prisoner's dilemma: both fish high without the fine
    # (Gordon 1954), keeping the minimum stock; the fine makes low effort dominant
    assert none.share_misaligned == 1 and none.responsible in none.players
    assert fine.share_aligned == 1 and fine.responsible is None
    assert fine.cost_per_period <= 0  # fines are collected, not paid
    data = json.loads(json.dumps(result.to_dict()))
    assert data["rows"][0]["scenario"] == "tiny_commons"
    assert "tiny_commons" in result.to_text() and "<table>" in result._repr_html_()


def test_checkpoint_resume_gives_the_same_rows(tiny_commons, tmp_path):
    path = tmp_path / "testbed.ckpt"
    first = T.run("tiny_commons", executor="serial", checkpoint=path, progress=False)
    assert path.exists()
    again = T.run("tiny_commons", executor="serial", checkpoint=path, progress=False)
    fresh = T.run("tiny_commons", executor="serial", progress=False)
    assert first.to_dict() == again.to_dict() == fresh.to_dict()


def test_cli_lists_the_scenarios(capsys):
    assert main(["testbed", "--list"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in T.scenarios())


def test_cli_runs_one_scenario_as_json(tiny_commons, capsys, tmp_path):
    page = tmp_path / "table.html"
    assert main(["testbed", "--quick", "--scenario", "tiny_commons", "--json",
                 "--html", str(page), "--no-progress"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["mechanism"] for r in data["rows"]] == ["none", "fine"]
    assert "<table>" in page.read_text(encoding="utf-8")
    assert main(["testbed", "--scenario", "nope"]) == 2
    assert "aid_delivery" in capsys.readouterr().err


@pytest.mark.slow
def test_the_quick_testbed_runs_every_scenario(capsys):
    assert main(["testbed", "--quick", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in T.scenarios())
    result = T.run(executor="serial", progress=False)
    rows = {(r.scenario, r.mechanism): r for r in result.rows}
    # Carichon et al. (2025): a contract on the aligned outcome makes it the unique
    # equilibrium, and learners that meet it from the start of the switch realign
    assert rows["aid_delivery", "contract"].realigns
    assert rows["aid_delivery", "none"].share_misaligned == 1


def test_a_scenario_measured_after_the_mechanisms_transfers():
    """The tournament's equality is measured on the prizes received after a mechanism's
    transfers: the baseline (a fine of 0) moves nothing, and prize compression to 1/4 of
    the spread (ContestIntensity) scales every realisation's Gini, so the expected Gini,
    by 1/4 (the Gini is scale-free; the total is kept)."""
    s = T.scenario("hierarchy_tournament")
    game = s.build()
    baseline = s.yardstick(game, s.mechanism(T.NO_MECHANISM, game))
    assert np.all(baseline.layers["value"] == game.layers["value"])
    compressed = s.yardstick(game, s.mechanism("prize compression", game))
    assert np.all(1 - compressed.layers["value"] == (1 - game.layers["value"]) / 4)
    assert np.all(compressed.payoffs == game.payoffs)  # the learners' payoffs: unchanged
    wrong = T.Scenario(name="x", game=fishery_stage, mechanisms={"fine": M.Penalty(1, on=[
        ("low", "low")])}, misalignment="", criterion="stock kept", dynamics=TINY,
        quick=TINY, measured=wrong_shape)
    with pytest.raises(InvalidArgumentError, match="measured"):
        wrong.yardstick(wrong.build(), M.Penalty(1, on=[("low", "low")]))


def wrong_shape(game, mechanism):
    return games.catalog.rock_paper_scissors()  # 3 x 3, not the 2 x 2 stage game


def test_cli_gives_the_same_rows_serially_and_on_a_process_pool(capsys):
    """Each cell seeds its own sessions, so where it runs changes no number."""
    rows = []
    for workers in ("1", "2"):
        assert main(["testbed", "--scenario", "commons", "--json", "--no-progress",
                     "--workers", workers]) == 0
        rows.append(json.loads(capsys.readouterr().out)["rows"])
    assert rows[0] == rows[1] and len(rows[0]) == len(T.scenario("commons").labels())


def test_cli_refuses_bad_executor_options(capsys):
    assert main(["testbed", "--scenario", "commons", "--workers", "0"]) == 2
    assert "--workers: expected an integer >= 1, found 0" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["testbed", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"])
    assert "not allowed with" in capsys.readouterr().err


@pytest.mark.slow
def test_cli_gives_the_same_rows_on_a_dask_cluster(capsys):
    distributed = pytest.importorskip("dask.distributed")
    assert main(["testbed", "--scenario", "commons", "--json", "--no-progress",
                 "--workers", "1"]) == 0
    serial = json.loads(capsys.readouterr().out)["rows"]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1,
                                  processes=True) as cluster:
        assert main(["testbed", "--scenario", "commons", "--json", "--no-progress",
                     "--scheduler", cluster.scheduler_address]) == 0
    assert json.loads(capsys.readouterr().out)["rows"] == serial


def test_a_mechanism_label_that_collides_with_the_baseline_is_refused():
    """A mechanism labelled "none" (NO_MECHANISM) would be shadowed by the baseline: the
    run would measure the baseline twice and the mechanism never."""
    fine = M.Penalty(1, on={"Fisher 1": "high"})
    with pytest.raises(InvalidArgumentError, match="mechanisms.*'none'"):
        T.Scenario(name="x", game=fishery_stage, mechanisms={T.NO_MECHANISM: fine},
                   misalignment="", criterion=None, dynamics=TINY, quick=TINY)
    with pytest.raises(InvalidArgumentError, match="mechanisms"):
        T.Scenario(name="x", game=fishery_stage, mechanisms={"": fine},
                   misalignment="", criterion=None, dynamics=TINY, quick=TINY)
    # without a baseline the label is free
    s = T.Scenario(name="x", game=fishery_stage, mechanisms={T.NO_MECHANISM: fine},
                   misalignment="", criterion=None, dynamics=TINY, quick=TINY,
                   with_baseline=False)
    assert s.labels() == [T.NO_MECHANISM]
    assert s.mechanism(T.NO_MECHANISM, fishery_stage()) is fine


@pytest.mark.parametrize("field, value", [("threshold", "high"), ("threshold", float("nan")),
                                          ("threshold", True), ("measured", 3)])
def test_scenarios_reject_a_malformed_threshold_or_yardstick(field, value):
    s = T.scenario("commons")
    with pytest.raises(InvalidArgumentError, match=field):
        T.Scenario(name="x", game=fishery_stage, mechanisms=s.mechanisms, misalignment="",
                   criterion=None, dynamics=TINY, quick=TINY, **{field: value})


@pytest.mark.parametrize("field, value", [("quick", "no"), ("quick", 0), ("details", 1)])
def test_measure_refuses_flags_that_are_not_booleans(field, value):
    """measure(quick="no") would run the quick dynamics (a truthy string): refused, as
    run() refuses it."""
    with pytest.raises(InvalidArgumentError, match=field):
        T.measure("commons", T.NO_MECHANISM, **{field: value})
