"""Nothing personal leaves ingestion in clear (privacy.md, issue #16 finding 5).

- `redact_path`: the path of a landing entry as it is recorded (ledger `chemin`, rejection
  message, log line, Dagster event): a path of the contract stays as it is; any other keeps
  only the folders the contract knows (`caf/`, `ft/`, `referentiels/`, `departements/<code>/`)
  and the rest (a name a person typed: `caf/dupont_jean.csv`) becomes a keyed token
  `<nom:…>`, the same for the same name at every run (a producer can be told « le fichier
  <nom:…> déposé le … dans caf/ »), never its text.

- `redact_text`: every NIR-shaped sequence of a text (a file name, a rejection message, a column
  name) becomes a keyed hash token `<nir:…>` before the text is written anywhere (ledger, log
  line, Dagster event, quarantine). NIR-shaped: 13 digits, `2A`/`2B` allowed in positions 6-7,
  typed with or without spaces, dots or dashes between characters, with or without the 2-digit
  key; a longer run of digits is hashed whole (never partly shown).
- `render_quarantine`: the value of a quarantined cell is kept as it was typed only when it fits
  its column's pattern and length (a date, a number, a commune code); an identifier becomes its
  pseudonym; anything else (a value outside its list, free text, a NIR typed in the wrong
  column, a label) becomes its fingerprint: `<empreinte:…, N caractères, classes : …>`, a keyed
  hash, its length and its character classes, never its text.

The hashes are keyed (HMAC-SHA-256 with the pseudonymisation key) but in their own domains
(`NIR-TEXTE:`, `empreinte:`), so that neither token equals a person's pseudonym in the raw layer.
"""

from __future__ import annotations

import re
from functools import lru_cache

import polars as pl

from ingestion.paths import contract_parts
from ingestion.pseudonymise import Pseudonymiser, load_key
from ingestion.schemas import IDENTIFIERS, KINDS

_SEP = r"[ .\-]?"
NIR_IN_TEXT = re.compile(
    rf"(?<![0-9])[0-9](?:{_SEP}[0-9]){{4}}{_SEP}(?:[0-9]{_SEP}[0-9]|2{_SEP}[AaBb])(?:{_SEP}[0-9]){{6}}"
    rf"(?:{_SEP}[0-9])*(?![0-9])")
HASH_CHARS = 16  # hex characters of a token's hash (64 bits)

# A failing value is kept as typed only when it matches its column type's pattern (whole value).
KEEP_PATTERNS = {
    "date": r"^(\d{4}-\d{2}-\d{2}|\d{2}/\d{2}/\d{4})$",
    "int": r"^\d{1,9}$",
    "decimal": r"^\d{1,9}([.,]\d{1,9})?$",
    "commune": r"^(\d{5}|2[AB]\d{3})$",
}
# The bassin referential is no kind of sources.md: its columns here.
_BASSINS = {"code_commune": "commune", "code_bassin": "code", "libelle_bassin": "text"}
CLASSES = (("chiffres", r"[0-9]"), ("lettres", r"[^\W\d_]"), ("espaces", r"\s"), ("ponctuation", r"[^\w\s]|_"))


@lru_cache(maxsize=4)
def _pseudonymiser(key: bytes) -> Pseudonymiser:
    return Pseudonymiser(key)


def pseudonymiser_for(settings) -> Pseudonymiser:
    """The pseudonymiser of a settings' key (one per process and key)."""
    return _pseudonymiser(load_key(settings.key_file))


def _nir_token(match: re.Match, pseudo: Pseudonymiser) -> str:
    normalised = re.sub(r"[ .\-]", "", match.group(0)).upper()
    return f"<nir:{pseudo.one('nir-texte:' + normalised)[:HASH_CHARS]}>"


def redact_text(text: str | None, pseudo: Pseudonymiser) -> str | None:
    """`text` with every NIR-shaped sequence replaced by its keyed token `<nir:…>`."""
    if not text:
        return text
    return NIR_IN_TEXT.sub(lambda m: _nir_token(m, pseudo), text)


def name_token(rest: str, pseudo: Pseudonymiser) -> str:
    """`<nom:…>`: the keyed hash of a part of a path the contract does not know, exactly as typed."""
    return f"<nom:{pseudo.exact('nom-fichier:' + rest)[:HASH_CHARS]}>"


def redact_path(relative: str, pseudo: Pseudonymiser) -> str:
    """A landing path as it is recorded: the contract's part as it is, the rest as `<nom:…>`
    (`paths.contract_parts`), and any NIR-shaped sequence left as `<nir:…>`."""
    known, rest = contract_parts(relative)
    return redact_text(known + (name_token(rest, pseudo) if rest else ""), pseudo)


def _column_types(kind_name: str) -> dict[str, str]:
    if kind_name == "bassins":
        return dict(_BASSINS)
    kind = KINDS.get(kind_name)
    types = {c.name: c.type for c in kind.columns} if kind else {}
    return {name: ("identifiant" if name in IDENTIFIERS else t) for name, t in types.items()}


def fingerprint(values: pl.Expr, hashed: pl.Expr) -> pl.Expr:
    """`<empreinte:hash, N caractères, classes : …>` of `values`, given their keyed hash."""
    classes = pl.concat_list([pl.when(values.str.contains(p)).then(pl.lit(name)) for name, p in CLASSES]
                             ).list.drop_nulls().list.join("/")
    return pl.format("<empreinte:{}, {} caractères, classes : {}>", hashed.str.slice(0, HASH_CHARS),
                     values.str.len_chars(), pl.when(classes == "").then(pl.lit("aucune")).otherwise(classes))


def render_quarantine(failures: pl.DataFrame, kind_name: str, pseudo: Pseudonymiser) -> pl.DataFrame:
    """The failures [ligne, colonne, valeur, regle] as stored: identifiers become pseudonyms, values
    that fit their column's pattern stay, everything else becomes its fingerprint. A failure
    without a column (a line of the wrong width, an undecodable line) keeps its message, which
    ingestion writes itself."""
    if failures.is_empty():
        return failures
    types = _column_types(kind_name)
    value = pl.col("valeur")
    column_type = pl.col("colonne").str.split(",").list.first().replace_strict(types, default="inconnu")
    fits = pl.lit(False)
    for type_name, pattern in KEEP_PATTERNS.items():
        fits = fits | ((pl.col("_type") == type_name) & value.str.contains(pattern))
    frame = failures.with_columns(_type=column_type).with_columns(
        _ident=(pl.col("_type") == "identifiant") & value.is_not_null(),
        _keep=pl.col("colonne").is_null() | value.is_null() | fits.fill_null(False))
    frame = frame.with_columns(_fp=~pl.col("_ident") & ~pl.col("_keep"))
    hashed = pseudo.columns(frame.select(
        _ident=pl.when(pl.col("_ident")).then(value.str.strip_chars().str.to_uppercase()),
        _fp=pl.when(pl.col("_fp")).then(pl.lit("empreinte:") + value)))
    frame = frame.with_columns(_h_ident=hashed["_ident"], _h_fp=hashed["_fp"])
    return frame.with_columns(
        valeur=pl.when(pl.col("_ident")).then(pl.col("_h_ident"))
        .when(pl.col("_fp")).then(fingerprint(value, pl.col("_h_fp")))
        .otherwise(value)).select(failures.columns)
