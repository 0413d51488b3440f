"""The bassin (CLPE) referential: `referentiels/bassins_<YYYY>.csv` in either accepted form."""

from __future__ import annotations

import polars as pl

from ingestion import communes
from ingestion.errors import FileRejected
from ingestion.readers import LINE, RawTable

FORMS = {
    "france_travail": {"commune_id": "code_commune", "territoire_id": "code_bassin",
                       "territoire_libelle": "libelle_bassin"},
    "minimal": {"code_commune": "code_commune", "code_bassin": "code_bassin",
                "libelle_bassin": "libelle_bassin"},
}
OUT_OF_SCOPE_PREFIXES = ("975", "977", "978", "98")


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
    frame = frame.filter(known & pl.col("code_bassin").is_not_null() & (pl.col("code_bassin") != ""))
    # A commune listed twice: the last row wins, the overlap is reported.
    last = pl.col("code_commune").is_last_distinct()
    failures.append(frame.filter(~last).select(
        LINE, pl.lit("code_commune").alias("colonne"), pl.col("code_commune").alias("valeur"),
        pl.lit("commune_en_double").alias("regle")))
    return frame.filter(last), pl.concat(failures), ignored, dropped
