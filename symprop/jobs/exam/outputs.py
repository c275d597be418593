"""The files of an exam and their writing: question sheets, worked keys, the book of worked
solutions, ``key.csv``, ``key.json``, Moodle XML, Canvas's ``qti.zip`` and ``exam.json``,
the manifest (the draw counts, the grids, the tolerance rule and every file written). Each
variant's worked solution (``Document``) is built once and serves its key, its sheet's
drawing and its LMS questions. Same spec and seed, same bytes, PDFs included.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

from ...errors import SympropError
from ...numbers.dump import dumps
from ...numbers.quantities import when_of
from ...render import moodle, qti
from ...render import sheet as exam_sheets
from ...render.document import document
from ...render.printer import given
from ...render.worked import LOSS_SVG, latex, loss_svg, markdown, network_svg
from ...spec import KEEP, Grid, Spec
from ..files import Book, write_outputs
from ..options import MAX_FULL, ExamOptions, output_folder
from ..parallel import forked_map
from .judge import REASONS, SATURATION
from .variants import GENERATOR, Exam, Variant, make_exam

MANIFEST = "exam.json"


def key_rows(exam: Exam) -> list[dict]:
    """The compact key: {variant, quantity, answer, tolerance} per asked quantity per variant;
    a symbolic question's answer is its formula (text), its tolerance null."""
    return [
        row
        for v in exam.variants
        for row in [{"variant": v.number, "quantity": a.quantity, "answer": Decimal(a.answer), "tolerance": a.tolerance}
                    for a in v.answers]
        + [{"variant": v.number, "quantity": q, "answer": exam.formula_keys[q], "tolerance": None}
           for q in exam.formulas]
    ]


def key_csv(exam: Exam) -> str:
    out = io.StringIO()
    rows = csv.writer(out, lineterminator="\n")  # a formula may hold commas: quoted then
    rows.writerow(["variant", "quantity", "answer", "tolerance"])
    for r in key_rows(exam):
        rows.writerow([r["variant"], r["quantity"], r["answer"], "" if r["tolerance"] is None else r["tolerance"]])
    return out.getvalue()


def _grid_json(grid: Grid | None) -> object:
    return KEEP if grid is None else {"min": given(grid.min), "max": given(grid.max), "step": given(grid.step)}


