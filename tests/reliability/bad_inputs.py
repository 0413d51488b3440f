"""The bad-input battery (issue #9): for each file kind of sources.md, the same three good rows, and
more than thirty kinds of bad input, each with the outcome the contract documents.

A case is one landing file: the good rows (G0, G1, G2) and the bad or extra lines of the fault,
or a whole file that is unusable. Its outcome is either a rejection (one message, nothing of the
file reaches the raw layer) or an acceptance where exactly the expected lines are quarantined
with their rule, the expected lines are loaded, and the good rows load exactly as they do from
the clean control file of the same kind.

"In the future" for a date means after the last day of the file's reference month + 366 days
(the latest date any column may hold: a planned end, an appointment set a year ahead); before
1990-01-01 is "too old". Both are quarantined with the rule `date_hors_periode`; the boundary
days themselves are accepted. A reference month in a file name that has not begun yet, or
before 1990, rejects the file.
"""

from __future__ import annotations

import calendar
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import polars as pl

from ingestion.nir import key_for

CONTROL_MONTH = "2020-01"
FIRST_FAULT_MONTH = date(2020, 2, 1)


def nir(body: str) -> str:
    return body + key_for(body)


@dataclass(frozen=True)
class Spec:
    """One file kind and what its faults need."""

    name: str
    folder: str
    stem: str
    type_fichier: str
    columns: tuple[str, ...]
    good: tuple[dict, ...]
    required: str  # a required column (not an identifier)
    needed: str | None  # a column whose header is needed (value may be empty)
    optional: str | None  # a column that may be absent
    date_col: str  # a date column free of order rules in the row used (base)
    base: int  # the good row the bad rows are made from
    coded: tuple[str, str]  # (column, value outside its list)
    boolean: str | None
    number: tuple[str, str] | None  # (column, unreadable number)
    accented: tuple[str, str]  # (column, the same name with accents, as producers retype it)
    nir_col: str | None = None
    commune_col: str | None = None
    order: tuple[str, str, str] | None = None  # (later column, earlier column, rule)
    ids: tuple[str, ...] = ()

    def path(self, month: str, folder: str | None = None, ext: str = "csv") -> str:
        return f"{folder or self.folder}/{self.stem}_{month}.{ext}"


R = ("BATR0001", "BATR0002", "BATR0003")
F = ("BATF0001", "BATF0002", "BATF0003")
NIRS = (nir("1840375123401"), nir("2910213055402"), nir("175082A004035"))
NIRS_FT = (nir("1840375123411"), nir("2910213055412"), nir("175082A004045"))

