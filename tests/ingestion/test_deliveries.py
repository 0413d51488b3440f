"""Landing events (issue 16, findings 2, 4 and 9, and the retention rule): an earlier version put
back is the current delivery, names that differ only by case or accents are one slot, nothing in the
landing folder is skipped without a ledger row, a symbolic link is never followed, and a month older
than the retention period is not loaded."""

from __future__ import annotations

import hmac
import os
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from ingestion.land import land_all
from socle.parameters import parameter
from tests.conftest import write

NIRS = ("184037512345690", "284022A12345681", "175082A00403503")
RSA_HEADER = ("id_rsa,nir,organisme,code_commune,sexe,annee_naissance,date_ouverture_droit,"
              "etat_droit,droit_versable,soumis_droits_devoirs\n")
MONTH = "2025-03"
T0 = 1_740_000_000  # a modification time in 2025


def nom(rest: str) -> str:
    """The token of a name outside the contract (`redaction.name_token`, key of tests/conftest.py)."""
    return f"<nom:{hmac.new(b'test-key', ('nom-fichier:' + rest).encode(), 'sha256').hexdigest()[:16]}>"


def query(settings, sql):
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.sql(sql).fetchall()


def rsa(*ids: str) -> str:
    """A CAF file of the given persons, each subject to droits et devoirs."""
    return RSA_HEADER + "".join(f"{i},{NIRS[n % 3]},CAF,35238,F,1984,2023-05-01,ouvert,true,true\n"
                                for n, i in enumerate(ids))


def current(settings, type_fichier: str = "rsa") -> list[tuple]:
    return query(settings, f"select l.chemin, l.sha256, count(r.id_livraison) from raw.livraisons l "
                           f"left join raw.{type_fichier} r using (id_livraison) "
                           f"where l.est_courante and l.type_fichier = '{type_fichier}' group by all")


# --- finding 2: a producer goes back to an earlier version --------------------------------------

@pytest.mark.parametrize("original_time", [False, True], ids=["newer-time", "original-time-kept"])
def test_earlier_version_put_back_is_the_current_delivery(socle_env, original_time):
    """A, B, C then A again: A's figures, whether A comes back with a new modification time or
    with its original one (a copy that keeps times, `rsync -a`, `cp -p`)."""
    path = f"caf/rsa_{MONTH}.csv"
    a, b, c = rsa("A1", "A2", "A3"), rsa("B1"), rsa("C1", "C2")
    for i, content in enumerate((a, b, c)):
        write(socle_env.landing_dir, path, content, mtime=T0 + i * 1000)
        assert [o.statut for o in land_all()] == ["acceptee"]
    assert current(socle_env)[0][2] == 2  # C
    write(socle_env.landing_dir, path, a, mtime=T0 if original_time else T0 + 3000)
    assert [o.statut for o in land_all()] == ["acceptee"]
    ledger = query(socle_env, "select sha256, est_courante, remplacee_par, id_livraison from raw.livraisons "
                              "order by recu_le")
    assert len(ledger) == 4 and len({r[3] for r in ledger}) == 4
    assert [r[1] for r in ledger] == [False, False, False, True]
    assert ledger[3][0] == ledger[0][0]  # A's content
    assert {r[2] for r in ledger[:3]} == {ledger[3][3]}  # every earlier one replaced by it, none deleted
    assert current(socle_env) == [(path, ledger[0][0], 3)]  # A's 3 persons
    assert query(socle_env, "select count(*) from raw.rsa") == [(3 + 1 + 2 + 3,)]  # all archived
    # the same file seen again: nothing new
    assert [o.statut for o in land_all()] == ["deja_vue"]
    assert query(socle_env, "select count(*) from raw.livraisons")[0][0] == 4


def test_earlier_version_figures_reach_the_staging_model(socle_env):
    """The current delivery is what `stg_livraisons_courantes` selects (statut acceptee and est_courante):
    one per (kind, producer, month), A's."""
    path = f"caf/rsa_{MONTH}.csv"
    for i, content in enumerate((rsa("A1", "A2"), rsa("B1"), rsa("A1", "A2"))):
        write(socle_env.landing_dir, path, content, mtime=T0 + i * 1000)
        land_all()
    rows = query(socle_env, "select count(*) from raw.rsa r join raw.livraisons l using (id_livraison) "
                            "where l.statut = 'acceptee' and l.est_courante")
    assert rows == [(2,)]


