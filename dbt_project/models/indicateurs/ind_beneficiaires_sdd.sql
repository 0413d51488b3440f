-- beneficiaires_sdd : bénéficiaires du RSA soumis aux droits et devoirs (définition et règle
-- de maturité : seed indicateurs_definitions ; délais de livraison : seed maturite_livraisons).
-- Population : personnes SDD et versables à la fin du mois (int_beneficiaires_sdd_mois),
-- placées selon leur commune de résidence. Effectif : toutes comptent.
{% set personnes %}
    select
        mois,
        code_commune,
        sexe,
        tranche_age,
        anciennete_droit,
        1 as au_numerateur,
        cast(null as integer) as au_denominateur,
        cast(null as integer) as valeur_individuelle
    from {{ ref('int_beneficiaires_sdd_mois') }}
{% endset %}

{{ deployer_territoires('beneficiaires_sdd', personnes, valeur='effectif', ventilations=['sexe', 'tranche_age', 'anciennete_droit']) }}
