"""The bassin (CLPE) referential: `referentiels/bassins_<YYYY>.csv` in either accepted form."""

from __future__ import annotations

import polars as pl

from ingestion import communes
from ingestion.errors import FileRejected
from ingestion.readers import LINE, RawTable
from ingestion.redaction import NIR_IN_TEXT

FORMS = {
    "france_travail": {"commune_id": "code_commune", "territoire_id": "code_bassin",
                       "territoire_libelle": "libelle_bassin"},
    "minimal": {"code_commune": "code_commune", "code_bassin": "code_bassin",
                "libelle_bassin": "libelle_bassin"},
}
OUT_OF_SCOPE_PREFIXES = ("975", "977", "978", "98")
# Labels and codes reach the published CSV files (territory labels and codes): a cell a spreadsheet
# would read as a formula (issue #16, finding 6) is quarantined, never loaded. The label is
# checked once trimmed (a leading tab or carriage return is then gone, and so is the risk it
# carries before `=`); a control character anywhere is refused too, and so is a NIR-shaped
# sequence (a label is free text: it holds nothing personal).
_FORMULA = r"^[=+\-@\t\r]"
_CONTROL = r"[\x00-\x1f\x7f]"
CODE_BASSIN = r"^[A-Z0-9][A-Z0-9_]{0,19}$"


def _holds_a_nir(text: str) -> bool:
    return bool(NIR_IN_TEXT.search(text))


def normalise(raw: RawTable, name: str) -> tuple[pl.DataFrame, pl.DataFrame, list[str], int]:
    """Return (rows, failures, ignored columns, out-of-scope rows dropped)."""
    form = next((f for f, cols in FORMS.items() if set(cols) <= set(raw.frame.columns)), None)
    if form is None:
        raise FileRejected(f"{name} : colonnes attendues « commune_id, territoire_id, territoire_libelle » "
                           "ou « code_commune, code_bassin, libelle_bassin »")
    mapping = FORMS[form]
    ignored = [c for c in raw.frame.columns if c not in mapping and c != LINE]
    frame = raw.frame.select(LINE, *[pl.col(src).str.strip_chars().alias(dst) for src, dst in mapping.items()])
    code = pl.col("code_commune").str.to_uppercase()
    frame = frame.with_columns(
        code_commune=communes.remap(pl.when(code.str.contains(r"^\d{4}$")).then("0" + code).otherwise(code)),
        code_bassin=pl.col("code_bassin").str.to_uppercase())
    known = pl.col("code_commune").is_in(communes.current_codes())
    out_of_scope = ~known & pl.any_horizontal(pl.col("code_commune").str.starts_with(p)
                                              for p in OUT_OF_SCOPE_PREFIXES)
    dropped = frame.filter(out_of_scope).height
    frame = frame.filter(~out_of_scope)
    failures = [
        frame.filter(pl.col("code_bassin").is_null() | (pl.col("code_bassin") == "")).select(
            LINE, pl.lit("code_bassin").alias("colonne"), pl.lit(None, pl.String).alias("valeur"),
            pl.lit("valeur_obligatoire_vide").alias("regle")),
        frame.filter(~known).select(LINE, pl.lit("code_commune").alias("colonne"),
                                    pl.col("code_commune").alias("valeur"), pl.lit("commune_inconnue").alias("regle")),
    ]
    present = pl.col("code_bassin").is_not_null() & (pl.col("code_bassin") != "")
    bad_code = present & ~pl.col("code_bassin").str.contains(CODE_BASSIN)
    label = pl.col("libelle_bassin")
    label_rule = (pl.when(label.str.contains(_FORMULA)).then(pl.lit("libelle_formule"))
                  .when(label.str.contains(_CONTROL)).then(pl.lit("libelle_caractere_de_controle"))
                  .when(label.map_elements(_holds_a_nir, return_dtype=pl.Boolean)).then(pl.lit("libelle_nir")))
    frame = frame.with_columns(_regle_libelle=label_rule)
    bad_label = pl.col("_regle_libelle").is_not_null()
    failures += [
        frame.filter(known & bad_code).select(LINE, pl.lit("code_bassin").alias("colonne"),
                                              pl.col("code_bassin").alias("valeur"),
                                              pl.lit("code_bassin_invalide").alias("regle")),
        frame.filter(known & present & ~bad_code & bad_label).select(
            LINE, pl.lit("libelle_bassin").alias("colonne"), label.alias("valeur"),
            pl.col("_regle_libelle").alias("regle")),
    ]
    frame = frame.filter(known & present & ~bad_code & ~bad_label).drop("_regle_libelle")
    # A commune listed twice: the last row wins, the overlap is reported.
    last = pl.col("code_commune").is_last_distinct()
    failures.append(frame.filter(~last).select(
        LINE, pl.lit("code_commune").alias("colonne"), pl.col("code_commune").alias("valeur"),
        pl.lit("commune_en_double").alias("regle")))
    return frame.filter(last), pl.concat(failures), ignored, dropped
