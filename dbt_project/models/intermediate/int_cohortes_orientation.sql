{{ config_par_mois() }}
-- Cohortes d'orientation pour les taux de retour à l'emploi (volet 3, résultats).
-- Cohorte de M : personnes ayant un dossier départemental rattaché dont la date_orientation
-- tombe en M (une ligne par personne et mois : le dossier de cohorte, à la date d'orientation
-- la plus ancienne du mois ; à égalité, la règle de départage de pilotage.md : réception de
-- notification la plus récente, puis organisme référent puis type de parcours dans l'ordre
-- des listes, vide en dernier ; enfin le département producteur). est_inscrit_ft : au moins une inscription rattachée, close ou non, avec
-- date_inscription < date_orientation + 6 mois ; seules ces personnes entrent dans les taux.
-- Reprise : embauche rattachée avec date_orientation ≤ date_embauche < date_orientation +
-- 6 mois ; durable : CDI, CREATION, ou CDD/CTT de duree_prevue_jours ≥ 180.
-- Placement : commune de caf(p, M), sinon la dernière ligne CAF avant M, sinon la première après.
-- Ventilations (pilotage.md) : sexe et tranche d'âge (année du mois de cohorte − année de
-- naissance) de cette ligne CAF de placement ; organisme référent et type de parcours du
-- dossier de cohorte. Celles de l'inscription qualifiante : int_cohortes_inscription_qualifiante.
with dossiers as (
    select
        personne,
        producteur,
        date_orientation,
        date_reception_notification,
        organisme_referent,
        type_parcours,
        {{ debut_mois('date_orientation') }} as mois
    from {{ ref('int_orientations') }}
    where personne is not null
      and date_orientation is not null
      -- depuis janvier : est_premiere_cohorte_annee regarde les mois antérieurs de l'année
      and {{ dans_fenetre('date_orientation', annee=true) }}
),

cohorte as (
    select personne, mois, date_orientation, departement_orientation, organisme_referent, type_parcours
    from (
        select
            personne,
            mois,
            date_orientation,
            producteur as departement_orientation,
            organisme_referent,
            type_parcours,
            row_number() over (
                partition by personne, mois
                order by date_orientation, {{ departage_dossiers() }}, producteur
            ) as rang
        from dossiers
    ) as classes
    where rang = 1
),

inscrits as (
    select distinct c.personne, c.mois
    from cohorte as c
    inner join {{ ref('int_inscriptions') }} as i
        on i.personne = c.personne
       and i.date_inscription < {{ ajouter_mois(6, 'c.date_orientation') }}
),

reprises as (
    select
        c.personne,
        c.mois,
        max(
            case
                when r.type_contrat in ('CDI', 'CREATION') then 1
                when r.type_contrat in ('CDD', 'CTT') and r.duree_prevue_jours >= 180 then 1
                else 0
            end
        ) as est_durable
    from cohorte as c
    inner join {{ ref('int_reprises_emploi') }} as r
        on r.personne = c.personne
       and r.date_embauche >= c.date_orientation
       and r.date_embauche < {{ ajouter_mois(6, 'c.date_orientation') }}
       and {{ dans_fenetre('r.date_embauche', apres=6, annee=true) }}
    group by c.personne, c.mois
),

placement as (
    select personne, mois, code_commune, sexe, annee_naissance
    from (
        select
            c.personne,
            c.mois,
            f.code_commune,
            f.sexe,
            f.annee_naissance,
            row_number() over (
                partition by c.personne, c.mois
                order by
                    case when f.mois = c.mois then 0 when f.mois < c.mois then 1 else 2 end,
                    case
                        when f.mois < c.mois then -{{ mois_index('f.mois') }}
                        else {{ mois_index('f.mois') }}
                    end
            ) as rang
        from cohorte as c
        inner join {{ ref('int_caf_personne_mois') }} as f
            on f.personne = c.personne
    ) as lignes
    where rang = 1
),

cohortes as (
    select
        c.personne,
        c.mois,
        c.date_orientation,
        c.departement_orientation,
        p.code_commune,
        {{ modalite_sexe('p.sexe') }} as sexe,
        {{ modalite_tranche_age('c.mois', 'p.annee_naissance') }} as tranche_age,
        {{ modalite_organisme_referent('c.date_orientation', 'c.organisme_referent') }} as organisme_referent,
        {{ modalite_type_parcours('c.type_parcours') }} as type_parcours,
        i.personne is not null as est_inscrit_ft,
        r.personne is not null as a_repris_emploi_6m,
        coalesce(r.est_durable = 1, false) as a_repris_emploi_durable_6m,
        -- dossier le plus ancien de l'année civile, qu'il qualifie ou non (inscription) : seule
        -- cette ligne peut faire entrer la personne dans la cohorte annuelle
        row_number() over (
            partition by c.personne, extract(year from c.mois)
            order by c.mois
        ) = 1 as est_premiere_cohorte_annee
    from cohorte as c
    left join inscrits as i
        on i.personne = c.personne and i.mois = c.mois
    left join reprises as r
        on r.personne = c.personne and r.mois = c.mois
    left join placement as p
        on p.personne = c.personne and p.mois = c.mois
)

select *
from cohortes
where {{ dans_fenetre('mois') }}
  -- aucune cohorte avant le premier mois de données (int_mois) : ni stock, ni territoire, ni
  -- indicateur ; la fenêtre incrémentale ne remonte pas plus loin (mois_a_recalculer.py)
  and mois >= (select min(m.mois) from {{ ref('int_mois') }} as m)
