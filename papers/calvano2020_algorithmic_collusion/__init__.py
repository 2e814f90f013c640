"""Calvano, Calzolari, Denicolò & Pastorello (2020): Q-learning pricing algorithms collude.

Two Q-learning firms in Calvano et al.'s repeated logit Bertrand market (15 prices,
one-period memory, alpha = 0.15, beta = 4e-6, delta = 0.95) learn, without communicating,
to price well above the one-shot Nash price: the average profit gain Delta is about 0.85,
and a deviation is punished by a price war followed by a return to the pre-deviation
prices. Mechanisms (a fine on overcharges with detection, from the start or switched on
mid-run, a price cap, more competitors) bring Delta toward 0, and consumer surplus (the
market's value layer) back toward its competitive level.

Reference: Calvano, E., Calzolari, G., Denicolò, V. & Pastorello, S. (2020). Artificial
intelligence, algorithmic pricing, and collusion. American Economic Review 110(10),
3267-3297.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from typing import Any

import numpy as np

import pareto
from games.catalog import bertrand_benchmarks
from games.palette import colour
from papers.calvano2020_algorithmic_collusion.model import (
    CONSUMER_SURPLUS,
    Market,
    analyse,
    learn,
    market,
)
from papers.common import finish, new_figure, save_figure

__all__ = ["run", "experiments", "summarise", "figure", "plot", "NAME"]

NAME = "calvano2020_algorithmic_collusion"

#: Sessions per experiment: (baseline, each mechanism), at full and reduced size.
FULL_SESSIONS = (1000, 100)
REDUCED_SESSIONS = (10, 2)
#: The price cap of the cap experiment: a quarter of the way from p^N to p^M.
CAP_FRACTION = 0.25
#: The mid-run experiment: the strong fine switched on at this period (collusion is being
#: learned: epsilon = exp(-4) = 0.018), and its period cap (the run's schedule keeps every
#: window until the cap, so the cap bounds its memory; sessions converge long before).
SWITCH_ON = 1_000_000
MID_RUN_CAP = 20_000_000
#: Periods per summary window of the runs (the consumer-surplus trajectory).
TRAJECTORY_WINDOW = 250_000
MID_RUN = "penalty (fine 2x overcharge, detection 0.5) switched on at period 1,000,000"


def experiments() -> dict[str, dict[str, Any]]:
    """The experiments as keyword arguments of :func:`model.market`: the baseline and the
    mechanisms applied to it."""
    bm = bertrand_benchmarks()
    pn, pm = float(bm.nash_prices[0]), float(bm.monopoly_prices[0])
    return {
        "baseline": {},
        "penalty (fine 2x overcharge, detection 0.1)": {"fine": 2.0, "detection": 0.1},
        "penalty (fine 2x overcharge, detection 0.5)": {"fine": 2.0, "detection": 0.5},
        MID_RUN: {"fine": 2.0, "detection": 0.5, "switch_on": SWITCH_ON,
                  "max_periods": MID_RUN_CAP},
        f"price cap (p^N + {CAP_FRACTION} (p^M - p^N))":
            {"price_cap": pn + CAP_FRACTION * (pm - pn)},
        "three firms": {"n_firms": 3},
        "impatient firms (delta = 0.35)": {"delta": 0.35},
    }


def _cycle_kind(cycle: list[list[float]]) -> str:
    if len(cycle) == 1:
        return "constant, symmetric" if len(set(cycle[0])) == 1 else "constant, asymmetric"
    return "2-cycle" if len(cycle) == 2 else "longer cycle"


def summarise(sessions: list[dict[str, Any]], nash_price: float) -> dict[str, Any]:
    """Delta (mean, sd), cycle types, converged prices and the impulse response over
    sessions."""
    gains = np.array([s["profit_gain"] for s in sessions])
    kinds = Counter(_cycle_kind(s["cycle"]) for s in sessions)
    n = len(sessions)
    share = {k: kinds.get(k, 0) / n for k in ("constant, symmetric", "constant, asymmetric",
                                             "2-cycle", "longer cycle")}
    mean_prices = np.array([np.mean(s["cycle"]) for s in sessions])
    shown = min(len(s["impulse_prices"]) for s in sessions)
    ir = np.array([s["impulse_prices"][:shown] for s in sessions])   # (sessions, tau, firm)
    mean_ir = ir.mean(axis=0)
    returns = np.array([s["return_period"] for s in sessions])
    returned = returns[returns >= 0]
    rival_pre = ir[:, 0, 1:].mean(axis=1)
    rival_after = ir[:, 2, 1:].mean(axis=1)
    hist, edges = np.histogram(mean_prices, bins=10)
    return {
        "sessions": n,
        "converged": int(sum(s["converged"] for s in sessions)),
        "mean_periods": float(np.mean([s["periods"] for s in sessions])),
        "delta": float(gains.mean()),
        "delta_sd": float(gains.std(ddof=1)) if n > 1 else 0.0,
        "delta_quartiles": [float(x) for x in np.percentile(gains, [25, 50, 75])],
        "share_constant": share["constant, symmetric"] + share["constant, asymmetric"],
        "share_symmetric_constant": share["constant, symmetric"],
        "share_2_cycles": share["2-cycle"],
        "share_longer_cycles": share["longer cycle"],
        "mean_price": float(mean_prices.mean()),
        "price_histogram": {"counts": hist.tolist(), "edges": edges.tolist()},
        "share_deviation_unprofitable": float(np.mean([s["deviation_gain"] < 0
                                                        for s in sessions])),
        "share_punished_at_tau2": float(np.mean(rival_after < rival_pre - 1e-12)),
        "share_returned": float(len(returned) / n),
        "median_return_period": float(np.median(returned)) if len(returned) else float("nan"),
        "impulse_mean_prices": mean_ir.tolist(),
        "impulse_min_price": float(mean_ir[1:].min()),
        "punishment_above_nash": bool(mean_ir[2:].min() > nash_price),
    }


def consumer_surplus(mk: Market, run: Any) -> dict[str, Any]:
    """The consumer surplus along the run (the market game's value layer, measured by
    :func:`pareto.alignment_trajectory`): per window the mean over sessions and the
    10%-90% band (a converged session keeps its last window's play), and its final mean."""
    trajectory = pareto.alignment_trajectory(mk.market_game, run)
    k = trajectory.criteria.index(f"value: {CONSUMER_SURPLUS}")
    # Up to the last window any session played (a schedule keeps windows to the cap).
    last = int(np.flatnonzero(trajectory.played.any(axis=0)).max()) + 1
    scores = trajectory.criterion_scores[:, :last, k]
    with np.errstate(all="ignore"):
        low, high = np.nanquantile(scores, [0.1, 0.9], axis=0)
    return {"window_ends": trajectory.window_ends[:last].tolist(),
            "mean": trajectory.criterion_mean[:last, k].tolist(),
            "q10": low.tolist(), "q90": high.tolist(),
            "final": float(np.nanmean(scores[:, -1]))}


def _benchmark_surplus(mk: Market) -> dict[str, float]:
    """Consumer surplus with every firm at the grid price nearest p^N, and nearest p^M."""
    surplus = np.asarray(mk.market_game.layers["value"][0], dtype=float)
    out = {}
    for name, price in (("nash", mk.nash_price), ("monopoly", mk.monopoly_price)):
        a = int(np.argmin(np.abs(mk.prices - price)))
        out[name] = float(surplus[(a,) * mk.n_firms])
    return out


def run(full: bool = False, seed: int = 0, executor: Any = None,
        out: str | os.PathLike[str] | None = None, *, sessions: int | None = None,
        mechanism_sessions: int | None = None) -> dict[str, Any]:
    """Learn the baseline and every mechanism's sessions; return Delta and the rest.

    Parameters
    ----------
    full : bool
        The published size: 1,000 baseline sessions (and 100 per other experiment). Reduced:
        10 and 2, with every learning constant (the 100,000-period window included) as
        published: fewer sessions, not shorter ones.
    seed : int
        Root seed; experiment e (in the order of :func:`experiments`) runs
        :func:`games.learning.simulate` with the e-th child of
        ``numpy.random.SeedSequence(seed)``, whose children seed its sessions.
    executor : Executor or name, optional
        Passed to :func:`games.learning.simulate` (a Dask ``Client.get_executor()``
        works); batches of sessions are its tasks.
    out : path, optional
        A folder to write ``calvano2020_algorithmic_collusion.png`` into.
    sessions, mechanism_sessions : int, optional
        Override the number of sessions.
    """
    started = time.perf_counter()
    n_base, n_mech = FULL_SESSIONS if full else REDUCED_SESSIONS
    n_base = sessions or n_base
    n_mech = mechanism_sessions or n_mech
    results: dict[str, dict[str, Any]] = {}
    surplus: dict[str, dict[str, Any]] = {}
    markets: dict[str, Market] = {}
    for e, (label, kwargs) in enumerate(experiments().items()):
        mk = markets[label] = market(label=label, **kwargs)
        count = n_base if label == "baseline" else n_mech
        clock = time.perf_counter()
        learning = learn(mk, count, np.random.SeedSequence(seed, spawn_key=(e,)), executor,
                         trajectory_window=TRAJECTORY_WINDOW)
        seconds = time.perf_counter() - clock
        summary = summarise([r.to_dict() for r in analyse(mk, learning)], mk.nash_price)
        summary["seconds"] = seconds
        if kwargs.get("price_cap") is not None:
            top = mk.m - 1
            k = top * mk.m + top
            summary["delta_ceiling"] = float(
                (mk.profits[k, 0] - mk.nash_profit) / (mk.monopoly_profit - mk.nash_profit))
        summary["parameters"] = {k: (float(v) if isinstance(v, float) else v)
                                 for k, v in kwargs.items()}
        if mk.n_firms == 2:
            surplus[label] = consumer_surplus(mk, learning)
            summary["consumer_surplus"] = surplus[label]["final"]
        results[label] = summary
        del learning
    baseline_market = markets["baseline"]
    base = results["baseline"]
    quantities = {k: base[k] for k in (
        "delta", "delta_sd", "share_constant", "share_symmetric_constant", "share_2_cycles",
        "share_longer_cycles", "share_deviation_unprofitable", "median_return_period",
        "punishment_above_nash")}
    quantities["delta_three_firms"] = results["three firms"]["delta"]
    quantities["delta_impatient"] = results["impatient firms (delta = 0.35)"]["delta"]
    for label, summary in results.items():
        if label not in ("baseline", "three firms", "impatient firms (delta = 0.35)"):
            quantities[f"delta: {label}"] = summary["delta"]
    quantities["consumer_surplus"] = surplus["baseline"]["final"]
    bench_surplus = _benchmark_surplus(baseline_market)
    summary_text = "Delta by experiment (mean over sessions, sd):\n" + "\n".join(
        f"  {label:<48} {s['delta']:7.3f}  ({s['delta_sd']:.3f}, {s['sessions']} sessions)"
        for label, s in results.items())
    ir = np.array(base["impulse_mean_prices"])
    summary_text += ("\nImpulse response (mean prices, deviator / rival), tau = 0..8:\n  " +
                     "  ".join(f"{a:.3f}/{b:.3f}" for a, b in ir[:9, :2]))
    summary_text += (f"\nConsumer surplus at convergence: baseline "
                     f"{surplus['baseline']['final']:.4f}, with the fine switched on mid-run "
                     f"{surplus[MID_RUN]['final']:.4f} (all firms at p^N: "
                     f"{bench_surplus['nash']:.4f}, at p^M: {bench_surplus['monopoly']:.4f})")
    details = {"summary": summary_text, "experiments": results,
               "consumer_surplus": surplus,
               "benchmarks": {"nash_price": baseline_market.nash_price,
                              "monopoly_price": baseline_market.monopoly_price,
                              "nash_profit": baseline_market.nash_profit,
                              "monopoly_profit": baseline_market.monopoly_profit,
                              "consumer_surplus_nash": bench_surplus["nash"],
                              "consumer_surplus_monopoly": bench_surplus["monopoly"],
                              "grid": baseline_market.prices.tolist()},
               "sessions": {"baseline": n_base, "mechanism": n_mech}}
    figures = []
    if out is not None:
        figures.append(plot(results, surplus, baseline_market,
                            os.path.join(os.fspath(out), f"{NAME}.png")))
    return finish(NAME, quantities, details, full=full, seed=seed, started=started,
                  figures=figures)


def _short_names(labels: list[str]) -> dict[str, str]:
    """Experiment labels short enough for a tick label."""
    short = {"baseline": "baseline", "three firms": "three firms", MID_RUN: "fine, mid-run"}
    for k in labels:
        if k.startswith("penalty") and k != MID_RUN:
            short[k] = "fine, detection " + k.rsplit(" ", 1)[-1].rstrip(")")
        elif k.startswith("price cap"):
            short[k] = "price cap"
        elif k.startswith("impatient"):
            short[k] = "delta = 0.35"
    return {k: short.get(k, k) for k in labels}


def _legend_below(ax: Any, ncol: int = 2) -> None:
    """The axes' legend under its x label, where it covers no data."""
    ax.legend(fontsize=8, ncol=ncol, loc="upper center", bbox_to_anchor=(0.5, -0.2),
              frameon=False)


def figure(results: dict[str, dict[str, Any]], surplus: dict[str, dict[str, Any]],
           mk: Market) -> Any:
    """Four panels: the baseline sessions' converged prices, the mean impulse response,
    Delta by experiment, and the consumer surplus along the runs (periods on a log axis:
    the learning runs last millions of periods and the surplus moves from the first
    window on). Prices are in units of the marginal cost c = 1; Delta is
    (profit - Nash profit) / (monopoly profit - Nash profit). The baseline is drawn in
    :func:`games.palette.colour` 0 and the mid-run fine in colour 1 in every panel.
    Returns the matplotlib Figure."""
    from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

    fig, axes = new_figure(1, 4, figsize=(20, 5), layout="constrained")
    base = results["baseline"]
    benchmarks = (("$p^N$ (Nash)", mk.nash_price, "--"),
                  ("$p^M$ (monopoly)", mk.monopoly_price, ":"))
    h = base["price_histogram"]
    edges = np.array(h["edges"])
    axes[0].bar(edges[:-1], h["counts"], width=np.diff(edges), align="edge",
                color=colour(0), alpha=0.8, label="baseline sessions")
    for name, x, style in benchmarks:
        axes[0].axvline(x, color="k", ls=style, lw=1, label=name)
    axes[0].set(xlabel="mean converged price (marginal cost c = 1)", ylabel="sessions (count)",
                title=f"Baseline: Delta = {base['delta']:.3f} ({base['sessions']} sessions)")
    axes[0].yaxis.set_major_locator(MaxNLocator(integer=True))
    _legend_below(axes[0], ncol=3)

    ir = np.array(base["impulse_mean_prices"])
    tau = np.arange(len(ir))
    axes[1].plot(tau, ir[:, 0], "o-", ms=4, color=colour(3), label="deviating firm")
    axes[1].plot(tau, ir[:, 1], "s-", ms=4, color=colour(5), label="rival")
    for name, y, style in benchmarks:
        axes[1].axhline(y, color="k", ls=style, lw=1, label=name)
    axes[1].set(xlabel="periods after the deviation (tau)",
                ylabel="mean price (marginal cost c = 1)",
                title="Impulse response to a one-period deviation")
    _legend_below(axes[1])

    labels = list(results)
    short = _short_names(labels)
    colours = [colour(0) if k == "baseline" else colour(1) if k == MID_RUN else colour(2)
               for k in labels]
    axes[2].barh(range(len(labels)), [results[k]["delta"] for k in labels], color=colours)
    axes[2].set_yticks(range(len(labels)), [short[k] for k in labels], fontsize=8)
    axes[2].axvline(0, color="k", lw=1)
    axes[2].invert_yaxis()
    axes[2].set(xlabel="profit gain Delta (0 = Nash, 1 = monopoly)", ylabel="experiment",
                title="Mechanisms against collusion")

    bench = _benchmark_surplus(mk)
    for c, label in enumerate(("baseline", MID_RUN)):
        tr = surplus[label]
        x = np.array(tr["window_ends"], dtype=float) / 1e6
        axes[3].plot(x, tr["mean"], color=colour(c), label=short[label] + " (mean)")
        axes[3].fill_between(x, tr["q10"], tr["q90"], color=colour(c), alpha=0.2, lw=0)
    axes[3].axvline(SWITCH_ON / 1e6, color="0.4", ls="-.", lw=1, label="fine switched on")
    axes[3].axhline(bench["nash"], color="k", ls="--", lw=1, label="all at $p^N$")
    axes[3].axhline(bench["monopoly"], color="k", ls=":", lw=1, label="all at $p^M$")
    axes[3].set_xscale("log")
    axes[3].xaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    axes[3].xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:g}"))
    axes[3].xaxis.set_minor_formatter(NullFormatter())
    axes[3].set(xlabel="period (millions, log scale)",
                ylabel="consumer surplus per period (c = 1)",
                title="Consumer surplus (value layer) while learning")
    _legend_below(axes[3])
    return fig


def plot(results: dict[str, dict[str, Any]], surplus: dict[str, dict[str, Any]], mk: Market,
         path: str) -> str:
    """:func:`figure`, saved atomically at ``path``; returns the path."""
    return save_figure(figure(results, surplus, mk), path)
