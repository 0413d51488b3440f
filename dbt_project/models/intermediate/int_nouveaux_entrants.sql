{{ config_par_mois() }}
-- Orientation des nouveaux entrants (instruction, volet 2 §4.2). Pour un nouvel entrant p de
-- D au mois M, T0 est la plus petite date_reception_notification parmi les dossiers de D pour
-- p avec debut(M) − 1 mois ≤ date_reception_notification < debut(M) + 3 mois ; ce dossier est
-- le dossier d'entrée (à T0 égal : la date d'orientation la plus ancienne, un dossier daté
-- avant un dossier vide ; puis la règle de départage de pilotage.md : organisme référent puis
-- type de parcours dans l'ordre des listes de sources.md, vide en dernier). Sa
-- date_orientation termine le délai d'orientation, sa date_premier_rdv_accompagnement celui du
-- premier rendez-vous. Sans dossier d'entrée, le nouvel entrant reste dans les dénominateurs
-- des taux d'orientation comme « non orienté ».
with entrants as (
    select personne, departement, mois, code_commune, sexe, tranche_age
    from {{ ref('int_entrees_sdd') }}
    -- depuis janvier : est_premiere_entree_annee regarde les mois antérieurs de l'année
    where {{ dans_fenetre('mois', annee=true) }}
),

dossiers as (
    select
        personne,
        producteur as departement,
        pseudo_id_rsa,
        date_reception_notification,
        date_orientation,
        organisme_referent,
        type_parcours,
        date_premier_rdv_accompagnement
    from {{ ref('int_orientations') }}
    where personne is not null
      -- T0 d'une entrée de la fenêtre : de son mois − 1 mois à son mois + 3 mois
      and {{ dans_fenetre('date_reception_notification', avant=1, apres=2, annee=true) }}
),

candidats_entree as (
    select
        e.personne,
        e.departement,
        e.mois,
        d.date_reception_notification,
        d.date_orientation,
        d.organisme_referent,
        d.date_premier_rdv_accompagnement,
        row_number() over (
            partition by e.personne, e.departement, e.mois
            order by
                d.date_reception_notification,
                case when d.date_orientation is null then 1 else 0 end,
                d.date_orientation,
                {{ departage_dossiers('d.') }},
                -- dossiers encore ex aequo : mêmes modalités ; ordre fixe pour un résultat stable
                d.pseudo_id_rsa
        ) as rang
    from entrants as e
    inner join dossiers as d
        on d.personne = e.personne
       and d.departement = e.departement
       and d.date_reception_notification >= {{ ajouter_mois(-1, 'e.mois') }}
       and d.date_reception_notification < {{ ajouter_mois(3, 'e.mois') }}
),

entree as (
    select * from candidats_entree where rang = 1
),

delais as (
    select
        e.personne,
        e.departement,
        e.mois,
        e.code_commune,
        e.sexe,
        e.tranche_age,
        {{ modalite_organisme_referent('d.date_orientation', 'd.organisme_referent') }} as organisme_referent,
        d.date_reception_notification as date_t0,
        d.date_orientation,
        d.date_premier_rdv_accompagnement,
        case
            when d.date_orientation is not null
                then {{ jours_entre('d.date_reception_notification', 'd.date_orientation') }}
        end as delai_orientation_j,
        coalesce(d.date_orientation < {{ ajouter_jours(15, 'd.date_reception_notification') }}, false)
            as est_oriente_15j,
        coalesce(d.date_orientation < {{ ajouter_mois(1, 'd.date_reception_notification') }}, false)
            as est_oriente_1m,
        coalesce(d.date_orientation < {{ ajouter_mois(6, 'd.date_reception_notification') }}, false)
            as est_dans_fenetre_delai,
        coalesce(
            d.date_premier_rdv_accompagnement >= d.date_orientation
            and d.date_premier_rdv_accompagnement < {{ ajouter_jours(30, 'd.date_orientation') }},
            false
        ) as a_premier_rdv_30j_orientation,
        case
            when d.date_premier_rdv_accompagnement is not null
                then {{ jours_entre('d.date_reception_notification', 'd.date_premier_rdv_accompagnement') }}
        end as delai_premier_rdv_j,
        coalesce(
            d.date_premier_rdv_accompagnement >= d.date_reception_notification
            and d.date_premier_rdv_accompagnement < {{ ajouter_mois(9, 'd.date_reception_notification') }},
            false
        ) as est_dans_fenetre_premier_rdv
    from entrants as e
    left join entree as d
        on d.personne = e.personne
       and d.departement = e.departement
       and d.mois = e.mois
),

entrees as (
    select
        personne,
        departement,
        mois,
        code_commune,
        sexe,
        tranche_age,
        organisme_referent,
        date_t0,
        date_orientation,
        date_premier_rdv_accompagnement,
        delai_orientation_j,
        est_oriente_15j,
        est_oriente_1m,
        est_dans_fenetre_delai,
        est_dans_fenetre_delai and a_premier_rdv_30j_orientation as est_premier_rdv_30j,
        delai_premier_rdv_j,
        est_dans_fenetre_premier_rdv,
        -- première entrée de l'année civile dans ce département : population des chiffres annuels
        row_number() over (
            partition by personne, departement, extract(year from mois)
            order by mois
        ) = 1 as est_premiere_entree_annee
    from delais
)

select *
from entrees
where {{ dans_fenetre('mois') }}
