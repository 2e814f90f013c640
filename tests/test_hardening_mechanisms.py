"""Hardening of the mechanisms package (issue 16): honest holistic verdicts on games
without values, InvalidArgumentError for bad arguments, no private imports across
modules, and one result protocol (to_dict, _repr_html_, plot)."""

import json
import pathlib
from fractions import Fraction

import numpy as np
import pytest

import games
import mechanisms as M
import pareto
from games import InvalidArgumentError, InvalidGameError
from mechanisms.evaluation import values_measured

PD = games.catalog.prisoners_dilemma
MP = games.catalog.matching_pennies
AID = games.catalog.aid_delivery
ALIGNED = ("need-based", "open airspace", "open airspace", "priority-to-need")
MECHANISMS = pathlib.Path(M.__file__).parent


# ---------------------------------------------------------------------------------------
# Item 4: no value layer, no holistic verdict


@pytest.mark.parametrize("make", [PD, MP], ids=["prisoners dilemma", "matching pennies"])
def test_compare_without_a_value_layer_says_values_were_not_measured(make):
    """Neither game has a value layer: the holistic column is n/a (not "yes") and the
    value column "-" (not nan)."""
    game = make()
    assert "value" not in game.layers
    comparison = M.compare(game, [M.Redistribution(Fraction(1, 2)), M.Kinship(1)])
    lines = comparison.to_text().splitlines()
    assert len(lines) == 4          # header, two mechanisms, the note
    start = lines[0].index("holistic")          # the cells after the mechanism's name
    for line in lines[1:3]:
        cells = line[start:].split()
        assert cells[0] == "n/a" and cells[2] == "-"
    assert "values not measured" in lines[3]
    assert "nan" not in comparison.to_text() and " yes " not in comparison.to_text()
    assert [r.holistic for r in comparison.entries] == [None, None]
    assert [r.best_value for r in comparison.entries] == [None, None]
    data = json.loads(json.dumps(comparison.to_dict(), allow_nan=False))
    assert [m["holistic"] for m in data["mechanisms"]] == [None, None]


def test_evaluation_without_a_value_layer_has_no_holistic_verdict():
    evaluation = M.evaluate(PD(), M.Kinship(1))
    assert evaluation.before.holistic is None and evaluation.after.holistic is None
    assert evaluation.restores_alignment is None
    assert evaluation.after.cooperation == 1.0          # the rest is still measured
    text = evaluation.to_text()
    assert "values were not measured" in text and "n/a (values not measured)" in text
    assert "restores" not in text and "keeps a holistically aligned" not in text
    data = json.loads(json.dumps(evaluation.to_dict(), allow_nan=False))
    assert data["restores_alignment"] is None
    assert data["after"]["holistic"] is None and data["after"]["values_measured"] is False


def test_values_are_measured_exactly_when_the_game_has_a_value_layer():
    aid, pd = AID(), PD()
    assert values_measured(pareto.alignment_report(aid), aid) is True
    assert values_measured(pareto.alignment_report(pd), pd) is False


def test_a_game_with_values_keeps_its_verdicts():
    comparison = M.compare(AID(), [M.Redistribution(1), M.Contract(ALIGNED, damages=6)])
    assert [r.holistic for r in comparison.entries] == [False, True]
    assert comparison.entries[1].best_value == 20
    assert "n/a" not in comparison.to_text()


def test_holistic_threshold_needs_a_value_layer():
    with pytest.raises(InvalidArgumentError, match="value"):
        M.threshold(PD(), M.Kinship, "relatedness", condition="holistic")
    with pytest.raises(InvalidArgumentError, match="value"):
        M.cheapest(PD(), M.Kinship, {"relatedness": (0, 1)}, None, condition="holistic")


# ---------------------------------------------------------------------------------------
# Item 6: bad arguments raise InvalidArgumentError naming the field


class NoDiscreteSpaces:
    possible_agents = ["a"]

    def action_space(self, agent):
        return object()


ON = {0: "D", 1: "D"}
CC = ("C", "C")

