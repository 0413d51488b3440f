-- nouveaux_entrants : nouveaux entrants dans le champ des droits et devoirs (définition :
-- seed indicateurs_definitions ; maturité : seed maturite_livraisons, orientations du
-- département d'entrée pour le mois M).
-- Population : les nouveaux entrants du mois (int_nouveaux_entrants, une ligne par personne,
-- département d'entrée et mois). Effectif : tous comptent.
-- Chiffre annuel : la première entrée de l'année de chaque personne dans chaque département
-- (est_premiere_entree_annee), avec son dossier d'entrée et son placement.
{% set personnes %}
    select
        mois,
        code_commune,
        est_premiere_entree_annee,
        sexe,
        tranche_age,
        departement,
        1 as au_numerateur,
        cast(null as integer) as au_denominateur,
        cast(null as integer) as valeur_individuelle
    from {{ ref('int_nouveaux_entrants') }}
{% endset %}

{{ deployer_territoires('nouveaux_entrants', personnes, valeur='effectif', ventilations=['sexe', 'tranche_age'], departement='departement', annuelle='est_premiere_entree_annee') }}
