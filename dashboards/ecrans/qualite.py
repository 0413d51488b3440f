"""Data-quality screen: which producer delivered which month and when, how many rows were put in
quarantine and why, what is late or missing. Deliveries only: no screen lists persons."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from dashboards import formatting as fmt
from dashboards import graphiques, queries, regles, style
from dashboards.data import Snapshot, lecture
from dashboards.ecrans import commun
from socle import quality
from socle.csv_safety import spreadsheet_csv
from socle.rounding import round_half_up


def _mois_entre(a: date, b: date) -> int:
    return (b.year * 12 + b.month) - (a.year * 12 + a.month)


JAMAIS, RETARD, MANQUANT = "jamais livré", "en retard", "manquant"
DEFINITIONS = ("« jamais livré » : aucun fichier de ce type n'a jamais été accepté de ce producteur ; « en retard » : "
               "des fichiers ont été acceptés, mais aucun pour un mois attendu qui suit le dernier mois livré ; "
               "« manquant » : un mois attendu antérieur au dernier mois livré, sans fichier accepté (un fichier "
               "rejeté ne compte pas comme livré).")


def rang_producteur(code: str) -> tuple[int, str]:
    """Real producers first: CAF/MSA, France Travail, the départements (by code), then the referential."""
    return ({"caf": 0, "ft": 1}.get(code, 3 if code == "referentiel" else 2), code)


def est_departement(code: str) -> bool:
    return rang_producteur(code)[0] == 2


def sans_livraison(codes: list[str]) -> str:
    """The one row naming every département that never delivered a kind of file."""
    return f"Départements sans aucune livraison ({len(codes)}) : {', '.join(sorted(codes))}"


def jamais_par_type(paires) -> dict[str, list[str]]:
    """File kind → the départements among (producer, kind) pairs that never delivered it: the
    pairs that each table of the page shows as one row per kind (`sans_livraison`)."""
    out: dict[str, list[str]] = {}
    for producteur, typ in paires:
        if est_departement(producteur):
            out.setdefault(typ, []).append(producteur)
    return out


def situation(dernier_mois: date | None, mois_manquants: int, dernier_calcule: date | None) -> str:
    """'jamais livré', 'en retard de N mois' (nothing accepted for the latest months), 'à jour, N mois
    manquants' (holes before the last month delivered), 'à jour' (DEFINITIONS)."""
    if dernier_mois is None:
        return JAMAIS
    retard = _mois_entre(dernier_mois, dernier_calcule) if dernier_calcule else 0
    if retard > 0:
        return f"en retard de {retard} mois"
    if mois_manquants:
        return f"à jour, {mois_manquants} mois manquant{'s' if mois_manquants > 1 else ''}"
    return "à jour"


def situations(etat: pl.DataFrame, snapshot: Snapshot) -> list[str]:
    """The situation of each (producer, file kind) row of queries.etat_producteurs."""
    dernier = snapshot.mois[-1] if snapshot.mois else None
    return [situation(r["dernier_mois"], r["mois_manquants"] or 0, dernier) for r in etat.iter_rows(named=True)]


