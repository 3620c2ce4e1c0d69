"""The machine interface (product brief §10).

    python -m kneeassess assess ANSWERS.json    # the assessment as JSON ("-" reads stdin)
    python -m kneeassess schema                 # the JSON Schema of the answers
    python -m kneeassess import PATH... --dry-run | --profile LINK   # runs from Strava / watch files
    python -m kneeassess deliver [--once | --loop SECONDS]         # forward consultation requests
    python -m kneeassess hash-passcode          # staff passcode (stdin) -> Argon2 hash for the secrets
    python -m kneeassess import PATH... --dry-run                # runs found in activity files, as JSON
    python -m kneeassess import PATH... --profile LINK_OR_TOKEN  # ...saved to that profile, no duplicates

Invalid input: exit code 2, one line per problem on stderr naming the field, nothing on stdout.
``import`` prints {"runs", "skipped", "errors"} (plus "saved" and "duplicates" with --profile; --dry-run with
--profile adds "duplicates" only) and exits 0 when it ran: a file's problems are in "errors".
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import parse_qs, urlparse

from kneeassess.answers import InvalidAnswers, answers_schema
from kneeassess.content import ContentError
from kneeassess.screening import assess

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


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m kneeassess", description="KneeAssess machine interface")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p_assess = sub.add_parser("assess", help="print the assessment of an answers JSON file")
    p_assess.add_argument("file", help="answers JSON file, or - for stdin")
    sub.add_parser("schema", help="print the JSON Schema of the answers")
    p_import = sub.add_parser(
        "import", help="read runs from a Strava export ZIP or folder, activities.csv, .fit/.gpx/.tcx(.gz) files"
    )
    p_import.add_argument("paths", nargs="+", metavar="PATH", help="files, ZIPs or folders")
    p_import.add_argument("--dry-run", action="store_true", help="print what would be imported; save nothing")
    p_import.add_argument("--profile", metavar="LINK_OR_TOKEN", help="the profile's link (...?p=TOKEN) or token")
    sub.add_parser("deliver", help="forward due consultation requests to the clinic: [--once | --loop SECONDS]")
    sub.add_parser("hash-passcode", help="read a staff passcode on stdin and print its Argon2 hash for the secrets")
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["deliver"]:  # its options are the outbox's own
        from kneeassess.outbox import main_deliver

        return main_deliver(argv[1:])
    args = parser.parse_args(argv)
    if args.command == "hash-passcode":
        from kneeassess.staff_auth import main_hash_passcode

        return main_hash_passcode()
    if args.command == "import":
        return import_command(args.paths, dry_run=args.dry_run, profile=args.profile)

    try:
        if args.command == "schema":
            print(json.dumps(answers_schema(), indent=2, ensure_ascii=False))
            return 0
        raw = _read_answers(args.file)
        result = public_assessment(raw)
    except InvalidFile as exc:
        print(str(exc), file=sys.stderr)
        return USAGE_ERROR
    except InvalidAnswers as exc:
        for p in exc.problems:
            print(str(p), file=sys.stderr)
        return USAGE_ERROR
    except ContentError as exc:
        print(f"content error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


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
            store = open_store()
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
