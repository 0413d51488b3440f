{{ config_par_mois() }}
-- Inscription qualifiante de chaque personne d'une cohorte d'orientation (pilotage.md,
-- « Breakdowns ») : parmi ses inscriptions rattachées qui la font entrer dans la cohorte
-- (date_inscription < date_orientation du dossier de cohorte + 6 mois), la plus récente par
-- date_inscription. Quand plusieurs partagent cette date et ne donnent pas la même valeur (une
-- valeur vide diffère d'une valeur remplie), la modalité est inconnu ; une valeur vide est
-- inconnu. Une ligne par personne et mois de cohorte inscrite (est_inscrit_ft).
-- rqth est une donnée de santé : elle ne sert qu'aux agrégats des taux de retour à l'emploi
-- et n'entre jamais dans les faits individuels des analystes.
with candidates as (
    select
        c.personne,
        c.mois,
        i.date_inscription,
        {{ modalite_niveau_formation('i.niveau_formation') }} as niveau_formation,
        {{ modalite_oui_non('i.qpv') }} as qpv,
        {{ modalite_oui_non('i.rqth') }} as rqth
    from {{ ref('int_cohortes_orientation') }} as c
    inner join {{ ref('int_inscriptions') }} as i
        on i.personne = c.personne
       and i.date_inscription < {{ ajouter_mois(6, 'c.date_orientation') }}
    where {{ dans_fenetre('c.mois') }}
),

plus_recentes as (
    select personne, mois, max(date_inscription) as date_inscription
    from candidates
    group by personne, mois
)

select
    c.personne,
    c.mois,
    c.date_inscription,
    case when min(c.niveau_formation) = max(c.niveau_formation) then min(c.niveau_formation) else 'inconnu' end
        as niveau_formation,
    case when min(c.qpv) = max(c.qpv) then min(c.qpv) else 'inconnu' end as qpv,
    case when min(c.rqth) = max(c.rqth) then min(c.rqth) else 'inconnu' end as rqth
from candidates as c
inner join plus_recentes as r
    on r.personne = c.personne
   and r.mois = c.mois
   and r.date_inscription = c.date_inscription
group by c.personne, c.mois, c.date_inscription
