"""The machine interface (product brief §10).

    python -m kneeassess assess ANSWERS.json    # the assessment as JSON ("-" reads stdin)
    python -m kneeassess schema                 # the JSON Schema of the answers

Invalid input: exit code 2, one line per problem on stderr naming the field, nothing on stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from kneeassess.answers import InvalidAnswers, answers_schema
from kneeassess.content import ContentError
from kneeassess.screening import assess

USAGE_ERROR = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too; keep its one-line message
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(USAGE_ERROR)


def _read_answers(path: str) -> Any:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidFile(f"{path}: cannot read file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InvalidFile(f"{path}: not a UTF-8 text file") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidFile(f"{path}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None


class InvalidFile(Exception):
    pass


def public_assessment(raw: Any) -> dict[str, Any]:
    """The brief §10 JSON: its keys first, then the explanations the screens also show."""
    a = assess(raw)
    out = a.model_dump(mode="json")
    for w in out["weak_links"]:
        for r in w["reasons"]:
            r.pop("rule", None)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m kneeassess", description="KneeAssess machine interface")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p_assess = sub.add_parser("assess", help="print the assessment of an answers JSON file")
    p_assess.add_argument("file", help="answers JSON file, or - for stdin")
    sub.add_parser("schema", help="print the JSON Schema of the answers")
    args = parser.parse_args(argv)

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


if __name__ == "__main__":
    raise SystemExit(main())
