-- part_stock_inscrit_ft : part du stock droits et devoirs inscrite à France Travail
-- (définition : seed indicateurs_definitions ; maturité : seed maturite_livraisons,
-- inscriptions de France Travail pour le mois M).
-- Population : le stock du mois (int_beneficiaires_sdd_mois). Numérateur : une inscription
-- (version courante, rattachée à la personne comme dans int_inscriptions) avec
-- date_inscription ≤ fin(M) et date_sortie vide ou > fin(M).
{% set personnes %}
    select
        b.mois,
        b.code_commune,
        b.sexe,
        b.tranche_age,
        b.anciennete_droit,
        case when i.personne is not null then 1 else 0 end as au_numerateur,
        1 as au_denominateur,
        cast(null as integer) as valeur_individuelle
    from {{ ref('int_beneficiaires_sdd_mois') }} as b
    left join (
        select distinct s.personne, s.mois
        from {{ ref('int_beneficiaires_sdd_mois') }} as s
        inner join {{ ref('int_inscriptions') }} as r
            on r.personne = s.personne
           and r.date_inscription <= {{ fin_mois('s.mois') }}
           and (r.date_sortie is null or r.date_sortie > {{ fin_mois('s.mois') }})
    ) as i
        on i.personne = b.personne
       and i.mois = b.mois
{% endset %}

{{ deployer_territoires('part_stock_inscrit_ft', personnes, valeur='taux', ventilations=['sexe', 'tranche_age', 'anciennete_droit']) }}
