"""The ``masalign`` command line."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import games
import masalign
import mechanisms.testbed
from games.parallel import executor_for
from masalign.document import check_output_path, game_report, scenario_report, testbed_report
from masalign.progress import Status
from masalign.report import analyze

__all__ = ["main", "build_parser", "version", "catalogue", "read_analysis_input", "testbed",
           "report", "add_game_source", "game_of"]


def version() -> str:
    """The package version (``masalign.__version__``, one for the distribution)."""
    return masalign.__version__


def catalogue() -> list[tuple[str, str]]:
    """The catalogue games: (name, one-line description from its docstring)."""
    out = []
    for name in games.catalog.names():
        doc = (games.catalog.CATALOG[name].__doc__ or "").strip().splitlines()
        line = doc[0] if doc else ""
        for markup in (":func:", ":class:", ":meth:"):
            line = line.replace(markup, "")
        out.append((name, line.replace("``", "").replace("`", "")))
    return out


def add_game_source(command: argparse.ArgumentParser) -> Any:
    """The game a command reads: a FILE or ``--catalog NAME`` (one of them; neither: the
    aid-delivery game, see :func:`game_of`). Returns the group, for more sources."""
    source = command.add_mutually_exclusive_group()
    source.add_argument("file", nargs="?", help="a Gambit .nfg or masalign .json game file "
                        "(or the JSON that analyze --json wrote)")
    source.add_argument("--catalog", metavar="NAME", help="a catalogue game, e.g. "
                        "prisoners_dilemma or aid_delivery (see masalign catalog)")
    return source


def game_of(args: argparse.Namespace) -> games.Game:
    """The game named by :func:`add_game_source`'s options (default: aid delivery)."""
    if args.file is not None:
        return read_analysis_input(args.file)
    return games.catalog.by_name(args.catalog or "aid_delivery")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="masalign",
        description="Game-theoretic analysis of multi-agent (mis)alignment.")
    parser.add_argument("--version", action="version", version=f"masalign {version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    analyze_cmd = commands.add_parser(
        "analyze", help="analyse a game: setting, equilibria, dominance, alignment",
        description="Analyse a game file (.nfg or .json) or a catalogue game; with no "
                    "argument, the bundled aid-delivery scenario.")
    source = add_game_source(analyze_cmd)
    source.add_argument("--list", action="store_true", help="list the catalogue games")
    analyze_cmd.add_argument("--json", action="store_true", help="print the analysis as JSON")
    analyze_cmd.add_argument("--plot", metavar="FILE.png",
                             help="save the alignment plot (outcomes, frontier, equilibria); "
                                  "needs matplotlib; the format follows the extension")
    analyze_cmd.add_argument("--table", action=argparse.BooleanOptionalAction, default=None,
                             help="print the payoff table (default: only when it is small)")
    analyze_cmd.add_argument("--progress", action=argparse.BooleanOptionalAction,
                             default=None, help="a status line on standard error for "
                             "analyses that take more than a second (default: on a terminal)")
    analyze_cmd.add_argument("--exact", action="store_true",
                             help="keep exact arithmetic on a large exact game (slow)")
    commands.add_parser("catalog", help="list the catalogue games",
                        description="List the catalogue games (for analyze --catalog NAME).")
    reproduce_cmd = commands.add_parser(
        "reproduce", help="reproduce a published result (see --list)",
        description="Run a reproduction of a published result (package papers): the "
                    "reduced size by default, the published size with --full.")
    reproduce_cmd.add_argument("name", nargs="?", help="the reproduction, e.g. "
                               "calvano2020_algorithmic_collusion")
    reproduce_cmd.add_argument("--list", action="store_true", help="list the reproductions")
    from papers.common import add_arguments, add_executor_arguments
    add_arguments(reproduce_cmd)
    testbed_cmd = commands.add_parser(
        "testbed", help="run the misalignment testbed: scenario x mechanism (see --list)",
        description="Every testbed scenario under each of its mechanisms: the static "
                    "verdict, the dynamic one (share of sessions ending holistically "
                    "aligned, time to realign), the value at the end, the operator's cost "
                    "and the agent most responsible for what misalignment remains.")
    size = testbed_cmd.add_mutually_exclusive_group()
    size.add_argument("--quick", dest="quick", action="store_true", default=True,
                      help="the reduced dynamics (default)")
    size.add_argument("--full", dest="quick", action="store_false",
                      help="the full-size dynamics (slow)")
    testbed_cmd.add_argument("--scenario", metavar="NAME", action="append",
                             help="run only this scenario (repeatable; default: all)")
    testbed_cmd.add_argument("--list", action="store_true", help="list the scenarios")
    testbed_cmd.add_argument("--json", action="store_true", help="print the rows as JSON")
    testbed_cmd.add_argument("--html", metavar="FILE", help="also write the table as a "
                             "self-contained HTML page (as masalign report writes)")
    testbed_cmd.add_argument("--checkpoint", metavar="FILE",
                             help="keep finished cells in FILE; a rerun resumes from it")
    add_executor_arguments(testbed_cmd)
    testbed_cmd.add_argument("--progress", action=argparse.BooleanOptionalAction,
                             default=None, help="a progress bar on standard error "
                             "(default: on a terminal)")
    report_cmd = commands.add_parser(
        "report", help="write a self-contained HTML report of a game or a testbed scenario",
        description="One HTML file with nothing fetched over the network: the game, its "
                    "setting and its equilibria with their certificates, the Pareto "
                    "frontiers between the layers, the alignment report and the mechanism "
                    "comparison (static, and dynamic under a short learning run); for a "
                    "testbed scenario also its testbed rows, the alignment trajectories and "
                    "the attribution. With no game, the bundled aid-delivery scenario.")
    report_source = add_game_source(report_cmd)
    report_source.add_argument("--scenario", metavar="NAME",
                               help="a testbed scenario (see masalign testbed --list)")
    report_cmd.add_argument("-o", "--output", metavar="FILE.html",
                            help="where to write the page (refused up front when it cannot "
                                 "be written)")
    report_cmd.add_argument("--json", action="store_true",
                            help="print the report's content as JSON on standard output "
                                 "(figures as their alt text)")
    report_cmd.add_argument("--dynamics", action=argparse.BooleanOptionalAction, default=True,
                            help="the dynamic verdict of a game's mechanisms under a short "
                                 "Q-learning run (default: on; a scenario always runs its own)")
    report_size = report_cmd.add_mutually_exclusive_group()
    report_size.add_argument("--quick", dest="quick", action="store_true", default=True,
                             help="a scenario's reduced dynamics (default)")
    report_size.add_argument("--full", dest="quick", action="store_false",
                             help="a scenario's full-size dynamics (slow)")
    report_cmd.add_argument("--progress", action=argparse.BooleanOptionalAction,
                            default=None, help="a status line on standard error "
                            "(default: on a terminal)")
    return parser


