-- Lignes mises en quarantaine par l'ingestion, rattachées à leur livraison.
select
    q.id_livraison,
    l.type_fichier,
    l.producteur,
    l.mois,
    cast(q.ligne as bigint) as ligne,
    q.colonne,
    q.regle
from {{ source('raw', 'quarantaine') }} as q
left join {{ ref('stg_livraisons') }} as l
    on l.id_livraison = q.id_livraison
