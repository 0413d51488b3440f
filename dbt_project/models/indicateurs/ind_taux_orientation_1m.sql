-- taux_orientation_1m : part des nouveaux entrants orientés en moins d'un mois (définition :
-- seed indicateurs_definitions ; maturité : seed maturite_livraisons, orientations du
-- département d'entrée pour M+4).
-- Population et dénominateur : les nouveaux entrants du mois (int_nouveaux_entrants).
-- Numérateur : dossier d'entrée orienté avant T0 + 1 mois calendaire (est_oriente_1m).
-- Chiffre annuel : la première entrée de l'année de chaque personne dans chaque département
-- (est_premiere_entree_annee), avec son dossier d'entrée et son placement.
{% set personnes %}
    select
        mois,
        code_commune,
        est_premiere_entree_annee,
        sexe,
        tranche_age,
        organisme_referent,
        departement,
        case when est_oriente_1m then 1 else 0 end as au_numerateur,
        1 as au_denominateur,
        cast(null as integer) as valeur_individuelle
    from {{ ref('int_nouveaux_entrants') }}
{% endset %}

{{ deployer_territoires('taux_orientation_1m', personnes, valeur='taux', ventilations=['sexe', 'tranche_age', 'organisme_referent'], departement='departement', annuelle='est_premiere_entree_annee') }}