BAD_ARGUMENTS = [
    # parameters out of range, NaN, strings, bools, None
    ("rate above 1", lambda: M.Redistribution(2), "rate"),
    ("rate below 0", lambda: M.Redistribution(-0.1), "rate"),
    ("rate NaN", lambda: M.Redistribution(float("nan")), "rate"),
    ("rate infinite", lambda: M.Redistribution(float("inf")), "rate"),
    ("rate string", lambda: M.Redistribution("1/2"), "rate"),
    ("rate bool", lambda: M.Redistribution(True), "rate"),
    ("rate None", lambda: M.Redistribution(None), "rate"),
    ("rate fraction above 1", lambda: M.Redistribution(Fraction(3, 2)), "rate"),
    ("gap negative", lambda: M.RewardCap(-1), "max_gap"),
    ("intensity above 1", lambda: M.ContestIntensity(1.5), "intensity"),
    ("prize not a name", lambda: M.ContestIntensity(0.5, prize=3), "prize"),
    ("fine negative", lambda: M.Penalty(-1, on=ON), "fine"),
    ("fine bool", lambda: M.Penalty(True, on=ON), "fine"),
    ("detection above 1", lambda: M.Penalty(1, on=ON, detection=1.2), "detection"),
    ("on empty", lambda: M.Penalty(1, on={}), "on"),
    ("on a string", lambda: M.Penalty(1, on="D"), "on"),
    ("on a number", lambda: M.Penalty(1, on=5), "on"),
    ("on a float array", lambda: M.Penalty(1, on=np.zeros((2, 2, 2))), "on"),
    ("on unknown player", lambda: M.Penalty(1, on={"Nobody": "D"}).apply(PD()), "on"),
    ("on unknown action", lambda: M.Penalty(1, on={0: "Z"}).apply(PD()), "on: action"),
    ("on short outcome", lambda: M.Penalty(1, on=[("C",)]).apply(PD()), "on"),
    ("on array shape", lambda: M.Penalty(1, on=np.zeros((2, 2), bool)).apply(PD()), "on"),
    ("subsidy string", lambda: M.Subsidy("x", on=ON), "amount"),
    ("subsidy NaN", lambda: M.Subsidy(float("nan"), on=ON), "amount"),
    ("contract outcome string", lambda: M.Contract("CC", damages=1), "outcome"),
    ("contract outcome number", lambda: M.Contract(5, damages=1), "outcome"),
    ("contract damages", lambda: M.Contract(CC, damages=-1), "damages"),
    ("contract enforcement", lambda: M.Contract(CC, 1, enforcement=2), "enforcement"),
    ("contract compensate", lambda: M.Contract(CC, 1, compensate="yes"), "compensate"),
    ("contract unknown action", lambda: M.Contract(("C", "Z"), 1).apply(PD()), "outcome"),
    ("monitoring probability", lambda: M.Monitoring(1.5, 1, CC), "probability"),
    ("monitoring fine", lambda: M.Monitoring(0.5, -1, CC), "fine"),
    ("monitoring cost", lambda: M.Monitoring(0.5, 1, CC, cost=-1), "cost"),
    ("judge weight", lambda: M.ThirdPartyJudge(-1), "weight"),
    ("judge layer", lambda: M.ThirdPartyJudge(1, layer=3), "layer"),
    ("judge criterion", lambda: M.ThirdPartyJudge(1, criterion=5), "criterion"),
    ("judge unknown criterion",
     lambda: M.ThirdPartyJudge(1, criterion="none").apply(AID()), "criterion"),
    ("kinship above 1", lambda: M.Kinship(1.5), "relatedness"),
    ("kinship NaN", lambda: M.Kinship(np.nan), "relatedness"),
    ("continuation 1", lambda: M.Repetition(1), "continuation"),
    ("continuation negative", lambda: M.Repetition(-0.1), "continuation"),
    ("noise", lambda: M.Repetition(0.5, noise=0.6), "noise"),
    ("no strategies", lambda: M.Repetition(0.5, strategies=[]), "strategies"),
    ("strategies string", lambda: M.Repetition(0.5, strategies="TFT"), "strategies"),
    ("observability", lambda: M.Reputation(1.5), "observability"),
    ("norm", lambda: M.Reputation(0.5, norm="gossip"), "norm"),
    ("cooperators", lambda: M.Reputation(0.5, cooperators="yes"), "cooperators"),
    ("degree", lambda: M.Network(2), "degree"),
    ("rule", lambda: M.Network(4, rule="random"), "rule"),
    ("groups", lambda: M.Groups(0, 5), "groups"),
    ("group size", lambda: M.Groups(2, -1), "group_size"),
    # simulate_reputation
    ("benefit string", lambda: M.simulate_reputation("3", 1, (0, 5, 45)), "benefit"),
    ("cost negative", lambda: M.simulate_reputation(3, -1, (0, 5, 45)), "cost"),
    ("two counts", lambda: M.simulate_reputation(3, 1, (1, 1)), "counts"),
    ("one individual", lambda: M.simulate_reputation(3, 1, (0, 0, 1)), "counts"),
    ("fractional count", lambda: M.simulate_reputation(3, 1, (1.5, 2, 3)), "counts"),
    ("reputation norm", lambda: M.simulate_reputation(3, 1, (0, 5, 45), norm="x"), "norm"),
    ("observability 2", lambda: M.simulate_reputation(3, 1, (0, 5, 5), observability=2),
     "observability"),
    ("no rounds", lambda: M.simulate_reputation(3, 1, (0, 5, 5), rounds=0), "rounds"),
    ("seed", lambda: M.simulate_reputation(3, 1, (0, 5, 5), seed="abc"), "seed"),
    # composition, evaluation, comparison
    ("compose nothing", lambda: M.compose(), "compose"),
    ("compose a number", lambda: M.compose(1), "compose"),
    ("evaluate a string", lambda: M.evaluate(PD(), "penalty"), "mechanism"),
    ("evaluate solver", lambda: M.evaluate(PD(), M.Kinship(0.5), solver=3), "solver"),
    ("compare one mechanism", lambda: M.compare(PD(), M.Kinship(0.5)), "mechanisms"),
    # threshold
    ("condition", lambda: M.threshold(PD(), M.Kinship, "relatedness", condition="nice"),
     "condition"),
    ("bounds reversed", lambda: M.threshold(PD(), M.Kinship, "relatedness", profile=CC,
                                            bounds=(1, 0)), "bounds"),
    ("bounds NaN", lambda: M.threshold(PD(), M.Kinship, "relatedness", profile=CC,
                                       bounds=(0, float("nan"))), "bounds"),
    ("bounds string", lambda: M.threshold(PD(), M.Kinship, "relatedness", profile=CC,
                                          bounds=("a", 1)), "bounds"),
    ("bounds single", lambda: M.threshold(PD(), M.Kinship, "relatedness", profile=CC,
                                          bounds=(0,)), "bounds"),
    ("tolerance", lambda: M.threshold(PD(), M.Kinship, "relatedness", profile=CC,
                                      tolerance=0), "tolerance"),
    ("unknown parameter", lambda: M.threshold(PD(), M.Kinship, "rate", profile=CC),
     "parameter"),
    ("unknown fixed", lambda: M.threshold(PD(), M.Kinship, "relatedness", profile=CC,
                                          fixed={"nonsense": 1}), "fixed"),
    ("missing fixed", lambda: M.threshold(PD(), M.Penalty, "fine", profile=CC), "on"),
    ("family", lambda: M.threshold(PD(), 3, profile=CC), "family"),
    ("no profile", lambda: M.threshold(PD(), M.Kinship, "relatedness"), "profile"),
    ("short profile", lambda: M.threshold(PD(), M.Kinship, "relatedness", profile=("C",)),
     "profile"),
    ("unknown action", lambda: M.threshold(PD(), M.Kinship, "relatedness",
                                           profile=("C", "Z")), "profile"),
    ("no game", lambda: M.threshold(None, M.Kinship, "relatedness", profile=CC), "game"),
    # sweep
    ("empty grid", lambda: M.sweep(PD(), M.Kinship, [], parameter="relatedness"), "grid"),
    ("string grid", lambda: M.sweep(PD(), M.Kinship, "abc", parameter="relatedness"), "grid"),
    ("measure", lambda: M.sweep(PD(), M.Kinship, [0.5], parameter="relatedness", measure=3),
     "measure"),
    ("sweep parameter", lambda: M.sweep(PD(), M.Kinship, [0.5], parameter="nope"),
     "parameter"),
    # implement, robustness_margin, cheapest
    ("short target", lambda: M.implement(PD(), ("C",)), "target"),
    ("unknown target action", lambda: M.implement(PD(), ("C", "Z")), "target"),
    ("design condition", lambda: M.implement(PD(), CC, condition="nice"), "condition"),
    ("design cost", lambda: M.implement(PD(), CC, cost="cheap"), "cost"),
    ("negative cap", lambda: M.implement(PD(), CC, cap=-1), "cap"),
    ("string cap", lambda: M.implement(PD(), CC, cap="a"), "cap"),
    ("zero margin", lambda: M.implement(PD(), CC, condition="strict-equilibrium", margin=0),
     "margin"),
    ("fines string", lambda: M.implement(PD(), CC, fines="yes"), "fines"),
    ("budget without fines", lambda: M.implement(PD(), CC, budget_balanced=True), "fines"),
    ("infeasible cap", lambda: M.implement(PD(), CC, cap=1), "cap"),
    ("margin profile", lambda: M.robustness_margin(PD(), ("C",)), "profile"),
    ("no parameters", lambda: M.cheapest(PD(), M.Kinship, {}, CC), "parameters"),
    ("three parameters", lambda: M.cheapest(PD(), M.Penalty, {"fine": (0, 1),
                                                              "detection": (0, 1),
                                                              "on": (0, 1)}, CC), "parameters"),
    ("reversed range", lambda: M.cheapest(PD(), M.Kinship, {"relatedness": (1, 0)}, CC),
     "relatedness"),
    ("list as last range", lambda: M.cheapest(PD(), M.Kinship, {"relatedness": [0, 1]}, CC),
     "relatedness"),
    ("empty first list", lambda: M.cheapest(PD(), M.Penalty, {"fine": [], "detection": (0, 1)},
                                            CC, fixed={"on": ON}), "fine"),
    ("cheapest condition", lambda: M.cheapest(PD(), M.Kinship, {"relatedness": (0, 1)}, CC,
                                              condition="nice"), "condition"),
    ("cheapest cost", lambda: M.cheapest(PD(), M.Kinship, {"relatedness": (0, 1)}, CC, cost=3),
     "cost"),
    ("cheapest fixed", lambda: M.cheapest(PD(), M.Kinship, {"relatedness": (0, 1)}, CC,
                                          fixed=[1]), "fixed"),
    ("cheapest profile", lambda: M.cheapest(PD(), M.Kinship, {"relatedness": (0, 1)}, ("C",)),
     "profile"),
    # live reward shaping
    ("transform mechanism", lambda: M.reward_transform("x", ["a"], [["x"]]), "mechanism"),
    ("transform actions", lambda: M.reward_transform(M.Kinship(0.5), ["a"], [["x"], ["y"]]),
     "actions"),
    ("transform no actions", lambda: M.reward_transform(M.Kinship(0.5), ["a", "b"],
                                                        [["x"], []]), "actions"),
    ("joint action", lambda: M.reward_transform(M.Kinship(0.5), ["a", "b"],
                                                [["x", "y"], ["x", "y"]])([0, 2], [1, 1]),
     "joint_action"),
    ("joint action string", lambda: M.reward_transform(M.Kinship(0.5), ["a", "b"],
                                                       [["x", "y"], ["x", "y"]])(["0", 1], [1, 1]),
     "joint_action"),
    ("environment", lambda: M.MechanismRewards(NoDiscreteSpaces(), M.Kinship(0.5)), "env"),
]