# --- finding 4: names equal once case and accents are ignored -----------------------------------

ORIENTATIONS = "id_rsa,date_reception_notification,date_orientation\n"
ACCOMPAGNEMENTS_DEP = "id_rsa,modalite,heures_hebdo,date_debut,date_fin\n"
SLOTS = {  # kind: (name, a variant of the same name, content of n records)
    "rsa": (f"caf/rsa_{MONTH}.csv", f"caf/RSA_{MONTH}.CSV", lambda n: rsa(*[f"R{i}" for i in range(n)])),
    "inscriptions": (f"ft/inscriptions_{MONTH}.csv", f"FT/Inscriptions_{MONTH}.csv",
                     lambda n: "id_ft,nir,date_inscription\n"
                               + "".join(f"F{i},{NIRS[i]},2025-03-0{i + 1}\n" for i in range(n))),
    "accompagnements_ft": (f"ft/accompagnements_{MONTH}.csv", f"ft/ACCOMPAGNEMENTS_{MONTH}.csv",
                           lambda n: "id_ft,modalite,heures_hebdo,date_debut,date_fin\n"
                                     + "".join(f"F{i},GUIDE,,2025-03-0{i + 1},\n" for i in range(n))),
    "reprises_emploi": (f"ft/reprises_emploi_{MONTH}.csv", f"ft/Reprises_Emploi_{MONTH}.Csv",
                        lambda n: "id_ft,date_embauche,type_contrat,duree_prevue_jours\n"
                                  + "".join(f"F{i},2025-03-0{i + 1},CDI,\n" for i in range(n))),
    "orientations": (f"departements/2A/orientations_{MONTH}.csv", f"Départements/2a/orientations_{MONTH}.csv",
                     lambda n: ORIENTATIONS + "".join(f"R{i},2025-03-0{i + 1},\n" for i in range(n))),
    "accompagnements_departement": (
        f"departements/35/accompagnements_{MONTH}.csv", f"départements/35/Accompagnements_{MONTH}.CSV",
        lambda n: ACCOMPAGNEMENTS_DEP + "".join(f"R{i},SUIVI,,2025-03-0{i + 1},\n" for i in range(n))),
    "bassins": ("referentiels/bassins_2025.csv", "Référentiels/BASSINS_2025.csv",
                lambda n: "code_commune,code_bassin,libelle_bassin\n"
                          + "".join(f"{c},B{i},Bassin {i}\n" for i, c in enumerate(("35238", "13055", "2A004")[:n]))),
}


def _type(kind: str) -> str:
    return kind.split("_")[0] if kind.startswith("accompagnements") else kind


@pytest.mark.parametrize("kind", list(SLOTS))
def test_names_equal_but_for_case_or_accents_are_one_slot_never_a_crash(socle_env, kind):
    """The same content under two spellings of one name, same time (the crash of finding 4): both
    recorded, one current, the other replaced; every later run is fine."""
    name, variant, content = SLOTS[kind]
    for path in (name, variant):
        write(socle_env.landing_dir, path, content(2), mtime=T0)
    assert sorted(o.statut for o in land_all()) == ["acceptee", "acceptee"]
    ledger = query(socle_env, "select chemin, est_courante, remplacee_par, id_livraison, type_fichier "
                              "from raw.livraisons order by chemin")
    assert sorted(r[0] for r in ledger) == sorted([name, variant])
    assert {r[4] for r in ledger} == {_type(kind)}
    (winner,) = [r for r in ledger if r[1]]
    (loser,) = [r for r in ledger if not r[1]]
    assert loser[2] == winner[3]
    assert current(socle_env, _type(kind))[0][2] == 2
    assert [o.statut for o in land_all()] == ["deja_vue", "deja_vue"]


