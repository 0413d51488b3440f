-- Orientation des nouveaux entrants (instruction, volet 2 §4.2). Pour un nouvel entrant p de
-- D au mois M, T0 est la plus petite date_reception_notification parmi les dossiers de D pour
-- p avec debut(M) − 1 mois ≤ date_reception_notification < debut(M) + 3 mois ; ce dossier est
-- le dossier d'entrée (à T0 égal : la date d'orientation la plus ancienne, un dossier daté
-- avant un dossier vide). Sa date_orientation termine le délai. Sans dossier d'entrée, le
-- nouvel entrant reste dans les dénominateurs des deux taux comme « non orienté ».
with entrants as (
    select personne, departement, mois, code_commune, sexe, tranche_age
    from {{ ref('int_entrees_sdd') }}
),

dossiers as (
    select
        personne,
        producteur as departement,
        date_reception_notification,
        date_orientation
    from {{ ref('int_orientations') }}
    where personne is not null
),

candidats_entree as (
    select
        e.personne,
        e.departement,
        e.mois,
        d.date_reception_notification,
        d.date_orientation,
        row_number() over (
            partition by e.personne, e.departement, e.mois
            order by
                d.date_reception_notification,
                case when d.date_orientation is null then 1 else 0 end,
                d.date_orientation
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
)

select
    e.personne,
    e.departement,
    e.mois,
    e.code_commune,
    e.sexe,
    e.tranche_age,
    d.date_reception_notification as date_t0,
    d.date_orientation,
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
    -- première entrée de l'année civile dans ce département : population des chiffres annuels
    row_number() over (
        partition by e.personne, e.departement, extract(year from e.mois)
        order by e.mois
    ) = 1 as est_premiere_entree_annee
from entrants as e
left join entree as d
    on d.personne = e.personne
   and d.departement = e.departement
   and d.mois = e.mois
