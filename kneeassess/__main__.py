"""The machine interface (product brief §10).

    python -m kneeassess assess ANSWERS.json    # the assessment as JSON ("-" reads stdin)
    python -m kneeassess schema                 # the JSON Schema of the answers
    python -m kneeassess import PATH... --dry-run | --profile LINK   # runs from Strava / watch files
    python -m kneeassess deliver [--once | --loop SECONDS] [--limit N]   # forward consultation requests
    python -m kneeassess hash-passcode          # staff passcode (stdin) -> Argon2 hash for the secrets
    python -m kneeassess movement VIDEO [--side left|right|both] [--json]   # figures of a squat video

One argparse parser with a subcommand per command (:func:`parser`). Invalid input: exit code 2, one line per
problem on stderr naming the field, nothing on stdout.
``import`` prints {"runs", "skipped", "errors"} (plus "saved" and "duplicates" with --profile; --dry-run with
--profile adds "duplicates" only) and exits 0 when it ran: a file's problems are in "errors". ``deliver`` exits 0
when it ran (failed deliveries stay in the outbox and are retried), 1 when the database cannot be reached, 2 for
bad arguments or delivery settings.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import parse_qs, urlparse

from kneeassess.answers import InvalidAnswers, answers_schema
from kneeassess.content import ContentError
from kneeassess.screening import assess
from kneeassess.settings import current

USAGE_ERROR = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 too; keep its one-line message
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(USAGE_ERROR)


ANSWERS_MAX_BYTES = 1024 * 1024  # an answers file is a few KB
JSON_MAX_DEPTH = 32  # answers nest 2 levels
JSON_MAX_DIGITS = 20  # the longest number an answer holds has 3 digits


def json_depth_over(text: str, limit: int) -> bool:
    """Does ``text`` nest arrays/objects deeper than ``limit``? One pass, outside strings, before any parsing (the
    parser recurses once per level: 100,000 levels is a RecursionError)."""
    depth, in_string, escaped = 0, False, False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif ch in "]}":
            depth -= 1
    return False


def _small_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > JSON_MAX_DIGITS:
        raise InvalidFile(f"a number with {digits:,} digits: answers hold numbers of at most {JSON_MAX_DIGITS}")
    return int(text)


def _read_answers(path: str) -> Any:
    """The answers file as JSON, refused before parsing when it is larger than 1 MB or nested deeper than 32 levels,
    and while parsing at a number longer than 20 digits: exit 2 with one line, never a traceback or a memory spike."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read(ANSWERS_MAX_BYTES + 1)
        else:
            with Path(path).open("rb") as f:
                data = f.read(ANSWERS_MAX_BYTES + 1)
    except OSError as exc:
        raise InvalidFile(f"{path}: cannot read file: {exc.strerror or exc}") from None
    if len(data) > ANSWERS_MAX_BYTES:
        raise InvalidFile(f"{path}: larger than {ANSWERS_MAX_BYTES // 1024 // 1024} MB: not an answers file "
                          "(those are a few KB)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidFile(f"{path}: not a UTF-8 text file") from None
    if json_depth_over(text, JSON_MAX_DEPTH):
        raise InvalidFile(f"{path}: nested more than {JSON_MAX_DEPTH} levels deep: not an answers file")
    try:
        return json.loads(text, parse_int=_small_int)
    except InvalidFile as exc:
        raise InvalidFile(f"{path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise InvalidFile(f"{path}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except (ValueError, RecursionError, MemoryError) as exc:  # a safety net: the checks above come first
        raise InvalidFile(f"{path}: not readable as answers: {type(exc).__name__}") from None


class InvalidFile(Exception):
    pass


def public_assessment(raw: Any) -> dict[str, Any]:
    """The brief §10 JSON: its keys first, then the explanations the screens also show."""
    a = assess(raw)
    dumped = a.model_dump(mode="json")
    for w in dumped["weak_links"]:
        for r in w["reasons"]:
            r.pop("rule", None)
    first = ("triage", "red_flags", "triage_advice", "notes", "akps", "weak_links", "load", "phase", "plan")
    return {k: dumped[k] for k in first} | {k: v for k, v in dumped.items() if k not in first}


def assess_command(args: argparse.Namespace) -> int:
    try:
        result = public_assessment(_read_answers(args.file))
    except InvalidFile as exc:
        print(str(exc), file=sys.stderr)
        return USAGE_ERROR
    except InvalidAnswers as exc:
        for p in exc.items:
            print(str(p), file=sys.stderr)
        return USAGE_ERROR
    except ContentError as exc:
        print(f"content error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


def schema_command(args: argparse.Namespace) -> int:
    try:
        schema = answers_schema()
    except ContentError as exc:
        print(f"content error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return 0


def deliver_command(args: argparse.Namespace) -> int:
    """Send what is due, once (default) or every ``--loop`` SECONDS until stopped (SIGTERM / Ctrl-C). Exit 0 —
    also when deliveries failed: they stay in the outbox and are retried; 1 when the database cannot be reached;
    2 for bad arguments or settings."""
    if args.loop is not None and args.loop <= 0:
        print("error: --loop needs a number of seconds above 0", file=sys.stderr)
        return USAGE_ERROR
    settings = current()
    if settings.delivery_problem:
        print(f"error: {settings.delivery_problem}", file=sys.stderr)
        return USAGE_ERROR
    # imported after the checks above: a mistake in the arguments is reported without loading the database layer
    from kneeassess import outbox
    from kneeassess.storage import StorageError
    from kneeassess.storage.sql import SqlStore

    config = settings.delivery
    if not config.channels:
        print("warning: no delivery channel is configured (KNEEASSESS_WEBHOOK_URL, KNEEASSESS_SMTP_HOST/_TO)",
              file=sys.stderr)
    stop = threading.Event()
    try:
        store = SqlStore(settings.store_url)
    except StorageError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    try:
        if args.loop is not None:
            with contextlib.suppress(ValueError):  # only the main thread may set a signal handler
                signal.signal(signal.SIGTERM, lambda *_: stop.set())
        while True:
            report = outbox.deliver_all_due(store, limit=max(1, args.limit), config=config)
            if report.claimed:
                print(f"delivered {report.delivered}, failed {report.failed} (retried later), "
                      f"given back {report.released}", flush=True)
            if args.loop is None or stop.wait(args.loop):
                return 0
    except StorageError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        store.close()


def hash_passcode_command(args: argparse.Namespace) -> int:
    """Read a passcode (asked twice on a terminal; else the first line of stdin) and print its Argon2 hash. Exit 2
    when it is too short or the two entries differ."""
    import getpass

    from kneeassess.staff_auth import MIN_PASSCODE_LENGTH, hash_passcode

    if sys.stdin.isatty():
        passcode = getpass.getpass("Staff passcode: ")
        if getpass.getpass("Once more: ") != passcode:
            print("error: the two passcodes differ", file=sys.stderr)
            return USAGE_ERROR
    else:
        passcode = sys.stdin.readline().rstrip("\r\n")
    if len(passcode) < MIN_PASSCODE_LENGTH:
        print(f"error: the passcode needs at least {MIN_PASSCODE_LENGTH} characters", file=sys.stderr)
        return USAGE_ERROR
    print(hash_passcode(passcode))
    return 0


def movement_command(args: argparse.Namespace) -> int:
    from kneeassess.movement.cli import movement_command as measure

    code: int = measure(args.video, side=args.side, as_json=args.json)
    return code


def parser() -> argparse.ArgumentParser:
    """One argparse parser with a subcommand per job; each subcommand names the function that runs it."""
    root = _Parser(prog="python -m kneeassess", description="KneeAssess machine interface")
    sub = root.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("assess", help="print the assessment of an answers JSON file")
    p.add_argument("file", help="answers JSON file, or - for stdin")
    p.set_defaults(run=assess_command)

    sub.add_parser("schema", help="print the JSON Schema of the answers").set_defaults(run=schema_command)

    p = sub.add_parser(
        "import", help="read runs from a Strava export ZIP or folder, activities.csv, .fit/.gpx/.tcx(.gz) files"
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, ZIPs or folders")
    p.add_argument("--dry-run", action="store_true", help="print what would be imported; save nothing")
    p.add_argument("--profile", metavar="LINK_OR_TOKEN", help="the profile's link (...?p=TOKEN) or token")
    p.set_defaults(run=lambda a: import_command(a.paths, dry_run=a.dry_run, profile=a.profile))

    p = sub.add_parser("deliver", help="forward due consultation requests to the clinic: [--once | --loop SECONDS]",
                       description="Forward stored consultation requests to the clinic.")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="one run: send everything due now (the default)")
    mode.add_argument("--loop", type=float, metavar="SECONDS", help="keep running, a pass every SECONDS")
    p.add_argument("--limit", type=int, default=20, help="rows claimed at a time (default 20)")
    p.set_defaults(run=deliver_command)

    sub.add_parser(
        "hash-passcode", help="read a staff passcode on stdin and print its Argon2 hash for the secrets"
    ).set_defaults(run=hash_passcode_command)

    p = sub.add_parser("movement", help="measure a squat video (or a photo at the deepest point)")
    p.add_argument("video", help="the video (MP4, MOV, WebM) or photo (JPEG, PNG)")
    p.add_argument("--side", choices=("left", "right", "both"), default="both", help="which leg to measure")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(run=movement_command)
    return root


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser().parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as exc:  # --help (0) or a usage error (2, its message printed already)
        return exc.code if isinstance(exc.code, int) else USAGE_ERROR
    code: int = args.run(args)
    return code


def _token(link_or_token: str) -> str:
    text = link_or_token.strip()
    if "p=" in text:
        query = urlparse(text).query or text.split("?", 1)[-1]
        values = parse_qs(query).get("p")
        if values:
            return values[0].strip()
    return text


def import_command(paths: list[str], *, dry_run: bool, profile: str | None) -> int:
    """Exit 0 when it ran (a file's problems are in "errors"), 2 on usage errors: nothing on stdout then."""
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        for p in missing:
            print(f"{p}: no such file or folder", file=sys.stderr)
        return USAGE_ERROR
    if not dry_run and not profile:
        print("error: give --profile LINK_OR_TOKEN to save the runs, or --dry-run to only show them", file=sys.stderr)
        return USAGE_ERROR

    from kneeassess.imports import is_duplicate, read_paths, save_runs
    from kneeassess.profiles import open_profile
    from kneeassess.records import Run
    from kneeassess.storage import StorageError, open_store

    store = owner = None
    try:
        if profile:
            store = open_store(settings=current())
            owner = open_profile(store, _token(profile))
            if owner is None:
                print("error: the profile does not open: check the link or token", file=sys.stderr)
                return USAGE_ERROR
        result = read_paths([Path(p) for p in paths])
        out = result.to_json()
        if store is not None and owner is not None:
            if dry_run:  # what saving would skip
                existing = store.list_records(Run, owner.id)
                out["duplicates"] = sum(1 for r in result.runs if is_duplicate(r, existing))
            else:
                out["saved"], out["duplicates"] = save_runs(store, owner, result)
    except StorageError as exc:
        print(f"storage error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(out, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