@pytest.mark.parametrize("kind", list(SLOTS))
def test_the_newest_spelling_of_a_name_wins(socle_env, kind):
    """Two spellings with different contents: the newer file is current, whichever sorts first."""
    name, variant, content = SLOTS[kind]
    write(socle_env.landing_dir, name, content(3), mtime=T0)
    write(socle_env.landing_dir, variant, content(1), mtime=T0 + 60)
    land_all()
    assert [(r[0], r[2]) for r in current(socle_env, _type(kind))] == [(variant, 1)]
    os.utime(socle_env.landing_dir / name, (T0 + 120, T0 + 120))  # the other one re-sent, unchanged
    land_all()
    assert [(r[0], r[2]) for r in current(socle_env, _type(kind))] == [(name, 3)]


# --- finding 9: nothing skipped silently, no link followed --------------------------------------

@pytest.fixture
def untouchable(monkeypatch):
    """Fails the test when any path under the returned folders is opened or examined through a link
    (`os.stat` following links; `lstat` of the link itself is fine)."""
    forbidden: list[Path] = []
    touched: list[str] = []

    def under(p) -> bool:
        try:
            text = os.fsdecode(p) if not isinstance(p, int) else ""
        except TypeError:
            return False
        return any(text.startswith(str(f)) for f in forbidden)

    real_stat = os.stat

    def stat(path, *args, dir_fd=None, follow_symlinks=True):
        if follow_symlinks and (under(path) or (isinstance(path, (str, os.PathLike)) and os.path.islink(path))):
            touched.append(f"stat {path}")
            raise PermissionError(f"socle must not follow {path}")
        return real_stat(path, *args, dir_fd=dir_fd, follow_symlinks=follow_symlinks)

    def audit(event, args):
        if event == "open" and args and under(args[0]) and active:
            touched.append(f"open {args[0]}")
            raise PermissionError(f"socle must not open {args[0]}")

    active = True
    sys.addaudithook(audit)
    monkeypatch.setattr(os, "stat", stat)
    yield forbidden, touched
    active = False  # noqa: F841 (read by the hook through its closure)


def test_hidden_entries_links_and_special_files_are_recorded_never_followed(socle_env, tmp_path, untouchable):
    forbidden, touched = untouchable
    land = socle_env.landing_dir
    outside = tmp_path / "ailleurs"
    write(outside, "rsa_2025-01.csv", rsa(*[f"X{i}" for i in range(30)]))
    write(outside, "caf/rsa_2025-02.csv", rsa("Y1"))
    forbidden.append(outside)
    write(land, f"caf/rsa_{MONTH}.csv", rsa("G1"))  # the one good file
    write(land, ".cache/caf/rsa_2025-04.csv", rsa("H1"))  # a hidden folder
    write(land, "caf/.rsa_2025-05.csv", rsa("H2"))  # a hidden file
    (land / "caf" / "rsa_2025-01.csv").symlink_to(outside / "rsa_2025-01.csv")  # a link to a file outside
    (land / "archive").symlink_to(outside, target_is_directory=True)  # a linked folder
    (land / "caf" / "rsa_2025-06.csv").symlink_to("/etc/passwd")  # a link to a system file
    write(land, "caf/archives/rsa_2025-07.csv", rsa("S1"))  # an unexpected sub-folder
    os.mkfifo(land / "caf" / "rsa_2025-08.csv")  # a special file (opening it would block)
    outcomes = {o.chemin: (o.statut, o.message) for o in land_all()}
    assert touched == []
    link = "lien symbolique : non suivi (déposer le fichier lui-même, pas un lien)"
    # names outside the contract are recorded as tokens (a contract name stays, even for a link)
    cache, hidden, archive, sub = nom(".cache"), f"caf/{nom('.rsa_2025-05.csv')}", nom("archive"), \
        f"caf/{nom('archives/rsa_2025-07.csv')}"
    assert outcomes == {
        f"caf/rsa_{MONTH}.csv": ("acceptee", ""),
        cache: ("rejetee", f"{cache} : dossier caché (nom commençant par un point) : "
                           "ni lui ni son contenu ne sont lus"),
        hidden: ("rejetee", f"{hidden} : fichier caché (nom commençant par un point) : non lu"),
        "caf/rsa_2025-01.csv": ("rejetee", f"caf/rsa_2025-01.csv : {link}"),
        archive: ("rejetee", f"{archive} : {link}"),
        "caf/rsa_2025-06.csv": ("rejetee", f"caf/rsa_2025-06.csv : {link}"),
        sub: ("rejetee", f"{sub} : chemin non prévu par le contrat des sources"),
        "caf/rsa_2025-08.csv": ("rejetee", "caf/rsa_2025-08.csv : n'est pas un fichier ordinaire (tube, "
                                           "socket ou périphérique) : non lu"),
    }
    assert query(socle_env, "select count(*) from raw.rsa") == [(1,)]  # G1 only
    never_opened = query(socle_env, "select chemin, sha256, taille_octets from raw.livraisons "
                                    "where sha256 = '' order by chemin")
    assert never_opened == sorted([(cache, "", 0), (archive, "", 0), (hidden, "", len(rsa("H2"))),
                                   ("caf/rsa_2025-01.csv", "", 0), ("caf/rsa_2025-06.csv", "", 0),
                                   ("caf/rsa_2025-08.csv", "", 0)])
    # recorded once: a later run (even after the hidden folder's content changed) records nothing
    write(land, ".cache/caf/rsa_2025-09.csv", rsa("H3"))
    assert {o.statut for o in land_all()} == {"deja_vue"}
    assert query(socle_env, "select count(*) from raw.livraisons") == [(8,)]
    assert touched == []


