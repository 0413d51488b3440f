{{ config_par_mois() }}
-- Population de beneficiaires_sdd et de part_accompagnement_intensif : personnes SDD et
-- versables à la fin du mois, avec leur situation d'accompagnement au dernier jour du mois.
-- Un épisode court à fin(M) quand date_debut ≤ fin(M) et date_fin vide ou ≥ fin(M) ; il est
-- intensif si sa modalité est dans la liste gouvernée (seed modalites_intensives) ou si
-- heures_hebdo ≥ 15. Les épisodes de tous les départements et de France Travail comptent.
-- Modalités des ventilations du stock (pilotage.md) : sexe, tranche d'âge (année du mois −
-- année de naissance) et ancienneté du droit, lues sur la ligne caf(p, M) qui place la personne.
with population as (
    select
        personne,
        mois,
        {{ fin_mois('mois') }} as fin_mois,
        code_commune,
        code_departement,
        {{ modalite_sexe('sexe') }} as sexe,
        {{ modalite_tranche_age('mois', 'annee_naissance') }} as tranche_age,
        {{ modalite_anciennete_droit('date_ouverture_droit', 'mois') }} as anciennete_droit
    from {{ ref('int_caf_personne_mois') }}
    where est_stock
      and {{ dans_fenetre('mois') }}
),

episodes as (
    select
        a.personne,
        a.date_debut,
        a.date_fin,
        case
            when m.modalite is not null or coalesce(a.heures_hebdo, 0) >= 15 then 1
            else 0
        end as est_intensif
    from {{ ref('int_accompagnements') }} as a
    left join {{ ref('modalites_intensives') }} as m
        on m.modalite = a.modalite
    where a.personne is not null
      -- épisodes qui peuvent être en cours à la fin d'un mois de la fenêtre
      and {{ chevauche_fenetre('a.date_debut', 'a.date_fin') }}
),

en_cours as (
    select
        p.personne,
        p.mois,
        max(e.est_intensif) as est_intensif
    from population as p
    inner join episodes as e
        on e.personne = p.personne
       and e.date_debut <= p.fin_mois
       and (e.date_fin is null or e.date_fin >= p.fin_mois)
    group by p.personne, p.mois
)

select
    p.personne,
    p.mois,
    p.code_commune,
    p.code_departement,
    p.sexe,
    p.tranche_age,
    p.anciennete_droit,
    c.personne is not null as est_accompagne,
    coalesce(c.est_intensif = 1, false) as est_intensif
from population as p
left join en_cours as c
    on c.personne = p.personne
   and c.mois = p.mois
