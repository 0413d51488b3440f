"""Cohérence entre marts : les faits individuels (fct_personnes_mois) réagrégés aux quatre
niveaux redonnent exactement marts.indicateurs, et la grille suit dim_territoires_mois."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

REAGREGATION = """
with niveaux as (
    select 'national' as niveau, 'FR' as code_territoire, p.* from marts.fct_personnes_mois as p
    union all select 'region', code_region, p.* from marts.fct_personnes_mois as p
    union all select 'departement', code_departement, p.* from marts.fct_personnes_mois as p
    union all select 'bassin', code_bassin, p.* from marts.fct_personnes_mois as p
),
sommes as (
    select niveau, code_territoire, mois,
        count(*) filter (where est_beneficiaire_sdd) as beneficiaires,
        count(*) filter (where est_accompagnement_intensif) as intensifs,
        count(*) filter (where est_nouvel_entrant) as entrants,
        count(*) filter (where est_oriente_15j) as o15,
        count(*) filter (where est_oriente_1m) as o1m,
        count(*) filter (where est_dans_fenetre_delai) as fenetre,
        avg(delai_orientation_j) as delai_moyen,
        median(delai_orientation_j) as delai_median,
        count(*) filter (where est_premier_rdv_30j) as rdv30,
        count(*) filter (where est_dans_fenetre_premier_rdv) as fenetre_rdv,
        avg(delai_premier_rdv_j) as delai_rdv_moyen,
        median(delai_premier_rdv_j) as delai_rdv_median,
        count(*) filter (where est_cohorte_orientation and est_inscrit_ft) as cohorte,
        count(*) filter (where a_repris_emploi_6m) as reprises,
        count(*) filter (where a_repris_emploi_durable_6m) as durables
    from niveaux
    group by all
),
attendu as (
    select i.indicateur, i.niveau, i.code_territoire, i.mois, i.numerateur, i.denominateur, i.valeur,
        case i.indicateur
            when 'beneficiaires_sdd' then [coalesce(s.beneficiaires, 0), null]
            when 'part_accompagnement_intensif' then [coalesce(s.intensifs, 0), coalesce(s.beneficiaires, 0)]
            when 'nouveaux_entrants' then [coalesce(s.entrants, 0), null]
            when 'taux_orientation_15j' then [coalesce(s.o15, 0), coalesce(s.entrants, 0)]
            when 'taux_orientation_1m' then [coalesce(s.o1m, 0), coalesce(s.entrants, 0)]
            when 'delai_orientation_moyen_j' then [null, coalesce(s.fenetre, 0)]
            when 'delai_orientation_median_j' then [null, coalesce(s.fenetre, 0)]
            when 'taux_premier_rdv_30j' then [coalesce(s.rdv30, 0), coalesce(s.fenetre, 0)]
            when 'delai_premier_rdv_moyen_j' then [null, coalesce(s.fenetre_rdv, 0)]
            when 'delai_premier_rdv_median_j' then [null, coalesce(s.fenetre_rdv, 0)]
            when 'taux_retour_emploi_6m' then [coalesce(s.reprises, 0), coalesce(s.cohorte, 0)]
            when 'taux_retour_emploi_durable_6m' then [coalesce(s.durables, 0), coalesce(s.cohorte, 0)]
        end as num_den,
        case i.indicateur
            when 'delai_orientation_moyen_j' then s.delai_moyen
            when 'delai_orientation_median_j' then s.delai_median
            when 'delai_premier_rdv_moyen_j' then s.delai_rdv_moyen
            when 'delai_premier_rdv_median_j' then s.delai_rdv_median
        end as delai
    from marts.indicateurs as i
    left join sommes as s using (niveau, code_territoire, mois)
    where (i.statut = 'definitif' or i.numerateur is not null or i.denominateur is not null)
      and i.ventilation = 'ensemble'
      -- indicateurs dont fct_personnes_mois porte les faits (pas encore ceux du stock orienté)
      and i.indicateur in ('beneficiaires_sdd', 'part_accompagnement_intensif', 'nouveaux_entrants',
          'taux_orientation_15j', 'taux_orientation_1m', 'delai_orientation_moyen_j',
          'delai_orientation_median_j', 'taux_retour_emploi_6m', 'taux_retour_emploi_durable_6m',
          'taux_premier_rdv_30j', 'delai_premier_rdv_moyen_j', 'delai_premier_rdv_median_j')
)
select indicateur, niveau, code_territoire, mois, numerateur, denominateur, valeur, num_den, delai
from attendu
where numerateur is distinct from num_den[1]
   or denominateur is distinct from num_den[2]
   or (delai is not null and abs(valeur - delai) > 1e-9)
   or (delai is null and indicateur like 'delai%' and valeur is not null)
"""


@pytest.mark.parametrize("scenario", ["parcours", "emploi", "substitut", "rdv"])
def test_faits_individuels_reagreges_egalent_les_indicateurs(scenario, request):
    resultats = request.getfixturevalue(scenario)
    ecarts = resultats.requete(REAGREGATION)
    assert ecarts == []
    # la comparaison porte bien sur des chiffres non nuls
    assert resultats.requete(
        "select count(*) > 0 from marts.indicateurs where numerateur > 0 and niveau = 'bassin'") == [(True,)]


@pytest.mark.parametrize("scenario", ["parcours", "emploi", "substitut", "rdv"])
def test_grille_egale_dim_territoires_mois(scenario, request):
    resultats = request.getfixturevalue(scenario)
    assert resultats.requete("""
        select count(*) from (
            select distinct niveau, code_territoire, mois from marts.indicateurs
            except
            select niveau, code_territoire, mois from marts.dim_territoires_mois
            union all
            select niveau, code_territoire, mois from marts.dim_territoires_mois
            except
            select distinct niveau, code_territoire, mois from marts.indicateurs
        )""") == [(0,)]
    assert resultats.requete(
        "select count(distinct indicateur) from marts.indicateurs") == [(17,)]


def test_faits_individuels_sans_donnee_interdite(emploi):
    colonnes = {c for (c,) in emploi.requete(
        "select column_name from information_schema.columns "
        "where table_schema = 'marts' and table_name = 'fct_personnes_mois'")}
    assert not colonnes & {"code_commune", "annee_naissance", "nir", "pseudo_id_rsa", "pseudo_id_ft",
                           "date_t0", "date_orientation", "rqth", "freins"}
    assert emploi.requete(
        "select tranche_age, count(*) from marts.fct_personnes_mois where mois = '2024-05-01' group by 1") == [
        ("40_49", 102)]
