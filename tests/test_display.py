"""Every public result has a rich display, and every plot follows the house style.

The walk covers every public module of games, pareto, mechanisms (mechanisms.testbed
included) and masalign: the names in a module's ``__all__`` (or, for a module without
one, the public classes it defines). A class is a *result* when it is a dataclass, a
named tuple or has ``to_dict``, and is not one of the inputs named in :data:`INPUTS`
(games, mechanisms, learners, strategies, options and other things a user builds and
passes in rather than gets back). Each result needs ``to_dict`` (JSON-able: checked with
``json.dumps``) and ``_repr_html_`` (a table or a heading, checked with an HTML parser),
on an instance made by one cheap call in :data:`FACTORIES`.

House style of a figure (STYLE.md, DESIGN.md), checked by tests/plotstyle.py: every
axes labelled on x and y (axes drawn with their axis turned off, such as a simplex or a
graph, are the exception), titles from names (no repr: no ``<`` and no ``object at
0x``), colours from the colour-blind-safe palette :mod:`games.palette` and no two series
of one axes drawn in the same colour and line style.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import json
import pkgutil
from collections.abc import Callable
from fractions import Fraction
from functools import cache
from typing import Any

import numpy as np
import pytest

import games
import mechanisms as M
import pareto
from games.palette import COLOURS
from tests.plotstyle import check_style, figure_of, hex_colour

html5lib = pytest.importorskip("html5lib")

PACKAGES = ("games", "pareto", "mechanisms", "masalign")


def public_modules() -> list[str]:
    """Every public module of the four packages (lazy ones such as mechanisms.testbed
    and games.learning included: they are imported here)."""
    names = []
    for root in PACKAGES:
        package = importlib.import_module(root)
        names.append(root)
        for info in pkgutil.walk_packages(package.__path__, root + "."):
            if not any(part.startswith("_") for part in info.name.split(".")):
                names.append(info.name)
    return names


def public_classes() -> set[type]:
    """The classes a user reaches by name: each module's ``__all__``, or the public classes
    a module without ``__all__`` defines."""
    found: set[type] = set()
    for name in public_modules():
        module = importlib.import_module(name)
        exported = getattr(module, "__all__", None)
        if exported is None:
            exported = [n for n, obj in vars(module).items() if not n.startswith("_")
                        and inspect.isclass(obj) and obj.__module__ == name]
        for n in exported:
            obj = getattr(module, n, None)
            if inspect.isclass(obj) and obj.__module__.split(".")[0] in PACKAGES \
                    and not issubclass(obj, BaseException):
                found.add(obj)
    return found


def _inputs() -> dict[type, str]:
    from games.bayesian import BayesianGame
    from games.evolution import PopulationGame
    from games.learning import learners, options
    from games.learning.env import GameEnv
    from games.repeated.automaton import Automaton
    from games.repeated.strategies import Strategy
    from games.signalling import SignallingGame
    from games.solvers.multilinear import Multilinear
    from games.symbolic import SymbolicGame
    from masalign import document
    from masalign.progress import Status
    from mechanisms.simulators import MechanismRewards
    from mechanisms.testbed import Scenario
    from pareto.metrics import Measures, Yardstick

    out: dict[type, str] = {
        games.Game: "a game: the input of every solver (it has its own table display)",
        games.MarkovGame: "a game (input)",
        BayesianGame: "a game (input)",
        SignallingGame: "a game (input)",
        SymbolicGame: "a game with symbols (input of mechanisms.threshold)",
        PopulationGame: "a symmetric game seen as one population (input)",
        Automaton: "a repeated-game strategy (input of match and tournament)",
        Strategy: "a repeated-game strategy (input)",
        options.Convergence: "an option of games.learning.simulate (input)",
        options.RewardSchedule: "an option of games.learning.simulate (input)",
        GameEnv: "a PettingZoo environment (input of a learner loop)",
        MechanismRewards: "a PettingZoo environment wrapper (input)",
        M.Regulator: "an online mechanism, the schedule of games.learning.simulate (input)",
        M.Scheduled: "a mechanism switched on and off, a schedule (input)",
        M.Dynamics: "a learning scenario, the input of evaluate and compare",
        Scenario: "a testbed scenario, the input of mechanisms.testbed.run",
        Multilinear: "a solver's helper on concatenated strategy vectors, never returned",
        Status: "the command line's progress line, never returned",
        document.Block: "the base of a report page's parts (input of Report)",
        document.Paragraph: "a report page's text, composed into a Section (input)",
        document.Items: "a report page's list, composed into a Section (input)",
        document.Figure: "a report page's figure, composed into a Section (input)",
        Yardstick: "the vectorised yardstick of pareto's measures (arrays of thousands of "
                   "points), displayed through AlignmentReport and Frontier",
        Measures: "the yardstick's arrays of measures, displayed through AlignmentReport",
    }
    out.update({cls: "a learner: the input of games.learning.simulate"
                for cls in public_classes() if issubclass(cls, learners.Learner)})
    out.update({cls: "a mechanism: the input of evaluate, compare and the testbed"
                for cls in public_classes() if issubclass(cls, M.Mechanism)})
    return out


def is_result_shaped(cls: type) -> bool:
    """A dataclass, a named tuple or a class with ``to_dict``."""
    return dataclasses.is_dataclass(cls) or hasattr(cls, "to_dict") or \
        (issubclass(cls, tuple) and hasattr(cls, "_fields"))


# ---------------------------------------------------------------------------------------
# One cheap call per result class

AID = games.catalog.aid_delivery
PD = games.catalog.prisoners_dilemma
ALIGNED = ("need-based", "open airspace", "open airspace", "priority-to-need")


def welfare_pd() -> games.Game:
    """The prisoner's dilemma with joint welfare as its value layer."""
    pd = PD()
    return pd.replace(layers={"value": pd.payoffs.sum(axis=0)[None]},
                      criteria={"value": ("joint welfare",)})


