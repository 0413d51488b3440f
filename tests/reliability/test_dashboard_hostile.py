"""Hostile input in the dashboard URL (issue #9): every parameter is checked, every query is bound.

tests/dashboards already checks `selection.depuis_url` against a few injection strings and that
the app refuses four hostile URLs with one message. Here the whole app runs (AppTest) on URLs
whose three parameters are hostile at once, with the snapshot connection recorded: no error, one
refusal message that does not echo the value (unless it is a plain short code), the URL put back
to valid values, the snapshot untouched, and no value of the URL ever written into an SQL text —
the values that pass the code pattern reach DuckDB only as bound parameters.
"""

from __future__ import annotations

import hashlib
import re
import sys
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dashboards"))
from fabrique_instantane import build  # noqa: E402

from dashboards import data  # noqa: E402

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
PLAIN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{0,19}$")  # what the app may quote back

HOSTILE = [
    "35' OR '1'='1",
    "35'; DROP TABLE marts.indicateurs; --",
    "') UNION SELECT * FROM marts.indicateurs --",
    "35\"; ATTACH '/tmp/x.duckdb' AS x; --",
    "<img src=x onerror=alert(1)>",
    "{{7*7}}${7*7}",
    "../../../../etc/passwd",
    "35\x00",
    "35\nniveau=region",
    "３５",  # full-width digits
    "a" * 5000,
    # plain short codes that are not territories: they pass the pattern, so they reach SQL (bound)
    "DROP_TABLE",
    "35--",
    "1-OR-1",
]


@pytest.fixture
def snapshot_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("SOCLE_HOME", str(home))
    monkeypatch.setenv("SOCLE_LANDING_DIR", str(tmp_path / "landing"))
    snap = build(home, petits={"2B": 0.01, "2A": 0.2})
    st.cache_data.clear()
    st.cache_resource.clear()
    yield snap
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def recorded(monkeypatch):
    """Every SQL text and its bound parameters sent to the snapshot by the dashboard."""
    log: list[tuple[str, object]] = []

    class Recorder:
        def __init__(self, con):
            self._con = con

        def sql(self, query, *args, **kwargs):
            log.append((query, kwargs.get("params", args[0] if args else None)))
            return self._con.sql(query, *args, **kwargs)

        def execute(self, query, *args, **kwargs):
            log.append((query, kwargs.get("parameters", args[0] if args else None)))
            return self._con.execute(query, *args, **kwargs)

        def __getattr__(self, name):
            return getattr(self._con, name)

    @contextmanager
    def lecture(cle):
        con = duckdb.connect(cle.path, read_only=True)
        try:
            yield Recorder(con)
        finally:
            con.close()

    monkeypatch.setattr(data, "lecture", lecture)
    return log


def _texts(at: AppTest) -> list[str]:
    out = []
    for kind in ("markdown", "warning", "error", "info", "caption", "header", "subheader", "title", "text"):
        out += [str(e.value) for e in at.get(kind)]
    return out


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_hostile_urls_are_refused_and_never_reach_sql_as_text(snapshot_home, recorded):
    before = _sha(snapshot_home.path)
    bound: set[str] = set()
    for value in HOSTILE:
        st.cache_data.clear()
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.query_params["niveau"] = "departement"
        at.query_params["code"] = value
        at.query_params["mois"] = value
        at.run()
        assert not at.exception, (value, [e.value for e in at.exception])
        assert not at.error, (value, [e.value for e in at.error])
        # one refusal for the code, one for the month; France shown; the URL put back to valid values
        assert len(at.warning) == 2, (value, [w.value for w in at.warning])
        assert any("France" in t for t in _texts(at) if "socle-bandeau" in t)
        params = {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}
        assert params.get("niveau") == "national" and "code" not in params
        assert re.fullmatch(r"\d{4}-\d{2}", params.get("mois", "")) and params["mois"] != value
        if not PLAIN.match(value):  # never echoed
            assert not [t for t in _texts(at) if value in t], value
        for query, _ in recorded:
            assert value not in query, (value, query)
        bound |= {p for _, ps in recorded if isinstance(ps, (list, tuple)) for p in ps if isinstance(p, str)}
    # the plain codes did reach the territory lookup, as bound parameters
    assert {"DROP_TABLE", "35--", "1-OR-1"} <= bound
    assert _sha(snapshot_home.path) == before


@pytest.mark.parametrize("params", [
    {"niveau": ["departement", "region'--"], "code": ["35", "35' OR 1=1"]},  # repeated keys: the last one counts
    {"niveau": "région", "code": "53"},  # accents are not folded into a level
    {"niveau": "NATIONAL"},
    {"niveau": "national", "code": "FR' OR '1'='1"},
    {"code": "35"},  # a code without its level
    {"mois": "2024-02-30"},
    {"mois": "9999-99"},
    {"niveau": "bassin", "code": "x" * 21},
    {"inconnu": "1; DROP TABLE x", "autre": "<script>x</script>"},  # unknown parameters are ignored
])
def test_other_hostile_combinations_show_france_without_error(snapshot_home, recorded, params):
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    shown = {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert shown.get("niveau") in ("national", "departement")
    assert set(shown) <= {"niveau", "code", "mois"}
    values = [v for vs in params.values() for v in (vs if isinstance(vs, list) else [vs])
              if v not in ("national", "departement", "region", "bassin")]
    for query, _ in recorded:
        assert not [v for v in values if len(v) > 2 and v in query], query
    markup = [v for v in values if re.search(r"['\"<>;=]", v) or len(v) > 20]
    for text in _texts(at):  # a refused value with markup or quotes is never echoed
        assert not [v for v in markup if v in text], text
