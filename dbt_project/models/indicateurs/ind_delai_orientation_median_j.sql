-- delai_orientation_median_j : délai médian d'orientation des nouveaux entrants, en jours
-- (définition : seed indicateurs_definitions ; maturité : seed maturite_livraisons,
-- orientations du département d'entrée pour M+9, sur tous les nouveaux entrants du mois).
-- Population, dénominateur : ceux du délai moyen (ind_delai_orientation_moyen_j).
-- Valeur : médiane continue de leur délai T0 → orientation (moyenne des deux valeurs
-- centrales pour un effectif pair).
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
        cast(null as integer) as au_numerateur,
        case when est_dans_fenetre_delai then 1 else 0 end as au_denominateur,
        case when est_dans_fenetre_delai then delai_orientation_j end as valeur_individuelle
    from {{ ref('int_nouveaux_entrants') }}
{% endset %}

{{ deployer_territoires('delai_orientation_median_j', personnes, valeur='mediane', ventilations=['sexe', 'tranche_age', 'organisme_referent'], departement='departement', annuelle='est_premiere_entree_annee') }}
