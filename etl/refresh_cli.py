"""The `download` and `refresh` subcommands of kratom-etl (registered by etl/cli.py).

Exit codes beyond cli.py's: 5 another refresh holds the lock; 6 a download failed (network,
FDA's index page or a zip, or a corrupt zip refused). Failures print one line to stderr; the
live database is kept.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from etl.config import Settings
from etl.http import FetchError
from etl.lock import LockHeld
from etl.sigterm import Terminated, terminated_on_sigterm
from etl.sources.fda_downloads import DownloadError

EXIT_OK, EXIT_FAILURE, EXIT_LOCKED, EXIT_DOWNLOAD = 0, 1, 5, 6


def _settings(args: argparse.Namespace, settings: Settings) -> Settings:
    return dataclasses.replace(settings, db_path=args.db)


def _fail(message: str, code: int) -> int:
    print(f"kratom-etl: {message}".replace("\n", " "), file=sys.stderr)
    return code


def cmd_download(args: argparse.Namespace, settings: Settings) -> int:
    from etl.refresh import download

    try:
        report = download(_settings(args, settings), args.since, args.until)
    except LockHeld as exc:
        return _fail(str(exc), EXIT_LOCKED)
    except (DownloadError, FetchError) as exc:  # FetchError: FDA's index page could not be had
        return _fail(f"download failed: {exc}", EXIT_DOWNLOAD)
    new = f" ({', '.join(report.downloaded)})" if report.downloaded else ""
    print(f"downloaded {len(report.downloaded)} quarter(s){new}, {len(report.skipped)} present")
    return EXIT_OK


def describe_run(run) -> str:
    """The one line a refresh prints on success."""
    span = f"{run.quarters[0]}–{run.quarters[-1]}"
    if run.status == "nothing_new":
        return (
            f"nothing new: {run.db} is already built from these {len(run.quarters)} quarter "
            f"file(s) ({span}) and reference data; left unchanged (run {run.run_id})"
        )
    new = f"{len(run.new_quarters)} new" + (
        f" ({', '.join(run.new_quarters)})" if run.new_quarters else ""
    )
    return (
        f"updated {run.db}: {len(run.quarters)} quarter(s) ({span}), {new}; {run.rows_in:,} rows "
        f"loaded, {run.rows_rejected:,} rejected, {run.kratom_cases:,} kratom cases "
        f"(run {run.run_id})"
    )


def cmd_refresh(args: argparse.Namespace, settings: Settings) -> int:
    from etl.refresh import refresh

    try:
        with terminated_on_sigterm():
            run = refresh(
                _settings(args, settings),
                since=args.since,
                use_openfda=not args.no_openfda,
                force=args.force,
            )
    except LockHeld as exc:
        return _fail(str(exc), EXIT_LOCKED)
    except (DownloadError, FetchError) as exc:  # FetchError: FDA's index page could not be had
        return _fail(f"refresh failed, database unchanged: download: {exc}", EXIT_DOWNLOAD)
    except Terminated:
        return _fail("refresh stopped by SIGTERM, database unchanged", EXIT_FAILURE)
    print(describe_run(run))  # warnings were logged to stderr as they happened
    return EXIT_OK


def add_commands(sub: argparse._SubParsersAction, settings: Settings) -> None:
    """Add `download` and `refresh` to kratom-etl's subcommands."""
    d = sub.add_parser("download", help="fetch FDA's quarterly FAERS zips not yet in the raw store")
    d.add_argument("--since", default="2004Q1", help="first quarter (default 2004Q1)")
    d.add_argument("--until", default=None, help="last quarter (default: the newest listed)")
    d.add_argument("--db", type=Path, default=settings.db_path, help="the lock sits beside it")
    d.set_defaults(func=lambda args: cmd_download(args, settings))

    r = sub.add_parser(
        "refresh", help="download what is new, rebuild, check, swap (for cron / systemd)"
    )
    r.add_argument("--since", default="2004Q1", help="first quarter to download (default 2004Q1)")
    r.add_argument("--no-openfda", action="store_true", help="do not fetch openFDA reports")
    r.add_argument("--force", action="store_true", help="rebuild even when nothing is new")
    r.add_argument("--db", type=Path, default=settings.db_path)
    r.set_defaults(func=lambda args: cmd_refresh(args, settings))
