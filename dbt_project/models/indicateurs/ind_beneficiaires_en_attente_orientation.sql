-- beneficiaires_en_attente_orientation : bénéficiaires du stock droits et devoirs sans
-- orientation en cours (définition : seed indicateurs_definitions ; maturité : seed
-- maturite_livraisons, orientations du département de chaque personne du stock pour le mois M).
-- Population regardée : tout le stock du mois (int_beneficiaires_sdd_mois) ; comptent celles
-- qui n'ont pas d'orientation de leur département en cours à fin(M) (int_orientation_courante),
-- soit beneficiaires_sdd − beneficiaires_orientes.
{% set personnes %}
    select
        b.mois,
        b.code_commune,
        b.sexe,
        b.tranche_age,
        b.anciennete_droit,
        case when o.personne is null then 1 else 0 end as au_numerateur,
        cast(null as integer) as au_denominateur,
        cast(null as integer) as valeur_individuelle
    from {{ ref('int_beneficiaires_sdd_mois') }} as b
    left join {{ ref('int_orientation_courante') }} as o
        on o.personne = b.personne
       and o.mois = b.mois
{% endset %}

{{ deployer_territoires('beneficiaires_en_attente_orientation', personnes, valeur='effectif', ventilations=['sexe', 'tranche_age', 'anciennete_droit']) }}