SPECS = {s.name: s for s in [
    Spec("rsa", "caf", "rsa", "rsa",
         ("id_rsa", "nir", "organisme", "code_commune", "sexe", "annee_naissance", "date_ouverture_droit",
          "etat_droit", "droit_versable", "soumis_droits_devoirs"),
         (dict(id_rsa=R[0], nir=NIRS[0], organisme="CAF", code_commune="35238", sexe="F", annee_naissance="1984",
               date_ouverture_droit="2019-05-01", etat_droit="ouvert", droit_versable="true",
               soumis_droits_devoirs="true"),
          dict(id_rsa=R[1], nir=NIRS[1], organisme="MSA", code_commune="13055", sexe="M", annee_naissance="1991",
               date_ouverture_droit="2018-11-15", etat_droit="suspendu", droit_versable="false",
               soumis_droits_devoirs="true"),
          dict(id_rsa=R[2], nir=NIRS[2], organisme="CAF", code_commune="2A004", sexe="M", annee_naissance="1975",
               date_ouverture_droit="2019-02-01", etat_droit="radie", droit_versable="0",
               soumis_droits_devoirs="oui")),
         required="etat_droit", needed=None, optional="sexe", date_col="date_ouverture_droit", base=0,
         coded=("etat_droit", "ferme"), boolean="droit_versable", number=("annee_naissance", "19 84"),
         accented=("etat_droit", "État_Droit"), nir_col="nir", commune_col="code_commune", ids=("id_rsa", "nir")),
    Spec("inscriptions", "ft", "inscriptions", "inscriptions",
         ("id_ft", "nir", "code_commune", "date_inscription", "categorie", "date_sortie", "motif_sortie", "sexe",
          "annee_naissance", "niveau_formation", "rqth", "qpv"),
         (dict(id_ft=F[0], nir=NIRS_FT[0], code_commune="35238", date_inscription="2019-06-01", categorie="A",
               date_sortie="", motif_sortie="", sexe="F", annee_naissance="1984", niveau_formation="BAC",
               rqth="false", qpv="false"),
          dict(id_ft=F[1], nir=NIRS_FT[1], code_commune="13055", date_inscription="2018-03-10", categorie="B",
               date_sortie="2019-09-30", motif_sortie="REPRISE_EMPLOI", sexe="M", annee_naissance="1991",
               niveau_formation="SUP_BAC", rqth="true", qpv="false"),
          dict(id_ft=F[2], nir=NIRS_FT[2], code_commune="2A004", date_inscription="2019-01-02", categorie="C",
               date_sortie="", motif_sortie="", sexe="M", annee_naissance="1975", niveau_formation="INF_BAC",
               rqth="non", qpv="1")),
         required="date_inscription", needed=None, optional="categorie", date_col="date_inscription", base=0,
         coded=("categorie", "Z"), boolean="rqth", number=("annee_naissance", "-1990"),
         accented=("categorie", "Catégorie"), nir_col="nir", commune_col="code_commune",
         order=("date_sortie", "date_inscription", "date_sortie_avant_date_inscription"), ids=("id_ft", "nir")),
    Spec("accompagnements_ft", "ft", "accompagnements", "accompagnements",
         ("id_rsa", "id_ft", "organisme", "modalite", "heures_hebdo", "date_debut", "date_fin"),
         (dict(id_rsa="", id_ft=F[0], organisme="FT", modalite="SUIVI", heures_hebdo="5.5", date_debut="2019-07-01",
               date_fin=""),
          dict(id_rsa="", id_ft=F[1], organisme="FT", modalite="INTENSIF", heures_hebdo="20",
               date_debut="2019-02-01", date_fin="2019-08-31"),
          dict(id_rsa=R[2], id_ft=F[2], organisme="ML", modalite="CEJ", heures_hebdo="15,0",
               date_debut="2019-03-04", date_fin="")),
         required="modalite", needed="heures_hebdo", optional="organisme", date_col="date_debut", base=0,
         coded=("modalite", "ACCOMP"), boolean=None, number=("heures_hebdo", "5h"),
         accented=("modalite", "Modalité"), order=("date_fin", "date_debut", "date_fin_avant_date_debut"),
         ids=("id_rsa", "id_ft")),
    Spec("reprises_emploi", "ft", "reprises_emploi", "reprises_emploi",
         ("id_ft", "date_embauche", "type_contrat", "duree_prevue_jours"),
         (dict(id_ft=F[0], date_embauche="2019-08-01", type_contrat="CDD", duree_prevue_jours="30"),
          dict(id_ft=F[1], date_embauche="2019-09-15", type_contrat="CDI", duree_prevue_jours=""),
          dict(id_ft=F[2], date_embauche="2019-10-01", type_contrat="ctt", duree_prevue_jours="5")),
         required="type_contrat", needed="duree_prevue_jours", optional=None, date_col="date_embauche", base=0,
         coded=("type_contrat", "STAGE"), boolean=None, number=("duree_prevue_jours", "-30"),
         accented=("duree_prevue_jours", "Durée_Prévue_Jours"), ids=("id_ft",)),
    Spec("orientations", "departements/35", "orientations", "orientations",
         ("id_rsa", "id_ft", "date_ouverture_droit", "date_reception_notification", "date_entree_dispositif",
          "date_rdv_orientation", "date_orientation", "organisme_referent", "type_parcours",
          "accompagnement_global", "freins", "date_signature_contrat", "date_premier_rdv_accompagnement"),
         (dict(id_rsa=R[0], id_ft=F[0], date_ouverture_droit="2019-05-01", date_reception_notification="2019-05-03",
               date_entree_dispositif="2019-05-10", date_rdv_orientation="2019-05-15",
               date_orientation="2019-05-20", organisme_referent="FT", type_parcours="professionnel",
               accompagnement_global="false", freins="MOBILITE|LOGEMENT", date_signature_contrat="2019-06-01",
               date_premier_rdv_accompagnement="2019-06-05"),
          dict(id_rsa=R[1], id_ft="", date_ouverture_droit="2018-11-15", date_reception_notification="2018-11-20",
               date_entree_dispositif="", date_rdv_orientation="", date_orientation="", organisme_referent="",
               type_parcours="", accompagnement_global="", freins="", date_signature_contrat="",
               date_premier_rdv_accompagnement=""),
          dict(id_rsa=R[2], id_ft="", date_ouverture_droit="01/02/2019", date_reception_notification="02/02/2019",
               date_entree_dispositif="", date_rdv_orientation="2019-02-10", date_orientation="2019-02-12",
               organisme_referent="cd", type_parcours="social", accompagnement_global="oui", freins="sante",
               date_signature_contrat="", date_premier_rdv_accompagnement="")),
         required="date_reception_notification", needed="date_orientation", optional="freins",
         date_col="date_signature_contrat", base=0, coded=("type_parcours", "emploi"),
         boolean="accompagnement_global", number=None,
         accented=("date_reception_notification", "Date_Réception_Notification"),
         order=("date_orientation", "date_reception_notification",
                "date_orientation_avant_date_reception_notification"), ids=("id_rsa", "id_ft")),
    Spec("accompagnements_departement", "departements/2A", "accompagnements", "accompagnements",
         ("id_rsa", "id_ft", "organisme", "modalite", "heures_hebdo", "date_debut", "date_fin"),
         (dict(id_rsa=R[0], id_ft="", organisme="CD", modalite="GLOBAL", heures_hebdo="10", date_debut="2019-07-01",
               date_fin="2019-12-31"),
          dict(id_rsa=R[1], id_ft="", organisme="CCAS", modalite="SOCIAL", heures_hebdo="", date_debut="2019-03-01",
               date_fin=""),
          dict(id_rsa=R[2], id_ft=F[2], organisme="ASSO", modalite="socio_pro", heures_hebdo="7.5",
               date_debut="2019-04-15", date_fin="2019-04-30")),
         required="date_debut", needed="date_fin", optional="id_ft", date_col="date_debut", base=1,
         coded=("organisme", "MAIRIE"), boolean=None, number=("heures_hebdo", "1,000.5"),
         accented=("date_debut", "Date_Début"), order=("date_fin", "date_debut", "date_fin_avant_date_debut"),
         ids=("id_rsa", "id_ft")),
]}


