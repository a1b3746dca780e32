"""CPU the simulator costs while 25 cameras stream: `python -m benchmarks.simulator --json OUT`.

Starts the simulator as its own process on the demo commune (free ports), measures its CPU (from /proc)
idle (the baseline, same run) and while 25 sub streams (+ optionally N main streams) are pulled by
demux-only PyAV clients in this process. Prints JSON and a short table; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

import av

from benchmarks.procstat import cpu_seconds
from benchmarks.report import write_result
from console.core.config import load_config
from tests.support.processes import child
from tests.support.siteconfig import write_demo_config


def pull(url: str, stop: threading.Event, counts: dict[str, int]) -> None:
    options = {"rtsp_transport": "tcp", "timeout": "5000000", "probesize": "32768", "analyzeduration": "0"}
    with av.open(url, options=options, timeout=10.0) as container:
        for _packet in container.demux(video=0):
            counts[url] = counts.get(url, 0) + 1
            if stop.is_set():
                return


def measure(pid: int, seconds: float) -> float:
    start_cpu, start = cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    return (cpu_seconds(pid) - start_cpu) / (time.monotonic() - start)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--mains", type=int, default=4, help="main streams pulled beside the 25 subs")
    parser.add_argument("--live", action="store_true", help="sub streams from the shared live-stamped encoder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = write_demo_config(Path(tmp) / "site.toml")
        config = load_config(path)
        command = [sys.executable, "-m", "console.simulator", "--config", str(path), *(["--live"] if args.live else [])]
        with child(command, "SIMULATOR READY", timeout_s=300) as process:
            idle = measure(process.pid, args.seconds / 2)
            stop, counts = threading.Event(), {}
            urls = [c.sub_url or "" for c in config.cameras]
            threads = [threading.Thread(target=pull, args=(u, stop, counts), daemon=True) for u in urls]
            for thread in threads:
                thread.start()
            time.sleep(3)  # every client past DESCRIBE/SETUP/PLAY
            subs = measure(process.pid, args.seconds)
            mains = [threading.Thread(target=pull, args=(c.main_url, stop, counts), daemon=True)
                     for c in config.cameras[: args.mains]]
            for thread in mains:
                thread.start()
            time.sleep(3)
            with_mains = measure(process.pid, args.seconds)
            stop.set()
    result = {
        "cameras": len(config.cameras),
        "live_sub": args.live,
        "sim_cpu_cores_idle": round(idle, 3),
        "sim_cpu_cores_25_sub": round(subs, 3),
        f"sim_cpu_cores_25_sub_{args.mains}_main": round(with_mains, 3),
        "ratio_sub_to_idle": round(subs / idle, 1) if idle > 0 else None,
        "streams_with_packets": sum(1 for n in counts.values() if n > 0),
    }
    write_result(result, args.json, f"simulator CPU: idle {idle:.3f} core, 25 sub streams {subs:.3f} core, "
          f"+{args.mains} main {with_mains:.3f} core")
    return 0


if __name__ == "__main__":
    sys.exit(main())
