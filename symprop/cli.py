"""The command line: ``symprop solve | slides | exam | check | examples``.

``main(argv) -> int`` parses the arguments into the jobs' typed option records
(``jobs.options``), runs the job and prints what it returns; bad input (a
``SympropError``) is one line on stderr and exit status 2, never a traceback. The jobs are
imported when asked for, so ``solve --format json`` loads neither Jinja nor the renderers.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from . import examples
from .errors import SympropError
from .jobs.options import CheckOptions, ExamOptions, Rendering, SlidesOptions, SolveOptions
from .spec.choices import ASPECTS, NOTATIONS, NUMBERS, REPORT_FORMATS, SLIDES_FORMATS, SOLVE_FORMATS, STYLES
from .spec.sources import bundled, resolve_spec
from .version import __version__


def _rendering_options(command: argparse.ArgumentParser) -> None:
    """The spec and the options every rendering command shares."""
    command.add_argument("spec", metavar="SPEC", help="a spec file, or a bundled example's name")
    command.add_argument("-o", "--output", metavar="DIR", type=Path,
                         help="output directory (default: outputs/<spec name>/)")
    command.add_argument("--style", choices=STYLES, default="chain",
                         help="chain (chain-rule products), delta (δ of every unit), matrix (vectorised) or "
                         "general (the backprop equations derived for the spec's layers, no numbers)")
    command.add_argument("--numbers", choices=NUMBERS, default="all",
                         help="none: every formula symbolic, the local forms substituted, no numbers "
                         "(chain and delta styles)")
    command.add_argument("--notation", choices=NOTATIONS, help="notation preset (default: the spec's notation)")
    command.add_argument("--templates", metavar="DIR", type=Path,
                         help="a folder of your own templates, looked up before symprop's")
    command.add_argument("--full-steps", metavar="N", type=int, default=1,
                         help="with a training run: the first N updates worked in full (default 1)")


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
                           help="json to stdout (default), or a worked solution: md (with network.svg), tex, pdf, "
                           "html (one interactive page)")
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
    slides_cmd.add_argument("--format", choices=SLIDES_FORMATS, default="beamer",
                            help="beamer (slides.tex, slides.pdf; default) or html (slides.html, reveal.js, offline)")
    slides_cmd.add_argument("--author", metavar="TEXT", help="the title page's author (default: the spec's author)")
    slides_cmd.add_argument("--institute", metavar="TEXT", help="the title page's institute (default: the spec's)")
    slides_cmd.add_argument("--date", metavar="TEXT", help="the title page's date (default: the spec's date)")
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


def _rendering(args) -> Rendering:
    return Rendering(args.style, args.notation, args.templates, args.full_steps, args.numbers)


def _names(text: str | None) -> tuple[str, ...] | None:
    return None if text is None else tuple(d.strip() for d in text.split(",") if d.strip())


def _run(args) -> int:
    if args.command == "examples":
        for name, spec in zip(examples.names(), bundled()):
            print(f"{name}\t{spec.title}")
        return 0
    if args.command == "check":
        from .jobs.check import run_check  # the checker: loaded only when asked for

        text, status = run_check(CheckOptions(args.target, args.answers, args.spec, args.require, args.format))
        sys.stdout.write(text)
        return status
    if args.command == "exam":
        from .jobs.exam import write_exam  # exams: loaded only when asked for

        options = ExamOptions(args.variants, args.seed, args.ask, args.output, args.notation, args.templates,
                              not args.no_pdf)
        paths, summary = write_exam(resolve_spec(args.spec), options)
        print("\n".join(map(str, paths)))
        print(f"symprop: {summary}", file=sys.stderr)
        return 0
    if args.command == "slides":
        from .jobs.slides import write_slides

        options = SlidesOptions(args.output, _rendering(args), _names(args.detail), args.aspect, args.handout,
                                not args.no_pdf, args.author, args.institute, args.date, args.format)
        paths = write_slides(resolve_spec(args.spec), options)
    else:
        from .jobs import solve  # documents only: jinja2 and the renderers

        options = SolveOptions(args.format, args.output, _rendering(args))
        spec = resolve_spec(args.spec)
        if options.format == "json":
            if options.output is not None:
                raise SympropError(f"-o {options.output}: --format json prints the solution to standard output "
                                   "(redirect it: > solution.json); -o is for --format md, tex, pdf or html")
            sys.stdout.write(solve.solution_json(spec, options))
            return 0
        paths = solve.write_solution(spec, options)
    print("\n".join(map(str, paths)))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    previous = _stop_on_sigterm()
    try:
        return _run(args)
    except SympropError as exc:
        return _error(_one_line(exc))
    except KeyboardInterrupt:  # Ctrl-C: temporary files and scratch folders removed, every file whole (old or new)
        print("symprop: interrupted", file=sys.stderr)
        return 128 + signal.SIGINT
    except ArithmeticError as exc:  # decimal arithmetic out of range where no job caught it
        return _error(f"a number out of range ({type(exc).__name__}); use smaller values in the spec or the answers")
    except OSError as exc:  # a file or folder no job named: its path and the system's reason
        if isinstance(exc, BrokenPipeError):  # e.g. piped into head
            return 0
        where = f"{exc.filename}: " if isinstance(exc.filename, str) else ""
        return _error(_one_line(f"{where}{exc.strerror or exc}"))
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _error(message: str) -> int:
    print(f"symprop: error: {message}", file=sys.stderr)
    return 2


def _stop_on_sigterm():
    """SIGTERM ends the run like Ctrl-C does (temporary files and scratch folders removed on
    the way out); returns the handler it replaced, or None off the main thread."""
    def stop(signum, frame):
        raise SystemExit(128 + signum)

    try:
        return signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave the signal alone
        return None


if __name__ == "__main__":
    sys.exit(main())
