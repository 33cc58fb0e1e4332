#!/usr/bin/env python3
"""PgQueuer baseline for `pipeline-agent-bench queue --db postgres://…`: the lifecycle of N
jobs on the same PostgreSQL server, in the same run.

A lifecycle is what our queue's is: enqueue (one job per call, `--concurrency` producers),
dequeue (`--workers` QueueManagers, each on its own asyncpg connection, `--batch` jobs per
dequeue, `FOR UPDATE SKIP LOCKED` inside), and record the outcome (PgQueuer logs every
finished job). Producers and consumers run at once, as in our lifecycle phase. The entrypoint
does nothing. The dequeue latency is the time of each `Queries.dequeue` call.

Installs PgQueuer's schema into the database it is given (the bench passes a fresh one). Prints
one JSON object as its last line: {"version", "lifecycle", "dequeue_p50_ms", "dequeue_p99_ms"}.
Exits 3 when pgqueuer or asyncpg is not installed.
"""
import argparse
import asyncio
import json
import sys
import time
from datetime import timedelta

try:
    import asyncpg
    import pgqueuer
    from pgqueuer import AsyncpgDriver, AsyncpgPoolDriver, Queries, QueueManager
except ImportError as error:
    print(f"pgqueuer not installed ({error}; pip install -r scripts/bench/requirements.txt)")
    sys.exit(3)


def percentile(samples: list[float], p: float) -> float:
    if not samples:
        return 0.0
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--jobs", type=int, default=10000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--batch", type=int, default=256)
    args = parser.parse_args()

    setup = await asyncpg.connect(args.dsn, timeout=30)
    await Queries(AsyncpgDriver(setup)).install()
    await setup.close()

    pool = await asyncpg.create_pool(args.dsn, min_size=args.concurrency // 4, max_size=args.concurrency, timeout=30)
    producer = Queries(AsyncpgPoolDriver(pool))
    done = 0
    finished = asyncio.Event()
    dequeue_seconds: list[float] = []
    managers: list[QueueManager] = []
    connections = []
    for _ in range(args.workers):
        connection = await asyncpg.connect(args.dsn, timeout=30)
        connections.append(connection)
        manager = QueueManager(Queries(AsyncpgDriver(connection)))
        timed = manager.queries.dequeue

        async def dequeue(*a, _timed=timed, **k):
            start = time.perf_counter()
            try:
                return await _timed(*a, **k)
            finally:
                dequeue_seconds.append(time.perf_counter() - start)

        manager.queries.dequeue = dequeue

        @manager.entrypoint("analyse")
        async def analyse(job) -> None:
            nonlocal done
            done += 1
            if done >= args.jobs:
                finished.set()

        managers.append(manager)

    async def produce(task: int) -> None:
        per_task = (args.jobs + args.concurrency - 1) // args.concurrency
        for index in range(task * per_task, min(args.jobs, (task + 1) * per_task)):
            await producer.enqueue("analyse", f"pod-{index}".encode())

    start = time.perf_counter()
    runs = [asyncio.create_task(m.run(batch_size=args.batch, dequeue_timeout=timedelta(seconds=1))) for m in managers]
    await asyncio.gather(*(produce(task) for task in range(args.concurrency)))
    await finished.wait()
    elapsed = time.perf_counter() - start
    for manager in managers:
        manager.shutdown.set()
    await asyncio.wait(runs, timeout=30)
    for connection in connections:
        await connection.close()
    await pool.close()
    print(json.dumps({
        "version": pgqueuer.__version__,
        "lifecycle": int(args.jobs / elapsed),
        "dequeue_p50_ms": round(percentile(dequeue_seconds, 50) * 1000, 2),
        "dequeue_p99_ms": round(percentile(dequeue_seconds, 99) * 1000, 2),
    }))


if __name__ == "__main__":
    asyncio.run(main())
