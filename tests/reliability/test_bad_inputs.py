"""The bad-input battery (issue #9): every file kind × every kind of bad input (bad_inputs.py).

All the cases of one kind land together, in one landing folder beside a clean control file of the
kind, with one call to `land_all`: each case must get its documented outcome, and nothing else may
be lost or changed (the control's rows and ledger row are those of the control landed alone; each
case's good rows load exactly as the control's)."""

from __future__ import annotations

import os
import re

import duckdb
import polars as pl
import pytest

from bad_inputs import ANY, CONTROLS, FAULTS, SPECS, cases_for, control
from ingestion.lake import RENAMED
from ingestion.pseudonymise import Pseudonymiser
from ingestion.redaction import redact_path
from privacy_scan import scan

META = ["id_livraison", "mois", "ligne"]
KEY = "cle-batterie"
CASES = {kind: cases_for(spec) for kind, spec in SPECS.items()}


def recorded(path: str) -> str:
    return redact_path(path, Pseudonymiser(KEY.encode()))


class Landed:
    def __init__(self, settings):
        with duckdb.connect(str(settings.warehouse), read_only=True) as con:
            self.ledger = {r["chemin"]: r for r in con.sql("select * from raw.livraisons").pl().iter_rows(named=True)}
            self.quarantine = con.sql("select * from raw.quarantaine").pl()
            self.rows = {t: con.sql(f"select * from raw.{t}").pl() for t in
                         ("rsa", "inscriptions", "accompagnements", "reprises_emploi", "orientations")}
        self.settings = settings

    def delivery(self, path: str) -> dict:
        """The ledger row of a landing path (recorded as `redact_path` says: a name outside the
        contract as its token)."""
        path = recorded(path)
        assert path in self.ledger, f"{path} is not in the ledger"
        return self.ledger[path]

    def loaded(self, type_fichier: str, did: str) -> pl.DataFrame:
        return self.rows[type_fichier].filter(pl.col("id_livraison") == did).sort("ligne")

    def quarantined(self, did: str) -> dict[int, set[str]]:
        q = self.quarantine.filter(pl.col("id_livraison") == did)
        return {ln: set(rules) for ln, rules in q.group_by("ligne").agg(pl.col("regle")).iter_rows()}


@pytest.fixture(scope="module")
def battery(tmp_path_factory):
    from ingestion.land import land_all
    from socle.settings import Settings

    landed: dict[str, tuple[Landed, Landed]] = {}

    def get(kind: str) -> tuple[Landed, Landed]:
        if kind not in landed:
            root = tmp_path_factory.mktemp(f"batterie-{kind}")
            spec = SPECS[kind]
            main = Settings(landing_dir=root / "landing", home=root / "home")
            alone = Settings(landing_dir=root / "temoin", home=root / "home-temoin")
            path, data = control(spec)
            for settings in (main, alone):
                (settings.landing_dir / path).parent.mkdir(parents=True, exist_ok=True)
                (settings.landing_dir / path).write_bytes(data)
                # the same landing event in both (a delivery is identified by path, content and time)
                os.utime(settings.landing_dir / path, (1_700_000_000, 1_700_000_000))
            for case in CASES[kind].values():
                for rel, content in case.files.items():
                    (main.landing_dir / rel).parent.mkdir(parents=True, exist_ok=True)
                    (main.landing_dir / rel).write_bytes(content)
            with pytest.MonkeyPatch.context() as mp:
                mp.setenv("SOCLE_PSEUDO_KEY", KEY)
                # the cases span more months (one each, from 2020) than the retention period keeps:
                # retention is lifted here, in one process (tests/ingestion/test_deliveries.py tests it)
                mp.setenv("SOCLE_INGESTION_WORKERS", "1")
                mp.setattr("ingestion.paths.retention_months", lambda: 1200)
                land_all(alone)
                land_all(main)
            landed[kind] = (Landed(main), Landed(alone))
        return landed[kind]

    return get


def _values(rows: pl.DataFrame, drop=()) -> list[dict]:
    drop = [RENAMED.get(c, c) for c in drop]
    return rows.drop(META + drop).to_dicts()


