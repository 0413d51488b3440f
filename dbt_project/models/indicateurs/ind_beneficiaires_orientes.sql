-- beneficiaires_orientes : bénéficiaires du stock droits et devoirs orientés (définition : seed
-- indicateurs_definitions ; maturité : seed maturite_livraisons, orientations du département
-- de chaque personne du stock pour le mois M).
-- Population regardée : tout le stock du mois (int_beneficiaires_sdd_mois), pour que la
-- maturité porte sur tout le stock ; comptent au numérateur celles qui ont une orientation de
-- leur département en cours à fin(M) (int_orientation_courante). Les autres sont dans la
-- modalité non_oriente de organisme_referent (et inconnu de type_parcours) avec 0 au numérateur.
{% set personnes %}
    select
        b.mois,
        b.code_commune,
        b.sexe,
        b.tranche_age,
        b.anciennete_droit,
        coalesce(o.organisme_referent, 'non_oriente') as organisme_referent,
        coalesce(o.type_parcours, 'inconnu') as type_parcours,
        case when o.personne is not null then 1 else 0 end as au_numerateur,
        cast(null as integer) as au_denominateur,
        cast(null as integer) as valeur_individuelle
    from {{ ref('int_beneficiaires_sdd_mois') }} as b
    left join {{ ref('int_orientation_courante') }} as o
        on o.personne = b.personne
       and o.mois = b.mois
{% endset %}

{{ deployer_territoires('beneficiaires_orientes', personnes, valeur='effectif', ventilations=['sexe', 'tranche_age', 'anciennete_droit', 'organisme_referent', 'type_parcours']) }}