def test_a_link_is_rejected_by_the_ledger_asset_only(socle_env, tmp_path):
    """Kinds are landed by their own assets (types): an entry never read belongs to no kind."""
    write(tmp_path / "ailleurs", "x.csv", rsa("X1"))
    (socle_env.landing_dir / "caf").mkdir()
    (socle_env.landing_dir / "caf" / f"rsa_{MONTH}.csv").symlink_to(tmp_path / "ailleurs" / "x.csv")
    assert land_all(types={"rsa"}) == []
    assert [o.statut for o in land_all(types={None})] == ["rejetee"]


# --- retention -----------------------------------------------------------------------------------

def _month(d: date, shift: int) -> str:
    i = d.year * 12 + d.month - 1 + shift
    return f"{i // 12:04d}-{i % 12 + 1:02d}"


def test_a_month_older_than_the_retention_period_is_rejected(socle_env):
    assert parameter("retention_mois") == "48"  # the governed default (seed parametres)
    kept, too_old = _month(date.today(), -48), _month(date.today(), -49)  # 48 months old: kept
    write(socle_env.landing_dir, f"caf/rsa_{kept}.csv", rsa("K1"))
    write(socle_env.landing_dir, f"caf/rsa_{too_old}.csv", rsa("O1"))
    write(socle_env.landing_dir, f"departements/35/orientations_{too_old}.csv", ORIENTATIONS + "R1,2020-01-01,\n")
    outcomes = {o.chemin: (o.statut, o.message) for o in land_all()}
    message = ("le mois {} dépasse la durée de conservation (48 mois, paramètre retention_mois) : ses lignes "
               "individuelles ne sont plus conservées, le fichier n'est pas chargé")
    assert outcomes == {
        f"caf/rsa_{kept}.csv": ("acceptee", ""),
        f"caf/rsa_{too_old}.csv": ("rejetee", f"caf/rsa_{too_old}.csv : {message.format(too_old)}"),
        f"departements/35/orientations_{too_old}.csv":
            ("rejetee", f"departements/35/orientations_{too_old}.csv : {message.format(too_old)}"),
    }
    assert query(socle_env, "select count(*) from raw.rsa") == [(1,)]


def test_a_ledger_written_before_landing_events_lands_nothing_again(socle_env):
    """Warehouses are not migrated: a file recorded under the former id (a hash of path and content)
    is recognised by its last event at its path (checksum, size, time), not landed a second time."""
    write(socle_env.landing_dir, f"caf/rsa_{MONTH}.csv", rsa("A1"), mtime=T0)
    land_all()
    with duckdb.connect(str(socle_env.warehouse)) as con:
        con.execute("update raw.livraisons set id_livraison = 'ancien_identifiant'")
    assert [o.statut for o in land_all()] == ["deja_vue"]
    assert query(socle_env, "select id_livraison, est_courante from raw.livraisons") == [("ancien_identifiant", True)]