@pytest.mark.parametrize("make, field", [(m, f) for _, m, f in BAD_ARGUMENTS],
                         ids=[name for name, _, _ in BAD_ARGUMENTS])
def test_bad_arguments_raise_invalid_argument_error_naming_the_field(make, field):
    with pytest.raises(InvalidArgumentError, match=field) as raised:
        make()
    assert not isinstance(raised.value, InvalidGameError)


@pytest.mark.parametrize("make, field", [
    (lambda: M.Penalty(1, on=ON).apply("not a game"), "game"),
    (lambda: M.Network(4).apply(games.catalog.battle_of_the_sexes()), "symmetric"),
    (lambda: M.ContestIntensity(0.5).apply(PD()), "prize"),
    (lambda: M.Transparency().apply(PD()), "BayesianGame"),
    (lambda: M.implement("not a game", CC), "game"),
], ids=["not a game", "asymmetric", "no prize layer", "no private types", "design on a string"])
def test_games_a_mechanism_cannot_act_on_still_raise_invalid_game_error(make, field):
    with pytest.raises(InvalidGameError, match=field):
        make()


def test_exact_parameters_stay_exact_and_valid_ones_pass():
    assert M.Redistribution(1).rate == Fraction(1) and M.Kinship(0.25).relatedness == 0.25
    assert M.Repetition(Fraction(9, 10)).continuation == Fraction(9, 10)
    assert M.Penalty(1, on=np.zeros((2, 2, 2), bool)).apply(PD()).payoffs.tolist() == \
        PD().payoffs.tolist()