def etat_affiche(etat: pl.DataFrame, snapshot: Snapshot, deps: dict[str, str]) -> pl.DataFrame:
    """One row per producer and file kind, the producers that delivered first (real producers first);
    the départements that never delivered a kind of file share one row per kind."""
    dernier = snapshot.mois[-1] if snapshot.mois else None
    jamais = jamais_par_type((r["producteur"], r["type_fichier"]) for r in etat.iter_rows(named=True)
                             if r["dernier_mois"] is None)
    rows = []
    for r in etat.iter_rows(named=True):
        if r["producteur"] in jamais.get(r["type_fichier"], ()):
            continue
        lues = r["lignes_lues"] or 0
        rows.append({
            "Producteur": fmt.producteur(r["producteur"], deps),
            "Fichier": fmt.type_fichier(r["type_fichier"]),
            "Situation": situation(r["dernier_mois"], r["mois_manquants"] or 0, dernier),
            "Dernier mois livré": fmt.mois_long(r["dernier_mois"]) if r["dernier_mois"] else "—",
            "Dernière réception": fmt.horodatage(r["derniere_reception"]) if r["derniere_reception"] else "—",
            "Mois livrés": int(r["mois_livres"] or 0),
            "Mois manquants": int(r["mois_manquants"] or 0),
            "Fichiers rejetés": int(r["livraisons_rejetees"] or 0),
            "Lignes en quarantaine": int(r["lignes_quarantaine"] or 0),
            "Part en quarantaine": (fmt.nombre(round_half_up(100 * r["lignes_quarantaine"] / lues, 2), 2)
                                    + "\u00a0%") if lues else "aucune ligne lue",
            "_rang": (r["dernier_mois"] is None, *rang_producteur(r["producteur"])), "_fichier": r["type_fichier"],
        })
    for typ, codes in jamais.items():
        rows.append({"Producteur": sans_livraison(codes), "Fichier": fmt.type_fichier(typ), "Situation": JAMAIS,
                     "Dernier mois livré": "—", "Dernière réception": "—", "Mois livrés": 0,
                     "Mois manquants": 0, "Fichiers rejetés": 0, "Lignes en quarantaine": 0,
                     "Part en quarantaine": "aucune ligne lue", "_rang": (True, 2, ""), "_fichier": typ})
    rows.sort(key=lambda r: (r["_rang"], r["_fichier"]))  # delivered first, real producers first (rang_producteur)
    for r in rows:
        del r["_rang"], r["_fichier"]
    return (pl.DataFrame(rows, schema_overrides={c: pl.Int64 for c in ("Mois livrés", "Mois manquants",
                                                                       "Fichiers rejetés", "Lignes en quarantaine")})
            if rows else pl.DataFrame())


def calendrier(livr: pl.DataFrame, manq: pl.DataFrame, deps: dict[str, str]) -> pl.DataFrame:
    """Producer × file kind by month: « ✓ reçu le 12/06 », « ✗ rejeté », « en retard », « manquant »."""
    cells: dict[tuple[str, str], dict[str, str]] = {}
    months: set[date] = set()
    for r in livr.iter_rows(named=True):
        key = (r["producteur"], r["type_fichier"])
        months.add(r["mois"])
        col = fmt.mois_court(r["mois"])
        row = cells.setdefault(key, {})
        if r["statut"] == "acceptee" and r["est_courante"]:
            row[col] = "✓ reçu le " + fmt.jour(r["recu_le"])
        elif r["statut"] == "rejetee" and col not in row:
            row[col] = "✗ rejeté"
    for r in manq.iter_rows(named=True):
        key = (r["producteur"], r["type_fichier"])
        months.add(r["mois"])
        col = fmt.mois_court(r["mois"])
        row = cells.setdefault(key, {})
        rejet = " (fichier rejeté)" if r["nb_livraisons_rejetees"] else ""
        row[col] = "⚠ " + r["situation"] + rejet
    cols = [fmt.mois_court(m) for m in sorted(months)]
    jamais = jamais_par_type(key for key, row in cells.items()
                             if row and all(v.startswith("⚠ " + JAMAIS) for v in row.values()))
    out = []
    for (prod, typ), row in sorted(cells.items(), key=lambda kv: (rang_producteur(kv[0][0]), kv[0][1])):
        if prod in jamais.get(typ, ()):
            continue
        out.append({"Producteur": fmt.producteur(prod, deps), "Fichier": fmt.type_fichier(typ),
                    **{c: row.get(c, "") for c in cols}})
    for typ, codes in sorted(jamais.items()):
        first = cells[(codes[0], typ)]
        out.append({"Producteur": sans_livraison(codes), "Fichier": fmt.type_fichier(typ),
                    **{c: ("⚠ " + JAMAIS if c in first else "") for c in cols}})
    return pl.DataFrame(out, schema={"Producteur": pl.String, "Fichier": pl.String, **dict.fromkeys(cols, pl.String)})


