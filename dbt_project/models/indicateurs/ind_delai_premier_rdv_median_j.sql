-- delai_premier_rdv_median_j : délai médian entre T0 (réception de la notification) et le premier rendez-vous
-- d'accompagnement des nouveaux entrants, en jours (définition : seed indicateurs_definitions ;
-- maturité : seed maturite_livraisons, orientations du département d'entrée pour M+12, sur tous
-- les nouveaux entrants du mois).
-- Population : les nouveaux entrants du mois (int_nouveaux_entrants). Dénominateur : ceux dont
-- le dossier d'entrée porte un premier rendez-vous entre T0 (inclus) et T0 + 9 mois (exclu),
-- orientés ou non (est_dans_fenetre_premier_rdv) ; pas de numérateur.
-- Valeur : médiane continue de leur délai T0 → premier rendez-vous.
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
        case when est_dans_fenetre_premier_rdv then 1 else 0 end as au_denominateur,
        case when est_dans_fenetre_premier_rdv then delai_premier_rdv_j end as valeur_individuelle
    from {{ ref('int_nouveaux_entrants') }}
{% endset %}

{{ deployer_territoires('delai_premier_rdv_median_j', personnes, valeur='mediane', ventilations=['sexe', 'tranche_age', 'organisme_referent'], departement='departement', annuelle='est_premiere_entree_annee') }}
