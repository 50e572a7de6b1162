"""Run a command to its end; print its wall time in seconds and its peak resident memory in KB.

The benchmark runs every measured command through this small process. A command started straight from the
benchmark would report the benchmark's own memory as its peak: Linux carries a process's high-water mark across
fork and exec, and the benchmark holds the generated card sets.

Usage: python benchmarks/peak.py COMMAND [ARG...]   (the command's stderr is this process's; its stdout is dropped)
"""

from __future__ import annotations

import os
import subprocess
import sys
import time


def main() -> None:
    started = time.perf_counter()
    process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    print(f"{elapsed} {usage.ru_maxrss}")
    sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
