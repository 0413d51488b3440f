-- Version courante de chaque inscription à France Travail, clé naturelle (id_ft,
-- date_inscription), rattachée à la personne par la paire (id_ft, NIR) retenue.
with versions as (
    {{ versions_courantes(ref('stg_inscriptions'), ['r.pseudo_id_ft', 'r.date_inscription']) }}
)

select
    v.pseudo_id_ft,
    v.date_inscription,
    l.personne,
    v.mois as mois_version,
    v.id_livraison,
    v.code_commune,
    v.categorie,
    v.date_sortie,
    v.motif_sortie,
    v.niveau_formation,
    v.rqth,
    v.qpv
from versions as v
left join {{ ref('int_liaison_ft') }} as l
    on l.pseudo_id_ft = v.pseudo_id_ft
