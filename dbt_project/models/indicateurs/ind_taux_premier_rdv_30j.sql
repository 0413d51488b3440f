-- taux_premier_rdv_30j : part des nouveaux entrants orientés qui ont leur premier rendez-vous
-- d'accompagnement dans les 30 jours suivant l'orientation (définition : seed
-- indicateurs_definitions ; maturité : seed maturite_livraisons, orientations du département
-- d'entrée pour M+10, sur tous les nouveaux entrants du mois).
-- Dénominateur : la population des délais d'orientation (dossier d'entrée orienté avant
-- T0 + 6 mois, est_dans_fenetre_delai). Numérateur : parmi eux, premier rendez-vous entre la
-- date d'orientation (incluse) et la date d'orientation + 30 jours (exclue), est_premier_rdv_30j.
-- Ventilations : modalités du nouvel entrant et de son dossier d'entrée (int_nouveaux_entrants).
{% set personnes %}
    select
        mois,
        code_commune,
        est_premiere_entree_annee,
        sexe,
        tranche_age,
        organisme_referent,
        departement,
        case when est_premier_rdv_30j then 1 else 0 end as au_numerateur,
        case when est_dans_fenetre_delai then 1 else 0 end as au_denominateur,
        cast(null as integer) as valeur_individuelle
    from {{ ref('int_nouveaux_entrants') }}
{% endset %}

{{ deployer_territoires('taux_premier_rdv_30j', personnes, valeur='taux', ventilations=['sexe', 'tranche_age', 'organisme_referent'], departement='departement', annuelle='est_premiere_entree_annee') }}
