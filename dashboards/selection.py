"""The chosen territory and month: sidebar widgets, and the URL that keeps them.

The URL holds `niveau`, `code` and `mois` (YYYY-MM), e.g.
`?niveau=departement&code=35&mois=2024-05`, so a link can be shared. It is read once, when a
session starts, and checked: the level against the four levels, the code against
`marts.dim_territoires` (parameterised query), the month against the months computed. Anything
else is refused with a message and the default (France entière, latest month) is shown instead.
A refused value is never echoed unless it is a plain short code.

The selection itself lives in `st.session_state["selection"]` (not a widget key), so it survives
page changes; widgets are re-seeded from it on every run and write back through callbacks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import urlencode, urlsplit, urlunsplit

import polars as pl
import streamlit as st

from dashboards import formatting as fmt
from dashboards import queries
from dashboards.data import Snapshot

NIVEAUX = ("national", "region", "departement", "bassin")
_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{0,19}$")
_MOIS = re.compile(r"^(\d{4})-(\d{2})$")
KEY = "selection"


@dataclass(frozen=True)
class Selection:
    niveau: str = "national"
    region: str | None = None
    departement: str | None = None
    bassin: str | None = None
    mois: date | None = None

    @property
    def code(self) -> str:
        return {"national": "FR", "region": self.region, "departement": self.departement,
                "bassin": self.bassin}[self.niveau] or "FR"

    def params(self) -> dict[str, str]:
        out = {"niveau": self.niveau}
        if self.niveau != "national":
            out["code"] = self.code
        if self.mois is not None:
            out["mois"] = fmt.mois_court(self.mois)
        return out


def _one(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else None
    return None if value is None else str(value)


def _shown(value: str) -> str:
    """A refused value is quoted only when it is a harmless short code."""
    return f" « {value} »" if _CODE.match(value) else ""


def completer(snapshot: Snapshot, niveau: str, code: str | None, mois: date | None) -> Selection:
    """The full cascade (région → département → bassin) of a valid territory."""
    t = snapshot.territoires
    if niveau == "national" or code is None:
        return Selection("national", mois=mois)
    row = t.filter((pl.col("niveau") == niveau) & (pl.col("code_territoire") == code))
    if niveau == "region":
        return Selection("region", region=code, mois=mois)
    if niveau == "departement":
        return Selection("departement", region=row["code_region"][0], departement=code, mois=mois)
    dep = row["code_departement"][0] if row.height else None
    if dep is None:
        deps = queries.departements_du_bassin(snapshot, code)
        dep = deps[0] if deps else None
    reg = None
    if dep is not None:
        d = t.filter((pl.col("niveau") == "departement") & (pl.col("code_territoire") == dep))
        reg = d["code_region"][0] if d.height else None
    return Selection("bassin", region=reg, departement=dep, bassin=code, mois=mois)


def depuis_url(params: dict, snapshot: Snapshot) -> tuple[Selection, list[str]]:
    """Parse and check the URL parameters. Returns the selection to show and the refusals."""
    messages: list[str] = []
    niveau = _one(params.get("niveau"))
    code = _one(params.get("code"))
    mois_txt = _one(params.get("mois"))
    mois = snapshot.mois[-1] if snapshot.mois else None

    if mois_txt is not None:
        m = _MOIS.match(mois_txt)
        wanted = None
        if m and 1 <= int(m.group(2)) <= 12:
            wanted = date(int(m.group(1)), int(m.group(2)), 1)
        if wanted is not None and wanted in snapshot.mois:
            mois = wanted
        else:
            messages.append(f"Le mois demandé dans le lien{_shown(mois_txt)} n'est pas un mois calculé "
                            f"(format attendu : AAAA-MM) : le dernier mois disponible est affiché.")

    if niveau is None and code is None:
        return Selection("national", mois=mois), messages
    if niveau not in NIVEAUX:
        messages.append(f"Le niveau demandé dans le lien{_shown(niveau or '')} n'existe pas (niveaux : national, "
                        "region, departement, bassin) : la France entière est affichée.")
        return Selection("national", mois=mois), messages
    if niveau == "national":
        if code not in (None, "FR"):
            messages.append("Le niveau national n'a pas d'autre code que FR : la France entière est affichée.")
        return Selection("national", mois=mois), messages
    if code is None or not _CODE.match(code) or not queries.territoire_connu(snapshot.cle, niveau, code):
        what = "mal formé" if code is None or not _CODE.match(code) else "inconnu"
        messages.append(f"Le code de territoire demandé dans le lien{_shown(code or '')} est {what} au niveau "
                        f"« {fmt.NIVEAUX[niveau].lower()} » : la France entière est affichée.")
        return Selection("national", mois=mois), messages
    return completer(snapshot, niveau, code, mois), messages


def valide(sel: Selection, snapshot: Snapshot) -> Selection:
    """The selection still valid in this snapshot (a new snapshot may drop a territory or month)."""
    mois = sel.mois if sel.mois in snapshot.mois else (snapshot.mois[-1] if snapshot.mois else None)
    ok = sel.niveau == "national" or queries.territoire_connu(snapshot.cle, sel.niveau, sel.code)
    if not ok:
        return Selection("national", mois=mois)
    return replace(sel, mois=mois)


# --- widgets --------------------------------------------------------------------------------

def _options(snapshot: Snapshot, niveau: str, **filtre) -> list[str]:
    t = snapshot.territoires.filter(pl.col("niveau") == niveau)
    for col, val in filtre.items():
        t = t.filter(pl.col(col) == val)
    return t.sort("libelle_territoire")["code_territoire"].to_list()


def _bassins_de(snapshot: Snapshot, dep: str | None) -> list[str]:
    if dep is None:
        return []
    codes = (snapshot.appartenance
             .filter((pl.col("niveau") == "bassin") & (pl.col("code_departement") == dep))
             ["code_territoire"].unique().to_list())
    t = snapshot.territoires.filter((pl.col("niveau") == "bassin") & pl.col("code_territoire").is_in(codes))
    return t.sort("libelle_territoire")["code_territoire"].to_list()


def _coherent(snapshot: Snapshot, sel: Selection) -> Selection:
    """Fill the cascade with valid defaults for the chosen level."""
    if sel.niveau == "national":
        return sel
    regions = _options(snapshot, "region")
    region = sel.region if sel.region in regions else (regions[0] if regions else None)
    sel = replace(sel, region=region)
    if sel.niveau == "region":
        return sel
    deps = _options(snapshot, "departement", code_region=region)
    dep = sel.departement if sel.departement in deps else (deps[0] if deps else None)
    sel = replace(sel, departement=dep)
    if sel.niveau == "departement":
        return sel
    bassins = _bassins_de(snapshot, dep)
    return replace(sel, bassin=sel.bassin if sel.bassin in bassins else (bassins[0] if bassins else None))


def _on_change(champ: str) -> None:
    sel: Selection = st.session_state[KEY]
    value = st.session_state[f"w_{champ}"]
    if champ == "region":
        sel = replace(sel, region=value, departement=None, bassin=None)
    elif champ == "departement":
        sel = replace(sel, departement=value, bassin=None)
    else:
        sel = replace(sel, **{champ: value})
    st.session_state[KEY] = sel
    st.session_state.pop("messages_url", None)
    _ecrire_url()


def _ecrire_url() -> None:
    """Write the new selection in the address bar from the widget's callback: at the very start of
    the rerun, before anything of the screen is drawn again (a link copied meanwhile is the new view)."""
    snapshot = st.session_state.get("_snap_for_search")
    if snapshot is None:
        return
    sel = valide(_coherent(snapshot, st.session_state[KEY]), snapshot)
    st.session_state[KEY] = sel
    if st.query_params.to_dict() != sel.params():
        st.query_params.from_dict(sel.params())


def lien(sel: Selection) -> str:
    """The link of the view drawn with `sel`: this page's address and the selection's parameters,
    whatever the address bar shows at that moment."""
    page = urlsplit(st.context.url or "")
    return urlunsplit(page._replace(path=page.path or ("/" if page.netloc else ""), query=urlencode(sel.params())))


def _on_search() -> None:
    value = st.session_state.get("w_recherche")
    st.session_state["w_recherche"] = None
    if not value:
        return
    niveau, _, code = value.partition("|")
    snapshot = st.session_state.get("_snap_for_search")
    if snapshot is None:
        return
    sel: Selection = st.session_state[KEY]
    st.session_state[KEY] = completer(snapshot, niveau, code, sel.mois)
    st.session_state.pop("messages_url", None)
    _ecrire_url()


def _label(snapshot: Snapshot, niveau: str):
    libs = dict(snapshot.territoires.filter(pl.col("niveau") == niveau)
                .select("code_territoire", "libelle_territoire").iter_rows())
    return lambda c: f"{libs.get(c, c)} ({c})"


def barre_laterale(snapshot: Snapshot) -> Selection:
    """The selection widgets (sidebar). Returns the current, valid selection and updates the URL."""
    ss = st.session_state
    if KEY not in ss:
        sel, messages = depuis_url(st.query_params.to_dict(), snapshot)
        ss[KEY] = sel
        if messages:
            ss["messages_url"] = messages
    sel = valide(_coherent(snapshot, ss[KEY]), snapshot)
    ss[KEY] = sel
    ss["_snap_for_search"] = snapshot

    with st.sidebar:
        st.markdown("### Territoire et mois")
        # global search over every territory, by name or code
        t = snapshot.territoires.filter(pl.col("niveau") != "national").sort("niveau", "libelle_territoire")
        order = {"region": 0, "departement": 1, "bassin": 2}
        items = sorted(t.select("niveau", "code_territoire", "libelle_territoire").iter_rows(),
                       key=lambda r: (order.get(r[0], 9), r[2]))
        labels = {f"{n}|{c}": f"{fmt.NIVEAUX[n]} · {lib} ({c})" for n, c, lib in items}
        st.selectbox("Rechercher un territoire", list(labels), format_func=labels.get, key="w_recherche", index=None,
                     placeholder="Nom ou code (ex. Rennes, 35)…", on_change=_on_search, filter_mode="contains")

        bassin_label = "Bassin (arrondissement)" if snapshot.bassins_substituts else "Bassin"
        niveau_labels = {**fmt.NIVEAUX, "bassin": bassin_label}
        ss["w_niveau"] = sel.niveau
        st.radio("Niveau", NIVEAUX, format_func=niveau_labels.get, key="w_niveau",
                 on_change=_on_change, args=("niveau",))
        if sel.niveau != "national":
            ss["w_region"] = sel.region
            st.selectbox("Région", _options(snapshot, "region"), format_func=_label(snapshot, "region"),
                         key="w_region", on_change=_on_change, args=("region",), filter_mode="contains")
        if sel.niveau in ("departement", "bassin"):
            ss["w_departement"] = sel.departement
            st.selectbox("Département", _options(snapshot, "departement", code_region=sel.region),
                         format_func=_label(snapshot, "departement"), key="w_departement",
                         on_change=_on_change, args=("departement",), filter_mode="contains")
        if sel.niveau == "bassin":
            ss["w_bassin"] = sel.bassin
            st.selectbox(bassin_label, _bassins_de(snapshot, sel.departement),
                         format_func=_label(snapshot, "bassin"),
                         key="w_bassin", on_change=_on_change, args=("bassin",), filter_mode="contains")
        if snapshot.mois:
            ss["w_mois"] = sel.mois
            st.selectbox("Mois", list(reversed(snapshot.mois)), format_func=fmt.mois_long, key="w_mois",
                         on_change=_on_change, args=("mois",))
        st.markdown("### Lien de cette vue")
        st.code(lien(sel), language=None, wrap_lines=True)
        st.caption("Ce lien ouvre exactement l'écran affiché (territoire et mois) : copiez-le pour le partager.")

    params = sel.params()
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    return sel
