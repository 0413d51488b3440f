-- part_stock_oriente : part du stock droits et devoirs orientée (définition : seed
-- indicateurs_definitions ; maturité : seed maturite_livraisons, orientations du département
-- de chaque personne du stock pour le mois M).
-- Population : le stock du mois (int_beneficiaires_sdd_mois). Numérateur : une orientation de
-- leur département en cours à fin(M) (int_orientation_courante).
{% set personnes %}
    select
        b.mois,
        b.code_commune,
        b.sexe,
        b.tranche_age,
        b.anciennete_droit,
        case when o.personne is not null then 1 else 0 end as au_numerateur,
        1 as au_denominateur,
        cast(null as integer) as valeur_individuelle
    from {{ ref('int_beneficiaires_sdd_mois') }} as b
    left join {{ ref('int_orientation_courante') }} as o
        on o.personne = b.personne
       and o.mois = b.mois
{% endset %}

{{ deployer_territoires('part_stock_oriente', personnes, valeur='taux', ventilations=['sexe', 'tranche_age', 'anciennete_droit']) }}
