"""The `latest` subcommand of kratom-etl (registered by etl/cli.py): the dashboard's Latest
quarter page as a digest on stdout, text or JSON, for a mail after each refresh.

It reads through the dashboard's code (`dashboard/latest_digest.py`, imported when the command
runs; the dashboard never imports etl), as `kratom-etl export` does. Exit codes: 0 done; 2 usage
(a --query that is no link, a --quarter or `q` not like 2026Q2, a --base-url that is not the
dashboard's address); 3 bad input (no database at --db, a file DuckDB cannot open, or no
quarterly file of the quarter asked for loaded). Errors are one line on stderr; notes on the
link's ignored parameters go to stderr too, so stdout is only the digest.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from etl.config import Settings

EXIT_OK, EXIT_USAGE, EXIT_INPUT = 0, 2, 3


def _fail(message: str, code: int) -> int:
    print(f"kratom-etl latest: {message}".replace("\n", " "), file=sys.stderr)
    return code


def cmd_latest(args: argparse.Namespace) -> int:
    from dashboard.db import Database, DatabaseUnreadable
    from dashboard.extracts import BadLink
    from dashboard.latest_digest import DigestError, digest_text, make_digest
    from etl.cli import base_url_problem

    problem = base_url_problem(args.base_url)
    if problem:
        return _fail(problem, EXIT_USAGE)
    db_path: Path = args.db
    if not db_path.is_file():
        return _fail(
            f"--db {db_path}: no database here (build one with `kratom-etl demo`)", EXIT_INPUT
        )
    try:
        doc = make_digest(
            Database(db_path), args.query, quarter=args.quarter, base_url=args.base_url
        )
    except BadLink as exc:
        return _fail(f"--query: {exc}", EXIT_USAGE)
    except DigestError as exc:
        return _fail(str(exc), EXIT_USAGE if exc.kind == "usage" else EXIT_INPUT)
    except DatabaseUnreadable as exc:
        return _fail(str(exc), EXIT_INPUT)
    for note in doc["filters"]["ignored_parameters"]:
        print(f"kratom-etl latest: {note}", file=sys.stderr)
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n" if args.json else digest_text(doc)
    sys.stdout.write(text)
    return EXIT_OK


def add_command(sub: argparse._SubParsersAction, settings: Settings) -> None:
    """Add `latest` to kratom-etl's subcommands."""
    x = sub.add_parser(
        "latest",
        help="the Latest quarter page as a digest (text or JSON), e.g. to mail after a refresh",
    )
    x.add_argument("--db", type=Path, default=settings.db_path)
    x.add_argument(
        "--query",
        default="",
        metavar="URL-QUERY",
        help="the dashboard link or its URL query; its filters apply as on the page "
        "(e.g. 'role=primary&sex=F'; its q picks the quarter)",
    )
    x.add_argument(
        "--quarter",
        default=None,
        metavar="QUARTER",
        help="the quarter, e.g. 2026Q2 (default: the query's q, else the newest file loaded); "
        "a quarter whose file is not loaded is an error",
    )
    x.add_argument("--json", action="store_true", help="one JSON object (docs/scheduling.md)")
    x.add_argument(
        "--base-url",
        default=None,
        metavar="URL",
        help="the dashboard's address (e.g. http://127.0.0.1:8050): the link to the page is "
        "then whole; without it the link is relative to that address",
    )
    x.set_defaults(func=cmd_latest)