def report(args: argparse.Namespace) -> int:
    """``masalign report``: the HTML page (``-o``) and/or its content as JSON."""
    if args.output is None and not args.json:
        raise games.InvalidArgumentError("report: expected -o FILE.html (the page), --json "
                                         "(its content on standard output) or both")
    if args.output is not None:
        check_output_path(args.output, "-o")
    show = sys.stderr.isatty() if args.progress is None else args.progress
    with Status(enabled=show) as status:
        if args.scenario is not None:
            page = scenario_report(args.scenario, quick=args.quick, status=status)
        else:
            page = game_report(game_of(args), dynamics="default" if args.dynamics else None,
                               status=status)
        if args.output is not None:
            status.set("writing the page")
            page.save(args.output)
    if args.json:
        print(json.dumps(page.to_dict(), indent=2))
    if args.output is not None:
        print(f"masalign: report written to {args.output}", file=sys.stderr)
    return 0


def testbed(args: argparse.Namespace) -> int:
    """``masalign testbed``: list the scenarios or run them."""
    T = mechanisms.testbed
    if args.list:
        names = T.scenarios()
        width = max(len(n) for n in names)
        for name in names:
            print(f"{name:<{width}}  {T.scenario(name).misalignment}")
        return 0
    if args.html:
        check_output_path(args.html, "--html")
    show = sys.stderr.isatty() if args.progress is None else args.progress
    with executor_for(args.workers, args.scheduler) as executor:
        result = T.run(args.scenario, quick=args.quick, executor=executor,
                       checkpoint=args.checkpoint, progress=show)
    if args.html:
        testbed_report(result).save(args.html)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    else:
        print(result.to_text())
    return 0


