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
        case
            when exists (
                select 1
                from {{ ref('int_inscriptions') }} as i
                where i.personne = b.personne
                  and i.date_inscription <= {{ fin_mois('b.mois') }}
                  and (i.date_sortie is null or i.date_sortie > {{ fin_mois('b.mois') }})
            ) then 1
            else 0
        end as au_numerateur,
        1 as au_denominateur,
        cast(null as integer) as valeur_individuelle
    from {{ ref('int_beneficiaires_sdd_mois') }} as b
{% endset %}

{{ deployer_territoires('part_stock_inscrit_ft', personnes, valeur='taux', ventilations=['sexe', 'tranche_age', 'anciennete_droit']) }}
