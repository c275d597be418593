"""Wall-time benchmark of ``symprop solve SPEC --format json`` (not a pytest test).

The issue's budgets, as multiples of a bare ``python -c "import sympy, jinja2"``:

    sigmoid-2-2-2 (bundled example)      at most 1.5x
    10-20-20-10 sigmoid (850 parameters) at most 4x
    20-50-50-10 sigmoid (4,110 parameters) at most 8x
    the same two with softmax outputs and cross-entropy: the same budgets
    and the cost grows linearly with the number of parameters.

Training runs (``training:``), against the one step of the same network, or the baseline:

    2-2-1 XOR, 4 epochs x 4 samples, online with momentum  at most 2x its one batch step
    10-20-20-10 sigmoid, 100 epochs                       at most 4x the baseline

Exams (``symprop exam sigmoid-2-2-2 --seed 1``), against the baseline or the PDF runs:

    100 variants, sources only (--no-pdf)                 at most 10x the baseline
    30 variants with PDFs                                 about 1x (the 30 variants' sources,
        plus the sum of their latexmk runs, each timed on its own, divided by the cores)

Every measurement is a fresh interpreter (``sys.executable``), run from the repository
root with ``PYTHONPATH`` set to it, output sent to ``/dev/null``; the reported time is the
median of ``--repeat`` runs, after one untimed warm-up run (which also checks the
parameter count from the JSON). symprop's modules are byte-compiled first (``compileall``
into the ignored ``__pycache__`` folders), as ``pip install`` compiles them: the baseline's
sympy and jinja2 are compiled, and with ``PYTHONDONTWRITEBYTECODE`` set no warm-up run
would write them, so every timed run would compile symprop's sources again. Generated networks are written with the dense shorthand
into a temporary directory, with values from ``random.Random(seed)``.

This script prints ratios and never asserts on timing: it exits 0 unless a command fails
(or a generated spec does not have the expected number of parameters), then 1.

    python3 tests/benchmark.py [--repeat N] [--seed S] [--no-extra] [--no-exam | --exam-only]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BASELINE = [sys.executable, "-c", "import sympy, jinja2"]


class BenchmarkError(Exception):
    """A command failed or a generated spec is not what it should be."""


@dataclass
class Case:
    label: str
    spec: str  # a path, or a bundled example's name
    budget: float | None  # at most this many times the baseline (or ``relative_to``)
    expected_params: int | None = None
    relative_to: str | None = None  # the label of the case the budget is a multiple of
    scales: bool = True  # one step of a generated network: in the ms/param column


def count_params(sizes: list[int]) -> int:
    """Dense layers with one bias per unit: weights plus biases."""
    return sum(a * b + b for a, b in zip(sizes, sizes[1:]))


def _num(rng: random.Random, low: float, high: float) -> str:
    return f"{rng.uniform(low, high):.2f}"


def _row(values: list[str]) -> str:
    return "[" + ", ".join(values) + "]"


XOR = """\
title: Benchmark XOR 2-2-1{title}
learning_rate: 0.5
rounding: {{places: 4}}
{training}layers:
  - {{units: [x1, x2]}}
  - {{units: [h1, h2], activation: sigmoid, weights: [[0.5, 0.4], [0.9, 1.0]], bias: [0.8, -0.1]}}
  - {{units: [o], activation: sigmoid, weights: [[-1.2, 1.1]], bias: [0.3]}}
samples:
  - {{input: [0, 0], target: [0]}}
  - {{input: [0, 1], target: [1]}}
  - {{input: [1, 0], target: [1]}}
  - {{input: [1, 1], target: [0]}}
"""


def training_cases(tmp: str, seed: int) -> list[Case]:
    """The XOR network's one batch step and its 4-epoch online run; 100 epochs of 850 parameters."""
    one = Path(tmp) / "xor-step.yaml"
    one.write_text(XOR.format(title="", training=""), encoding="utf-8")
    run = Path(tmp) / "xor-run.yaml"
    run.write_text(XOR.format(title=", 4 epochs", training="training: {epochs: 4, mode: online, momentum: 0.9}\n"),
                   encoding="utf-8")
    long = Path(tmp) / "dense-10-20-20-10-100-epochs.yaml"
    long.write_text(dense_spec([10, 20, 20, 10], seed, training="training: {epochs: 100}"), encoding="utf-8")
    return [
        Case("2-2-1 XOR, one step", str(one), None, 9, scales=False),
        Case("2-2-1 XOR, 4 epochs x 4", str(run), 2.0, 9, relative_to="2-2-1 XOR, one step", scales=False),
        Case("10-20-20-10, 100 epochs", str(long), 4.0, count_params([10, 20, 20, 10]), scales=False),
    ]


