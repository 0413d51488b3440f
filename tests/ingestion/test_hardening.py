"""Trust first, the gaps left (issue 16): a name outside the contract is personal data (never
recorded as typed), no link is followed between the scan and the read, and a file that cannot be
opened is a rejected delivery with a French reason (never a crash, never its clear name).

Each test fails on the code before the change: names were recorded as typed (only NIR-shaped
sequences were hashed), files were reopened by path (a link swapped in was followed), and a
permission error escaped `identify` with the path in its message."""

from __future__ import annotations

import hmac
import logging
import os
from pathlib import Path

import duckdb
import pytest

from ingestion import land
from ingestion.land import land_all
from ingestion.pseudonymise import Pseudonymiser
from tests.conftest import write
from tests.reliability.privacy_scan import scan as privacy_scan

KEY = b"test-key"  # tests/conftest.py
NIRS = ("184037512345690", "284022A12345681")
RSA_HEADER = ("id_rsa,nir,organisme,code_commune,sexe,annee_naissance,date_ouverture_droit,"
              "etat_droit,droit_versable,soumis_droits_devoirs\n")
MONTH = "2025-03"


def rsa(*ids: str) -> str:
    return RSA_HEADER + "".join(f"{i},{NIRS[n % 2]},CAF,35238,F,1984,2023-05-01,ouvert,true,true\n"
                                for n, i in enumerate(ids))


def nom(rest: str) -> str:
    return f"<nom:{hmac.new(KEY, ('nom-fichier:' + rest).encode(), 'sha256').hexdigest()[:16]}>"


def query(settings, sql):
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.sql(sql).fetchall()


def ledger_text(settings) -> str:
    return "\n".join(str(v) for row in query(settings, "select * from raw.livraisons") for v in row)


# --- gap 1: a name outside the contract is personal data ---------------------------------------

def test_a_path_outside_the_contract_keeps_only_the_folders_the_contract_knows():
    from ingestion.redaction import redact_path

    pseudo = Pseudonymiser(KEY)
    cases = {
        # the contract's names stay as they are, whatever their case or accents
        "caf/rsa_2024-01.csv": "caf/rsa_2024-01.csv",
        "Départements/2a/ORIENTATIONS_2024-01.CSV": "Départements/2a/ORIENTATIONS_2024-01.CSV",
        "ft/inscriptions_2024-13.csv": "ft/inscriptions_2024-13.csv",  # a month that does not exist: digits
        "referentiels/bassins_2024.csv": "referentiels/bassins_2024.csv",
        "caf": "caf", "departements/35": "departements/35",  # a known folder (a link in its place)
        # the rest becomes one token
        "caf/dupont_jean.csv": f"caf/{nom('dupont_jean.csv')}",
        "caf/Dupont_jean.csv": f"caf/{nom('Dupont_jean.csv')}",  # another file, another token
        "departements/35/Martin Paul 12 rue X.csv": f"departements/35/{nom('Martin Paul 12 rue X.csv')}",
        "departements/Martin/orientations_2024-01.csv": f"departements/{nom('Martin/orientations_2024-01.csv')}",
        "caf/rsa_2024-01.martin": f"caf/{nom('rsa_2024-01.martin')}",  # an extension outside the contract
        "caf/rsa_2024-01_martin.csv": f"caf/{nom('rsa_2024-01_martin.csv')}",  # a suffix after the month
        "caf/archives/rsa_2024-01.csv": f"caf/{nom('archives/rsa_2024-01.csv')}",
        "Jean Martin/rsa_2024-01.csv": nom("Jean Martin/rsa_2024-01.csv"),
        ".Martin": nom(".Martin"),
    }
    assert {relative: redact_path(relative, pseudo) for relative in cases} == cases


