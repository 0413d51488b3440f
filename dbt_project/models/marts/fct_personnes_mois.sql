{{ config_par_mois() }}
-- Faits individuels pseudonymisés pour les fichiers d'analystes (privacy.md, « Audiences ») :
-- une ligne par personne et mois calculé dont le fichier CAF a été livré, pour les personnes
-- présentes dans le fichier CAF du mois ou dans une cohorte d'orientation du mois.
-- Pseudonymes, mois et valeurs codées seulement : département, région et bassin mais pas de
-- commune ; tranche d'âge mais pas d'année de naissance ; délais en jours mais pas de date
-- exacte ; aucune donnée de santé ; rien sur un conseiller. Chaque ligne dit à quel chiffre de
-- marts.indicateurs la personne contribue, placée comme dans ces chiffres.
with mois as (
    select mois
    from {{ ref('int_mois') }}
    where est_calcule and caf_livre
      and {{ dans_fenetre('mois') }}
),

caf as (
    select c.*
    from {{ ref('int_caf_personne_mois') }} as c
    inner join mois as m
        on m.mois = c.mois
),

cohortes as (
    select c.*
    from {{ ref('int_cohortes_orientation') }} as c
    inner join mois as m
        on m.mois = c.mois
),

faits as (
    -- les bénéficiaires et les nouveaux entrants ont tous une ligne CAF le mois même ;
    -- une personne d'une cohorte d'orientation peut ne pas en avoir
    select
        coalesce(c.personne, o.personne) as personne,
        coalesce(c.mois, o.mois) as mois,
        coalesce(c.code_commune, o.code_commune) as code_commune,
        c.sexe,
        extract(year from coalesce(c.mois, o.mois)) - c.annee_naissance as age,
        c.etat_droit,
        coalesce(c.est_sdd, false) as est_sdd,
        coalesce(c.est_versable, false) as est_versable,
        coalesce(c.est_stock, false) as est_beneficiaire_sdd,
        coalesce(b.est_accompagne, false) as est_accompagne,
        coalesce(b.est_intensif, false) as est_accompagnement_intensif,
        n.personne is not null as est_nouvel_entrant,
        coalesce(n.est_oriente_15j, false) as est_oriente_15j,
        coalesce(n.est_oriente_1m, false) as est_oriente_1m,
        coalesce(n.est_dans_fenetre_delai, false) as est_dans_fenetre_delai,
        case when n.est_dans_fenetre_delai then n.delai_orientation_j end as delai_orientation_j,
        coalesce(n.est_premier_rdv_30j, false) as est_premier_rdv_30j,
        coalesce(n.est_dans_fenetre_premier_rdv, false) as est_dans_fenetre_premier_rdv,
        case when n.est_dans_fenetre_premier_rdv then n.delai_premier_rdv_j end as delai_premier_rdv_j,
        o.personne is not null as est_cohorte_orientation,
        coalesce(o.est_inscrit_ft, false) as est_inscrit_ft,
        coalesce(o.est_inscrit_ft and o.a_repris_emploi_6m, false) as a_repris_emploi_6m,
        coalesce(o.est_inscrit_ft and o.a_repris_emploi_durable_6m, false) as a_repris_emploi_durable_6m
    from caf as c
    full outer join cohortes as o
        on o.personne = c.personne and o.mois = c.mois
    left join (
        select * from {{ ref('int_beneficiaires_sdd_mois') }} where {{ dans_fenetre('mois') }}
    ) as b
        on b.personne = c.personne and b.mois = c.mois
    left join (
        select * from {{ ref('int_nouveaux_entrants') }} where {{ dans_fenetre('mois') }}
    ) as n
        on n.personne = c.personne and n.mois = c.mois
)

select
    f.personne,
    f.mois,
    t.code_region,
    t.code_departement,
    t.code_bassin,
    f.sexe,
    case
        when f.age is null then null
        when f.age < 25 then 'moins_25'
        when f.age < 30 then '25_29'
        when f.age < 40 then '30_39'
        when f.age < 50 then '40_49'
        when f.age < 60 then '50_59'
        else '60_plus'
    end as tranche_age,
    f.etat_droit,
    f.est_sdd,
    f.est_versable,
    f.est_beneficiaire_sdd,
    f.est_accompagne,
    f.est_accompagnement_intensif,
    f.est_nouvel_entrant,
    f.est_oriente_15j,
    f.est_oriente_1m,
    f.est_dans_fenetre_delai,
    cast(f.delai_orientation_j as bigint) as delai_orientation_j,
    f.est_premier_rdv_30j,
    f.est_dans_fenetre_premier_rdv,
    cast(f.delai_premier_rdv_j as bigint) as delai_premier_rdv_j,
    f.est_cohorte_orientation,
    f.est_inscrit_ft,
    f.a_repris_emploi_6m,
    f.a_repris_emploi_durable_6m
from faits as f
inner join {{ ref('int_territoires_communes_mois') }} as t
    on t.mois = f.mois
   and t.code_commune = f.code_commune