@cache
def learning_run() -> Any:
    from games.learning import QLearning, simulate

    return simulate(welfare_pd(), QLearning(alpha=0.1, discount=0, beta=5e-4), periods=4000,
                    sessions=2, seed=3, window=500)


@cache
def trajectory() -> Any:
    return pareto.alignment_trajectory(welfare_pd(), learning_run())


def drift_event() -> Any:
    events = trajectory().drift
    assert events, "the Q-learners of the prisoner's dilemma drift to defection"
    return events[0]


def tiny_dynamics() -> Any:
    from games.learning import QLearning

    return M.Dynamics(QLearning(alpha=0.1, discount=0, beta=5e-4), periods=4000, sessions=2,
                      seed=3, switch_on=2000)


@cache
def evaluation() -> Any:
    return M.evaluate(AID(), M.Contract(ALIGNED, damages=6))


@cache
def comparison() -> Any:
    return M.compare(AID(), [M.Contract(ALIGNED, damages=6), M.Redistribution(rate=0.5)])


@cache
def bed_result() -> Any:
    from mechanisms import testbed as T

    def welfare_scenario() -> Any:
        return T.Scenario(name="display_dilemma", game=welfare_pd,
                          mechanisms={"fine on D": M.Penalty(3, on={"Player 1": "D",
                                                                    "Player 2": "D"})},
                          misalignment="mutual defection", criterion="joint welfare",
                          reference=("C", "C"), dynamics=tiny_dynamics(),
                          quick=tiny_dynamics(), source="Rapoport & Chammah (1965)")

    T.register(welfare_scenario())
    try:
        return T.run("display_dilemma", executor="serial", progress=False)
    finally:
        T.unregister("display_dilemma")


