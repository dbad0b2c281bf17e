"""
Requests per second with wrk, the same client for this project and for plain Oscar.

A page is measured over many paths (``paths.lua`` GETs each in turn), so that a cached answer
to one URL proves nothing about the others; a fixed ``Cookie`` header makes a signed-in
shopper. wrk counts every answer; non-2xx/3xx answers are reported as errors, and a run that
has any is not a figure.
"""

import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

LUA = Path(__file__).with_name("paths.lua")


@dataclass
class WrkResult:
    requests: int
    seconds: float
    requests_per_second: float
    errors: int  # non-2xx/3xx answers plus socket errors
    latency_p50_ms: float
    latency_p99_ms: float


def _milliseconds(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def parse(output: str) -> WrkResult:
    done = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", output)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if not (done and rps):
        sys.exit(f"wrk printed nothing to measure:\n{output}")
    seconds = float(done.group(2)) * {"ms": 0.001, "s": 1, "m": 60}[done.group(3)]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       output)
    p50 = re.search(r"\s50%\s+(\S+)", output)
    p99 = re.search(r"\s99%\s+(\S+)", output)
    return WrkResult(
        requests=int(done.group(1)),
        seconds=seconds,
        requests_per_second=float(rps.group(1)),
        errors=(int(non_2xx.group(1)) if non_2xx else 0)
        + (sum(map(int, socket.groups())) if socket else 0),
        latency_p50_ms=_milliseconds(p50.group(1)) if p50 else 0.0,
        latency_p99_ms=_milliseconds(p99.group(1)) if p99 else 0.0,
    )


def run(base_url: str, paths: list[str], *, seconds: int, connections: int, threads: int = 1,
        cookie: str = "") -> WrkResult:
    """``wrk -t<threads> -c<connections> -d<seconds>s`` over ``paths`` in turn."""
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install -y wrk).")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(paths) + "\n")
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
               "-s", str(LUA), base_url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    try:
        result = subprocess.run(command, capture_output=True, text=True,
                                env={"PATHS": listing.name, "PATH": "/usr/bin:/bin:/usr/local/bin"})
    finally:
        Path(listing.name).unlink(missing_ok=True)
    if result.returncode:
        sys.exit(f"wrk failed:\n{result.stdout}{result.stderr}")
    return parse(result.stdout)