def dense_spec(sizes: list[int], seed: int, softmax: bool = False, training: str = "") -> str:
    """A fully connected sigmoid network in the dense shorthand, one training sample;
    ``softmax``: softmax outputs with cross-entropy and a one-hot target; ``training``: a
    ``training:`` line."""
    rng = random.Random(seed)
    name = "-".join(map(str, sizes))
    lines = [
        f"title: Benchmark {name} {'softmax' if softmax else 'sigmoid'} network (seed {seed})",
        f"loss: {'cross_entropy' if softmax else 'half_sse'}",
        "learning_rate: 0.5",
        "update_biases: true",
        "rounding: {places: 5, mode: round, carry: exact}",
        *([training] if training else []),
        "layers:",
        f"  - {{units: {sizes[0]}}}",
    ]
    for k, (previous, units) in enumerate(zip(sizes, sizes[1:]), 2):
        activation = "softmax" if softmax and k == len(sizes) else "sigmoid"
        lines += [f"  - units: {units}", f"    activation: {activation}", "    weights:"]
        lines += [f"      - {_row([_num(rng, -1, 1) for _ in range(previous)])}" for _ in range(units)]
        lines.append(f"    bias: {_row([_num(rng, -0.5, 0.5) for _ in range(units)])}")
    lines += [
        "samples:",
        f"  - input: {_row([_num(rng, 0, 1) for _ in range(sizes[0])])}",
        f"    target: {_row(_targets(rng, sizes[-1], softmax))}",
    ]
    return "\n".join(lines) + "\n"


def _targets(rng: random.Random, n: int, one_hot: bool) -> list[str]:
    if not one_hot:
        return [_num(rng, 0.01, 0.99) for _ in range(n)]
    hot = rng.randrange(n)
    return ["1" if k == hot else "0" for k in range(n)]


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO)
    return env


