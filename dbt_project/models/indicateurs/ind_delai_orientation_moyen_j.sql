-- delai_orientation_moyen_j : délai moyen d'orientation des nouveaux entrants, en jours
-- (définition : seed indicateurs_definitions ; maturité : seed maturite_livraisons,
-- orientations du département d'entrée pour M+9, sur tous les nouveaux entrants du mois).
-- Population : les nouveaux entrants du mois (int_nouveaux_entrants).
-- Dénominateur : ceux dont le dossier d'entrée est orienté avant T0 + 6 mois
-- (est_dans_fenetre_delai) ; pas de numérateur. Valeur : moyenne de leur délai T0 → orientation.
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

{{ deployer_territoires('delai_orientation_moyen_j', personnes, valeur='moyenne', ventilations=['sexe', 'tranche_age', 'organisme_referent'], departement='departement', annuelle='est_premiere_entree_annee') }}
