"""Parsing and rendering in a pool of forked worker processes."""

from __future__ import annotations

import contextlib
import os
import signal

from microlearn.errors import MicrolearnError


def workers_for(jobs: int | None, tasks: int) -> int:
    if jobs is None:
        try:
            jobs = len(os.sched_getaffinity(0))
        except AttributeError:
            jobs = os.cpu_count() or 1
    # Forking costs a few milliseconds; a handful of lessons is quicker in this process.
    return max(1, min(jobs, tasks // 4))


def _worker_start(parent: int) -> None:
    """In each worker: Ctrl-C is the parent's to handle (it stops the workers), and a worker dies with
    its parent, so a killed build leaves nothing running."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)


def in_pool(workers: int, task, count: int, chunksize: int):
    """``task(i)`` for i in range(count) in forked worker processes, results in order. Any exception
    (an interrupt included) stops the workers at once. A worker that dies (killed, out of memory, a
    crash in a library) fails the build with a MicrolearnError instead of leaving it waiting forever
    for the answer that worker owed (concurrent.futures notices the death; multiprocessing.Pool
    does not)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_worker_start, initargs=(os.getpid(),))
    try:
        yield from pool.map(task, range(count), chunksize=chunksize)
    except BrokenProcessPool:
        _stop_workers(pool)
        raise MicrolearnError(
            "a worker process of the build died before it finished (killed, or out of memory?); "
            "nothing was published: run the build again") from None
    except BaseException:
        _stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _stop_workers(pool) -> None:
    """Kill the pool's workers now, not when they finish what they are doing."""
    stop = getattr(pool, "terminate_workers", None)  # Python 3.14
    if stop is not None:
        stop()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            process.kill()


