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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 on any error)."""
    args = build_parser().parse_args(argv)
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
