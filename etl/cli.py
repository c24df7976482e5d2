"""kratom-etl: demo | build | download | refresh | status | export | latest.

Exit codes: 0 success; 2 usage error; 3 bad input (one line naming file, line and field);
4 a data check failed; 1 anything unexpected (one line; KRATOM_DEBUG=1 for the traceback);
5 another refresh holds the lock; 6 a download failed (see etl/refresh_cli.py); 7 out of disk
space (or over a file-size limit or quota). The live database is never changed by a failed command.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from etl.config import load_settings
from etl.errors import CheckFailed, InputError, disk_full_reason

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_INPUT, EXIT_CHECK = 0, 1, 2, 3, 4
EXIT_DISK_FULL = 7


NO_FAERS = (
    "give the quarters to build from with --faers PATH...: a full build without them would "
    "replace the live database with an empty one (--add with no --faers keeps its quarters)"
)


def _cmd_build(args: argparse.Namespace) -> int:
    from etl.pipeline import build

    if not args.faers and not args.add:
        print(f"kratom-etl build: {NO_FAERS}", file=sys.stderr)
        return EXIT_USAGE
    result = build(
        args.db,
        args.faers,
        args.poison_centers,
        ignore_unknown_columns=args.ignore_unknown_columns,
        incremental=args.add,
    )
    print(
        f"built {result.db_path}: {len(result.quarters)} quarter(s), {result.rows_loaded:,} rows "
        f"loaded, {result.rows_rejected:,} rejected, {result.kratom_cases:,} kratom cases"
    )
    if result.incremental:
        print(
            f"added {len(result.quarters_added)} quarter(s) to the live database "
            f"({', '.join(result.quarters_added) or 'none new'}; "
            f"copying the live file took {result.copy_seconds:.1f} s)"
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


# What each export format writes, and the ending its file name must have (`-o`).
EXPORT_FORMATS = {
    "csv": (
        ".zip",
        "a zip of cases.csv, substances.csv, events.csv, dictionary.csv (their columns and "
        "codes), manifest.json, README.txt",
    ),
    "parquet": (
        ".zip",
        "a zip of the same tables as .parquet files, dictionary.csv, manifest.json, README.txt",
    ),
    "xlsx": (
        ".xlsx",
        "one Excel workbook: sheets About (the manifest), Cases, Substances, Events, Dictionary",
    ),
}


def export_usage_error(args: argparse.Namespace) -> str | None:
    """Why the export's arguments cannot be used (one line), or None: a file name whose ending
    is not its format's (`-o x.csv` would hold a zip), a base URL that is not http(s)."""
    ending, what = EXPORT_FORMATS[args.format]
    out: Path = args.output
    if not out.is_dir() and not out.name.lower().endswith(ending):
        example = out.name + ending if args.format != "xlsx" else out.stem + ending
        return (
            f"-o {out.name}: --format {args.format} writes {what}; name the file to end in "
            f"{ending} (e.g. {example}) or give a folder"
        )
    return base_url_problem(args.base_url)


def base_url_problem(base: str | None) -> str | None:
    """Why `--base-url` is not the dashboard's address (http(s), a host, no query), or None."""
    if base is not None:
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
            return f"--base-url {base!r}: give the dashboard's address, e.g. http://127.0.0.1:8050"
    return None


def _cmd_export(args: argparse.Namespace) -> int:
    from dashboard.extracts import BadLink, build_extract, split_link

    try:
        split_link(args.query)
    except BadLink as exc:
        print(f"kratom-etl export: --query: {exc}".replace("\n", " "), file=sys.stderr)
        return EXIT_USAGE
    problem = export_usage_error(args)
    if problem:
        print(f"kratom-etl export: {problem}", file=sys.stderr)
        return EXIT_USAGE
    extract = build_extract(
        args.db, args.query, args.format, view=args.view, base_url=args.base_url
    )
    for note in extract.notes:
        print(f"kratom-etl export: {note}", file=sys.stderr)
    out = args.output / extract.name if args.output.is_dir() else args.output
    part = out.with_name(out.name + ".part")
    try:
        part.write_bytes(extract.content)
        os.replace(part, out)
    finally:
        part.unlink(missing_ok=True)
    tables = extract.manifest["tables"]
    print(f"wrote {out}: " + ", ".join(f"{t['rows_in_file']:,} {n}" for n, t in tables.items()))
    for cut in extract.manifest["cuts"]:
        print(f"  cut: {cut}")
    return EXIT_OK


def debug_wanted(env: dict[str, str] | None = None) -> bool:
    """KRATOM_DEBUG asks for tracebacks: set, and not empty, 0, false, no or off."""
    value = (os.environ if env is None else env).get("KRATOM_DEBUG", "")
    return value.strip().lower() not in ("", "0", "false", "no", "off")


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
        help="quarterly ASCII zips or extracted folders (required, except with --add)",
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
    b.add_argument(
        "--add",
        "--incremental",
        dest="add",
        action="store_true",
        help="add the quarters the live database lacks, reading only those (else a full build)",
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

    from etl.refresh_cli import add_commands as add_refresh_commands

    add_refresh_commands(sub, settings)

    x = sub.add_parser("export", help="the dashboard's extract of a link, for scripts")
    x.add_argument(
        "--query",
        default="",
        help="the dashboard link or its URL query, e.g. 'role=primary&from=2019Q1'",
    )
    x.add_argument(
        "--format",
        choices=list(EXPORT_FORMATS),
        default="csv",
        help="; ".join(f"{k}: {what}" for k, (_end, what) in EXPORT_FORMATS.items()),
    )
    x.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="FILE",
        help="file to write, ending in .zip for csv and parquet (e.g. x.csv.zip), .xlsx for xlsx "
        "(another ending is a usage error); a folder: the documented name inside it "
        "(kratom_ or all-drugs_, then ALL or FILTERED, then the UTC time)",
    )
    x.add_argument(
        "--view",
        default=None,
        metavar="PATH",
        help="the dashboard page the extract is of (e.g. /cases; default: the link's own path), "
        "named in the manifest; with population=all it also decides which cases the file holds: "
        "a page that shows kratom cases gives kratom cases (docs/dashboard.md, population=all)",
    )
    x.add_argument(
        "--base-url",
        default=None,
        metavar="URL",
        help="the dashboard's address (e.g. http://127.0.0.1:8050): the manifest's link is "
        "then whole; without it the link is relative to that address, and the manifest says so",
    )
    x.add_argument("--db", type=Path, default=settings.db_path)
    x.set_defaults(func=_cmd_export)

    from etl.latest_cli import add_command as add_latest_command

    add_latest_command(sub, settings)
    return p


def main(argv: list[str] | None = None) -> int:
    # One BLAS thread unless told otherwise, set before numpy and scipy load it: the EBGM fit's
    # tiny vector steps cost several times more with worker threads (docs/architecture.md).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
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
        if debug_wanted():
            raise
        reason = disk_full_reason(exc)
        if reason:
            print(
                f"kratom-etl: out of disk space: {reason}; the live database is unchanged; "
                "free some space and run again",
                file=sys.stderr,
            )
            return EXIT_DISK_FULL
        print(
            f"kratom-etl: failed: {type(exc).__name__}: {exc}".replace("\n", " "), file=sys.stderr
        )
        return EXIT_FAILURE