# ---------------------------------------------------------------------------------------
# Item 13: no private names across modules, no needless imports inside functions

def test_condition_holds_is_one_public_helper_shared_by_design():
    from mechanisms import design, evaluation

    assert design.condition_holds is evaluation.condition_holds
    assert evaluation.condition_holds(PD(), "equilibrium", ("D", "D"), strict=True)
    assert not evaluation.condition_holds(PD(), "equilibrium", CC, strict=False)


# ---------------------------------------------------------------------------------------
# Item 15: one result protocol


def roundtrip(result):
    return json.loads(json.dumps(result.to_dict(), allow_nan=False))


def test_threshold_to_dict_keeps_exact_values_and_shows_a_table():
    t = M.threshold(PD(b=4, c=1), M.Kinship, "relatedness", condition="dominant", profile=CC)
    data = roundtrip(t)
    assert data["value"] == "1/4" and data["interval"] == ["1/4", 1] and data["exact"] is True
    assert data["condition"] == "dominant" and data["holds_at_value"] is True
    assert "<table>" in t._repr_html_() and "1/4" in t._repr_html_()
    bisected = M.threshold(PD(b=4, c=1), M.Kinship, "relatedness",
                           condition=lambda g: g.payoffs[0][0, 0] >= g.payoffs[0][1, 0])
    data = roundtrip(bisected)
    assert data["exact"] is False and abs(data["value"] - 0.25) < 1e-8


