"""Month-incremental builds: the reach rules of orchestration/mois_a_recalculer.py on a hand-built
warehouse (exact windows), then a landing built incrementally (months one by one, a re-sent file,
a late département) whose tables equal a --full-refresh build, row for row."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest

from orchestration import mois_a_recalculer as mar
from socle.settings import DBT_PROJECT_DIR

D = dt.date


# --- a hand-built warehouse: the tables and views fenetre() reads, a few rows each ------------------

SCHEMA = """
create schema raw; create schema staging; create schema intermediate; create schema marts;
create table raw.livraisons (id_livraison varchar, type_fichier varchar, producteur varchar, mois date,
    sha256 varchar, statut varchar default 'acceptee', est_courante boolean);
create table staging.stg_livraisons_courantes as select * from raw.livraisons;
create table staging.stg_rsa (id_livraison varchar, mois date, ligne bigint, pseudo_id_rsa bigint, pseudo_nir bigint);
create table staging.stg_orientations (id_livraison varchar, producteur varchar, mois date, ligne bigint,
    pseudo_id_rsa bigint, date_reception_notification date, date_orientation date);
create table staging.stg_accompagnements (id_livraison varchar, producteur varchar, mois date, ligne bigint,
    pseudo_id_rsa bigint, pseudo_id_ft bigint, date_debut date, date_fin date, organisme varchar,
    est_france_travail boolean);
create table staging.stg_inscriptions (id_livraison varchar, mois date, ligne bigint, pseudo_id_ft bigint,
    pseudo_nir bigint, date_inscription date, date_sortie date, categorie varchar);
create table staging.stg_reprises_emploi (id_livraison varchar, mois date, ligne bigint, pseudo_id_ft bigint,
    date_embauche date);
