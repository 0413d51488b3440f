-- Version courante de chaque épisode d'accompagnement, clé naturelle (producteur,
-- identifiant, date_debut, modalite) où l'identifiant est l'id_rsa pour un département et
-- l'id_ft pour France Travail ; rattaché à la personne par la paire correspondante.
with episodes as (
    select
        s.*,
        case when s.est_france_travail then s.pseudo_id_ft else s.pseudo_id_rsa end as identifiant
    from {{ ref('stg_accompagnements') }} as s
),

versions as (
    {{ versions_courantes('episodes', ['r.producteur', 'r.identifiant', 'r.date_debut', 'r.modalite']) }}
)

select
    v.producteur,
    v.identifiant,
    v.date_debut,
    v.modalite,
    case when v.est_france_travail then ft.personne else rsa.personne end as personne,
    v.est_france_travail,
    v.mois as mois_version,
    v.id_livraison,
    v.pseudo_id_rsa,
    v.pseudo_id_ft,
    v.organisme,
    v.heures_hebdo,
    v.date_fin
from versions as v
left join {{ ref('int_liaison_rsa') }} as rsa
    on not v.est_france_travail and rsa.pseudo_id_rsa = v.pseudo_id_rsa
left join {{ ref('int_liaison_ft') }} as ft
    on v.est_france_travail and ft.pseudo_id_ft = v.pseudo_id_ft