# --- how a case is written and what it expects -----------------------------------------------

ANY = None  # a quarantined line whose rules are not listed (several cells fail)


@dataclass
class Case:
    files: dict[str, bytes]
    rejected: str | None = None  # the message after "<path> : " (exact), or its beginning with "…"
    quarantined: dict[int, str | set | None] = field(default_factory=dict)  # line -> rule(s)
    good_lines: tuple[int, ...] = (2, 3, 4)  # where G0, G1, G2 are (loaded, equal to the control's)
    extra_loaded: tuple[int, ...] = ()  # other lines loaded
    ignored: str | None = None
    drop: tuple[str, ...] = ()  # columns left out when the good rows are compared with the control
    encoding: str | None = None
    check: Callable | None = None  # (raw rows of the delivery: polars frame) -> None

    @property
    def path(self) -> str:
        return next(iter(self.files))


def cell(value: str, delimiter: str) -> str:
    return f'"{value}"' if (delimiter in value or '"' in value) else value


def line(spec: Spec, row: dict, delimiter: str = ",", columns=None) -> str:
    return delimiter.join(cell(row.get(c, ""), delimiter) for c in (columns or spec.columns))


def fresh(spec: Spec, n: int, base: int | None = None, **changes) -> dict:
    """A copy of a good row with identifiers of its own (so that it repeats no key), then `changes`."""
    row = dict(spec.good[spec.base if base is None else base])
    for col in spec.ids:
        if col == "nir":
            row[col] = nir(f"1{n % 100:02d}0675{n:06d}"[:13])
        elif row.get(col):
            row[col] = f"BATX{n:04d}" if col == "id_rsa" else f"BATY{n:04d}"
    row.update(changes)
    return row


