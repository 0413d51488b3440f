-- nouveaux_entrants : nouveaux entrants dans le champ des droits et devoirs (définition :
-- seed indicateurs_definitions ; maturité : seed maturite_livraisons, orientations du
-- département d'entrée pour le mois M).
-- Population : les nouveaux entrants du mois (int_nouveaux_entrants, une ligne par personne,
-- département d'entrée et mois). Effectif : tous comptent.
{% set personnes %}
    select
        mois,
        code_commune,
        sexe,
        tranche_age,
        departement,
        1 as au_numerateur,
        cast(null as integer) as au_denominateur,
        cast(null as integer) as valeur_individuelle
    from {{ ref('int_nouveaux_entrants') }}
{% endset %}

{{ deployer_territoires('nouveaux_entrants', personnes, valeur='effectif', ventilations=['sexe', 'tranche_age'], departement='departement') }}
