-- Qualité de la liaison des personnes, en deux mesures :
--   enregistrements_non_lies : lignes des livraisons courantes qui ne rejoignent aucune
--     personne (id_rsa absent des paires CAF, id_ft absent des paires des inscriptions), par
--     type de fichier, producteur et mois de référence du fichier ; elles n'entrent dans aucun
--     indicateur ;
--   orientes_non_inscrits_ft : personnes de la cohorte d'orientation du mois (département du
--     dossier retenu) non inscrites à France Travail avant date_orientation + 6 mois, donc
--     hors des taux de retour à l'emploi.
with enregistrements as (
    select 'orientations' as type_fichier, o.producteur, o.mois,
        case when l.personne is null then 1 else 0 end as non_lie
    from {{ ref('stg_orientations') }} as o
    left join {{ ref('int_liaison_rsa') }} as l
        on l.pseudo_id_rsa = o.pseudo_id_rsa
    union all
    select 'accompagnements', a.producteur, a.mois,
        case when coalesce(ft.personne, rsa.personne) is null then 1 else 0 end
    from {{ ref('stg_accompagnements') }} as a
    left join {{ ref('int_liaison_rsa') }} as rsa
        on not a.est_france_travail and rsa.pseudo_id_rsa = a.pseudo_id_rsa
    left join {{ ref('int_liaison_ft') }} as ft
        on a.est_france_travail and ft.pseudo_id_ft = a.pseudo_id_ft
    union all
    select 'inscriptions', i.producteur, i.mois,
        case when l.personne is null then 1 else 0 end
    from {{ ref('stg_inscriptions') }} as i
    left join {{ ref('int_liaison_ft') }} as l
        on l.pseudo_id_ft = i.pseudo_id_ft
    union all
    select 'reprises_emploi', r.producteur, r.mois,
        case when l.personne is null then 1 else 0 end
    from {{ ref('stg_reprises_emploi') }} as r
    left join {{ ref('int_liaison_ft') }} as l
        on l.pseudo_id_ft = r.pseudo_id_ft
),

mesures as (
    select
        'enregistrements_non_lies' as mesure,
        type_fichier,
        producteur,
        mois,
        sum(non_lie) as numerateur,
        count(*) as denominateur
    from enregistrements
    group by type_fichier, producteur, mois
    union all
    select
        'orientes_non_inscrits_ft',
        'orientations',
        departement_orientation,
        mois,
        sum(case when est_inscrit_ft then 0 else 1 end),
        count(*)
    from {{ ref('int_cohortes_orientation') }}
    group by departement_orientation, mois
)

select
    mesure,
    type_fichier,
    producteur,
    mois,
    cast(numerateur as bigint) as numerateur,
    cast(denominateur as bigint) as denominateur,
    cast(numerateur as {{ type_double() }}) / denominateur as part
from mesures
