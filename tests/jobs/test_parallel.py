"""The exam's per-variant work on forked workers (``jobs.parallel.forked_map``): the same
results as the loop, in order, on more than one process; errors raised as the loop raises
them; SIGTERM and Ctrl-C stop the pool with no worker left behind, and a finished pool
never hangs. Forking is exercised in fresh interpreters: a test runner's own threads make
``can_fork`` say no (a fork copies only the calling thread)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from symprop.errors import SympropError
from symprop.jobs import parallel
from symprop.jobs.parallel import MIN_PER_WORKER, forked_map

ROOT = Path(__file__).resolve().parents[2]
LINUX = sys.platform.startswith("linux")


def python(code: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT, **kwargs)


def finished(code: str, timeout: float = 120) -> str:
    process = python(code)
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err
    return out


def test_few_items_or_one_worker_is_the_loop():
    assert forked_map(lambda x: x * x, range(MIN_PER_WORKER)) == [x * x for x in range(MIN_PER_WORKER)]
    assert forked_map(lambda x: -x, range(50), workers=1) == [-x for x in range(50)]
    assert forked_map(str, []) == []


def test_an_error_is_raised_as_the_loop_raises_it():
    def fail(x):
        if x == 37:
            raise SympropError("variant 37: no good")
        return x

    with pytest.raises(SympropError, match="variant 37: no good"):
        forked_map(fail, range(60), workers=2)


@pytest.mark.skipif(not LINUX, reason="workers are forked on Linux only")
def test_forked_workers_give_the_loops_results_in_order():
    out = finished("""
        import os, time
        from symprop.jobs.parallel import can_fork, forked_map
        def square(x):
            time.sleep(0.01)  # long enough for both workers to take chunks
            return x, x * x, os.getpid()
        assert can_fork()
        results = forked_map(square, range(100), workers=2)
        assert [r[:2] for r in results] == [(x, x * x) for x in range(100)]
        pids = {r[2] for r in results}
        assert os.getpid() not in pids
        print(len(pids))
    """)
    assert int(out) == 2


@pytest.mark.skipif(not LINUX, reason="workers are forked on Linux only")
@pytest.mark.parametrize(("fails", "message"), [
    ('raise SympropError("item 41: refused")', "item 41: refused"),
    # a worker killed mid-share (out of memory, a signal) breaks the pool: one line at once,
    # not a wait for a result that never comes
    ("os.kill(os.getpid(), signal.SIGKILL)",
     "a worker process died before it finished (killed, or out of memory); run again"),
], ids=["an-error", "a-killed-worker"])
def test_a_worker_that_fails_is_one_line(fails, message):
    out = finished(f"""
        import os, signal, time
        from symprop.errors import SympropError
        from symprop.jobs.parallel import forked_map
        def fn(x):
            if x == 41:
                {fails}
            time.sleep(0.01)
            return x
        try:
            forked_map(fn, range(80), workers=2)
        except SympropError as exc:
            print(exc)
    """, timeout=60)
    assert out.strip() == message


@pytest.mark.skipif(not LINUX, reason="workers are forked on Linux only")
def test_an_exam_rendered_on_two_workers_is_byte_identical():
    """20 variants' sheets, keys and drawings on two forked workers equal the loop's."""
    out = finished("""
        from symprop.jobs.exam import outputs
        from symprop.jobs.exam.variants import make_exam
        from symprop.jobs.parallel import can_fork
        from symprop.spec.sources import resolve_spec
        exam = make_exam(resolve_spec("sigmoid-2-2-2"), 20, 5)
        assert can_fork()
        alone = outputs.rendered(exam, None, None, 1, workers=1)
        shared = outputs.rendered(exam, None, None, 1, workers=2)
        assert shared == alone
        print(sum(len(t) for _, files in shared for t in files.values()))
    """, timeout=240)
    assert int(out) > 20 * 10_000


@pytest.mark.skipif(not LINUX, reason="workers are forked on Linux only")
def test_a_finished_pool_never_hangs_under_the_clis_sigterm_handler():
    """The CLI turns SIGTERM into an exit; workers forked from it must not inherit that, or the
    pool's shutdown (SIGTERM to each worker) can leave one waiting on a lock forever."""
    finished("""
        from symprop import cli
        from symprop.jobs.parallel import forked_map
        cli._stop_on_sigterm()
        page = "x" * 200_000  # results the size of a variant's files: the workers are still sending at shutdown
        for round in range(40):
            assert forked_map(lambda x: page + str(x + round), range(64), workers=2) == [
                page + str(x + round) for x in range(64)]
    """, timeout=60)


def _children(pid: int) -> list[int]:
    """The live processes whose parent is ``pid`` (from /proc: no procps needed)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


@pytest.mark.skipif(not LINUX, reason="workers are forked on Linux only")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_mid_pool_stops_every_worker(signum):
    process = python("""
        import sys, time
        from symprop import cli
        from symprop.jobs.parallel import forked_map
        def slow(x):
            time.sleep(0.05)
            return x
        def work():
            print("started", flush=True)
            forked_map(slow, range(2000), workers=2)
        cli._run = lambda args: work()
        sys.exit(cli.main(["solve", "sigmoid-2-2-2"]))
    """, start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert process.stdout.readline().strip() == "started"
    deadline = time.monotonic() + 30
    while len(_children(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _children(process.pid)
    assert len(workers) == 2
    time.sleep(0.3)
    if signum == signal.SIGINT:
        os.killpg(process.pid, signum)  # Ctrl-C reaches the whole foreground group
    else:
        process.send_signal(signum)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 128 + signum, err
    assert "Traceback" not in err
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
    assert parallel._task is None  # this process's own state is untouched by the subprocess


def test_no_semaphores_means_the_loop(monkeypatch):
    """Where the platform has no process-shared semaphores (no /dev/shm), the pool cannot
    start: the loop gives the same results."""
    class NoPool:  # a context whose queues and locks cannot be made
        def __getattr__(self, name):
            raise OSError(38, "Function not implemented")

    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    monkeypatch.setattr(parallel.multiprocessing, "get_context", lambda method: NoPool())
    assert forked_map(lambda x: 3 * x, range(40), workers=2) == [3 * x for x in range(40)]
    assert parallel._task is None


def test_where_forking_is_unsafe_the_loop_runs_here(monkeypatch):
    """Off Linux, or with other threads running, nothing is forked: the items run in this
    process (a fork would not see a function's side effects here)."""
    seen = []
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    assert forked_map(lambda x: seen.append(x) or x, range(40), workers=2) == list(range(40))
    assert seen == list(range(40))
