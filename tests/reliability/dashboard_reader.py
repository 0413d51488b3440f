"""A dashboard user who never stops: runs the Streamlit app (AppTest) on $SOCLE_HOME's current
snapshot again and again until `stop_file` exists; one JSON line per run in `out_file`.

    python tests/reliability/dashboard_reader.py STOP_FILE OUT_FILE
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"


def main(stop: Path, out: Path) -> None:
    with out.open("w", encoding="utf-8") as f:
        while not stop.exists():
            started = time.monotonic()
            try:
                at = AppTest.from_file(str(APP), default_timeout=60)
                at.run()
                problems = [e.value for e in at.exception] + [e.value for e in at.error]
                cards = sum("socle-carte" in m.value for m in at.markdown)
                caption = at.main.caption[-1].value if at.main.caption else ""  # the footer (snapshot name)
                line = {"ok": not problems and cards > 0, "problems": [str(p)[:500] for p in problems],
                        "cards": cards, "caption": caption}
            except Exception as exc:  # noqa: BLE001 - every failure is a finding
                line = {"ok": False, "problems": [f"{type(exc).__name__}: {exc}"[:500]]}
            line["seconds"] = round(time.monotonic() - started, 2)
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
            f.flush()
            time.sleep(0.5)  # a user, not a load test: leave the cores to the run


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