-- raw keeps every delivery's rows (replaced ones too); staging shows the current ones
create table raw.orientations as select * from staging.stg_orientations limit 0;
create table raw.accompagnements as select *, '' as modalite from staging.stg_accompagnements limit 0;
create table raw.inscriptions as select * from staging.stg_inscriptions limit 0;
create table raw.reprises_emploi as select *, '' as type_contrat from staging.stg_reprises_emploi limit 0;
create table intermediate.int_caf_personne_mois (personne bigint, mois date, pseudo_id_rsa bigint);
create table intermediate.int_liaison_rsa (pseudo_id_rsa bigint, personne bigint);
create table intermediate.int_liaison_ft (pseudo_id_ft bigint, personne bigint);
create table intermediate.int_cohortes_orientation (personne bigint, mois date);
create table marts.indicateurs (mois date);
"""


class Entrepot:
    """Deliveries and their rows; `construire()` copies the current state into the 'built' tables."""

    def __init__(self, home: Path):
        self.settings = SimpleNamespace(home=home, warehouse=home / "warehouse.duckdb")
        home.mkdir(parents=True, exist_ok=True)
        with self.con() as con:
            con.execute(SCHEMA)

    def con(self):
        return duckdb.connect(str(self.settings.warehouse))

    def livrer(self, id_, type_fichier, producteur, mois, rows=(), columns=None):
        """A new current delivery of (type, producer, month), replacing the earlier one."""
        with self.con() as con:
            con.execute("update raw.livraisons set est_courante = false "
                        "where type_fichier = ? and producteur = ? and mois is not distinct from ?",
                        [type_fichier, producteur, mois])
            con.execute("insert into raw.livraisons values (?, ?, ?, ?, ?, 'acceptee', true)",
                        [id_, type_fichier, producteur, mois, "sha-" + id_])
            con.execute("create or replace table staging.stg_livraisons_courantes as "
                        "select * from raw.livraisons where est_courante")
            table = {"rsa": "stg_rsa", "orientations": "stg_orientations", "accompagnements": "stg_accompagnements",
                     "inscriptions": "stg_inscriptions", "reprises_emploi": "stg_reprises_emploi"}.get(type_fichier)
            if table:
                # staging shows the current deliveries only
                con.execute(f"delete from staging.{table} where id_livraison not in "
                            "(select id_livraison from raw.livraisons where est_courante)")
                for i, row in enumerate(rows):
                    cols = ["id_livraison", "mois", "ligne", *row]
                    for target in [f"staging.{table}"] + ([f"raw.{type_fichier}"] if type_fichier != "rsa" else []):
                        con.execute(f"insert into {target} ({', '.join(cols)}) values "
                                    f"({', '.join('?' for _ in cols)})", [id_, mois, i + 1, *row.values()])

    def construire(self):
        """What a dbt build leaves: person-months, pairs and cohorts of the current rows; then memoriser."""
        with self.con() as con:
            con.execute("""
                create or replace table intermediate.int_caf_personne_mois as
                select pseudo_nir as personne, mois, pseudo_id_rsa from staging.stg_rsa;
                create or replace table intermediate.int_liaison_rsa as
                select pseudo_id_rsa, arg_max(pseudo_nir, mois) as personne from staging.stg_rsa group by 1;
                create or replace table intermediate.int_liaison_ft as
                select pseudo_id_ft, arg_max(pseudo_nir, mois) as personne from staging.stg_inscriptions group by 1;
                create or replace table intermediate.int_cohortes_orientation as
                select distinct l.personne, cast(date_trunc('month', o.date_orientation) as date) as mois
                from staging.stg_orientations as o
                inner join intermediate.int_liaison_rsa as l on l.pseudo_id_rsa = o.pseudo_id_rsa
                where o.date_orientation is not null;
            """)
        mar.memoriser(self.settings)


def _caf(*pairs):
    return [{"pseudo_id_rsa": r, "pseudo_nir": p} for r, p in pairs]


@pytest.fixture
def entrepot(tmp_path):
    """CAF months from 2023-01 (person 9 in 2023; persons 1, 2 with id_rsa 101, 102 from 2024-01 to
    2024-03), an orientation of person 1 and an inscription of person 2 (not built: `construire()`)."""
    e = Entrepot(tmp_path / "home")
    for m in range(1, 13):
        e.livrer(f"caf-2023-{m}", "rsa", "caf", D(2023, m, 1), _caf((109, 9)))
    for m in (1, 2, 3):
        e.livrer(f"caf-{m}", "rsa", "caf", D(2024, m, 1), _caf((101, 1), (102, 2)))
    e.livrer("or35-2", "orientations", "35", D(2024, 2, 1),
             [{"producteur": "35", "pseudo_id_rsa": 101, "date_reception_notification": D(2024, 1, 20),
               "date_orientation": D(2024, 2, 10)}])
    e.livrer("ins-2", "inscriptions", "ft", D(2024, 2, 1),
             [{"pseudo_id_ft": 201, "pseudo_nir": 2, "date_inscription": D(2024, 2, 5)}])
    return e


def test_no_build_recorded_recomputes_every_delivered_month(entrepot):
    f = mar.fenetre(entrepot.settings)
    assert (f.debut, f.fin, f.motifs, f.tout) == (D(2023, 1, 1), D(2024, 3, 1), [mar.TOUT_AUCUNE_CONSTRUCTION], True)


def test_nothing_changed_since_the_build(entrepot):
    entrepot.construire()
    assert mar.fenetre(entrepot.settings) is None


def test_a_new_caf_month_reaches_itself_only(entrepot):
    entrepot.construire()
    entrepot.livrer("caf-4", "rsa", "caf", D(2024, 4, 1), _caf((101, 1), (102, 2)))
    f = mar.fenetre(entrepot.settings)
    assert (f.debut, f.fin, f.debut_donnees, f.tout) == (D(2024, 4, 1), D(2024, 4, 1), None, False)
    assert mar.dbt_vars(f) == {"mois_debut": "2024-04-01", "mois_fin": "2024-04-01"}


def test_an_orientation_file_reaches_t0_minus_2_months_and_its_maturity_12_months_back(entrepot):
    entrepot.construire()
    # T0 2024-03-05: an entrant of 2024-01 takes T0 in [2023-12-01, 2024-04-01); date_orientation in March
    entrepot.livrer("or35-3", "orientations", "35", D(2024, 3, 1),
                    [{"producteur": "35", "pseudo_id_rsa": 102, "date_reception_notification": D(2024, 3, 5),
                      "date_orientation": D(2024, 3, 20)}])
    f = mar.fenetre(entrepot.settings)
    # statuses: 2024-03 − 12 months (delai_premier_rdv, seed maturite_livraisons); rows: 2024-01
    assert (f.debut, f.fin, f.debut_donnees) == (D(2023, 3, 1), D(2024, 3, 1), D(2024, 1, 1))
    assert mar.dbt_vars(f) == {"mois_debut": "2023-03-01", "mois_fin": "2024-03-01",
                               "mois_debut_donnees": "2024-01-01"}


def test_a_resent_orientation_file_reaches_the_replaced_version_too(entrepot):
    entrepot.construire()
    # the February file again: the dossier's date_orientation moves from 2024-02-10 to 2024-03-01
    entrepot.livrer("or35-2b", "orientations", "35", D(2024, 2, 1),
                    [{"producteur": "35", "pseudo_id_rsa": 101, "date_reception_notification": D(2024, 1, 20),
                      "date_orientation": D(2024, 3, 1)}])
    f = mar.fenetre(entrepot.settings)
    # rows: T0 2024-01-20 − 2 months = 2023-11 (old and new version alike); statuses: 2024-02 − 12
    assert (f.debut, f.fin, f.debut_donnees) == (D(2023, 2, 1), D(2024, 3, 1), D(2023, 11, 1))


def test_hires_reach_6_months_back_and_their_maturity_8(entrepot):
    entrepot.construire()
    entrepot.livrer("rep-3", "reprises_emploi", "ft", D(2024, 3, 1),
                    [{"pseudo_id_ft": 201, "date_embauche": D(2024, 3, 10)}])
    f = mar.fenetre(entrepot.settings)
    assert (f.debut, f.debut_donnees) == (D(2023, 7, 1), D(2023, 9, 1))


def test_an_accompaniment_reaches_from_its_start_or_the_first_month_of_data(entrepot):
    entrepot.construire()
    entrepot.livrer("acc-3", "accompagnements", "35", D(2024, 3, 1),
                    [{"producteur": "35", "pseudo_id_rsa": 101, "date_debut": D(2023, 5, 1),
                      "est_france_travail": False}])
    f = mar.fenetre(entrepot.settings)
    assert (f.debut, f.fin, f.debut_donnees) == (D(2023, 5, 1), D(2024, 3, 1), None)
    # an episode from 2019: no model has a month before the first CAF month (2023-01)
    entrepot.livrer("acc-3b", "accompagnements", "35", D(2024, 3, 1),
                    [{"producteur": "35", "pseudo_id_rsa": 101, "date_debut": D(2019, 5, 1),
                      "est_france_travail": False}])
    f = mar.fenetre(entrepot.settings)
    assert (f.debut, f.fin, f.debut_donnees) == (D(2023, 1, 1), D(2024, 3, 1), None)


def test_a_re_listed_unchanged_registration_reaches_only_the_maturity(entrepot):
    entrepot.construire()
    # France Travail re-lists every open registration each month: the same row again changes nothing
    entrepot.livrer("ins-3", "inscriptions", "ft", D(2024, 3, 1),
                    [{"pseudo_id_ft": 201, "pseudo_nir": 2, "date_inscription": D(2024, 2, 5)}])
    f = mar.fenetre(entrepot.settings)
    # statuses 2024-03 − 8 months; person-level rows: none before the last month
    assert (f.debut, f.fin, f.debut_donnees) == (D(2023, 7, 1), D(2024, 3, 1), D(2024, 3, 1))
    assert f.motifs == ["inscriptions ft 2024-03 nouveau (lignes dès —, statuts dès 2023-07)"]


def test_an_exit_reaches_the_stock_from_its_month_only(entrepot):
    entrepot.construire()
    # the registration of 2024-02-05 exits on 2024-02-20 (and changes category, which no monthly
    # model reads): the stock of registered persons changes from February; the cohorts do not
    entrepot.livrer("ins-3", "inscriptions", "ft", D(2024, 3, 1),
                    [{"pseudo_id_ft": 201, "pseudo_nir": 2, "date_inscription": D(2024, 2, 5),
                      "date_sortie": D(2024, 2, 20), "categorie": "B"}])
    f = mar.fenetre(entrepot.settings)
    assert (f.debut, f.fin, f.debut_donnees) == (D(2023, 7, 1), D(2024, 3, 1), D(2024, 2, 1))


def test_a_resent_file_without_a_dossier_reaches_that_dossiers_months(entrepot):
    entrepot.construire()
    entrepot.livrer("or35-2b", "orientations", "35", D(2024, 2, 1), [])
    f = mar.fenetre(entrepot.settings)
    # the dossier of T0 2024-01-20 is gone: 2023-11 (T0 − 2 months); statuses 2024-02 − 12
    assert (f.debut, f.fin, f.debut_donnees) == (D(2023, 2, 1), D(2024, 3, 1), D(2023, 11, 1))


def test_a_changed_pair_reaches_the_persons_months(entrepot):
    entrepot.construire()
    # the March CAF file re-sent: id_rsa 101 now carries person 3; person 1 had CAF lines from
    # 2024-01 and a cohort in 2024-02; id_rsa 101's dossier has T0 2024-01-20 (→ 2023-11)
    entrepot.livrer("caf-3b", "rsa", "caf", D(2024, 3, 1), _caf((101, 3), (102, 2)))
    f = mar.fenetre(entrepot.settings)
    assert (f.debut, f.fin, f.debut_donnees) == (D(2023, 11, 1), D(2024, 3, 1), None)


def test_a_resent_caf_month_with_the_same_pairs_reaches_that_month(entrepot):
    entrepot.construire()
    entrepot.livrer("caf-2b", "rsa", "caf", D(2024, 2, 1), _caf((101, 1)))  # person 2 left February
    f = mar.fenetre(entrepot.settings)
    assert (f.debut, f.fin) == (D(2024, 2, 1), D(2024, 3, 1))
    assert f.motifs == ["rsa caf 2024-02 renvoyé (lignes dès 2024-02, statuts dès 2024-02)"]


def test_a_person_without_an_earlier_caf_line_reaches_their_earlier_cohorts(entrepot):
    entrepot.livrer("or35-1", "orientations", "35", D(2024, 1, 1),
                    [{"producteur": "35", "pseudo_id_rsa": 104, "date_reception_notification": D(2023, 12, 1),
                      "date_orientation": D(2023, 12, 15)}])
    entrepot.livrer("caf-5", "rsa", "caf", D(2024, 5, 1), _caf((104, 4)))
    entrepot.construire()
    # person 4 now appears in March: the cohort of 2023-12 is placed on March instead of May
    entrepot.livrer("caf-3b", "rsa", "caf", D(2024, 3, 1), _caf((101, 1), (102, 2), (104, 4)))
    f = mar.fenetre(entrepot.settings)
    assert (f.debut, f.fin) == (D(2023, 12, 1), D(2024, 5, 1))


def test_a_changed_france_travail_pair_reaches_the_persons_months(entrepot):
    entrepot.construire()
    # id_ft 201 (person 2, CAF lines from 2024-01) now carries person 1 (cohort 2024-02)
    entrepot.livrer("ins-3", "inscriptions", "ft", D(2024, 3, 1),
                    [{"pseudo_id_ft": 201, "pseudo_nir": 1, "date_inscription": D(2024, 3, 1)}])
    f = mar.fenetre(entrepot.settings)
    # rows: the 2024-02-05 inscription of id_ft 201 − 6 months = 2023-08; statuses 2024-03 − 8 = 2023-07
    assert (f.debut, f.debut_donnees) == (D(2023, 7, 1), D(2023, 8, 1))


def test_a_new_france_travail_identifier_reaches_its_rows_months_not_the_persons_history(entrepot):
    entrepot.construire()
    # person 9 (CAF lines from 2023-01) registers: id_ft 209 is new, its hire and France Travail
    # episode now reach person 9; the cohorts from 2023-10 (registration − 6 months) and the months of
    # the episode (2024-02) may change, not person 9's CAF months of early 2023
    entrepot.livrer("rep-3", "reprises_emploi", "ft", D(2024, 3, 1),
                    [{"pseudo_id_ft": 209, "date_embauche": D(2024, 4, 15)}])
    entrepot.livrer("acc-ft-3", "accompagnements", "ft", D(2024, 3, 1),
                    [{"producteur": "ft", "pseudo_id_ft": 209, "date_debut": D(2024, 2, 1), "est_france_travail": True}])
    entrepot.construire()
    entrepot.livrer("ins-4", "inscriptions", "ft", D(2024, 4, 1),
                    [{"pseudo_id_ft": 209, "pseudo_nir": 9, "date_inscription": D(2024, 4, 2)}])
    f = mar.fenetre(entrepot.settings)
    # rows: 2024-04-02 − 6 months = 2023-10; statuses: 2024-04 − 8 = 2023-08; the last CAF month: 2024-03
    assert (f.debut, f.fin, f.debut_donnees) == (D(2023, 8, 1), D(2024, 3, 1), D(2023, 10, 1))


def test_an_episode_end_reaches_from_its_month_only(entrepot):
    entrepot.livrer("acc-3", "accompagnements", "35", D(2024, 3, 1),
                    [{"producteur": "35", "pseudo_id_rsa": 101, "date_debut": D(2023, 5, 1),
                      "est_france_travail": False}])
    entrepot.construire()
    # the episode of 2023-05 ends on 2024-03-10 (and changes organisme, which no monthly model reads)
    entrepot.livrer("acc-4", "accompagnements", "35", D(2024, 4, 1),
                    [{"producteur": "35", "pseudo_id_rsa": 101, "date_debut": D(2023, 5, 1),
                      "date_fin": D(2024, 3, 10), "organisme": "CD35", "est_france_travail": False}])
    f = mar.fenetre(entrepot.settings)
    # rows from 2024-03 (before: from the episode's start, 2023-05); statuses: 2024-04 (no lag),
    # after the last CAF month (2024-03)
    assert (f.debut, f.fin, f.debut_donnees) == (D(2024, 3, 1), D(2024, 3, 1), None)


def test_a_referential_or_the_dbt_project_changing_recomputes_everything(entrepot, monkeypatch):
    entrepot.construire()
    entrepot.livrer("bassins-2024", "bassins", "referentiel", None)
    f = mar.fenetre(entrepot.settings)
    assert (f.debut, f.fin, f.motifs, f.tout) == (D(2023, 1, 1), D(2024, 3, 1), [mar.TOUT_REFERENTIEL], True)
    entrepot.construire()
    monkeypatch.setattr(mar, "project_fingerprint", lambda: "autre")
    assert mar.fenetre(entrepot.settings).motifs == [mar.TOUT_PROJET]


def test_the_dbt_arguments_of_a_window(monkeypatch, tmp_path):
    from orchestration.defs.warehouse import assets

    settings = SimpleNamespace(full_recompute=False)
    window = mar.Fenetre(D(2024, 3, 1), D(2024, 6, 1), ["x"])
    monkeypatch.setattr(mar, "fenetre", lambda s: window)
    assert assets.dbt_build_args(settings) == [
        *assets.BUILD, "--vars", '{"mois_debut": "2024-03-01", "mois_fin": "2024-06-01"}']
    monkeypatch.setattr(mar, "fenetre", lambda s: None)
    assert assets.dbt_build_args(settings) == [
        *assets.BUILD, "--vars", '{"mois_debut": "9999-12-01", "mois_fin": "0001-01-01"}']
    assert assets.dbt_build_args(SimpleNamespace(full_recompute=True)) == [*assets.BUILD, "--full-refresh"]
    monkeypatch.setattr(mar, "fenetre", lambda s: mar.Fenetre(D(2024, 1, 1), D(2024, 6, 1), [mar.TOUT_PROJET]))
    assert assets.dbt_build_args(settings) == [*assets.BUILD, "--full-refresh"]


# --- the sample landing, built month by month, equals a full refresh -------------------------------

COMPARED = [
    "marts.indicateurs", "marts.indicateurs_annuels", "marts.fct_personnes_mois",
    "intermediate.int_caf_personne_mois", "intermediate.int_beneficiaires_sdd_mois",
    "intermediate.int_entrees_sdd", "intermediate.int_nouveaux_entrants",
    "intermediate.int_cohortes_orientation", "intermediate.int_cohortes_inscription_qualifiante",
    "intermediate.int_orientation_courante",
]


class Construction:
    """Land, derive the window, `dbt run` it (one parse for all runs), record; like the dbt asset."""

    def __init__(self, settings):
        from dbt.cli.main import dbtRunner

        self.settings = settings
        self.args = ["--profiles-dir", str(DBT_PROJECT_DIR), "--project-dir", str(DBT_PROJECT_DIR), "--quiet",
                     "--select", "+indicateurs_annuels +fct_personnes_mois"]
        parsed = dbtRunner().invoke(["parse", *self.args[:5]])
        assert parsed.success, parsed.exception
        self.dbt = dbtRunner(manifest=parsed.result)
        self.fenetres = []

    def invoke(self, *args):
        result = self.dbt.invoke([*args, *self.args])
        assert result.success, result.exception or [r.message for r in result.result if r.status != "success"]

    def step(self):
        from ingestion.land import land_all

        land_all(self.settings)
        f = mar.fenetre(self.settings)
        self.fenetres.append(f)
        if f is not None and f.tout:
            self.invoke("run", "--full-refresh")
        else:
            self.invoke("run", "--vars", json.dumps(mar.dbt_vars(f) or mar.FENETRE_VIDE))
        mar.memoriser(self.settings)
        return f


def _copy(source: Path, landing: Path, keep) -> None:
    for path in sorted(source.rglob("*")):
        name = path.relative_to(source).as_posix()
        if path.is_file() and keep(name):
            target = landing / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)


def _window(f):
    return None if f is None else (f.debut.isoformat()[:7], f.fin.isoformat()[:7],
                                   f.debut_donnees.isoformat()[:7] if f.debut_donnees else None)


@pytest.mark.slow
def test_months_one_by_one_a_resent_file_and_a_late_departement_equal_a_full_refresh(
        tmp_path, monkeypatch, small_landing):
    landing = tmp_path / "landing"
    home = tmp_path / "home"
    for name, value in {"SOCLE_LANDING_DIR": landing, "SOCLE_HOME": home, "SOCLE_PSEUDO_KEY": "test-key",
                        "SOCLE_INGESTION_WORKERS": "1", "DBT_TARGET_PATH": home / "target",
                        "DBT_LOG_PATH": home / "logs", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}.items():
        monkeypatch.setenv(name, str(value))
    from ingestion.land import land_all
    from socle.settings import get_settings

    settings = get_settings()
    _copy(small_landing, landing, lambda n: any(f"2024-0{m}" in n for m in (1, 2, 3)))
    land_all(settings)
    build = Construction(settings)
    build.invoke("seed")
    assert _window(build.step()) == ("2024-01", "2024-03", None)  # no build recorded: everything
    assert build.fenetres[-1].tout

    # April, May, June: the orientations' statuses reach 12 months back (seed maturite_livraisons),
    # before the first month of data: every window starts there (2024-01), no model has an earlier month
    _copy(small_landing, landing, lambda n: "2024-04" in n)
    assert _window(build.step()) == ("2024-01", "2024-04", None)
    _copy(small_landing, landing, lambda n: "2024-05" in n)
    assert _window(build.step()) == ("2024-01", "2024-05", None)
    # June, without département 13
    _copy(small_landing, landing, lambda n: "2024-06" in n and "departements/13" not in n)
    assert _window(build.step()) == ("2024-01", "2024-06", None)

    # the March CAF file re-sent without its last 5 rows: that month and after, no status before
    resent = landing / "caf" / "rsa_2024-03.csv"
    lines = resent.read_text(encoding="utf-8").splitlines()
    resent.write_text("\n".join(lines[:-5]) + "\n", encoding="utf-8")
    later = time.time() + 60
    os.utime(resent, (later, later))
    f = build.step()
    assert _window(f) == ("2024-03", "2024-06", None)
    assert f.motifs == ["rsa caf 2024-03 renvoyé (lignes dès 2024-03, statuts dès 2024-03)"]

    # département 13's June files, late: its orientations' statuses 12 months back, from 2024-01
    _copy(small_landing, landing, lambda n: "2024-06" in n and "departements/13" in n)
    assert _window(build.step()) == ("2024-01", "2024-06", None)
    assert build.step() is None  # nothing new

    with duckdb.connect(str(settings.warehouse)) as con:
        con.execute("create schema incremental")
        for table in COMPARED:
            con.execute(f"create table incremental.{table.split('.')[1]} as select * from {table}")
    build.invoke("run", "--full-refresh")
    with duckdb.connect(str(settings.warehouse)) as con:
        for table in COMPARED:
            copy = f"incremental.{table.split('.')[1]}"
            rows = con.execute(f"select count(*) from {table}").fetchone()[0]
            assert rows > 0, table
            for a, b in ((table, copy), (copy, table)):
                extra = con.execute(f"select count(*) from (select * from {a} except all select * from {b})").fetchone()[0]
                assert extra == 0, f"{a} has {extra} rows that {b} has not"
