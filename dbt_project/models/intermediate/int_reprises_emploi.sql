-- Version courante de chaque reprise d'emploi, clé naturelle (id_ft, date_embauche,
-- type_contrat), rattachée à la personne par la paire (id_ft, NIR).
with versions as (
    {{ versions_courantes(ref('stg_reprises_emploi'), ['r.pseudo_id_ft', 'r.date_embauche', 'r.type_contrat']) }}
)

select
    v.pseudo_id_ft,
    v.date_embauche,
    v.type_contrat,
    l.personne,
    v.mois as mois_version,
    v.id_livraison,
    v.duree_prevue_jours
from versions as v
left join {{ ref('int_liaison_ft') }} as l
    on l.pseudo_id_ft = v.pseudo_id_ft
