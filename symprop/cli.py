"""The command line: ``symprop solve SPEC --format json|md|tex|pdf`` and ``symprop examples``.

``main(argv) -> int`` is the only place that touches files and streams; bad input (a
``SympropError``) is one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__, examples
from .errors import SympropError
from .numbers.solution import solve
from .spec.choices import ASPECTS, NOTATIONS, REPORT_FORMATS, SOLVE_FORMATS, STYLES
from .spec.reader import Spec, load_spec


def resolve_spec(name: str) -> Spec:
    """A spec from a path, or from a bundled example's name."""
    path = Path(name)
    try:
        exists, is_dir = path.exists(), path.is_dir()
    except (OSError, ValueError) as exc:  # e.g. a name too long for the file system
        raise SympropError(f"{name}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    if is_dir:
        raise SympropError(f"{name}: is a directory, not a spec file")
    if exists:
        return load_spec(path)
    bundled = examples.path(name)
    if bundled is not None:
        return load_spec(bundled, name=name)
    raise SympropError(
        f"{name}: no such file, and no bundled example of that name "
        f"(examples: {', '.join(examples.names())})"
    )


def spec_name(spec: Spec) -> str:
    """The spec's name for its default output folder: the example's name or the file's stem."""
    return spec.source if examples.path(spec.source) is not None else Path(spec.source).stem


def _rendering_options(command: argparse.ArgumentParser) -> None:
    """The spec and the options every rendering command shares."""
    command.add_argument("spec", metavar="SPEC", help="a spec file, or a bundled example's name")
    command.add_argument("-o", "--output", metavar="DIR", type=Path,
                         help="output directory (default: outputs/<spec name>/)")
    command.add_argument("--style", choices=STYLES, default="chain",
                         help="chain (chain-rule products), delta (δ of every unit) or matrix (vectorised)")
    command.add_argument("--notation", choices=NOTATIONS, help="notation preset (default: the spec's notation)")
    command.add_argument("--templates", metavar="DIR", type=Path,
                         help="a folder of your own templates, looked up before symprop's")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="symprop",
        description="Step-by-step backpropagation worked solutions, derived symbolically.",
    )
    parser.add_argument("--version", action="version", version=f"symprop {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    solve_cmd = commands.add_parser(
        "solve", help="solve one training step of a spec",
        description="Forward pass, errors, chain-rule gradients, updates and the error after "
        "the update, exact and as written under the spec's rounding policy.",
    )
    _rendering_options(solve_cmd)
    solve_cmd.add_argument("--format", choices=SOLVE_FORMATS, default="json",
                           help="json to stdout (default), or a worked solution: md (with network.svg), tex, pdf")
    slides_cmd = commands.add_parser(
        "slides", help="write a Beamer deck walking through one training step",
        description="slides.tex and slides.pdf: the network, the forward pass, the error, the chain "
        "rule with the path highlighted and the factors revealed one by one, the updates.",
    )
    _rendering_options(slides_cmd)
    slides_cmd.add_argument("--detail", metavar="P,Q", default=None,
                            help="parameters worked in full (default: the first weight of the last and of the first layer)")
    slides_cmd.add_argument("--aspect", choices=ASPECTS, default="169", help="16:9 (default) or 4:3")
    slides_cmd.add_argument("--handout", action="store_true", help="no overlays: one page per frame")
    slides_cmd.add_argument("--no-pdf", action="store_true", help="write slides.tex only")
    exam_cmd = commands.add_parser(
        "exam", help="write seeded exam variants, question sheets, answer keys and a Moodle export",
        description="N variants of the spec's network with their own numbers: question sheets (PDF, "
        "Markdown), worked answer keys, key.csv, key.json and moodle.xml.",
    )
    exam_cmd.add_argument("spec", metavar="SPEC", help="a spec file, or a bundled example's name")
    exam_cmd.add_argument("--variants", metavar="N", type=int, required=True, help="how many variants")
    exam_cmd.add_argument("--seed", metavar="S", type=int, required=True, help="the random seed (same seed, same files)")
    exam_cmd.add_argument("--ask", metavar="Q,R", default=None,
                          help="asked quantities, checker names (default: the spec's exam.ask, else sensible ones)")
    exam_cmd.add_argument("-o", "--output", metavar="DIR", type=Path,
                          help="output directory (default: outputs/<spec name>-exam/)")
    exam_cmd.add_argument("--notation", choices=NOTATIONS, help="notation preset (default: the spec's notation)")
    exam_cmd.add_argument("--templates", metavar="DIR", type=Path,
                          help="a folder of your own templates, looked up before symprop's")
    exam_cmd.add_argument("--no-pdf", action="store_true", help="write the LaTeX sources only")
    check_cmd = commands.add_parser(
        "check", help="check an answer sheet or a hand derivation",
        description="With --answers: check a student's answers against the spec. Without: check every "
        "numeric equation chain of a Markdown or LaTeX derivation document.",
    )
    check_cmd.add_argument("target", metavar="SPEC|DOC", help="the spec (with --answers) or the document to check")
    check_cmd.add_argument("--answers", metavar="FILE", type=Path, help="answers as YAML, JSON or CSV (quantity -> value)")
    check_cmd.add_argument("--spec", metavar="SPEC", help="the spec a document derives (compares its named quantities)")
    check_cmd.add_argument("--require", metavar="Q,R", default="", help="quantities that must be answered")
    check_cmd.add_argument("--format", choices=REPORT_FORMATS, default="text", help="report format")
    commands.add_parser("examples", help="list the bundled example specs")
    return parser


def _one_line(exc: Exception) -> str:
    """The message on one line, whatever text it quotes."""
    return " ".join(str(exc).splitlines())


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "examples":
            for name in examples.names():
                spec = load_spec(examples.path(name), name=name)
                print(f"{name}\t{spec.title}")
            return 0
        if args.command == "check":
            from .jobs.check import run_check  # the checker: loaded only when asked for

            return run_check(args, resolve_spec)
        spec = resolve_spec(args.spec)
        if args.command == "exam":
            from .jobs.exam import write_exam  # exams: loaded only when asked for

            out_dir = args.output or Path("outputs") / f"{spec_name(spec)}-exam"
            paths, summary = write_exam(spec, out_dir, args)
            for path in paths:
                print(path)
            print(f"symprop: {summary}", file=sys.stderr)
            return 0
        solution = solve(spec, form="chain" if args.style == "chain" else "delta")
        if args.command == "slides":
            from .jobs.slides import write_slides

            out_dir = args.output or Path("outputs") / spec_name(spec)
            for path in write_slides(solution, out_dir, args):
                print(path)
            return 0
        if args.format == "json":
            sys.stdout.write(solution.to_json() + "\n")
            return 0
        from .jobs.files import write_solution  # documents only: jinja2 and the renderers

        out_dir = args.output or Path("outputs") / spec_name(spec)
        for path in write_solution(solution, args.format, out_dir, args.style, args.notation, args.templates):
            print(path)
        return 0
    except SympropError as exc:
        print(f"symprop: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into head
        return 0


if __name__ == "__main__":
    sys.exit(main())
