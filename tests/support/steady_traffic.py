"""Three minutes of steady traffic recorded on alert, as a process of its own (`python -m
tests.support.steady_traffic FOLDER`): camera C05 on alert, the real motion detector on the simulator's road (a
vehicle every few seconds, gaps shorter than the episode's end, so one alert goes on for three minutes), the real
recorder and index. It writes FOLDER/result.json — the motion events and the recorded ranges — for
tests/integration/test_recording.py to check; tests/support/background.py starts it as soon as the suite is
collected, so its three minutes of waiting run beside the other tests."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from pathlib import Path

from console.core.alerts import AlertEvent, AlertKind
from console.core.analytics import AnalyticsSettings
from console.core.config import RecordingMode, StreamKind, load_config
from console.core.motion import MotionSettings
from console.core.recording import RecordingSettings
from console.media.analytics import AnalyticsWorker
from console.media.ingest import StreamIngest
from console.media.recording import Recorder
from console.simulator.scene import ROAD_ZONE
from console.simulator.server import Simulator, SimulatorOptions
from console.store.alerts import AlertWriter
from console.store.database import open_database
from console.store.recordings import RecordingIndex, index_opener
from tests.support.siteconfig import write_demo_config
from tests.support.waiting import wait_until

TRAFFIC_S = 180  # three minutes of traffic
POSTROLL_MS = 10_000  # the demo's post-roll after the last activity


def run(folder: Path) -> dict[str, object]:
    config = load_config(write_demo_config(folder / "traffic.toml", cameras=5))
    settings = RecordingSettings(segment_s=30.0)
    db = folder / "console.db"
    index = RecordingIndex(open_database(db))  # made before the writers' threads open it
    events: list[AlertEvent] = []
    with Simulator(config, options=SimulatorOptions(loop_s=10.0)) as sim:
        sim.prepare((StreamKind.SUB,))
        camera = replace(config.camera("C05"), recording=RecordingMode.ON_ALERT)
        recorder = Recorder(folder / "rec", index_opener(db), settings)
        recorder.start()
        writer = AlertWriter(db, folder / "snapshots")
        writer.listeners += [recorder.alert_event, events.append]
        motion = AnalyticsSettings(MotionSettings(zones=ROAD_ZONE))  # ends 3 s after the last movement
        worker = AnalyticsWorker([camera], {"C05": motion}, writer.submit, writer.next_id)
        worker.start()
        ingest = StreamIngest(camera.id, camera.url(StreamKind.SUB))
        ingest.attach(recorder.tap(camera))
        ingest.attach(worker.tap("C05"))
        ingest.start()
        try:
            wait_until(lambda: any(e.phase == "start" for e in events), 60, what="C05's first motion alert")
            time.sleep(TRAFFIC_S)
            worker.stop()  # no activity from here on: recording must stop one post-roll after the last
            wait_until(lambda: not recorder._taps["C05"]._sent_session, 30, what="C05's recording past its post-roll")
            wait_until(lambda: index.segments("C05", 0, 2**62) and not index.unclosed(), 20,
                       what="C05's last segment closed by the writer")
        finally:
            ingest.stop()
            ingest.join(6)
            worker.stop()
            writer.close()
            recorder.close()
    motions = [{"phase": e.phase, "at_ms": e.at_ms} for e in events
               if e.kind is AlertKind.MOTION and e.camera_id == "C05"]
    ranges = [[s.start_ms, s.end_ms] for s in index.segments("C05", 0, 2**62)]
    index.close()
    return {"motions": motions, "ranges": ranges}


def main() -> int:
    folder = Path(sys.argv[1])
    result = run(folder)
    (folder / "result.json").write_text(json.dumps(result), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
