#!/usr/bin/env python3
"""Huey baseline for `pipeline-agent-bench queue`: SqliteHuey lifecycle of N tasks.

A lifecycle is what our queue's is: enqueue, dequeue, and record the outcome (Huey executes
the task and stores its result). Prints jobs/s as its last line; exits 3 when huey is not
installed.
SqliteHuey's defaults are used (WAL, fsync off, i.e. synchronous=NORMAL).
"""
import argparse
import sys
import time

try:
    from huey import SqliteHuey
except ImportError:
    print("huey not installed (pip install huey)")
    sys.exit(3)

parser = argparse.ArgumentParser()
parser.add_argument("--jobs", type=int, default=20000)
parser.add_argument("--db", required=True)
args = parser.parse_args()

huey = SqliteHuey(filename=args.db)


@huey.task()
def analyse(index):
    return index


start = time.perf_counter()
for index in range(args.jobs):
    analyse(index)
dequeued = 0
while True:
    task = huey.dequeue()
    if task is None:
        break
    huey.execute(task)
    dequeued += 1
elapsed = time.perf_counter() - start
if dequeued != args.jobs:
    print(f"dequeued {dequeued} of {args.jobs}")
    sys.exit(1)
print(int(args.jobs / elapsed))