def test_each_kind_meets_at_least_thirty_kinds_of_bad_input():
    assert len(set(FAULTS) - CONTROLS) >= 40
    for kind, cases in CASES.items():
        assert len(set(cases) - CONTROLS) >= 30, kind


@pytest.mark.parametrize("kind,fault", [(k, f) for k, cases in CASES.items() for f in cases],
                         ids=[f"{k}-{f}" for k, cases in CASES.items() for f in cases])
def test_bad_input_gets_its_documented_outcome(battery, kind, fault):
    main, alone = battery(kind)
    spec, case = SPECS[kind], CASES[kind][fault]
    led = main.delivery(case.path)
    did = led["id_livraison"]
    if case.rejected is not None:
        assert led["statut"] == "rejetee" and not led["est_courante"]
        expected = case.rejected
        if expected.startswith("…"):
            assert led["motif_rejet"].startswith(f"{recorded(case.path)} : {expected[1:]}"), led["motif_rejet"]
        else:
            assert led["motif_rejet"] == f"{recorded(case.path)} : {expected}"
        assert "\n" not in led["motif_rejet"]  # one message
        assert main.quarantined(did) == {}
        assert main.loaded(spec.type_fichier, did).is_empty()
        assert not list(main.settings.lake.rglob(f"{did}.parquet"))
        return
    assert led["statut"] == "acceptee" and led["est_courante"], led["motif_rejet"]
    quarantined = main.quarantined(did)
    assert set(quarantined) == set(case.quarantined), quarantined
    for line, rules in case.quarantined.items():
        if rules is not ANY:
            assert quarantined[line] == ({rules} if isinstance(rules, str) else rules), (line, quarantined[line])
    rows = main.loaded(spec.type_fichier, did)
    assert rows["ligne"].to_list() == sorted([*case.good_lines, *case.extra_loaded])
    reference = main.loaded(spec.type_fichier, main.delivery(control(spec)[0])["id_livraison"])
    for i, line in enumerate(case.good_lines):  # the good rows load exactly as from the clean file
        assert _values(rows.filter(pl.col("ligne") == line), case.drop) == \
            _values(reference.filter(pl.col("ligne") == i + 2), case.drop), (line, i)
    assert (led["lignes_chargees"], led["lignes_quarantaine"], led["lignes_lues"]) == (
        rows.height, len(quarantined), rows.height + len(quarantined))
    assert led["colonnes_ignorees"] == case.ignored
    if case.encoding:
        assert led["encodage"] == case.encoding
    if case.check:
        case.check(rows)


@pytest.mark.parametrize("kind", list(SPECS))
def test_nothing_else_is_lost_or_changed(battery, kind):
    main, alone = battery(kind)
    path = control(SPECS[kind])[0]
    keep = ["recu_le"]  # when each copy was landed
    assert {k: v for k, v in main.delivery(path).items() if k not in keep} == \
        {k: v for k, v in alone.delivery(path).items() if k not in keep}
    did = alone.delivery(path)["id_livraison"]
    t = SPECS[kind].type_fichier
    assert main.loaded(t, did).equals(alone.loaded(t, did))
    assert main.loaded(t, did).height == 3
    # every file of the landing is in the ledger, once
    files = {recorded(p.relative_to(main.settings.landing_dir).as_posix())
             for p in main.settings.landing_dir.rglob("*") if p.is_file()}
    assert set(main.ledger) == files


@pytest.mark.parametrize("kind", list(SPECS))
def test_no_clear_identifier_of_the_bad_files_is_kept(battery, kind):
    main, _ = battery(kind)
    secrets: set[str] = set()
    for path in main.settings.landing_dir.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("latin-1")
            secrets |= set(re.findall(r"BAT[A-Z]\d{4}|DUPONTBATNOM\d", text))
            secrets |= {t for t in re.findall(r"(?<![0-9A-Z])[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{8}(?![0-9])", text)}
    assert len(secrets) > 5
    assert scan(main.settings.home, secrets) == []
