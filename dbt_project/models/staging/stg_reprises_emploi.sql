-- Reprises d'emploi connues de France Travail : lignes des livraisons courantes uniquement.
select
    r.id_livraison,
    l.producteur,
    cast(r.mois as date) as mois,
    cast(r.ligne as bigint) as ligne,
    {{ cle_compacte("r.pseudo_id_ft") }} as pseudo_id_ft,
    cast(r.date_embauche as date) as date_embauche,
    upper(trim(r.type_contrat)) as type_contrat,
    cast(r.duree_prevue_jours as bigint) as duree_prevue_jours
from {{ source('raw', 'reprises_emploi') }} as r
inner join {{ ref('stg_livraisons_courantes') }} as l
    on l.id_livraison = r.id_livraison
   and l.type_fichier = 'reprises_emploi'
