"""What every screen shares: the current snapshot (or a clear message), its footer, and a watch
that offers the new figures when a new snapshot is published while the page is open."""

from __future__ import annotations

import streamlit as st

from dashboards import data
from dashboards import formatting as fmt
from dashboards.data import Snapshot


def snapshot() -> Snapshot:
    """The current snapshot; stops the page with a message when there is none or it cannot be read."""
    try:
        snapshot = data.courant()
    except Exception as exc:  # a broken or incomplete snapshot: say so, never a traceback
        st.error(f"L'instantané publié ne peut pas être lu ({type(exc).__name__}) : {exc}")
        st.stop()
    if snapshot is None:
        st.error("Aucun instantané n'a encore été publié : lancez le pipeline (`make run`), puis rechargez la page.")
        st.stop()
    return snapshot


@st.fragment(run_every=60)
def veille(cle_affichee: data.SnapshotKey) -> None:
    """Every minute, re-read CURRENT; offer the new figures when it names another snapshot."""
    cle = data.cle_courante()
    if cle is not None and cle != cle_affichee:
        st.info("Un nouvel instantané a été publié.")
        if st.button("Afficher les nouveaux chiffres", key="nouvel_instantane"):
            st.rerun(scope="app")


def pied(snapshot: Snapshot) -> None:
    publie = fmt.horodatage(snapshot.publie_le) + " (UTC)" if snapshot.publie_le else "date inconnue"
    st.divider()
    st.caption(f"Instantané publié le {publie} — fichier {snapshot.path.name}, ouvert en lecture seule. "
               f"Secret statistique : une case dont l'effectif, le numérateur ou le dénominateur est compris "
               f"entre 1 et {snapshot.seuil - 1} est masquée, ainsi que les cases qui permettraient de la "
               f"recalculer. « (p) » : chiffre provisoire, susceptible d'être révisé.")