def test_symbolic_threshold_to_dict_is_the_relation_as_text():
    from games.symbolic import SymbolicGame

    a = np.array([["b - c", "-c"], ["b", "0"]], dtype=object)
    g = SymbolicGame(np.stack([a, a.T]), "b c", actions=[["C", "D"], ["C", "D"]])
    data = roundtrip(M.threshold(g, None, "b", profile=("D", "D")))
    assert isinstance(data["value"], str) and data["exact"] is True


def test_cheapest_mechanism_to_dict_html_and_plot():
    result = M.cheapest(PD(), M.Penalty, {"fine": [1, 2, 4, 8], "detection": (0, 1)}, CC,
                        fixed={"on": ON},
                        cost=lambda p, g: 10 * float(p["detection"]) + float(p["fine"]))
    data = roundtrip(result)
    assert data["parameters"] == {"fine": 4, "detection": "1/2"} and data["cost"] == 9.0
    assert sorted(c["cost"] for c in data["candidates"]) == [9.0, 10.5, 12.0]
    assert data["mechanism"]["mechanism"] == "Penalty"
    html = result._repr_html_()
    assert html.count("<tr>") == 4 and html.count("chosen") == 1
    pytest.importorskip("matplotlib")
    import matplotlib
    matplotlib.use("Agg")
    fig = result.plot()
    candidates, chosen = fig.axes[0].lines
    assert sorted(candidates.get_ydata()) == [9.0, 10.5, 12.0]
    assert list(chosen.get_xdata()) == [4.0] and list(chosen.get_ydata()) == [9.0]