def _factories() -> dict[str, Callable[[], Any]]:
    """Class qualified name -> a call returning an instance."""
    from games import dynamics, evolution, repeated
    from games.repeated import strategies as S
    from games.signalling import signalling_equilibria
    from masalign.document import Heading, Paragraph, Section, Table, game_report
    from masalign.equilibria import find_equilibria
    from masalign.report import analyze
    from mechanisms.evaluation import default_measure

    hd = games.catalog.hawk_dove()
    mp = games.catalog.matching_pennies()
    return {
        "games.classify.Setting": lambda: games.classify(PD()),
        "games.results.Equilibrium": lambda: games.pure_equilibria(PD())[0],
        "games.results.EquilibriumSet": lambda: games.all_equilibria(hd),
        "games.solvers.correlated.CorrelatedEquilibrium":
            lambda: games.correlated_equilibrium(games.catalog.chicken()),
        "games.solvers.dominance.Reduction": lambda: games.eliminate_dominated(PD()),
        "games.solvers.dominance.Elimination": lambda: games.eliminate_dominated(PD()).order[0],
        "games.solvers.quantal.QuantalResponse": lambda: games.quantal_response(mp, 1.0),
        "games.solvers.quantal.QuantalResponsePath": lambda: games.quantal_response_path(
            hd, max_rationality=5.0),
        "games.solvers.quantal.QuantalResponseFit": lambda: games.fit_quantal_response(
            mp, [[30, 20], [25, 25]]),
        "games.solvers.stackelberg.StackelbergEquilibrium": lambda: games.stackelberg(
            games.catalog.battle_of_the_sexes()),
        "games.solvers.zero_sum.ZeroSumSolution": lambda: games.solve_zero_sum(mp),
        "games.solvers.zero_sum.SecurityStrategies": lambda: games.security_strategies(PD()),
        "games.catalog.BertrandBenchmarks": lambda: games.catalog.bertrand_benchmarks(),
        "games.dynamics.Trajectory": lambda: dynamics.replicator(hd, t_max=10, steps=200),
        "games.dynamics.OpinionTrajectory": lambda: dynamics.friedkin_johnsen(
            [[0.5, 0.5, 0], [0.2, 0.6, 0.2], [0, 0.5, 0.5]], [0.5, 0, 0.2], [1.0, 0.0, 0.5],
            steps=20),
        "games.evolution.finite.FixationEstimate": lambda: evolution.simulate_fixation(
            hd, 10, 1.0, runs=20, seed=1),
        "games.evolution.finite.MoranRun": lambda: evolution.moran_process(
            hd, [5, 5], intensity=0.5, seed=1),
        "games.evolution.infinite.RestPoint": lambda: evolution.rest_points(hd)[0],
        "games.evolution.plot.SmallMutationAnalysis": lambda: evolution.small_mutation_analysis(
            games.catalog.rock_paper_scissors(), 20, 1.0),
        "games.learning.run.LearningRun": learning_run,
        "games.repeated.matches.MatchResult": lambda: repeated.match(
            S.TitForTat(), S.Alternator(), PD(), turns=20),
        "games.repeated.tournaments.TournamentResult": lambda: repeated.tournament(
            [S.TitForTat(), S.Defector(), S.Cooperator()], PD(), turns=20, repetitions=1,
            executor="serial", progress=False),
        "games.repeated.subgame_perfect.SubgamePerfectCheck":
            lambda: repeated.subgame_perfect_check((S.GrimTrigger(), S.GrimTrigger()), PD(),
                                                   Fraction(3, 5)),
        "games.repeated.payoff_set.PayoffPolygon": lambda: repeated.feasible_payoffs(PD()),
        "games.repeated.payoff_set.EquilibriumPayoffSet": lambda: repeated.equilibrium_payoffs(
            PD(), 0.8),
        "games.signalling.SignallingResult": lambda: signalling_equilibria(
            games.catalog.cheap_talk(3, bias=0), method="pure"),
        "games.signalling.SignallingEquilibrium": lambda: signalling_equilibria(
            games.catalog.cheap_talk(3, bias=0), method="pure").equilibria[0],
        "pareto.frontier.ScoreTable": lambda: pareto.score_table(AID()),
        "pareto.frontier.Frontier": lambda: pareto.frontier(AID()),
        "pareto.selection.Selection": lambda: pareto.select([[1, 3], [2, 2], [3, 0]]),
        "pareto.metrics.PriceOfAnarchy": lambda: pareto.price_of_anarchy(PD()),
        "pareto.metrics.Disparity": lambda: pareto.disparity([1, 2, 3]),
        "pareto.metrics.AlignmentReport": lambda: pareto.alignment_report(AID()),
        "pareto.metrics.EquilibriumAlignment":
            lambda: pareto.alignment_report(AID()).equilibria[0],
        "pareto.metrics.OutcomeAlignment":
            lambda: pareto.alignment_report(AID()).holistic_outcomes[0],
        "pareto.trajectory.AlignmentTrajectory": trajectory,
        "pareto.trajectory.DriftEvent": drift_event,
        "pareto.attribution.Attribution": lambda: pareto.attribution(
            AID(), (1, 1, 1, 1), ALIGNED, criterion="each"),
        "pareto.attribution.IncentiveAttribution": lambda: pareto.incentive_attribution(
            welfare_pd(), {"temptation": np.array([[[0, 0], [2, 0]], [[0, 2], [0, 0]]])},
            ("C", "C")),
        "mechanisms.evaluation.Evaluation": evaluation,
        "mechanisms.evaluation.Snapshot": lambda: evaluation().after,
        "mechanisms.evaluation.Comparison": comparison,
        "mechanisms.evaluation.ComparisonRow": lambda: comparison().entries[0],
        "mechanisms.evaluation.Threshold": lambda: M.threshold(PD(), M.Penalty, "fine",
                                                               profile=("C", "C"),
                                                               bounds=(0, 10),
                                                               fixed={"on": {"Player 1": "D",
                                                                             "Player 2": "D"}}),
        "mechanisms.evaluation.SweepResult": lambda: M.sweep(
            PD(), M.Penalty, [0, 1, 2, 3], parameter="fine",
            fixed={"on": {"Player 1": "D", "Player 2": "D"}}, progress=False),
        "mechanisms.evaluation.SweepPoint": lambda: default_measure(PD()),
        "mechanisms.dynamic.DynamicVerdict": lambda: M.dynamic_verdict(
            welfare_pd(), M.Penalty(3, on={"Player 1": "D", "Player 2": "D"}),
            tiny_dynamics()),
        "mechanisms.design.Implementation": lambda: M.implement(PD(), ("C", "C")),
        "mechanisms.design.CheapestMechanism": lambda: M.cheapest(
            PD(), M.Monitoring, {"probability": (0, 1)}, ("C", "C"),
            fixed={"fine": 5, "outcome": ("C", "C")},
            cost=lambda p, g: 3 * float(p["probability"])),
        "mechanisms.reciprocity.ReputationOutcome": lambda: M.simulate_reputation(
            3, 1, (30, 5, 5), rounds=2000, seed=1),
        "mechanisms.testbed.runner.TestbedResult": bed_result,
        "mechanisms.testbed.runner.TestbedRow": lambda: bed_result().rows[0],
        "masalign.equilibria.EquilibriumSearch": lambda: find_equilibria(hd),
        "masalign.report.Analysis": lambda: analyze(PD()),
        "masalign.document.Report": lambda: game_report(PD(), {}, dynamics=None),
        "masalign.document.Section": lambda: Section("s", "A section", (Paragraph("text"),)),
        "masalign.document.Heading": lambda: Heading("A heading"),
        "masalign.document.Table": lambda: Table("A table", ("row", "value"), (("a", "1"),)),
    }


