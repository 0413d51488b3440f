-- Fichiers d'orientations des départements : lignes des livraisons courantes uniquement.
-- Le producteur est le département qui envoie le fichier.
select
    o.id_livraison,
    l.producteur,
    cast(o.mois as date) as mois,
    cast(o.ligne as bigint) as ligne,
    {{ cle_compacte("o.pseudo_id_rsa") }} as pseudo_id_rsa,
    {{ cle_compacte("o.pseudo_id_ft") }} as pseudo_id_ft,
    cast(o.date_ouverture_droit as date) as date_ouverture_droit,
    cast(o.date_reception_notification as date) as date_reception_notification,
    cast(o.date_entree_dispositif as date) as date_entree_dispositif,
    cast(o.date_rdv_orientation as date) as date_rdv_orientation,
    cast(o.date_orientation as date) as date_orientation,
    upper(trim(o.organisme_referent)) as organisme_referent,
    lower(trim(o.type_parcours)) as type_parcours,
    cast(o.accompagnement_global as boolean) as accompagnement_global,
    upper(trim(o.freins)) as freins,
    cast(o.date_signature_contrat as date) as date_signature_contrat,
    cast(o.date_premier_rdv_accompagnement as date) as date_premier_rdv_accompagnement
from {{ source('raw', 'orientations') }} as o
inner join {{ ref('stg_livraisons_courantes') }} as l
    on l.id_livraison = o.id_livraison
   and l.type_fichier = 'orientations'
