"""Petit entrepôt de test : tables `raw.*` écrites à la main, puis `dbt build`.

Les tables ont exactement les colonnes de docs/data-layout.md (l'interface que remplit
l'ingestion). Les pseudonymes sont factices et lisibles : personne « P1 » (pseudo_nir),
id_rsa « R-P1 », id_ft « F-P1 », écrits au format de l'ingestion (64 chiffres hexadécimaux :
le SHA-256 du nom) ; l'entrepôt en garde la clé compacte (les 15 premiers chiffres, en entier).
Dans `requete`, `cle('P1')` donne cette clé et `nom(personne)` le nom lisible. Chaque ligne ajoutée rattache automatiquement une livraison
acceptée et courante à son (type_fichier, producteur, mois), sauf livraison explicite.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

PROJET = Path(__file__).resolve().parents[2]
DBT_PROJET = PROJET / "dbt_project"
VENV_BIN = Path(sys.executable).parent

COMMUNS = [("id_livraison", "VARCHAR"), ("producteur", "VARCHAR"), ("mois", "DATE"), ("ligne", "BIGINT")]

TABLES_RAW: dict[str, list[tuple[str, str]]] = {
    "livraisons": [
        ("id_livraison", "VARCHAR"), ("chemin", "VARCHAR"), ("type_fichier", "VARCHAR"),
        ("producteur", "VARCHAR"), ("mois", "DATE"), ("extension", "VARCHAR"), ("sha256", "VARCHAR"),
        ("taille_octets", "BIGINT"), ("date_modification", "TIMESTAMP"), ("recu_le", "TIMESTAMP"),
        ("statut", "VARCHAR"), ("motif_rejet", "VARCHAR"), ("encodage", "VARCHAR"),
        ("delimiteur", "VARCHAR"), ("lignes_lues", "BIGINT"), ("lignes_chargees", "BIGINT"),
        ("lignes_quarantaine", "BIGINT"), ("colonnes_ignorees", "VARCHAR"),
        ("est_courante", "BOOLEAN"), ("remplacee_par", "VARCHAR"),
    ],
    "rsa": COMMUNS + [
        ("pseudo_id_rsa", "VARCHAR"), ("pseudo_nir", "VARCHAR"), ("organisme", "VARCHAR"),
        ("code_commune", "VARCHAR"), ("sexe", "VARCHAR"), ("annee_naissance", "INTEGER"),
        ("date_ouverture_droit", "DATE"), ("etat_droit", "VARCHAR"), ("droit_versable", "BOOLEAN"),
        ("soumis_droits_devoirs", "BOOLEAN"),
    ],
    "orientations": COMMUNS + [
        ("pseudo_id_rsa", "VARCHAR"), ("pseudo_id_ft", "VARCHAR"), ("date_ouverture_droit", "DATE"),
        ("date_reception_notification", "DATE"), ("date_entree_dispositif", "DATE"),
        ("date_rdv_orientation", "DATE"), ("date_orientation", "DATE"),
        ("organisme_referent", "VARCHAR"), ("type_parcours", "VARCHAR"),
        ("accompagnement_global", "BOOLEAN"), ("freins", "VARCHAR"),
        ("date_signature_contrat", "DATE"), ("date_premier_rdv_accompagnement", "DATE"),
    ],
    "accompagnements": COMMUNS + [
        ("pseudo_id_rsa", "VARCHAR"), ("pseudo_id_ft", "VARCHAR"), ("organisme", "VARCHAR"),
        ("modalite", "VARCHAR"), ("heures_hebdo", "DOUBLE"), ("date_debut", "DATE"), ("date_fin", "DATE"),
    ],
    "inscriptions": COMMUNS + [
        ("pseudo_id_ft", "VARCHAR"), ("pseudo_nir", "VARCHAR"), ("code_commune", "VARCHAR"),
        ("date_inscription", "DATE"), ("categorie", "VARCHAR"), ("date_sortie", "DATE"),
        ("motif_sortie", "VARCHAR"), ("sexe", "VARCHAR"), ("annee_naissance", "INTEGER"),
        ("niveau_formation", "VARCHAR"), ("rqth", "BOOLEAN"), ("qpv", "BOOLEAN"),
    ],
    "reprises_emploi": COMMUNS + [
        ("pseudo_id_ft", "VARCHAR"), ("date_embauche", "DATE"), ("type_contrat", "VARCHAR"),
        ("duree_prevue_jours", "BIGINT"),
    ],
    "bassins": [
        ("id_livraison", "VARCHAR"), ("annee", "INTEGER"), ("ligne", "BIGINT"),
        ("code_commune", "VARCHAR"), ("code_bassin", "VARCHAR"), ("libelle_bassin", "VARCHAR"),
    ],
    "quarantaine": [
        ("id_livraison", "VARCHAR"), ("ligne", "BIGINT"), ("colonne", "VARCHAR"),
        ("valeur", "VARCHAR"), ("regle", "VARCHAR"),
    ],
}

TYPES_ARROW = {"VARCHAR": pa.string(), "DATE": pa.date32(), "BIGINT": pa.int64(), "INTEGER": pa.int32(),
               "BOOLEAN": pa.bool_(), "DOUBLE": pa.float64(), "TIMESTAMP": pa.timestamp("us")}

TYPE_TABLE = {
    "rsa": "rsa",
    "orientations": "orientations",
    "accompagnements": "accompagnements",
    "inscriptions": "inscriptions",
    "reprises_emploi": "reprises_emploi",
}


CHIFFRES_CLE = 15  # chiffres hexadécimaux gardés par la macro dbt cle_compacte


def pseudonyme(nom: str) -> str:
    """Pseudonyme factice d'un nom lisible, au format de l'ingestion (64 chiffres hexadécimaux)."""
    return hashlib.sha256(nom.encode()).hexdigest()


def cle_compacte(nom: str) -> int:
    return int(pseudonyme(nom)[:CHIFFRES_CLE], 16)


def d(texte: str | None) -> date | None:
    """'2024-03-15' → date ; '2024-03' → premier jour du mois ; None → None."""
    if texte is None:
        return None
    if len(texte) == 7:
        texte += "-01"
    return date.fromisoformat(texte)


def mois_suivants(debut: str, fin: str) -> list[str]:
    """Mois 'YYYY-MM' de debut à fin inclus."""
    a, m = map(int, debut.split("-"))
    fa, fm = map(int, fin.split("-"))
    resultat = []
    while (a, m) <= (fa, fm):
        resultat.append(f"{a:04d}-{m:02d}")
        a, m = (a + 1, 1) if m == 12 else (a, m + 1)
    return resultat


@dataclass
class Figure:
    numerateur: int | None
    denominateur: int | None
    valeur: float | None
    statut: str

    def chiffres(self) -> tuple:
        return (self.numerateur, self.denominateur, self.valeur, self.statut)


@dataclass
class Resultats:
    chemin: Path
    figures: dict[tuple[str, str, str, str], Figure]
    duree_dbt_s: float
    sortie_dbt: str
    noms: set[str] = field(default_factory=set)  # noms lisibles des pseudonymes (voir requete)

    def __call__(self, indicateur: str, niveau: str, code: str, mois: str) -> tuple:
        cle = (indicateur, niveau, code, mois)
        assert cle in self.figures, f"ligne absente de marts.indicateurs : {cle}"
        return self.figures[cle].chiffres()

    def ventilation(self, indicateur: str, niveau: str, code: str, mois: str, ventilation: str) -> dict:
        """{modalité: (numérateur, dénominateur, valeur, statut)} d'une ventilation d'un chiffre."""
        return {m: tuple(rest) for m, *rest in self.requete(
            "select modalite, numerateur, denominateur, valeur, statut from marts.indicateurs "
            f"where indicateur = '{indicateur}' and niveau = '{niveau}' and code_territoire = '{code}' "
            f"and strftime(mois, '%Y-%m') = '{mois}' and ventilation = '{ventilation}'")}

    def requete(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.chemin), read_only=True) as con:
            con.execute("create temp table noms (cle bigint, nom varchar)")
            con.executemany("insert into noms values (?, ?)", [(cle_compacte(n), n) for n in sorted(self.noms)])
            con.execute("create temp macro cle(n) as (select cle from noms where nom = n)")
            con.execute("create temp macro nom(k) as (select nom from noms where cle = k)")
            return con.execute(sql).fetchall()


@dataclass
class Entrepot:
    livraisons: list[dict] = field(default_factory=list)
    lignes: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    _compteur: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lignes_par_livraison: dict[str, int] = field(default_factory=lambda: defaultdict(lambda: 1))
    noms: set[str] = field(default_factory=set)  # noms lisibles des pseudonymes écrits

    # -- registre -------------------------------------------------------------------------
    def livraison(self, type_fichier: str, producteur: str, mois: str, *, statut: str = "acceptee",
                  est_courante: bool | None = None, recu_le: str = "2025-01-01T00:00:00") -> str:
        """Ajoute une livraison au registre et rend son identifiant."""
        ident = f"L{next(self._compteur):04d}"
        if est_courante is None:
            est_courante = statut == "acceptee"
        self.livraisons.append({
            "id_livraison": ident, "chemin": f"{type_fichier}/{producteur}/{mois}.csv",
            "type_fichier": type_fichier, "producteur": producteur, "mois": d(mois), "extension": "csv",
            "sha256": ident * 8, "taille_octets": 100, "date_modification": datetime.fromisoformat(recu_le),
            "recu_le": datetime.fromisoformat(recu_le), "statut": statut,
            "motif_rejet": None if statut == "acceptee" else "fichier illisible",
            "encodage": "utf-8", "delimiteur": ";", "lignes_lues": 0, "lignes_chargees": 0,
            "lignes_quarantaine": 0, "colonnes_ignorees": None, "est_courante": est_courante,
            "remplacee_par": None,
        })
        return ident

    def livrer(self, type_fichier: str, producteur: str, *mois: str) -> None:
        """Livraisons acceptées (éventuellement vides) pour chacun des mois donnés."""
        for m in mois:
            self._livraison_courante(type_fichier, producteur, m)

    def _livraison_courante(self, type_fichier: str, producteur: str, mois: str) -> str:
        for liv in self.livraisons:
            if (liv["type_fichier"], liv["producteur"], liv["mois"]) == (type_fichier, producteur, d(mois)) \
                    and liv["statut"] == "acceptee" and liv["est_courante"]:
                return liv["id_livraison"]
        return self.livraison(type_fichier, producteur, mois)

    def _ajouter(self, type_fichier: str, producteur: str, mois: str, livraison: str | None, valeurs: dict) -> None:
        ident = livraison or self._livraison_courante(type_fichier, producteur, mois)
        self._lignes_par_livraison[ident] += 1
        ligne = {"id_livraison": ident, "producteur": producteur, "mois": d(mois),
                 "ligne": self._lignes_par_livraison[ident]}
        for colonne, valeur in valeurs.items():
            if colonne.startswith("pseudo_") and valeur is not None:
                self.noms.add(valeur)
                valeur = pseudonyme(valeur)
            ligne[colonne] = valeur
        self.lignes[TYPE_TABLE[type_fichier]].append(ligne)

    # -- fichiers ---------------------------------------------------------------------------
    def rsa(self, mois: str, personne: str, commune: str, etat: str = "ouvert", *, versable: bool = True,
            sdd: bool = True, id_rsa: str | None = None, livraison: str | None = None,
            sexe: str | None = "F", annee_naissance: int | None = 1980) -> None:
        self._ajouter("rsa", "caf", mois, livraison, {
            "pseudo_id_rsa": id_rsa or f"R-{personne}", "pseudo_nir": personne, "organisme": "CAF",
            "code_commune": commune, "sexe": sexe, "annee_naissance": annee_naissance,
            "date_ouverture_droit": d("2020-01-01"), "etat_droit": etat,
            "droit_versable": versable, "soumis_droits_devoirs": sdd,
        })

    def rsa_periode(self, debut: str, fin: str, personne: str, commune: str, etat: str = "ouvert",
                    **options) -> None:
        for m in mois_suivants(debut, fin):
            self.rsa(m, personne, commune, etat, **options)

    def orientation(self, departement: str, mois_fichier: str, personne: str, reception: str,
                    orientation: str | None = None, *, id_rsa: str | None = None,
                    livraison: str | None = None, organisme: str | None = "FT",
                    parcours: str | None = "professionnel", signature: str | None = None,
                    premier_rdv: str | None = None) -> None:
        """Dossier d'orientation ; organisme référent et type de parcours seulement s'il est orienté."""
        self._ajouter("orientations", departement, mois_fichier, livraison, {
            "pseudo_id_rsa": id_rsa or f"R-{personne}", "pseudo_id_ft": None,
            "date_reception_notification": d(reception), "date_orientation": d(orientation),
            "organisme_referent": organisme if orientation else None,
            "type_parcours": parcours if orientation else None,
            "date_signature_contrat": d(signature),
            "date_premier_rdv_accompagnement": d(premier_rdv),
        })

    def accompagnement(self, producteur: str, mois_fichier: str, personne: str, modalite: str, debut: str,
                       fin: str | None = None, heures: float | None = None) -> None:
        est_ft = producteur == "ft"
        self._ajouter("accompagnements", producteur, mois_fichier, None, {
            "pseudo_id_rsa": None if est_ft else f"R-{personne}",
            "pseudo_id_ft": f"F-{personne}" if est_ft else None,
            "organisme": "FT" if est_ft else "CD", "modalite": modalite, "heures_hebdo": heures,
            "date_debut": d(debut), "date_fin": d(fin),
        })

    def inscription(self, mois_fichier: str, personne: str, date_inscription: str, *, id_ft: str | None = None,
                    niveau_formation: str | None = None, qpv: bool | None = None,
                    rqth: bool | None = None, sortie: str | None = None) -> None:
        self._ajouter("inscriptions", "ft", mois_fichier, None, {
            "pseudo_id_ft": id_ft or f"F-{personne}", "pseudo_nir": personne, "code_commune": None,
            "date_inscription": d(date_inscription), "categorie": "A", "date_sortie": d(sortie),
            "niveau_formation": niveau_formation, "qpv": qpv, "rqth": rqth,
        })

    def reprise(self, mois_fichier: str, personne: str, date_embauche: str, type_contrat: str,
                duree: int | None = None) -> None:
        self._ajouter("reprises_emploi", "ft", mois_fichier, None, {
            "pseudo_id_ft": f"F-{personne}", "date_embauche": d(date_embauche),
            "type_contrat": type_contrat, "duree_prevue_jours": duree,
        })

    def bassins(self, annee: int, lignes: list[tuple[str, str, str]]) -> None:
        """Référentiel de bassins d'une année, lignes (commune, code_bassin, libellé) dans l'ordre du fichier."""
        ident = self.livraison("bassins", "referentiel", f"{annee}-01")
        for i, (commune, code, libelle) in enumerate(lignes, start=2):
            self.lignes["bassins"].append({"id_livraison": ident, "annee": annee, "ligne": i,
                                           "code_commune": commune, "code_bassin": code,
                                           "libelle_bassin": libelle})

    def quarantaine(self, livraison: str, ligne: int, colonne: str, regle: str) -> None:
        self.lignes["quarantaine"].append({"id_livraison": livraison, "ligne": ligne, "colonne": colonne,
                                           "valeur": "64", "regle": regle})

    # -- construction -----------------------------------------------------------------------
    def ecrire_raw(self, chemin: Path) -> None:
        with duckdb.connect(str(chemin)) as con:
            con.execute("create schema if not exists raw")
            for table, colonnes in TABLES_RAW.items():
                noms = [c for c, _ in colonnes]
                con.execute(f"create or replace table raw.{table} ("
                            + ", ".join(f"{c} {t}" for c, t in colonnes) + ")")
                lignes = self.livraisons if table == "livraisons" else self.lignes.get(table, [])
                if lignes:
                    donnees = pa.table(  # noqa: F841 (lu par DuckDB sous ce nom)
                        {c: pa.array([ligne.get(c) for ligne in lignes], type=TYPES_ARROW[t]) for c, t in colonnes})
                    con.execute(f"insert into raw.{table} select {', '.join(noms)} from donnees")

    def construire(self, home: Path, *arguments_dbt: str) -> Resultats:
        home.mkdir(parents=True, exist_ok=True)
        entrepot = home / "warehouse.duckdb"
        self.ecrire_raw(entrepot)
        debut = time.perf_counter()
        sortie = lancer_dbt(home, "build", "--exclude-resource-type", "unit_test", "--exclude", *TESTS_DE_DBT,
                            *arguments_dbt)
        duree = time.perf_counter() - debut
        with duckdb.connect(str(entrepot), read_only=True) as con:
            lignes = con.execute(
                "select indicateur, niveau, code_territoire, strftime(mois, '%Y-%m'), "
                "numerateur, denominateur, valeur, statut from marts.indicateurs "
                "where ventilation = 'ensemble'"
            ).fetchall()
        figures = {tuple(l[:4]): Figure(*l[4:]) for l in lignes}
        return Resultats(entrepot, figures, duree, sortie, set(self.noms))


# Les tests génériques de dbt-core (not_null, unique, accepted_values, relationships) : ils portent
# sur l'échantillon à chaque run du pipeline (tests/orchestration) ; les entrepôts de scénarios
# gardent les tests du projet (unicité combinée, relations composites, expressions, additivité).
TESTS_DE_DBT = ("test_name:not_null", "test_name:unique", "test_name:accepted_values", "test_name:relationships")


def lancer_dbt(home: Path, *arguments: str) -> str:
    """Lance dbt sur le projet avec SOCLE_HOME = home ; échoue avec la sortie de dbt."""
    env = dict(os.environ)
    env.update({
        "SOCLE_HOME": str(home),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
        "DBT_TARGET_PATH": str(home / "dbt_target"),
        "DBT_LOG_PATH": str(home / "dbt_logs"),
        "PATH": f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",
    })
    commande = [str(VENV_BIN / "dbt"), *arguments, "--profiles-dir", str(DBT_PROJET),
                "--project-dir", str(DBT_PROJET)]
    fini = subprocess.run(commande, env=env, capture_output=True, text=True, cwd=home)
    if fini.returncode != 0:
        raise AssertionError(f"dbt {' '.join(arguments)} a échoué :\n{fini.stdout[-20000:]}\n{fini.stderr[-5000:]}")
    return fini.stdout
