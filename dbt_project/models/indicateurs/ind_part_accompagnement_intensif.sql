-- part_accompagnement_intensif : part des bénéficiaires soumis aux droits et devoirs en
-- accompagnement intensif (définition : seed indicateurs_definitions ; maturité : seed
-- maturite_livraisons, accompagnements du département de résidence et de France Travail).
-- Population : personnes SDD et versables à la fin du mois (int_beneficiaires_sdd_mois).
-- Numérateur : au moins un épisode d'accompagnement intensif en cours le dernier jour du mois.
{% set personnes %}
    select
        mois,
        code_commune,
        sexe,
        tranche_age,
        anciennete_droit,
        case when est_intensif then 1 else 0 end as au_numerateur,
        1 as au_denominateur,
        cast(null as integer) as valeur_individuelle
    from {{ ref('int_beneficiaires_sdd_mois') }}
{% endset %}

{{ deployer_territoires('part_accompagnement_intensif', personnes, valeur='taux', ventilations=['sexe', 'tranche_age', 'anciennete_droit']) }}
