-- Livraisons attendues et absentes : pour chaque mois calculé, chaque (type de fichier,
-- producteur) attendu sans livraison acceptée pour ce mois. Attendus : le fichier RSA de la
-- CAF/MSA, les inscriptions, accompagnements et reprises d'emploi de France Travail, et les
-- orientations et accompagnements de chacun des 101 départements.
with mois as (
    select mois from {{ ref('int_mois') }} where est_calcule
),

attendus as (
    select 'rsa' as type_fichier, 'caf' as producteur
    union all select 'inscriptions', 'ft'
    union all select 'accompagnements', 'ft'
    union all select 'reprises_emploi', 'ft'
    union all
    select 'orientations', code_departement from {{ ref('cog_departements') }}
    union all
    select 'accompagnements', code_departement from {{ ref('cog_departements') }}
),

rejets as (
    select type_fichier, producteur, mois, count(*) as nb_livraisons_rejetees
    from {{ ref('stg_livraisons') }}
    where statut = 'rejetee'
    group by type_fichier, producteur, mois
)

select
    a.type_fichier,
    a.producteur,
    m.mois,
    cast(coalesce(r.nb_livraisons_rejetees, 0) as bigint) as nb_livraisons_rejetees
from attendus as a
cross join mois as m
left join {{ ref('int_fichiers_livres') }} as f
    on f.type_fichier = a.type_fichier
   and f.producteur = a.producteur
   and f.mois = m.mois
left join rejets as r
    on r.type_fichier = a.type_fichier
   and r.producteur = a.producteur
   and r.mois = m.mois
where f.mois is null
