-- taux_retour_emploi_6m : taux de retour à l'emploi à 6 mois des personnes orientées
-- (définition : seed indicateurs_definitions ; maturité : seed maturite_livraisons,
-- reprises d'emploi et inscriptions de France Travail pour M+8, même sans cohorte).
-- Population et dénominateur : la cohorte d'orientation du mois (int_cohortes_orientation)
-- inscrite à France Travail avant la date d'orientation + 6 mois ; les orientés jamais
-- inscrits sont hors du calcul (fct_liaison, orientes_non_inscrits_ft).
-- Ventilations : sexe, tranche d'âge, organisme référent et type de parcours du dossier de
-- cohorte (int_cohortes_orientation) ; niveau de formation, QPV et RQTH de l'inscription
-- qualifiante (int_cohortes_inscription_qualifiante).
-- Numérateur : une embauche, quel que soit le contrat, dans les 6 mois de l'orientation.
-- Chiffre annuel : la ligne la plus ancienne de l'année de la personne, quand elle qualifie
-- (inscrite à France Travail) : est_premiere_cohorte_annee parmi les lignes retenues ici.
{% set personnes %}
    select
        c.mois,
        c.code_commune,
        c.est_premiere_cohorte_annee,
        c.sexe,
        c.tranche_age,
        c.organisme_referent,
        c.type_parcours,
        coalesce(q.niveau_formation, 'inconnu') as niveau_formation,
        coalesce(q.qpv, 'inconnu') as qpv,
        coalesce(q.rqth, 'inconnu') as rqth,
        case when c.a_repris_emploi_6m then 1 else 0 end as au_numerateur,
        1 as au_denominateur,
        cast(null as integer) as valeur_individuelle
    from {{ ref('int_cohortes_orientation') }} as c
    left join {{ ref('int_cohortes_inscription_qualifiante') }} as q
        on q.personne = c.personne
       and q.mois = c.mois
    where c.est_inscrit_ft
{% endset %}

{{ deployer_territoires('taux_retour_emploi_6m', personnes, valeur='taux', ventilations=['sexe', 'tranche_age', 'organisme_referent', 'type_parcours', 'niveau_formation', 'qpv', 'rqth'], annuelle='est_premiere_cohorte_annee') }}