def test_names_outside_the_contract_are_stored_nowhere_and_logged_nowhere(socle_env, tmp_path, caplog):
    land_dir = socle_env.landing_dir
    write(land_dir, f"caf/rsa_{MONTH}.csv", rsa("G1"))  # the one good file
    unknown = {
        "caf/dupont_jean.csv": rsa("U1"),
        "departements/35/Martin Paul 12 rue des Lilas.csv": rsa("U2"),
        "departements/Durand Marie/orientations_2025-01.csv": "id_rsa\n",  # not a département code
        "caf/rsa_2025-01.Lefebvre": rsa("U3"),  # an extension outside the contract
        "caf/.Bernard Luc.csv": rsa("U4"),  # a hidden file
        "Petit Anne/rsa_2025-01.csv": rsa("U5"),  # an unknown folder
    }
    for relative, text in unknown.items():
        write(land_dir, relative, text)
    write(tmp_path / "ailleurs", "x.csv", rsa("X1"))
    (land_dir / "caf" / "Moreau Eva.csv").symlink_to(tmp_path / "ailleurs" / "x.csv")  # a link
    with caplog.at_level(logging.INFO, logger="socle.ingestion"):
        outcomes = land_all()
    secrets = {"DUPONT", "MARTIN PAUL", "LILAS", "DURAND", "LEFEBVRE", "BERNARD", "PETIT ANNE", "MOREAU"}
    spoken = "\n".join(f"{o.chemin} {o.message}" for o in outcomes) + caplog.text
    assert {s for s in secrets if s in spoken.upper()} == set()
    assert privacy_scan(socle_env.home, secrets) == []
    # the ledger shows the token, under the folder the contract knows
    expected = {
        f"caf/{nom('dupont_jean.csv')}": "chemin non prévu par le contrat des sources",
        f"departements/35/{nom('Martin Paul 12 rue des Lilas.csv')}": "chemin non prévu par le contrat des sources",
        f"departements/{nom('Durand Marie/orientations_2025-01.csv')}":
            "le dossier sous departements/ n'est pas un code de département (code INSEE : 01 à 95, 2A, 2B, "
            "971 à 976)",
        f"caf/{nom('rsa_2025-01.Lefebvre')}":
            "extension non acceptée (csv, xlsx ou parquet ; csv pour un référentiel)",
        f"caf/{nom('.Bernard Luc.csv')}": "fichier caché (nom commençant par un point) : non lu",
        nom("Petit Anne/rsa_2025-01.csv"): "chemin non prévu par le contrat des sources",
        f"caf/{nom('Moreau Eva.csv')}": "lien symbolique : non suivi (déposer le fichier lui-même, pas un lien)",
    }
    rejected = dict(query(socle_env, "select chemin, motif_rejet from raw.livraisons where statut = 'rejetee'"))
    assert rejected == {chemin: f"{chemin} : {why}" for chemin, why in expected.items()}
    assert query(socle_env, "select chemin from raw.livraisons where statut = 'acceptee'") == [
        (f"caf/rsa_{MONTH}.csv",)]
    # the same name gives the same token: a later run sees the same events, records nothing
    assert {o.statut for o in land_all()} == {"deja_vue"}
    assert query(socle_env, "select count(*) from raw.livraisons") == [(8,)]


def test_the_ledger_asset_warns_with_the_token(socle_env):
    """Dagster's warning is the ledger's message (`registre_livraisons` logs `Outcome.message`)."""
    write(socle_env.landing_dir, "caf/Jean Dupont 3 rue des Lilas.csv", rsa("U1"))
    [outcome] = land_all(types={None})
    token = f"caf/{nom('Jean Dupont 3 rue des Lilas.csv')}"
    assert (outcome.chemin, outcome.message) == (token, f"{token} : chemin non prévu par le contrat des sources")


# --- gap 2: no link followed between the scan and the read -------------------------------------