def manifest(exam: Exam, files: list[str]) -> str:
    s = exam.settings
    limits = {"all": given(s.max_net)} if s.max_net is not None else {k: str(v) for k, v in SATURATION.items()}
    data = {
        "generator": GENERATOR,
        "spec": exam.spec.source,
        "title": exam.spec.title,
        "seed": exam.seed,
        "variants": len(exam.variants),
        "ask": list(exam.ask) + list(exam.formulas),
        "draws": exam.draws,
        "summary": exam.summary,
        "rejected": [{"reason": r, "count": n, "why": REASONS[r], **_most_often(exam, r)}
                     for r, n in exam.rejected.items()],
        "grids": {k: _grid_json(getattr(s, k)) for k in ("weights", "biases", "inputs", "targets")},
        "nonzero": s.nonzero,
        "max_net": limits,
        "allow_dead_relu": s.allow_dead_relu,
        "rounding": {"places": exam.spec.rounding.places, "mode": exam.spec.rounding.mode,
                     "carry": exam.spec.rounding.carry},
        "tolerance": exam.tolerance_rule,
        "files": files,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _most_often(exam: Exam, reason: str) -> dict[str, str]:
    return {"most_often": exam.culprits[reason]} if reason in exam.culprits else {}


def _previous_files(out_dir: Path) -> set[str]:
    """The files the last ``symprop exam`` wrote into ``out_dir`` (its manifest), if any."""
    path = out_dir / MANIFEST
    if not path.exists():
        return set()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        data = None
    if not isinstance(data, dict) or data.get("generator") != GENERATOR or not isinstance(data.get("files"), list):
        raise SympropError(f"{path}: exists and was not written by {GENERATOR}; move it away or choose another -o")
    return {f for f in data["files"] if isinstance(f, str) and ".." not in Path(f).parts and not Path(f).is_absolute()}


def worked_steps(asked: tuple[str, ...]) -> int:
    """How many updates of a training run the key works in full: up to the last asked
    ``[step N]`` (at most ``MAX_FULL``; the tables give the rest)."""
    steps = [when[1] for when in map(when_of, asked) if when is not None and when[0] == "step"]
    return min(max(steps, default=1), MAX_FULL)


BOOK = "solutions"  # solutions.tex binds every key/NN/solution.pdf into solutions.pdf


def variant_files(exam: Exam, variant: Variant, preset: str | None, templates: Path | None,
                  full: int) -> tuple[exam_sheets.Sheet, dict[str, str]]:
    """One variant's sheet and files: its worked solution (``Document``) built once serves
    its key and its sheet, whose drawings are then laid out once (``layout``'s cache)."""
    nn, solution = variant.number, variant.solution
    doc = document(solution, "chain", preset, full)
    sheet = exam_sheets.sheet(exam, variant, doc, templates)
    svg = network_svg(solution.network, templates)
    texts = {
        f"variants/{nn}.yaml": variant.text,
        f"sheets/{nn}.svg": svg,
        f"sheets/{nn}.md": exam_sheets.render_md(exam, sheet, f"{nn}.svg", templates),
        f"sheets/{nn}.tex": exam_sheets.render_tex(exam, [sheet], templates),
        f"key/{nn}/network.svg": svg,
    }
    if doc.training:
        texts[f"key/{nn}/{LOSS_SVG}"] = loss_svg(doc, templates)
    texts[f"key/{nn}/solution.md"] = markdown(doc, templates)
    texts[f"key/{nn}/solution.tex"] = latex(doc, solution.network, templates)
    return sheet, texts


def rendered(exam: Exam, preset: str | None, templates: Path | None, full: int,
             workers: int | None = None) -> list[tuple[exam_sheets.Sheet, dict[str, str]]]:
    """Every variant's sheet and files, in order: the first here (it compiles the templates
    and fills the caches), the others spread over ``workers`` forked processes (default: one
    per core; ``parallel.forked_map``), each of which inherits what the first prepared."""
    def files_of(variant: Variant) -> tuple[exam_sheets.Sheet, dict[str, str]]:
        return variant_files(exam, variant, preset, templates, full)

    first, *others = exam.variants
    return [files_of(first), *forked_map(files_of, others, workers)]


def exam_files(exam: Exam, preset: str | None, templates: Path | None,
               pdf: bool) -> tuple[dict[str, str | bytes], list[tuple[str, str]], list[Book]]:
    """Every file of the exam (relative path -> text, or bytes), the PDFs to compile from
    them (in the order the pool starts them) and the book to bind from the keys' PDFs."""
    full = worked_steps(exam.ask)
    parts = rendered(exam, preset, templates, full)
    sheets = [sheet for sheet, _ in parts]
    texts: dict[str, str | bytes] = {}
    for _, files in parts:
        texts.update(files)
    numbers = [v.number for v in exam.variants]
    keys = [(f"key/{nn}/solution.tex", f"key/{nn}/solution.pdf") for nn in numbers]
    texts["sheets.tex"] = exam_sheets.render_tex(exam, sheets, templates)
    texts["key.tex"] = exam_sheets.render_key(exam, sheets, templates)
    texts[f"{BOOK}.tex"] = exam_sheets.render_solutions(exam, sheets, [pdf for _, pdf in keys], templates)
    texts["key.csv"] = key_csv(exam)
    texts["key.json"] = dumps(key_rows(exam)) + "\n"
    svgs = {nn: texts[f"sheets/{nn}.svg"] for nn in numbers}
    texts["moodle.xml"] = moodle.numerical_xml(exam, sheets, svgs, templates)
    texts["moodle-cloze.xml"] = moodle.cloze_xml(exam, sheets, svgs, templates)
    texts["qti.zip"] = qti.package(exam, sheets, svgs, templates)
    if not pdf:
        return texts, [], []
    sheet_pdfs = [(f"sheets/{nn}.tex", f"sheets/{nn}.pdf") for nn in numbers]
    # the keys first: the book, the longest run, starts as soon as they are written
    jobs = [*keys, ("sheets.tex", "sheets.pdf"), *sheet_pdfs, ("key.tex", "key.pdf")]
    return texts, jobs, [(f"{BOOK}.tex", f"{BOOK}.pdf", tuple(pdf for _, pdf in keys))]


def write_exam(spec: Spec, options: ExamOptions) -> tuple[list[Path], str]:
    """The ``exam`` command: draw, judge, render and write; returns the main files and folders,
    and the one-line summary of the draws (how many were rejected, and why).

    Every target is checked before anything is written: a file is replaced only when it is
    listed in the folder's manifest of an earlier run or carries symprop's mark. Files of an
    earlier run that this one does not write are removed, so the folder is exactly this exam.
    The manifest is written first: it claims the files that follow.
    """
    out_dir = output_folder(spec, options.output, "-exam")
    if out_dir.exists() and not out_dir.is_dir():
        raise SympropError(f"{out_dir}: is a file, not a folder; choose another output folder with -o")
    exam = make_exam(spec, options.variants, options.seed, options.ask, options.notation)
    texts, pdfs, books = exam_files(exam, options.notation, options.templates, options.pdf)
    names = sorted(list(texts) + [pdf for _, pdf in pdfs] + [pdf for _, pdf, _ in books] + [MANIFEST])
    previous = _previous_files(out_dir)
    write_outputs(out_dir, {MANIFEST: manifest(exam, names), **texts}, pdfs, ours=previous,
                  stale=previous - set(names), books=books)
    main = [MANIFEST, "key.csv", "key.json", "moodle.xml", "moodle-cloze.xml", "qti.zip"]
    main += ["sheets.pdf", "key.pdf", f"{BOOK}.pdf"] if pdfs else ["sheets.tex", "key.tex", f"{BOOK}.tex"]
    return [out_dir / name for name in main] + [out_dir / d for d in ("variants", "sheets", "key")], exam.summary