def manquants_groupes(manq: pl.DataFrame, deps: dict[str, str]) -> pl.DataFrame:
    """Missing files grouped: one row per situation (jamais livré, en retard, manquant), producer and
    file kind, with its months, their number and the rejected files received for them."""
    ordre = {JAMAIS: 0, RETARD: 1, MANQUANT: 2}
    g = (manq.group_by("situation", "producteur", "type_fichier")
         .agg(pl.col("mois").sort().dt.strftime("%Y-%m").str.join(", ").alias("Mois"),
              pl.len().cast(pl.Int64).alias("Nombre de mois"),
              pl.col("nb_livraisons_rejetees").sum().cast(pl.Int64).alias("Fichiers reçus mais rejetés")))
    rows = sorted(g.iter_rows(named=True), key=lambda r: (ordre.get(r["situation"], 9),
                                                          rang_producteur(r["producteur"]), r["type_fichier"]))
    # the départements that never delivered a kind of file: one row per kind, after the others
    jamais = jamais_par_type((r["producteur"], r["type_fichier"]) for r in rows if r["situation"] == JAMAIS)
    groupe = [r for r in rows if r["situation"] == JAMAIS and r["producteur"] in jamais.get(r["type_fichier"], ())]
    rows = [r for r in rows if r not in groupe]
    for typ, codes in sorted(jamais.items()):
        these = [r for r in groupe if r["type_fichier"] == typ]
        rows.append({"situation": JAMAIS, "producteur": "", "libelle": sans_livraison(codes),
                     "type_fichier": typ, "Mois": max((r["Mois"] for r in these), key=len),
                     "Nombre de mois": max(r["Nombre de mois"] for r in these),
                     "Fichiers reçus mais rejetés": sum(r["Fichiers reçus mais rejetés"] for r in these)})
    return pl.DataFrame([{"Situation": r["situation"], "Producteur": r.get("libelle") or fmt.producteur(r["producteur"], deps),
                          "Fichier": fmt.type_fichier(r["type_fichier"]), "Mois": r["Mois"],
                          "Nombre de mois": r["Nombre de mois"],
                          "Fichiers reçus mais rejetés": r["Fichiers reçus mais rejetés"]} for r in rows],
                        schema={"Situation": pl.String, "Producteur": pl.String, "Fichier": pl.String,
                                "Mois": pl.String, "Nombre de mois": pl.Int64,
                                "Fichiers reçus mais rejetés": pl.Int64})


def liaison_affichee(df: pl.DataFrame, seuil: int, deps: dict[str, str]) -> pl.DataFrame:
    """Linking figures. `orientes_non_inscrits_ft` counts persons: the primary secret rule applies
    (a count between 1 and threshold − 1 is shown as « secret », and so is its share)."""
    rows = []
    for r in df.iter_rows(named=True):
        persons = r["mesure"] == "orientes_non_inscrits_ft"
        secret = persons and any(v is not None and 1 <= v < seuil for v in (r["numerateur"], r["denominateur"]))
        rows.append({
            "Mesure": ("Personnes orientées non inscrites à France Travail" if persons
                       else "Enregistrements non rattachés à une personne"),
            "Producteur": fmt.producteur(r["producteur"], deps), "Fichier": fmt.type_fichier(r["type_fichier"]),
            "Mois": fmt.mois_court(r["mois"]),
            "Nombre": fmt.SECRET if secret else fmt.nombre(r["numerateur"]),
            "Sur": fmt.SECRET if secret else fmt.nombre(r["denominateur"]),
            "Part": fmt.SECRET if secret else (fmt.nombre(100 * r["part"], 1) + "\u00a0%" if r["part"] is not None
                                               else "—"),
        })
    return pl.DataFrame(rows, schema=dict.fromkeys(["Mesure", "Producteur", "Fichier", "Mois", "Nombre", "Sur",
                                                     "Part"], pl.String))


