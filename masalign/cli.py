"""The ``masalign`` command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

import games
from masalign.report import analyze


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="masalign",
        description="Game-theoretic analysis of multi-agent (mis)alignment.")
    commands = parser.add_subparsers(dest="command", required=True)
    analyze_cmd = commands.add_parser(
        "analyze", help="analyse a game: setting, pure equilibria, dominance",
        description="Analyse a game file (.nfg or .json) or a catalogue game; with no "
                    "argument, the bundled aid-delivery scenario.")
    source = analyze_cmd.add_mutually_exclusive_group()
    source.add_argument("file", nargs="?", help="a Gambit .nfg or masalign .json game file")
    source.add_argument("--catalog", metavar="NAME",
                        help="a catalogue game, e.g. prisoners_dilemma or aid_delivery")
    analyze_cmd.add_argument("--json", action="store_true", help="print the analysis as JSON")
    analyze_cmd.add_argument("--plot", metavar="FILE.png",
                             help="save the alignment plot (outcomes, frontier, equilibria); "
                                  "needs matplotlib")
    reproduce_cmd = commands.add_parser(
        "reproduce", help="reproduce a published result (see --list)",
        description="Run a reproduction of a published result (package papers): the "
                    "reduced size by default, the published size with --full.")
    reproduce_cmd.add_argument("name", nargs="?", help="the reproduction, e.g. "
                               "calvano2020_algorithmic_collusion")
    reproduce_cmd.add_argument("--list", action="store_true", help="list the reproductions")
    from papers._common import add_arguments
    add_arguments(reproduce_cmd)
    return parser


def reproduce(args: argparse.Namespace) -> int:
    """``masalign reproduce``: list the reproductions or run one."""
    import papers
    from papers._common import execute, load_expected

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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 on any error)."""
    args = build_parser().parse_args(argv)
    if args.command == "reproduce":
        return reproduce(args)
    try:
        if args.file is not None:
            game = games.read_game(args.file)
        else:
            game = games.catalog.by_name(args.catalog or "aid_delivery")
        analysis = analyze(game)
        if args.plot:
            try:
                analysis.alignment.plot(args.plot)
            except ImportError as err:
                raise games.GameError(f"--plot: {err}") from None
        if args.json:
            print(json.dumps(analysis.to_dict(), indent=2))
        else:
            print(analysis.to_text())
    except (games.GameError, OSError) as err:
        print(f"masalign: error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