FACTORIES = _factories()

def qualified(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def result_classes() -> list[type]:
    inputs = _inputs()
    return sorted((c for c in public_classes() if is_result_shaped(c) and c not in inputs),
                  key=qualified)


def test_every_result_class_has_one_factory_and_every_factory_a_result_class():
    names = {qualified(c) for c in result_classes()}
    assert sorted(names - set(FACTORIES)) == [], "results without a factory"
    assert sorted(set(FACTORIES) - names) == [], "factories of no public result"


def test_inputs_are_public_and_not_results_by_mistake():
    public = public_classes()
    for cls, reason in _inputs().items():
        assert cls in public, (cls, reason)
        assert reason


def _class(name: str) -> type:
    module, _, attr = name.rpartition(".")
    return getattr(importlib.import_module(module), attr)


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_result_has_a_json_dict_and_an_html_table(name):
    obj = FACTORIES[name]()
    assert isinstance(obj, _class(name))
    assert hasattr(obj, "to_dict") and hasattr(obj, "_repr_html_"), name
    text = json.dumps(obj.to_dict(), allow_nan=True)
    assert len(text) > 2
    markup = obj._repr_html_()
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    tree = parser.parseFragment(markup)
    tags = {element.tag for element in tree.iter()}
    assert tags & {"table", "h1", "h2", "h3", "h4", "h5", "h6"}, markup[:200]
    for table in tree.iter("table"):
        assert table.find(".//th") is not None or table.find(".//caption") is not None, \
            "a table carries a header or a caption"


# ---------------------------------------------------------------------------------------
# One plot style


PLOTTED = sorted(n for n in FACTORIES if hasattr(_class(n), "plot"))


@pytest.mark.parametrize("name", PLOTTED)
def test_every_plot_is_labelled_titled_from_names_and_never_reuses_a_colour(name):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = figure_of(FACTORIES[name]().plot())
    try:
        check_style(fig, name)
    finally:
        plt.close(fig)


# ---------------------------------------------------------------------------------------
# The three figures of the issue


def test_evaluate_plot_has_a_y_label_with_units_and_a_title_from_names():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = evaluation().plot()
    ax = fig.axes[0]
    assert "score" in ax.get_ylabel() and "payoff units" in ax.get_ylabel()
    assert ax.get_title() == "Contract: before and after"
    assert "(" not in ax.get_title()                       # not the mechanism's repr
    before, after = {hex_colour(p.get_facecolor()) for p in ax.patches[:3]}, \
        {hex_colour(p.get_facecolor()) for p in ax.patches[3:]}
    assert before == {COLOURS[0].upper()} and after == {COLOURS[1].upper()}
    plt.close(fig)


def test_axelrod_figure_gives_every_rule_its_own_style_on_a_log_generation_axis():
    """Axelrod (1984, ch. 3): the ecological shares move in the first tens of generations
    and settle over hundreds, so generations are on a log axis; the catalogue's 12 rules
    outnumber the palette's 8 colours, so line styles tell the rest apart."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from games.repeated import strategies as S
    from papers.axelrod1984_ecology import (
        GENERATIONS,
        ecological_dynamics,
        figure,
        recorded_generations,
    )

    names = list(S.CATALOGUE)
    rng = np.random.default_rng(0)
    kept = recorded_generations(GENERATIONS)
    runs = {label: {"continuation": w, "names": names, "generations": kept.tolist(),
                    "history": ecological_dynamics(rng.uniform(0, 5, (12, 12)))[kept].tolist()}
            for label, w in (("long", 0.99654), ("short", 0.2))}
    fig = figure(runs)
    try:
        for ax in fig.axes:
            assert ax.get_xscale() == "log"
            assert ax.get_xlim() == pytest.approx((1, GENERATIONS))
            assert ax.get_ylim() == pytest.approx((0, 1))
            assert "generation" in ax.get_xlabel()
            lines = [line for line in ax.get_lines() if line.get_label() in names]
            assert len(lines) == 12
            styles = {(hex_colour(line.get_color()), line.get_linestyle()) for line in lines}
            assert len(styles) == 12                      # no (colour, style) pair repeats
            assert {hex_colour(line.get_color()) for line in lines} <= {c.upper() for c in COLOURS}
            # the first decade is drawn: about a third of the points are below 10
            assert sum(g < 10 for g in lines[0].get_xdata()) >= 9
        assert "share" in fig.axes[0].get_ylabel()
        check_style(fig, "axelrod1984_ecology")
    finally:
        plt.close(fig)


@pytest.mark.parametrize("V, C", [(2, 4), (2, 3), (1, 5)])
@pytest.mark.parametrize("population", ["single", "multi"])
def test_default_hawk_dove_trajectory_moves_and_converges_to_the_mixed_rest_point(
        V, C, population):
    """Maynard Smith & Price (1973): with C > V the replicator dynamics of hawk-dove go to
    the mixed rest point, Hawk with probability V/C (on the diagonal, for two
    populations). The default start is off that point, so the plotted lines move."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from games import dynamics

    tr = dynamics.replicator(games.catalog.hawk_dove(V, C), population=population)
    hawk = tr.states[:, 1]
    assert abs(hawk[0] - V / C) > 0.04                     # starts away from the rest point
    assert hawk[-1] == pytest.approx(V / C, abs=1e-4)      # and converges to it
    ax = tr.plot()
    try:
        for line in ax.get_lines():
            y = np.asarray(line.get_ydata())
            assert y.max() - y.min() > 0.04, f"{line.get_label()} is flat"
        assert ax.get_xlabel() == "time" and ax.get_ylabel() == "probability"
        check_style(ax.figure, "hawk-dove trajectory")
    finally:
        plt.close(ax.figure)


def test_comparison_plot_tells_mechanisms_of_one_class_apart():
    """Two penalties with different fines get different row names (their parameters),
    a mechanism of its own class its name."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    on = {"Player 1": "D", "Player 2": "D"}
    fig = M.compare(PD(), [M.Penalty(1, on=on), M.Penalty(3, on=on),
                           M.Redistribution(0.5)]).plot()
    names = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    plt.close(fig)
    assert len(set(names)) == 3
    assert names[0] != names[1] and "1" in names[0] and "3" in names[1]
    assert names[2].startswith("Redistribution")