def test_reputation_outcome_to_dict_html_and_plot():
    out = M.simulate_reputation(3, 1, (0, 5, 45), rounds=20_000, seed=2)
    data = roundtrip(out)
    assert data["counts"] == [0, 5, 45] and data["good_reputation"][0] is None   # no cooperators
    assert data["mean_payoffs"] == pytest.approx(list(out.mean_payoffs))
    assert out._repr_html_().count("<tr>") == 4
    pytest.importorskip("matplotlib")
    import matplotlib
    matplotlib.use("Agg")
    fig = out.plot()
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert heights == pytest.approx(list(out.mean_payoffs))


def test_sweep_points_are_typed_and_plot_the_cooperation():
    grid = [Fraction(k, 4) for k in range(5)]
    result = M.sweep(PD(b=4, c=1), M.Kinship, grid, parameter="relatedness", executor="serial")
    assert all(isinstance(v, M.SweepPoint) for v in result.values)
    # Hamilton's rule: (C, C) is the unique pure equilibrium for r > c/b = 1/4, (D, D)
    # below; at r = 1/4 every player is indifferent, so all four profiles are equilibria.
    assert [v.cooperation for v in result.values] == [0.0, 0.5, 1.0, 1.0, 1.0]
    assert result.values[0].equilibria == ((1, 1),) and len(result.values[1].equilibria) == 4
    data = roundtrip(result)
    assert data["parameters"] == [0, "1/4", "1/2", "3/4", 1]
    # Kinship r on the donation game: welfare at (C, C) is 2 (b - c)(1 + r) = 6 (1 + r).
    assert data["values"][4] == {"equilibria": [[0, 0]], "cooperation": 1.0,
                                 "welfare": [12.0, 12.0]}
    assert result._repr_html_().count("<tr>") == 6
    pytest.importorskip("matplotlib")
    import matplotlib
    matplotlib.use("Agg")
    (line,) = result.plot().axes[0].lines
    assert list(line.get_ydata()) == [0.0, 0.5, 1.0, 1.0, 1.0]
    welfare = result.series(lambda v: v.welfare[1])
    assert welfare.tolist() == [0.0, 7.5, 9.0, 10.5, 12.0]


def test_comparison_and_evaluation_are_typed_and_json():
    comparison = M.compare(AID(), [M.Kinship(Fraction(1, 2)), M.Contract(ALIGNED, damages=6)])
    first, second = comparison.entries
    assert (first.holistic, first.equilibria, first.best_value) == (False, 1, 10)
    assert (second.holistic, second.cooperation, second.cost) == (True, 1.0, [0.0])
    data = roundtrip(comparison)
    assert data["mechanisms"][1]["holistic"] is True and data["mechanisms"][1]["best_value"] == 20
    evaluation = comparison.evaluations[1]
    assert evaluation.after.best_scores["value"] == 20 and evaluation.restores_alignment is True
    assert roundtrip(evaluation)["after"]["best_scores"]["value"] == 20
    pytest.importorskip("matplotlib")
    import matplotlib
    matplotlib.use("Agg")
    fig = comparison.plot()
    assert [p.get_width() for p in fig.axes[0].patches] == [0.5, 1.0]
    assert [p.get_width() for p in fig.axes[1].patches] == [10, 20]


def test_implementation_to_dict_follows_the_equilibrium_convention():
    design = M.implement(PD(), CC)
    data = roundtrip(design)
    assert data["cost"] == 4 and data["paid"] == 4 and data["transfers"][0][0] == [2, 0]
    assert "<table>" in design._repr_html_()