def reproduce(args: argparse.Namespace) -> int:
    """``masalign reproduce``: list the reproductions or run one."""
    import papers
    from papers.common import execute, load_expected

    if args.list:
        for name in papers.available():
            print(f"{name:<36} {load_expected(name).get('paper', '')}")
        return 0
    if args.name is None:
        print("masalign: error: reproduce: expected a reproduction name or --list",
              file=sys.stderr)
        return 2
    if args.name not in papers.available():
        print(f"masalign: error: reproduce: unknown reproduction {args.name!r}; expected one "
              f"of {', '.join(papers.available())}", file=sys.stderr)
        return 2
    return execute(args.name, args, prefix="masalign: error")


def read_analysis_input(path: str) -> games.Game:
    """A game file, or the JSON ``masalign analyze --json`` wrote (its ``"game"`` field)."""
    try:
        return games.read_game(path)
    except games.FormatError:
        data = _analysis_json(path)
        if data is None:
            raise
    try:
        return games.Game.from_dict(data["game"])
    except (games.GameError, ValueError, TypeError) as err:
        raise games.FormatError(
            f"{path}: an analysis written by 'masalign analyze --json', but its \"game\" "
            f"field is not a game ({err}); pass a .nfg or game .json file") from None


def _analysis_json(path: str) -> dict | None:
    """The document at ``path`` when it is an analysis (has "game" and "setting")."""
    if Path(path).suffix.lower() != ".json":
        return None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if isinstance(data, dict) and "game" in data and "setting" in data:
        return data
    return None


def plot_formats() -> list[str]:
    """The file extensions matplotlib can save to."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise games.GameError("--plot: plotting needs matplotlib: pip install "
                              "'masalign[plot]'") from None
    return sorted(Figure().canvas.get_supported_filetypes())


def check_plot_path(path: str) -> None:
    """Refuse a --plot target before the analysis runs, naming what is expected."""
    suffix = Path(path).suffix.lower().lstrip(".")
    formats = plot_formats()
    if suffix not in formats:
        raise games.InvalidArgumentError(
            f"--plot: expected a file name ending in one of "
            f"{', '.join('.' + f for f in formats)}, found {path!r}")
    folder = Path(path).parent
    if not folder.is_dir():
        raise games.InvalidArgumentError(
            f"--plot: the directory {str(folder)!r} does not exist (for {path!r})")


def _analyze(args: argparse.Namespace) -> int:
    if args.list:
        _print_catalogue()
        return 0
    if args.plot:
        check_plot_path(args.plot)
    game = game_of(args)
    show = sys.stderr.isatty() if args.progress is None else args.progress
    with Status(enabled=show) as status:
        analysis = analyze(game, status=status, exact=args.exact)
        if args.plot:
            status.set("drawing the plot")
            analysis.alignment.plot(args.plot)
    if args.json:
        print(json.dumps(analysis.to_dict(), indent=2))
    else:
        print(analysis.to_text(table=args.table))
    if args.plot:
        print(f"masalign: plot saved to {args.plot}", file=sys.stderr)
    return 0


def _print_catalogue() -> None:
    entries = catalogue()
    width = max(len(name) for name, _ in entries)
    for name, line in entries:
        print(f"{name:<{width}}  {line}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 on any error; 0 when the reader
    of the output went away, as ``| head`` does)."""
    try:
        args = build_parser().parse_args(argv)
        if args.command == "reproduce":
            return reproduce(args)
        if args.command == "catalog":
            _print_catalogue()
            return 0
        try:
            command = {"testbed": testbed, "report": report}.get(args.command, _analyze)
            status = command(args)
        except (games.GameError, OSError) as err:
            if isinstance(err, BrokenPipeError):
                raise
            print(f"masalign: error: {_error_text(err)}", file=sys.stderr)
            return 2
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        _silence_stdout()
        return 0


def _error_text(err: Exception) -> str:
    if isinstance(err, OSError) and err.filename is not None and err.strerror:
        return f"{err.filename}: {err.strerror.lower()}"
    return str(err)


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the interpreter's final flush
    does not fail again (the Python documentation's recipe for SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (e.g. captured)
        pass




if __name__ == "__main__":
    sys.exit(main())
