"""kratom-etl: demo | build | status (download, refresh and export arrive with their issues).

Exit codes: 0 success; 2 usage error; 3 bad input (one line naming file, line and field);
4 a data check failed; 1 anything unexpected (one line; KRATOM_DEBUG=1 for the traceback).
The live database is never changed by a failed command.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from etl.config import load_settings
from etl.errors import CheckFailed, InputError

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_INPUT, EXIT_CHECK = 0, 1, 2, 3, 4


def _cmd_build(args: argparse.Namespace) -> int:
    from etl.pipeline import build

    result = build(
        args.db,
        args.faers,
        args.poison_centers,
        ignore_unknown_columns=args.ignore_unknown_columns,
    )
    print(
        f"built {result.db_path}: {len(result.quarters)} quarter(s), {result.rows_loaded:,} rows "
        f"loaded, {result.rows_rejected:,} rejected, {result.kratom_cases:,} kratom cases"
    )
    return EXIT_OK


def _cmd_status(args: argparse.Namespace) -> int:
    from etl.status import format_status, read_status

    doc = read_status(args.db)
    print(json.dumps(doc, indent=2, sort_keys=False) if args.json else format_status(doc))
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from etl.pipeline import build_demo

    result = build_demo(args.db, out_dir=args.out)
    print(
        f"built the synthetic demo {result.db_path}: {len(result.quarters)} quarters, "
        f"{result.kratom_cases:,} kratom cases"
    )
    return EXIT_OK


def make_parser() -> argparse.ArgumentParser:
    settings = load_settings()
    p = argparse.ArgumentParser(prog="kratom-etl", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build a new database from local FAERS quarters (offline)")
    b.add_argument(
        "--faers",
        nargs="+",
        type=Path,
        default=[],
        metavar="PATH",
        help="quarterly ASCII zips or extracted folders",
    )
    b.add_argument(
        "--poison-centers",
        nargs="+",
        type=Path,
        default=None,
        metavar="FILE",
        help="poison-center summary tables (CSV/XLSX); default: data/poison_centers/",
    )
    b.add_argument(
        "--ignore-unknown-columns",
        action="store_true",
        help="drop header columns nobody knows instead of stopping",
    )
    b.add_argument("--db", type=Path, default=settings.db_path)
    b.set_defaults(func=_cmd_build)

    s = sub.add_parser("status", help="what the database holds")
    s.add_argument("--db", type=Path, default=settings.db_path)
    s.add_argument("--json", action="store_true", help="the stable JSON document, for scripts")
    s.set_defaults(func=_cmd_status)

    d = sub.add_parser("demo", help="build the embedded synthetic default (no network)")
    d.add_argument("--db", type=Path, default=settings.db_path)
    d.add_argument(
        "--out",
        type=Path,
        default=settings.data_dir / "demo",
        help="where the synthetic quarterly zips are written",
    )
    d.set_defaults(func=_cmd_demo)
    return p


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    args = make_parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        print(f"kratom-etl: bad input: {exc.one_line()}", file=sys.stderr)
        return EXIT_INPUT
    except CheckFailed as exc:
        print(f"kratom-etl: {exc}".replace("\n", " "), file=sys.stderr)
        return EXIT_CHECK
    except Exception as exc:  # one line, never a traceback, unless asked for
        if os.environ.get("KRATOM_DEBUG"):
            raise
        print(
            f"kratom-etl: failed: {type(exc).__name__}: {exc}".replace("\n", " "), file=sys.stderr
        )
        return EXIT_FAILURE