def avertissements_affiches(warnings: list[dict], deps: dict[str, str]) -> pl.DataFrame:
    """Quality warnings (socle.quality): one row per file above the quarantine threshold."""
    return pl.DataFrame([{
        "Fichier déposé": w["fichier"], "Producteur": fmt.producteur(w["producteur"], deps),
        "Mois": w["mois"], "Part en quarantaine (%)": round_half_up(100 * w["part"], 1),
        "Lignes en quarantaine": w["lignes_quarantaine"], "Lignes lues": w["lignes_lues"],
        "Règles principales": " ".join(f"{regles.phrase(r['regle'], None).rstrip('.')} ({r['lignes']} ligne"
                                       f"{'s' if r['lignes'] > 1 else ''})." for r in w["regles"]) or "non détaillées",
    } for w in warnings], schema={"Fichier déposé": pl.String, "Producteur": pl.String, "Mois": pl.String,
                                  "Part en quarantaine (%)": pl.Float64, "Lignes en quarantaine": pl.Int64,
                                  "Lignes lues": pl.Int64, "Règles principales": pl.String})


def _avertissements(snapshot: Snapshot, deps: dict[str, str]) -> None:
    with lecture(snapshot.cle) as con:
        warnings = quality.quarantine_warnings(con, source="marts")
    if not warnings:
        return
    st.header("Avertissements qualité", anchor="avertissements")
    seuil = quality.percent(warnings[0]["seuil"])
    style.encadre(f"{len(warnings)} fichier{'s' if len(warnings) > 1 else ''} déposé{'s' if len(warnings) > 1 else ''} "
                  f"{'ont' if len(warnings) > 1 else 'a'} plus de {seuil} de lignes en quarantaine : les chiffres de "
                  "ces producteurs pour ces mois sont publiés mais à lire avec prudence (les lignes écartées n'y "
                  "entrent pas). Les autres producteurs ne sont pas touchés. Le producteur corrige le fichier et le "
                  "redépose.", "avertissement")
    av = avertissements_affiches(warnings, deps)
    st.dataframe(av, hide_index=True, width="stretch")
    _telecharger("Télécharger les avertissements (CSV)", av, "qualite_avertissements.csv")


def _telecharger(label: str, df: pl.DataFrame, name: str) -> None:
    st.download_button(label, spreadsheet_csv(df), file_name=name, mime="text/csv", on_click="ignore", key=f"dl_{name}")