def text_file(spec: Spec, body: list[str], *, header: str | None = None, delimiter: str = ",", newline: str = "\n",
              final: bool = True, encoding: str = "utf-8", bom: bool = False) -> bytes:
    lines = [header if header is not None else delimiter.join(spec.columns), *body]
    data = (newline.join(lines) + (newline if final else "")).encode(encoding)
    return (b"\xef\xbb\xbf" if bom else b"") + data


def good(spec: Spec, delimiter: str = ",") -> list[str]:
    return [line(spec, r, delimiter) for r in spec.good]


def last_day_plus_366(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1]) + timedelta(days=366)


def _table(spec: Spec, rows: list[dict], columns=None) -> pl.DataFrame:
    cols = list(columns or spec.columns)
    return pl.DataFrame({c: [r.get(c, "") or None for r in rows] for c in cols}, schema={c: pl.String for c in cols})


def xlsx_bytes(frame: pl.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.write_excel(buf)
    return buf.getvalue()


def parquet_bytes(frame: pl.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.write_parquet(buf)
    return buf.getvalue()


# --- the faults: name -> (spec, month "YYYY-MM", month date) -> Case, or None when not applicable ---

def f_empty(s, m, d):
    return Case({s.path(m): b""}, rejected="fichier vide (0 octet)")


def f_blank_lines_only(s, m, d):
    return Case({s.path(m): b"\n  \r\n\t\n"}, rejected="fichier vide (pas même une ligne d'en-tête)")


def f_header_only(s, m, d):  # "nothing this month" (indicators.md): accepted, 0 rows
    return Case({s.path(m): text_file(s, [])}, good_lines=())


def f_header_only_bom_crlf_no_final_newline(s, m, d):
    return Case({s.path(m): text_file(s, [], newline="\r\n", final=False, bom=True)}, good_lines=(),
                encoding="utf-8-sig")


def f_binary_with_nul(s, m, d):
    return Case({s.path(m): bytes(range(256)) * 40}, rejected="fichier illisible (contenu binaire, ce n'est pas un CSV)")


def f_binary_undecodable(s, m, d):  # no NUL, but bytes neither UTF-8 nor Windows-1252 decode
    return Case({s.path(m): bytes(range(0x80, 0x100)) * 40 + b"\n"},
                rejected="encodage illisible (ni UTF-8 ni Windows-1252)")


def f_garbage_text(s, m, d):
    return Case({s.path(m): "ÿþ☃ du texte qui n'est pas un tableau\nencore\n".encode()},
                rejected="délimiteur non reconnu (l'en-tête ne contient ni « ; » ni « , », les seuls séparateurs "
                         "acceptés)")


def f_truncated_last_line(s, m, d):
    cut = line(s, s.good[2])
    cut = cut[:cut.index(",", cut.index(",") + 1)]  # the transfer stopped after the second field
    return Case({s.path(m): text_file(s, good(s)[:2] + [cut], final=False)}, good_lines=(2, 3),
                quarantined={4: "nombre_de_champs"}, drop=())


def f_no_final_newline(s, m, d):  # control: a complete last line without its end of line
    return Case({s.path(m): text_file(s, good(s), final=False)})


def f_tab_delimited(s, m, d):
    return Case({s.path(m): text_file(s, good(s, "\t"), header="\t".join(s.columns))},
                rejected="délimiteur non reconnu (l'en-tête ne contient ni « ; » ni « , », les seuls séparateurs "
                         "acceptés)")


def f_pipe_delimited(s, m, d):
    return Case({s.path(m): text_file(s, [line(s, r, "|") for r in s.good], header="|".join(s.columns))},
                rejected="délimiteur non reconnu (l'en-tête ne contient ni « ; » ni « , », les seuls séparateurs "
                         "acceptés)")


def f_mixed_delimiters(s, m, d):  # a ';' file with one line written with ','
    body = good(s, ";")
    body.insert(1, line(s, fresh(s, 1)))
    return Case({s.path(m): text_file(s, body, delimiter=";")}, good_lines=(2, 4, 5),
                quarantined={3: "nombre_de_champs"})


def f_semicolon_crlf_bom_ddmmyyyy(s, m, d):  # control: the Windows export of the same rows
    def dd(v):
        return f"{v[8:10]}/{v[5:7]}/{v[:4]}" if len(v) == 10 and v[4] == "-" else v
    rows = [{k: dd(v) for k, v in r.items()} for r in s.good]
    return Case({s.path(m): text_file(s, [line(s, r, ";") for r in rows], delimiter=";", newline="\r\n", bom=True)},
                encoding="utf-8-sig")


def f_windows_1252_accented_header(s, m, d):  # control
    col, accented = s.accented
    header = ",".join(f" {accented.upper()} " if c == col else c for c in s.columns)
    return Case({s.path(m): text_file(s, good(s), header=header, encoding="cp1252")}, encoding="windows-1252")


def f_mixed_encodings(s, m, d):
    """A UTF-8 header with accents, a line written in Windows-1252 and one in UTF-8 (an unknown column
    carries the accented text): each line is read in its own encoding, nothing is lost."""
    col, accented = s.accented
    header = ",".join(accented if c == col else c for c in s.columns) + ",remarque"
    lines = [h.encode("utf-8") for h in [header]]
    lines.append((line(s, s.good[0]) + ",à vérifier").encode("cp1252"))
    lines.append((line(s, s.good[1]) + ",déjà vu").encode("utf-8"))
    lines.append((line(s, s.good[2]) + ",").encode("utf-8"))
    return Case({s.path(m): b"\n".join(lines) + b"\n"}, ignored="remarque", encoding="mixte (utf-8, windows-1252)")


def f_undecodable_line(s, m, d):
    body = [x.encode() for x in good(s)]
    body.insert(1, line(s, fresh(s, 2)).encode() + b",\x81\x8d")
    data = ",".join(s.columns).encode() + b"\n" + b"\n".join(body) + b"\n"
    return Case({s.path(m): data}, good_lines=(2, 4, 5), quarantined={3: "encodage_illisible"})


def f_unbalanced_quote(s, m, d):
    body = good(s)
    body.insert(1, '"' + line(s, fresh(s, 3)))
    return Case({s.path(m): text_file(s, body)}, good_lines=(2, 4, 5), quarantined={3: "nombre_de_champs"})


def f_quoted_fields(s, m, d):  # control: every field quoted, a decimal comma inside quotes
    body = [",".join(f'"{r[c]}"' for c in s.columns) for r in s.good]
    return Case({s.path(m): text_file(s, body)})


def f_line_of_delimiters_only(s, m, d):  # control: a spreadsheet's empty row is a blank line
    body = good(s)
    body.insert(1, "," * (len(s.columns) - 1))
    body.append(",,,")  # fewer empty fields than the header: blank all the same
    return Case({s.path(m): text_file(s, body)}, good_lines=(2, 4, 5))


def f_header_repeated_mid_file(s, m, d):  # two exports glued together
    body = good(s)
    body.insert(2, ",".join(s.columns))
    return Case({s.path(m): text_file(s, body)}, good_lines=(2, 3, 5), quarantined={4: ANY})


def f_too_many_fields(s, m, d):
    body = good(s)
    body.insert(0, line(s, fresh(s, 4)) + ",en trop")
    return Case({s.path(m): text_file(s, body)}, good_lines=(3, 4, 5), quarantined={2: "nombre_de_champs"})


def f_duplicate_header(s, m, d):
    header = ",".join(s.columns) + "," + s.columns[0]
    return Case({s.path(m): text_file(s, [r + "," + s.good[i][s.columns[0]] for i, r in enumerate(good(s))],
                                      header=header)},
                rejected=f"la colonne « {s.columns[0]} » apparaît deux fois dans l'en-tête")


def f_duplicate_header_once_normalised(s, m, d):
    col, accented = s.accented
    header = ",".join(s.columns) + f", {accented.upper()} "
    return Case({s.path(m): text_file(s, [r + "," + s.good[i][col] for i, r in enumerate(good(s))], header=header)},
                rejected=f"la colonne « {col} » apparaît deux fois dans l'en-tête")


def _without(s, col):
    cols = [c for c in s.columns if c != col]
    return cols, [line(s, r, columns=cols) for r in s.good]


def f_missing_required_column(s, m, d):
    cols, body = _without(s, s.required)
    return Case({s.path(m): text_file(s, body, header=",".join(cols))},
                rejected=f"colonne(s) obligatoire(s) absente(s) : {s.required}")


def f_missing_needed_column(s, m, d):
    if s.needed is None:
        return None
    cols, body = _without(s, s.needed)
    return Case({s.path(m): text_file(s, body, header=",".join(cols))},
                rejected=f"colonne(s) obligatoire(s) absente(s) : {s.needed}")


def f_missing_optional_column(s, m, d):  # accepted: the column reads as empty
    if s.optional is None:
        return None
    cols, body = _without(s, s.optional)

    def check(rows: pl.DataFrame) -> None:
        name = {"id_ft": "pseudo_id_ft"}.get(s.optional, s.optional)
        assert rows[name].is_null().all()
    return Case({s.path(m): text_file(s, body, header=",".join(cols))}, drop=(s.optional,), check=check)


def f_extra_unknown_column(s, m, d):  # dropped (minimisation) and reported
    header = ",".join(s.columns) + ",nom_naissance"
    body = [r + f",DUPONTBATNOM{i}" for i, r in enumerate(good(s))]
    return Case({s.path(m): text_file(s, body, header=header)}, ignored="nom_naissance")


def f_required_value_empty(s, m, d):
    body = good(s)
    body.insert(0, line(s, fresh(s, 5, **{s.required: ""})))
    return Case({s.path(m): text_file(s, body)}, good_lines=(3, 4, 5), quarantined={2: "valeur_obligatoire_vide"})


def f_duplicated_key(s, m, d):  # an earlier version of G0's key, then G0: the last row wins
    older = dict(s.good[0])
    other = {"rsa": ("organisme", "MSA"), "inscriptions": ("categorie", "D"), "reprises_emploi": ("duree_prevue_jours", "31"),
             "orientations": ("type_parcours", "social")}.get(s.name, ("heures_hebdo", "1"))
    older[other[0]] = other[1]
    body = good(s)
    body.insert(0, line(s, older))
    return Case({s.path(m): text_file(s, body)}, good_lines=(3, 4, 5), quarantined={2: "cle_dupliquee"})


def f_exact_duplicate_row(s, m, d):
    body = good(s)
    body.insert(1, body[0])
    return Case({s.path(m): text_file(s, body)}, good_lines=(3, 4, 5), quarantined={2: "cle_dupliquee"})


def f_same_nir_two_ids(s, m, d):  # CAF: the NIR is a key too
    if s.name != "rsa":
        return None
    body = good(s)
    body.insert(0, line(s, dict(s.good[1], id_rsa="BATR0099")))
    return Case({s.path(m): text_file(s, body)}, good_lines=(3, 4, 5), quarantined={2: "cle_dupliquee"})


def f_date_in_the_future(s, m, d):
    latest = last_day_plus_366(d)
    body = good(s)
    body.insert(0, line(s, fresh(s, 6, **{s.date_col: (latest + timedelta(days=1)).isoformat()})))
    body.append(line(s, fresh(s, 7, **{s.date_col: latest.isoformat()})))  # the last day accepted
    return Case({s.path(m): text_file(s, body)}, good_lines=(3, 4, 5), extra_loaded=(6,),
                quarantined={2: "date_hors_periode"})


def f_date_before_1990(s, m, d):
    body = good(s)
    changes = {s.date_col: "1989-12-31"}
    first = {s.date_col: "1990-01-01"}
    if s.order and s.order[1] == s.date_col:  # keep the later date after it
        first[s.order[0]] = ""
    body.insert(0, line(s, fresh(s, 8, **changes)))
    body.append(line(s, fresh(s, 9, **first)))
    return Case({s.path(m): text_file(s, body)}, good_lines=(3, 4, 5), extra_loaded=(6,),
                quarantined={2: "date_hors_periode"})


def f_impossible_date(s, m, d):
    body = good(s)
    body.insert(0, line(s, fresh(s, 10, **{s.date_col: "2019-02-30"})))
    return Case({s.path(m): text_file(s, body)}, good_lines=(3, 4, 5), quarantined={2: "date_illisible"})


def f_date_in_another_format(s, m, d):
    body = good(s)
    body.insert(0, line(s, fresh(s, 11, **{s.date_col: "2019/05/01"})))
    return Case({s.path(m): text_file(s, body)}, good_lines=(3, 4, 5), quarantined={2: "date_illisible"})


def f_later_date_before_earlier(s, m, d):  # orientation before T0; date_fin < date_debut; exit before entry
    if s.order is None:
        return None
    later, earlier, rule = s.order
    row = fresh(s, 12)
    row[later] = (date.fromisoformat(row[earlier]) - timedelta(days=1)).isoformat()
    body = good(s)
    body.insert(0, line(s, row))
    return Case({s.path(m): text_file(s, body)}, good_lines=(3, 4, 5), quarantined={2: rule})


def f_nir_with_a_bad_key(s, m, d):
    if s.nir_col is None:
        return None
    row = fresh(s, 13)
    row[s.nir_col] = row[s.nir_col][:13] + f"{(int(row[s.nir_col][13:]) + 1) % 97:02d}"
    body = good(s)
    body.insert(0, line(s, row))
    return Case({s.path(m): text_file(s, body)}, good_lines=(3, 4, 5), quarantined={2: "nir_invalide"})


def f_nir_malformed(s, m, d):
    if s.nir_col is None:
        return None
    body = good(s)
    body.insert(0, line(s, fresh(s, 14, **{s.nir_col: "18403751234X6"})))
    return Case({s.path(m): text_file(s, body)}, good_lines=(3, 4, 5), quarantined={2: "nir_invalide"})


def f_commune_unknown_to_the_cog(s, m, d):
    if s.commune_col is None:
        return None
    body = good(s)
    body.insert(0, line(s, fresh(s, 15, **{s.commune_col: "35999"})))
    return Case({s.path(m): text_file(s, body)}, good_lines=(3, 4, 5), quarantined={2: "commune_inconnue"})


def f_former_commune_code(s, m, d):  # control: a merged commune's former code is remapped
    if s.commune_col is None:
        return None
    body = good(s) + [line(s, fresh(s, 16, **{s.commune_col: "01003"}))]

    def check(rows: pl.DataFrame) -> None:
        assert rows.filter(pl.col("ligne") == 5)[s.commune_col].to_list() == ["01165"]
    return Case({s.path(m): text_file(s, body)}, extra_loaded=(5,), check=check)


def f_value_outside_its_list(s, m, d):
    col, value = s.coded
    body = good(s)
    body.insert(0, line(s, fresh(s, 17, **{col: value})))
    return Case({s.path(m): text_file(s, body)}, good_lines=(3, 4, 5), quarantined={2: "valeur_hors_liste"})


def f_barrier_outside_its_list(s, m, d):
    if "freins" not in s.columns:
        return None
    body = good(s)
    body.insert(0, line(s, fresh(s, 18, freins="MOBILITE|permis")))
    return Case({s.path(m): text_file(s, body)}, good_lines=(3, 4, 5), quarantined={2: "valeur_hors_liste"})


def f_unreadable_boolean(s, m, d):
    if s.boolean is None:
        return None
    body = good(s)
    body.insert(0, line(s, fresh(s, 19, **{s.boolean: "vrai"})))
    return Case({s.path(m): text_file(s, body)}, good_lines=(3, 4, 5), quarantined={2: "booleen_illisible"})


def f_unreadable_number(s, m, d):
    if s.number is None:
        return None
    col, value = s.number
    body = good(s)
    body.insert(0, line(s, fresh(s, 20, **{col: value})))
    return Case({s.path(m): text_file(s, body)}, good_lines=(3, 4, 5), quarantined={2: "nombre_illisible"})


def f_month_13_in_the_name(s, m, d):
    return Case({s.path("2024-13"): text_file(s, good(s))}, rejected="le mois 2024-13 n'existe pas")


def f_month_00_in_the_name(s, m, d):
    return Case({s.path("2023-00"): text_file(s, good(s))}, rejected="le mois 2023-00 n'existe pas")


def f_month_not_begun(s, m, d):
    return Case({s.path("2099-01"): text_file(s, good(s))}, rejected="le mois 2099-01 n'est pas encore commencé")


def f_month_before_1990(s, m, d):
    return Case({s.path("1989-12"): text_file(s, good(s))}, rejected="le mois 1989-12 est antérieur à 1990")


def _not_a_departement(code):
    def fault(s, m, d):
        if not s.folder.startswith("departements/"):
            return None
        return Case({s.path(m, folder=f"departements/{code}"): text_file(s, good(s))},
                    rejected="le dossier sous departements/ n'est pas un code de département (code INSEE : "
                             "01 à 95, 2A, 2B, 971 à 976)")
    return fault


def f_extension_not_accepted(s, m, d):
    return Case({s.path(m, ext="txt"): text_file(s, good(s))},
                rejected="extension non acceptée (csv, xlsx ou parquet ; csv pour un référentiel)")


def f_path_outside_the_contract(s, m, d):
    return Case({f"{s.stem}_{m}.csv": text_file(s, good(s))}, rejected="chemin non prévu par le contrat des sources")


def f_hidden_file(s, m, d):  # never read, recorded (issue 16, finding 9)
    return Case({f"{s.folder}/.{s.stem}_{m}.csv": text_file(s, good(s))},
                rejected="fichier caché (nom commençant par un point) : non lu")


def f_name_in_upper_case(s, m, d):  # control: names are matched case-insensitively
    return Case({s.path(m).upper(): text_file(s, good(s))})


def f_folder_with_accents(s, m, d):  # control: "Départements" as a producer retypes it
    if not s.folder.startswith("departements/"):
        return None
    return Case({s.path(m).replace("departements/", "Départements/"): text_file(s, good(s))})


def f_xlsx_not_a_spreadsheet(s, m, d):
    return Case({s.path(m, ext="xlsx"): b"PK\x03\x04 ceci n'est pas un classeur"},
                rejected="…fichier xlsx illisible (")


def f_parquet_truncated(s, m, d):
    data = parquet_bytes(_table(s, list(s.good)))
    return Case({s.path(m, ext="parquet"): data[: len(data) // 2]}, rejected="…fichier parquet illisible (")


def f_parquet_missing_required_column(s, m, d):
    return Case({s.path(m, ext="parquet"): parquet_bytes(_table(s, list(s.good)).drop(s.required))},
                rejected=f"colonne(s) obligatoire(s) absente(s) : {s.required}")


def f_parquet_duplicate_columns(s, m, d):
    frame = _table(s, list(s.good)).with_columns(pl.col(s.columns[0]).alias(s.columns[0].upper()))
    return Case({s.path(m, ext="parquet"): parquet_bytes(frame)},
                rejected=f"la colonne « {s.columns[0]} » apparaît deux fois dans l'en-tête")


def f_xlsx_good(s, m, d):  # control: the same rows as a spreadsheet
    return Case({s.path(m, ext="xlsx"): xlsx_bytes(_table(s, list(s.good)))})


def f_parquet_typed(s, m, d):  # control: dates, booleans and numbers typed in Parquet
    frame = _table(s, list(s.good))
    casts = []
    for c in s.columns:
        if c.startswith("date_") and s.name != "orientations":
            casts.append(pl.col(c).str.to_date("%Y-%m-%d"))
        elif c in ("annee_naissance", "duree_prevue_jours"):
            casts.append(pl.col(c).cast(pl.Int64))
    return Case({s.path(m, ext="parquet"): parquet_bytes(frame.with_columns(casts))})


FAULTS: dict[str, Callable] = {name[2:]: fn for name, fn in list(globals().items()) if name.startswith("f_")}
FAULTS["departement_folder_36B"] = _not_a_departement("36B")
FAULTS["departement_folder_20"] = _not_a_departement("20")
FAULTS["departement_folder_975"] = _not_a_departement("975")
CONTROLS = {"header_only", "header_only_bom_crlf_no_final_newline", "no_final_newline", "semicolon_crlf_bom_ddmmyyyy",
            "windows_1252_accented_header", "quoted_fields", "line_of_delimiters_only", "former_commune_code",
            "xlsx_good", "parquet_typed", "missing_optional_column", "name_in_upper_case", "folder_with_accents"}


def cases_for(spec: Spec) -> dict[str, Case]:
    """Every applicable fault of the kind, each in a month of its own."""
    out = {}
    for i, (name, fault) in enumerate(FAULTS.items()):
        month = date(FIRST_FAULT_MONTH.year + (FIRST_FAULT_MONTH.month - 1 + i) // 12,
                     (FIRST_FAULT_MONTH.month - 1 + i) % 12 + 1, 1)
        case = fault(spec, f"{month:%Y-%m}", month)
        if case is not None:
            out[name] = case
    return out


def control(spec: Spec) -> tuple[str, bytes]:
    return spec.path(CONTROL_MONTH), text_file(spec, good(spec))
