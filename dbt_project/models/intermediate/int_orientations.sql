-- Version courante de chaque dossier d'orientation, clé naturelle (département producteur,
-- id_rsa, date_reception_notification), rattaché à la personne par la paire (id_rsa, NIR).
-- Un dossier non rattachable est gardé avec une personne vide (compté dans fct_liaison).
with versions as (
    {{ versions_courantes(ref('stg_orientations'), ['r.producteur', 'r.pseudo_id_rsa', 'r.date_reception_notification']) }}
)

select
    v.producteur,
    v.pseudo_id_rsa,
    v.date_reception_notification,
    l.personne,
    v.mois as mois_version,
    v.id_livraison,
    v.pseudo_id_ft,
    v.date_ouverture_droit,
    v.date_entree_dispositif,
    v.date_rdv_orientation,
    v.date_orientation,
    v.organisme_referent,
    v.type_parcours,
    v.accompagnement_global,
    v.freins,
    v.date_signature_contrat,
    v.date_premier_rdv_accompagnement
from versions as v
left join {{ ref('int_liaison_rsa') }} as l
    on l.pseudo_id_rsa = v.pseudo_id_rsa