def render() -> None:
    snapshot = commun.snapshot()
    with st.sidebar:
        commun.veille(snapshot.cle)
    style.bandeau("Qualité des données", "Qui a livré quoi, quand ; lignes écartées et pourquoi ; ce qui manque")
    present = queries.tables_qualite(snapshot.cle)
    if "fct_livraisons" not in present:
        st.info("L'instantané publié ne contient pas encore le registre des livraisons (marts.fct_livraisons).")
        commun.pied(snapshot)
        return
    deps = dict(snapshot.territoires.filter(pl.col("niveau") == "departement")
                .select("code_territoire", "libelle_territoire").iter_rows())
    _avertissements(snapshot, deps)
    producteurs, types, mois = queries.valeurs_qualite(snapshot.cle)
    producteurs = sorted(producteurs, key=rang_producteur)
    if not mois:
        st.info("Aucune livraison n'a encore été reçue.")
        commun.pied(snapshot)
        return

    with st.sidebar:
        st.markdown("### Filtres")
        choix_p = st.multiselect("Producteurs", producteurs, format_func=lambda p: fmt.producteur(p, deps),
                                 placeholder="Tous les producteurs", key="q_producteurs")
        choix_t = st.multiselect("Fichiers", types, format_func=fmt.type_fichier, placeholder="Tous les fichiers",
                                 key="q_types")
        if len(mois) > 1:
            debut, fin = st.select_slider("Période", options=mois, value=(mois[0], mois[-1]),
                                          format_func=fmt.mois_court, key="q_periode")
        else:
            debut = fin = mois[0]
    sel_p = tuple(choix_p or producteurs)
    sel_t = tuple(choix_t or types)

    st.header("Situation de chaque producteur", anchor="situation")
    style.legende(DEFINITIONS)
    brut = queries.etat_producteurs(snapshot.cle, sel_p, sel_t)
    etat = etat_affiche(brut, snapshot, deps)
    if not etat.is_empty():
        situ = pl.Series(situations(brut, snapshot))  # counted per producer and file, before grouping
        c1, c2, c3, c4 = st.columns(4)
        c1.metric("Fichiers à jour", int((situ == "à jour").sum()))
        c2.metric("Avec des mois manquants", int(situ.str.starts_with("à jour,").sum()))
        c3.metric("En retard", int(situ.str.starts_with("en retard").sum()))
        c4.metric("Jamais livrés (producteur × fichier)", int((situ == JAMAIS).sum()))
    st.dataframe(etat, hide_index=True, width="stretch")
    _telecharger("Télécharger la situation (CSV)", etat, "qualite_situation.csv")

    livr = queries.livraisons(snapshot.cle, sel_p, sel_t, debut, fin)
    manq = (queries.manquantes(snapshot.cle, sel_p, sel_t, debut, fin)
            if "fct_livraisons_manquantes" in present
            else pl.DataFrame(schema={"producteur": pl.String, "type_fichier": pl.String, "mois": pl.Date,
                                      "nb_livraisons_rejetees": pl.Int64, "dernier_mois": pl.Date,
                                      "situation": pl.String}))

    st.header("Calendrier des livraisons", anchor="calendrier")
    cal = calendrier(livr, manq, deps)
    st.dataframe(cal, hide_index=True, width="stretch",
                 column_config={"Producteur": st.column_config.TextColumn(pinned=True)})
    _telecharger("Télécharger le calendrier (CSV)", cal, "qualite_calendrier.csv")

    st.header("Fichiers en retard ou manquants", anchor="manquants")
    if manq.is_empty():
        st.success("Aucun fichier attendu ne manque sur la période.")
    else:
        m = manquants_groupes(manq, deps)
        st.dataframe(m, hide_index=True, width="stretch")
        _telecharger("Télécharger les fichiers manquants (CSV)", m, "qualite_manquants.csv")

    st.header("Lignes mises en quarantaine", anchor="quarantaine")
    if "fct_quarantaine_motifs" in present:
        q = queries.quarantaine(snapshot.cle, sel_p, sel_t, debut, fin)
        if (debut, fin) != (mois[0], mois[-1]):  # the filter says what it hides
            tout = queries.quarantaine(snapshot.cle, sel_p, sel_t, mois[0], mois[-1])
            n, total = int(q["nb_lignes"].sum() or 0), int(tout["nb_lignes"].sum() or 0)
            st.caption(f"{fmt.nombre(n)} ligne{'s' if n > 1 else ''} en quarantaine de {fmt.mois_court(debut)} à "
                       f"{fmt.mois_court(fin)} (période choisie) ; {fmt.nombre(total)} de {fmt.mois_court(mois[0])} "
                       f"à {fmt.mois_court(mois[-1])}.")
        if q.is_empty():
            st.success("Aucune ligne mise en quarantaine sur la période.")
        else:
            q = q.with_columns(phrase=pl.struct("regle", "colonne").map_elements(
                lambda r: regles.phrase(r["regle"], r["colonne"]), return_dtype=pl.String))
            par_regle = (q.group_by("phrase").agg(pl.col("nb_lignes").sum().cast(pl.Int64))
                         .sort("nb_lignes", descending=True).rename({"phrase": "motif"}))
            st.vega_lite_chart(spec=graphiques.barres(par_regle.select("motif", "nb_lignes").to_dicts(), "motif",
                                                      "nb_lignes", "Lignes mises en quarantaine"), width="stretch",
                               alt="Lignes mises en quarantaine par colonne et règle enfreinte.")
            qt = q.select(
                pl.col("producteur").map_elements(lambda p: fmt.producteur(p, deps), return_dtype=pl.String)
                .alias("Producteur"),
                pl.col("type_fichier").map_elements(fmt.type_fichier, return_dtype=pl.String).alias("Fichier"),
                pl.col("mois").dt.strftime("%Y-%m").alias("Mois"),
                pl.col("colonne").fill_null("—").alias("Colonne"), pl.col("phrase").alias("Règle enfreinte"),
                pl.col("nb_lignes").cast(pl.Int64).alias("Lignes"), pl.col("id_livraison").alias("Livraison"))
            st.dataframe(qt, hide_index=True, width="stretch")
            _telecharger("Télécharger les motifs de quarantaine (CSV)", qt, "qualite_quarantaine.csv")
    else:
        st.info("L'instantané ne contient pas le détail des motifs de quarantaine.")

    if "fct_liaison" in present:
        st.header("Rattachement des enregistrements aux personnes", anchor="liaison")
        style.legende(f"Enregistrements qui ne rejoignent aucune personne (ils n'entrent dans aucun indicateur), et "
                      f"personnes orientées jamais inscrites à France Travail (hors des taux de retour à l'emploi). "
                      f"Les nombres de personnes entre 1 et {snapshot.seuil - 1} sont masqués.")
        li = liaison_affichee(queries.liaison(snapshot.cle, sel_p, debut, fin), snapshot.seuil, deps)
        st.dataframe(li, hide_index=True, width="stretch")
        _telecharger("Télécharger le rattachement (CSV)", li, "qualite_rattachement.csv")

    st.header("Référentiel des bassins", anchor="bassins")
    if snapshot.bassins_substituts:
        style.encadre("Aucun référentiel des bassins (périmètres des comités locaux pour l'emploi) n'a été chargé : "
                      "les arrondissements du Code officiel géographique tiennent lieu de bassins.", "avertissement")
    elif "fct_referentiel_bassins" in present:
        rb = queries.referentiel_bassins(snapshot.cle).rename({
            "annee_referentiel": "Année", "nb_communes_cog": "Communes du COG",
            "nb_communes_hors_referentiel": "Communes absentes (bassin HR)",
            "nb_communes_en_double": "Communes en double", "nb_lignes_hors_cog": "Lignes hors COG",
            "nb_bassins": "Bassins"}, strict=False)
        st.dataframe(rb, hide_index=True, width="stretch")

    with st.expander("Détail des livraisons de la période"):
        d = livr.select(
            pl.col("producteur").map_elements(lambda p: fmt.producteur(p, deps), return_dtype=pl.String)
            .alias("Producteur"),
            pl.col("type_fichier").map_elements(fmt.type_fichier, return_dtype=pl.String).alias("Fichier"),
            pl.col("mois").dt.strftime("%Y-%m").alias("Mois"),
            pl.col("recu_le").dt.strftime("%d/%m/%Y %H:%M").alias("Reçu le"),
            pl.col("statut").replace({"acceptee": "accepté", "rejetee": "rejeté"}).alias("Statut"),
            pl.col("motif_rejet").fill_null("").alias("Motif du rejet"),
            pl.col("extension").fill_null("").alias("Format"),
            pl.col("lignes_lues").fill_null(0).cast(pl.Int64).alias("Lignes lues"),
            pl.col("lignes_chargees").fill_null(0).cast(pl.Int64).alias("Lignes chargées"),
            pl.col("lignes_quarantaine").fill_null(0).cast(pl.Int64).alias("Lignes en quarantaine"),
            pl.col("colonnes_ignorees").fill_null("").alias("Colonnes écartées"),
            pl.when(pl.col("est_courante")).then(pl.lit("oui")).otherwise(pl.lit("non")).alias("Version en vigueur"),
            pl.col("remplacee_par").fill_null("").alias("Remplacée par"),
            pl.col("id_livraison").alias("Livraison"))
        st.dataframe(d, hide_index=True, width="stretch")
        _telecharger("Télécharger le détail (CSV)", d, "qualite_livraisons.csv")
    commun.pied(snapshot)