def run(cmd: list[str], env: dict[str, str], capture: bool = False) -> tuple[float, str]:
    """Wall time of one fresh subprocess (and its stdout when ``capture``)."""
    start = time.perf_counter()
    try:
        done = subprocess.run(
            cmd, cwd=REPO, env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if capture else subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
    except OSError as exc:
        raise BenchmarkError(f"cannot run {' '.join(cmd)}: {exc}") from None
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        stderr = done.stderr.decode(errors="replace").strip()
        raise BenchmarkError(f"{' '.join(cmd)} exited with status {done.returncode}:\n{stderr}")
    return elapsed, done.stdout.decode() if capture else ""


def median_time(cmd: list[str], env: dict[str, str], repeat: int) -> float:
    return statistics.median(run(cmd, env)[0] for _ in range(repeat))


def solve_cmd(spec: str) -> list[str]:
    return [sys.executable, "-m", "symprop", "solve", spec, "--format", "json"]


EXAM_SPEC = "sigmoid-2-2-2"
EXAM_BUDGET = 10.0  # 100 variants' sources, times the baseline
# compiles every .tex an exam wrote, one after the other, and prints the seconds of each
SERIAL_LATEX = """
import sys, time
from pathlib import Path
from symprop.jobs.files import compile_pdf
out = Path(sys.argv[1])
for tex in sorted(out.rglob("*.tex")):
    start = time.perf_counter()
    compile_pdf(tex, tex.with_name(tex.stem + "-serial.pdf"), out if tex.parent == out else None)
    print(time.perf_counter() - start)
"""


def exam_cmd(out: Path, n: int, pdf: bool) -> list[str]:
    return [sys.executable, "-m", "symprop", "exam", EXAM_SPEC, "--variants", str(n), "--seed", "1", "-o", str(out),
            *([] if pdf else ["--no-pdf"])]


def exam_benchmark(env: dict[str, str], baseline: float, repeat: int, tmp: str) -> None:
    """100 variants' sources against the baseline; 30 variants with PDFs against their
    sources plus the sum of their latexmk runs divided by the cores."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    print(f"exams of {EXAM_SPEC} (seed 1), {cores} core(s):", flush=True)
    sources = Path(tmp) / "exam-100"
    run(exam_cmd(sources, 100, False), env)  # warm-up
    hundred = median_time(exam_cmd(sources, 100, False), env, repeat)
    thirty = median_time(exam_cmd(Path(tmp) / "exam-30-sources", 30, False), env, repeat)
    with_pdfs = Path(tmp) / "exam-30-pdf"
    pdfs = median_time(exam_cmd(with_pdfs, 30, True), env, max(1, repeat // 2))
    _, printed = run([sys.executable, "-c", SERIAL_LATEX, str(with_pdfs)], env, capture=True)
    runs = [float(line) for line in printed.split()]
    expected = thirty + sum(runs) / cores
    print()
    print(f"  100 variants, sources: {hundred:.2f} s = {hundred / baseline:.2f}x the baseline "
          f"(budget {EXAM_BUDGET:g}x: {'yes' if hundred / baseline <= EXAM_BUDGET else 'NO'})")
    print(f"  30 variants, sources: {thirty:.2f} s; with PDFs: {pdfs:.2f} s; {len(runs)} latexmk runs one at a "
          f"time: {sum(runs):.2f} s in all ({min(runs):.2f}-{max(runs):.2f} s each)")
    print(f"  30 variants with PDFs / (sources + latexmk runs / {cores} cores = {expected:.2f} s): "
          f"{pdfs / expected:.2f}x (about 1x: the pool keeps every core busy)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3,
                        help="timed runs per command; the median is reported (default 3)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated weights and samples (default 0)")
    parser.add_argument("--no-extra", action="store_true", help="skip the 20-100-100-10 network (13,210 parameters)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--no-exam", action="store_true", help="skip the exams (100 variants; 30 with PDFs)")
    which.add_argument("--exam-only", action="store_true", help="only the exams")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    env = environment()
    compiled = subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "symprop")], cwd=REPO,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    if compiled.returncode != 0:
        print(f"benchmark: error: compileall failed: {compiled.stderr.decode(errors='replace').strip()}",
              file=sys.stderr)
        return 1
    generated = [([10, 20, 20, 10], 4.0), ([20, 50, 50, 10], 8.0)]
    if not args.no_extra:
        generated.append(([20, 100, 100, 10], None))

    try:
        with tempfile.TemporaryDirectory(prefix="symprop-bench-") as tmp:
            cases = [Case("sigmoid-2-2-2", "sigmoid-2-2-2", 1.5)]
            for softmax in (False, True):
                for sizes, budget in generated:
                    if softmax and budget is None:
                        continue
                    label = "-".join(map(str, sizes)) + (" softmax" if softmax else "")
                    path = Path(tmp) / f"dense-{label.replace(' ', '-')}.yaml"
                    path.write_text(dense_spec(sizes, args.seed, softmax), encoding="utf-8")
                    cases.append(Case(label, str(path), budget, count_params(sizes)))
            cases += training_cases(tmp, args.seed)

            print(f"python {sys.version.split()[0]} ({sys.executable}), repo {REPO}, "
                  f"median of {args.repeat} run(s) each, after one warm-up run", flush=True)
            run(BASELINE, env)  # warm-up
            baseline = median_time(BASELINE, env, args.repeat)
            print(f"baseline `python -c \"import sympy, jinja2\"`: {baseline:.3f} s", flush=True)

            rows = []
            for case in [] if args.exam_only else cases:
                cmd = solve_cmd(case.spec)
                _, output = run(cmd, env, capture=True)  # warm-up, and the parameter count
                try:
                    params = len(json.loads(output)["gradients"])
                except (ValueError, KeyError, TypeError) as exc:
                    raise BenchmarkError(f"{case.label}: the output is not the expected JSON: {exc!r}") from None
                if case.expected_params is not None and params != case.expected_params:
                    raise BenchmarkError(
                        f"{case.label}: {params} parameters in the JSON gradients, expected {case.expected_params}"
                    )
                seconds = median_time(cmd, env, args.repeat)
                rows.append((case, params, seconds))
                print(f"  {case.label}: {params} parameters, {seconds:.3f} s", flush=True)
            if not args.no_exam:
                exam_benchmark(env, baseline, args.repeat, tmp)
    except BenchmarkError as exc:
        print(f"benchmark: error: {exc}", file=sys.stderr)
        return 1
    if not rows:
        return 0

    _, small_params, small_seconds = rows[0]
    header = ("network", "parameters", "seconds", "x baseline", "budget", "measured", "within", "ms/param above 2-2-2")
    table = []
    seconds_of = {case.label: seconds for case, _, seconds in rows}
    for case, params, seconds in rows:
        ratio = seconds / baseline
        measured = seconds / seconds_of[case.relative_to] if case.relative_to is not None else ratio
        budget = "-" if case.budget is None else f"{case.budget:g}x" + (" one step" if case.relative_to else "")
        within = ("yes" if measured <= case.budget else "NO") if case.budget is not None else "-"
        if case.scales and params > small_params:
            per_param = f"{1000 * (seconds - small_seconds) / (params - small_params):.3f}"
        else:
            per_param = "-"
        table.append((case.label, str(params), f"{seconds:.3f}", f"{ratio:.2f}", budget, f"{measured:.2f}x", within,
                      per_param))
    widths = [max(len(r[i]) for r in table + [header]) for i in range(len(header))]
    print()
    for r in [header] + table:
        print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths))))
    print()
    print("Linear growth shows as a constant ms/param column; rising values mean super-linear cost.")

    for family in ("sigmoid", "softmax"):  # how fast the marginal cost grows between consecutive sizes
        big = [(p, s) for case, p, s in rows[1:]
               if case.scales and case.label.endswith("softmax") == (family == "softmax")]
        steps = [f"{p0}->{p1}: {1000 * (s1 - s0) / (p1 - p0):.3f} ms/param" for (p0, s0), (p1, s1) in zip(big, big[1:])]
        if steps:
            print(f"Marginal cost between generated {family} networks: " + "; ".join(steps))
    return 0


if __name__ == "__main__":
    sys.exit(main())
