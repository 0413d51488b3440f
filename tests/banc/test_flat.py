"""The bench's flat-cost measure (issue #21: the new month costs the same after 12 and after 24
months of history) and the targets the report evaluates."""

from __future__ import annotations

import os

import pytest

from benchmarks import report
from benchmarks.run import flat_landing, flat_months


def test_flat_months():
    assert flat_months(None, 24) == [12, 24]  # the issue's case
    assert flat_months(None, 6) == []
    assert flat_months("24,12", 24) == [12, 24]
    assert flat_months("none", 24) == []
    assert flat_months("2,3", 3) == [2, 3]
    with pytest.raises(SystemExit):
        flat_months("12,25", 24)
    with pytest.raises(SystemExit):
        flat_months("1", 3)


def test_flat_landing_links_history_and_next_month(tmp_path):
    landing = tmp_path / "landing"
    files = ["caf/rsa_2024-01.csv", "caf/rsa_2024-02.csv", "caf/rsa_2024-03.csv",
             "ft/inscriptions_2024-02.csv", "departements/35/orientations_2024-03.csv",
             "departements/35/orientations_2024-04.csv", "referentiels/bassins_2024.csv"]
    for i, rel in enumerate(files):
        (landing / rel).parent.mkdir(parents=True, exist_ok=True)
        (landing / rel).write_text(rel)
        os.utime(landing / rel, (1_700_000_000 + i, 1_700_000_000 + i))
    counts = flat_landing(landing, tmp_path / "flat2", ["2024-01", "2024-02"], "2024-03")

    def listed(folder):
        return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())

    assert counts == {"history": 4, "held": 2}
    assert listed(tmp_path / "flat2" / "landing") == [
        "caf/rsa_2024-01.csv", "caf/rsa_2024-02.csv", "ft/inscriptions_2024-02.csv", "referentiels/bassins_2024.csv"]
    assert listed(tmp_path / "flat2" / "held") == ["caf/rsa_2024-03.csv", "departements/35/orientations_2024-03.csv"]
    linked = tmp_path / "flat2" / "held" / "caf" / "rsa_2024-03.csv"
    assert linked.stat().st_ino == (landing / "caf" / "rsa_2024-03.csv").stat().st_ino
    assert linked.stat().st_mtime == 1_700_000_002
    # a file re-sent later in the main landing folder (replaced, new inode) leaves the link alone
    tmp = landing / "caf" / "rsa_2024-03.tmp"
    tmp.write_text("re-sent")
    os.replace(tmp, landing / "caf" / "rsa_2024-03.csv")
    assert linked.read_text() == "caf/rsa_2024-03.csv"


def _phase(wall: float, cpu: float, peak_mb: float) -> dict:
    return {"wall_s": wall, "cpu_s": cpu, "peak_tree_rss_mb": peak_mb}


def test_evaluate_issue_21_targets():
    results = {
        "case": {"months": 24, "flat": [12, 24]},
        "phases": {"floor": _phase(100.0, 150.0, 4000), "pipeline_full": _phase(290.0, 500.0, 7000),
                   "pipeline_new_month": _phase(28.0, 40.0, 3000), "pipeline_resend": _phase(15.0, 20.0, 2000),
                   "flat12_full": _phase(150.0, 250.0, 8300), "flat12_new_month": _phase(24.0, 35.0, 2500),
                   "dashboard": {"details": {"queries": {"cartes": {"p95_ms": 12.0}, "series": {"p95_ms": 250.0}}}}},
        "checks": {"full": {"identical": True}, "new_month": {"identical": True}, "final": {"identical": False}},
    }
    ev = report.evaluate(results)
    assert ev["full_ratio_to_floor"] == pytest.approx(2.9) and ev["full_ratio_met"] is True
    assert ev["new_month_share_of_full"] == pytest.approx(28 / 290) and ev["new_month_met"] is True  # 9.7 % ≤ 10 %
    assert ev["resend_share_of_full"] == pytest.approx(15 / 290) and ev["resend_met"] is False  # 5.2 % > 5 %
    assert ev["flat_new_month_wall_s"] == {"12": 24.0, "24": 28.0}
    assert ev["flat_spread"] == pytest.approx(28 / 24 - 1) and ev["flat_met"] is True  # 16.7 % ≤ 20 %
    # the peak is the largest of every pipeline run, the flat case's full run included (8.1 GB > 8 GB)
    assert ev["peak_tree_rss_gb"] == pytest.approx(8300 / 1024) and ev["peak_met"] is False
    assert ev["dashboard_worst_p95_ms"] == 250.0 and ev["dashboard_met"] is False
    assert ev["checks_identical"] == {"full": True, "new_month": True, "final": False}


def test_evaluate_flat_over_20_percent_and_absent():
    base = {"case": {"months": 24, "flat": [12, 24]},
            "phases": {"floor": _phase(100.0, 100.0, 1000), "pipeline_full": _phase(300.0, 300.0, 1000),
                       "pipeline_new_month": _phase(30.0, 30.0, 1000), "pipeline_resend": _phase(10.0, 10.0, 1000),
                       "flat12_full": _phase(150.0, 150.0, 1000), "flat12_new_month": _phase(24.0, 24.0, 1000),
                       "dashboard": {"details": {"queries": {"cartes": {"p95_ms": 1.0}}}}},
            "checks": {}}
    ev = report.evaluate(base)
    assert ev["flat_spread"] == pytest.approx(0.25) and ev["flat_met"] is False  # 30 s is 25 % over 24 s
    base["case"]["flat"] = []
    ev = report.evaluate(base)
    assert ev["flat_spread"] is None and ev["flat_met"] is None and ev["flat_new_month_wall_s"] == {}