@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder outside the landing folder with a file any reader would accept (X1…X9)."""
    write(tmp_path / "ailleurs", f"rsa_{MONTH}.csv", rsa(*[f"X{i}" for i in range(1, 10)]))
    write(tmp_path / "ailleurs", f"caf/rsa_{MONTH}.csv", rsa(*[f"X{i}" for i in range(1, 10)]))
    return tmp_path / "ailleurs"


def _swap_for_link(path: Path, target: Path) -> None:
    path.unlink() if not path.is_dir() or path.is_symlink() else _remove_tree(path)
    path.symlink_to(target, target_is_directory=target.is_dir())


def _remove_tree(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder)


def _nothing_of_outside_landed(settings) -> None:
    assert query(settings, "select count(*) from raw.rsa") == [(0,)]
    assert query(settings, "select count(*) from raw.livraisons where statut = 'acceptee'") == [(0,)]


LINK = "lien symbolique : non suivi (déposer le fichier lui-même, pas un lien)"


def test_a_file_swapped_for_a_link_before_the_read_is_not_followed(socle_env, outside, monkeypatch):
    path = write(socle_env.landing_dir, f"caf/rsa_{MONTH}.csv", rsa("G1"))
    real = land.recognise

    def recognise_then_swap(*args, **kwargs):  # the scan, the checksum and the name check are done
        landed = real(*args, **kwargs)
        _swap_for_link(path, outside / f"rsa_{MONTH}.csv")
        return landed

    monkeypatch.setattr(land, "recognise", recognise_then_swap)
    [outcome] = land_all()
    assert (outcome.statut, outcome.message) == ("rejetee", f"caf/rsa_{MONTH}.csv : {LINK}")
    _nothing_of_outside_landed(socle_env)


def test_a_folder_swapped_for_a_link_before_the_read_is_not_followed(socle_env, outside, monkeypatch):
    write(socle_env.landing_dir, f"caf/rsa_{MONTH}.csv", rsa("G1"))
    real = land.recognise

    def recognise_then_swap(*args, **kwargs):
        landed = real(*args, **kwargs)
        _swap_for_link(socle_env.landing_dir / "caf", outside / "caf")
        return landed

    monkeypatch.setattr(land, "recognise", recognise_then_swap)
    [outcome] = land_all()
    assert (outcome.statut, outcome.message) == ("rejetee", f"caf/rsa_{MONTH}.csv : {LINK}")
    _nothing_of_outside_landed(socle_env)


def test_a_file_swapped_for_a_link_before_its_checksum_is_not_followed(socle_env, outside, monkeypatch):
    path = write(socle_env.landing_dir, f"caf/rsa_{MONTH}.csv", rsa("G1"))
    real = land.refusal
    opened = []

    def refusal_then_swap(*args, **kwargs):  # identify's lstat said: a regular file
        reason = real(*args, **kwargs)
        if not opened:
            opened.append(True)
            _swap_for_link(path, outside / f"rsa_{MONTH}.csv")
        return reason

    monkeypatch.setattr(land, "refusal", refusal_then_swap)
    [outcome] = land_all()
    assert (outcome.statut, outcome.message) == ("rejetee", f"caf/rsa_{MONTH}.csv : {LINK}")
    assert query(socle_env, "select sha256 from raw.livraisons") == [("",)]  # the target was never hashed
    _nothing_of_outside_landed(socle_env)


def test_a_file_replaced_between_the_checksum_and_the_read_is_not_read(socle_env, monkeypatch):
    path = write(socle_env.landing_dir, f"caf/rsa_{MONTH}.csv", rsa("G1"))
    real = land.recognise

    def recognise_then_replace(*args, **kwargs):
        landed = real(*args, **kwargs)
        other = path.with_name("autre")
        other.write_text(rsa("R1", "R2"))
        os.replace(other, path)  # another file at the path: its content was not the one hashed
        return landed

    monkeypatch.setattr(land, "recognise", recognise_then_replace)
    [outcome] = land_all()
    assert outcome.statut == "rejetee"
    assert outcome.message.startswith(f"caf/rsa_{MONTH}.csv : fichier remplacé pendant son dépôt")
    monkeypatch.setattr(land, "recognise", real)
    assert [o.statut for o in land_all()] == ["acceptee"]  # the new file is a new event, read next time
    assert query(socle_env, "select count(*) from raw.rsa") == [(2,)]


# --- gap 3: an unreadable file is a rejected delivery, never a crash nor its clear name --------

UNREADABLE = "fichier illisible (droits d'accès) : non lu ; le producteur le redépose lisible"


def test_an_unreadable_file_is_rejected_without_its_name(socle_env, monkeypatch, caplog):
    write(socle_env.landing_dir, f"caf/rsa_{MONTH}.csv", rsa("G1"))
    write(socle_env.landing_dir, "caf/Jean Dupont.csv", rsa("U1"))

    def denied(path, *args, **kwargs):  # what `open` says of a file without read rights (as root: simulated)
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(land, "sha256_file", denied)
    with caplog.at_level(logging.INFO, logger="socle.ingestion"):
        outcomes = land_all()
    name = f"caf/{nom('Jean Dupont.csv')}"
    assert sorted((o.chemin, o.statut, o.message) for o in outcomes) == [
        (name, "rejetee", f"{name} : {UNREADABLE}"),
        (f"caf/rsa_{MONTH}.csv", "rejetee", f"caf/rsa_{MONTH}.csv : {UNREADABLE}")]
    assert "DUPONT" not in (ledger_text(socle_env) + caplog.text).upper()
    assert "Permission denied" not in ledger_text(socle_env) + caplog.text
    assert query(socle_env, "select sha256 from raw.livraisons") == [("",), ("",)]
    assert {o.statut for o in land_all()} == {"deja_vue"}  # one row per event, not one per run


def test_a_file_that_becomes_unreadable_before_the_read_is_rejected(socle_env, monkeypatch):
    write(socle_env.landing_dir, f"caf/rsa_{MONTH}.csv", rsa("G1"))

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(socle_env.landing_dir / "caf"))

    monkeypatch.setattr(land, "open_no_follow", denied)
    [outcome] = land_all()
    assert (outcome.statut, outcome.message) == ("rejetee", f"caf/rsa_{MONTH}.csv : {UNREADABLE}")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file without read rights")
def test_a_file_without_read_rights_is_rejected(socle_env):
    path = write(socle_env.landing_dir, "caf/Jean Dupont.csv", rsa("U1"))
    path.chmod(0)
    try:
        [outcome] = land_all()
    finally:
        path.chmod(0o644)
    name = f"caf/{nom('Jean Dupont.csv')}"
    assert (outcome.chemin, outcome.message) == (name, f"{name} : {UNREADABLE}")
    assert "DUPONT" not in ledger_text(socle_env).upper()


def test_an_entry_gone_since_the_scan_is_not_recorded(socle_env, monkeypatch):
    path = write(socle_env.landing_dir, f"caf/rsa_{MONTH}.csv", rsa("G1"))
    real = land.scan

    def scan_then_remove(landing):
        found = real(landing)
        path.unlink()
        return found

    monkeypatch.setattr(land, "scan", scan_then_remove)
    assert land_all() == []
    assert query(socle_env, "select count(*) from raw.livraisons") == [(0,)]


def test_a_folder_that_cannot_be_listed_is_rejected_without_its_name(socle_env, monkeypatch):
    from ingestion import paths

    write(socle_env.landing_dir, f"caf/rsa_{MONTH}.csv", rsa("G1"))
    write(socle_env.landing_dir, "caf/Jean Dupont/rsa_2025-01.csv", rsa("U1"))
    real = os.scandir

    def scandir(*args):  # what a folder without rights says (as root: simulated)
        if args and isinstance(args[0], (str, os.PathLike)) and Path(args[0]).name == "Jean Dupont":
            raise PermissionError(13, "Permission denied", str(args[0]))
        return real(*args)

    monkeypatch.setattr(paths.os, "scandir", scandir)
    outcomes = sorted((o.chemin, o.statut, o.message) for o in land_all())
    name = f"caf/{nom('Jean Dupont')}"
    assert outcomes == [(name, "rejetee", f"{name} : dossier illisible (droits d'accès) : son contenu n'est pas lu"),
                        (f"caf/rsa_{MONTH}.csv", "acceptee", "")]
    assert "DUPONT" not in ledger_text(socle_env).upper()


def test_a_ledger_written_with_names_in_clear_is_rewritten_and_lands_nothing_again(socle_env):
    write(socle_env.landing_dir, "caf/dupont_jean.csv", rsa("U1"))
    write(socle_env.landing_dir, "departements/Durand/orientations_2025-01.csv", "id_rsa\n")
    write(socle_env.landing_dir, f"caf/rsa_{MONTH}.csv", rsa("G1"))
    land_all()
    # as the former code wrote them: the path as typed, the folder and the extension quoted
    with duckdb.connect(str(socle_env.warehouse)) as con:
        con.execute("update raw.livraisons set chemin = 'caf/dupont_jean.csv', motif_rejet = "
                    "'caf/dupont_jean.csv : chemin non prévu par le contrat des sources' "
                    "where chemin like 'caf/<nom:%'")
        con.execute("update raw.livraisons set chemin = 'departements/Durand/orientations_2025-01.csv', motif_rejet = "
                    "'departements/Durand/orientations_2025-01.csv : « Durand » n''est pas un code de département' "
                    "where chemin like 'departements/<nom:%'")
    assert "DUPONT" in ledger_text(socle_env).upper()
    assert {o.statut for o in land_all()} == {"deja_vue"}  # the same events
    assert "DUPONT" not in ledger_text(socle_env).upper() and "DURAND" not in ledger_text(socle_env).upper()
    dep = f"departements/{nom('Durand/orientations_2025-01.csv')}"
    assert dict(query(socle_env, "select chemin, motif_rejet from raw.livraisons")) == {
        f"caf/rsa_{MONTH}.csv": None,
        f"caf/{nom('dupont_jean.csv')}": f"caf/{nom('dupont_jean.csv')} : chemin non prévu par le contrat des sources",
        dep: f"{dep} : le dossier sous departements/ n'est pas un code de département (code INSEE : 01 à 95, 2A, "
             "2B, 971 à 976)"}


def test_the_sensor_skips_an_entry_gone_since_its_scan(socle_env, monkeypatch):
    """The sensor's tick (stored by Dagster) never carries an error quoting a landing path."""
    from orchestration.defs.landing import sensors

    write(socle_env.landing_dir, f"caf/rsa_{MONTH}.csv", rsa("G1"))
    real = sensors.scan
    monkeypatch.setattr(sensors, "scan", lambda landing: [*real(landing), landing / "caf" / "Jean Dupont.csv"])
    before = sensors.landing_fingerprint()
    monkeypatch.setattr(sensors, "scan", real)
    assert sensors.landing_fingerprint() == before
