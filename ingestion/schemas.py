"""The contract of sources.md in code form: one column list per file kind.

Each column has a type, a presence (`required`: header and value mandatory;
`needed`: header mandatory, value may be empty; `optional`: may be absent)
and, for coded columns, its list of accepted values in the contract's
spelling. `pandera_schema()` turns a kind into the pandera schema that checks
the typed rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandera.polars as pa
import polars as pl

from ingestion import communes, nir

ORGANISMES = ["FT", "CD", "ML", "CAP_EMPLOI", "CAF", "CCAS", "ASSO", "AUTRE"]
FREINS = ["MOBILITE", "LOGEMENT", "SANTE", "GARDE_ENFANT", "NUMERIQUE", "LANGUE",
          "FINANCES", "ADMINISTRATIF", "QUALIFICATION"]
MODALITES = ["SUIVI", "GUIDE", "RENFORCE", "GLOBAL", "INTENSIF", "CEJ", "SOCIAL", "SOCIO_PRO"]
IDENTIFIERS = ("nir", "id_rsa", "id_ft")
MIN_DATE = date(1990, 1, 1)


@dataclass(frozen=True)
class Col:
    name: str
    type: str  # text, code, date, bool, int, decimal, nir, commune, freins
    presence: str = "optional"  # required, needed, optional
    values: tuple[str, ...] = ()

    @property
    def dtype(self) -> pl.DataType:
        return {"date": pl.Date(), "bool": pl.Boolean(), "int": pl.Int64(),
                "decimal": pl.Float64()}.get(self.type, pl.String())


@dataclass(frozen=True)
class Kind:
    name: str
    columns: tuple[Col, ...]
    keys: tuple[tuple[str, ...], ...]  # natural keys; a row must be the last of each
    date_order: tuple[tuple[str, str], ...] = field(default=())  # (later, earlier)

    def col(self, name: str) -> Col:
        return next(c for c in self.columns if c.name == name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _enum(name: str, values: list[str], presence: str = "optional") -> Col:
    return Col(name, "code", presence, tuple(values))


_ACCOMPAGNEMENT = (
    Col("id_rsa", "text"), Col("id_ft", "text"),
    _enum("organisme", ORGANISMES),
    _enum("modalite", MODALITES, "required"),
    Col("heures_hebdo", "decimal", "needed"),
    Col("date_debut", "date", "required"),
    Col("date_fin", "date", "needed"),
)

KINDS: dict[str, Kind] = {k.name: k for k in [
    Kind("rsa", (
        Col("id_rsa", "text", "required"), Col("nir", "nir", "required"),
        _enum("organisme", ["CAF", "MSA"]),
        Col("code_commune", "commune", "required"),
        _enum("sexe", ["F", "M"]), Col("annee_naissance", "int"),
        Col("date_ouverture_droit", "date", "required"),
        _enum("etat_droit", ["ouvert", "suspendu", "radie"], "required"),
        Col("droit_versable", "bool", "required"),
        Col("soumis_droits_devoirs", "bool", "required"),
    ), keys=(("id_rsa",), ("nir",))),
    Kind("orientations", (
        Col("id_rsa", "text", "required"), Col("id_ft", "text"),
        Col("date_ouverture_droit", "date"),
        Col("date_reception_notification", "date", "required"),
        Col("date_entree_dispositif", "date"), Col("date_rdv_orientation", "date"),
        Col("date_orientation", "date", "needed"),
        _enum("organisme_referent", ORGANISMES),
        _enum("type_parcours", ["professionnel", "socio_professionnel", "social"]),
        Col("accompagnement_global", "bool"),
        Col("freins", "freins", values=tuple(FREINS)),
        Col("date_signature_contrat", "date"), Col("date_premier_rdv_accompagnement", "date"),
    ), keys=(("id_rsa", "date_reception_notification"),),
        date_order=(("date_orientation", "date_reception_notification"),)),
    # Département files: id_rsa required; France Travail's: id_ft required.
    Kind("accompagnements_departement", (Col("id_rsa", "text", "required"),) + _ACCOMPAGNEMENT[1:],
         keys=(("id_rsa", "date_debut", "modalite"),), date_order=(("date_fin", "date_debut"),)),
    Kind("accompagnements_ft", (_ACCOMPAGNEMENT[0], Col("id_ft", "text", "required")) + _ACCOMPAGNEMENT[2:],
         keys=(("id_ft", "date_debut", "modalite"),), date_order=(("date_fin", "date_debut"),)),
    Kind("inscriptions", (
        Col("id_ft", "text", "required"), Col("nir", "nir", "required"),
        Col("code_commune", "commune"),
        Col("date_inscription", "date", "required"),
        _enum("categorie", ["A", "B", "C", "D", "E"]),
        Col("date_sortie", "date"),
        _enum("motif_sortie", ["REPRISE_EMPLOI", "FORMATION", "RADIATION", "CESSATION", "AUTRE"]),
        _enum("sexe", ["F", "M"]), Col("annee_naissance", "int"),
        _enum("niveau_formation", ["INF_BAC", "BAC", "SUP_BAC"]),
        Col("rqth", "bool"), Col("qpv", "bool"),
    ), keys=(("id_ft", "date_inscription"),), date_order=(("date_sortie", "date_inscription"),)),
    Kind("reprises_emploi", (
        Col("id_ft", "text", "required"),
        Col("date_embauche", "date", "required"),
        _enum("type_contrat", ["CDI", "CDD", "CTT", "CREATION", "AUTRE"], "required"),
        Col("duree_prevue_jours", "int", "needed"),
    ), keys=(("id_ft", "date_embauche", "type_contrat"),)),
]}


def _check(expr: pl.Expr, name: str) -> pa.Check:
    """An element-wise check named by its quarantine rule (nulls pass: presence is checked apart)."""
    return pa.Check(lambda data: data.lazyframe.select(expr.fill_null(True)), name=name)


def _column_checks(col: Col, max_date: date) -> list[pa.Check]:
    if col.type == "code":
        return [_check(pl.col(col.name).is_in(list(col.values)), "valeur_hors_liste")]
    if col.type == "freins":
        allowed = list(col.values)
        return [_check(pl.col(col.name).str.split("|").list.eval(pl.element().is_in(allowed)).list.all(),
                       "valeur_hors_liste")]
    if col.type == "nir":
        return [_check(nir.is_valid(pl.col(col.name)), "nir_invalide")]
    if col.type == "commune":
        return [_check(pl.col(col.name).is_in(communes.current_codes().implode()), "commune_inconnue")]
    if col.type == "date":
        return [_check(pl.col(col.name).is_between(MIN_DATE, max_date), "date_hors_periode")]
    if col.type == "int" and col.name == "annee_naissance":
        return [_check(pl.col(col.name).is_between(1900, max_date.year), "annee_hors_periode")]
    return []


def _order_check(later: str, earlier: str) -> pa.Check:
    return _check(pl.col(later) >= pl.col(earlier), f"{later}_avant_{earlier}")


def pandera_schema(kind: Kind, max_date: date) -> pa.DataFrameSchema:
    """Value checks on typed rows (parsing has already turned cells into types)."""
    columns = {}
    for col in kind.columns:
        checks = _column_checks(col, max_date)
        checks += [_order_check(col.name, earlier) for later, earlier in kind.date_order if later == col.name]
        columns[col.name] = pa.Column(col.dtype, checks=checks, nullable=col.presence != "required",
                                      required=True, coerce=False)
    return pa.DataFrameSchema(columns, strict=False, name=kind.name)
