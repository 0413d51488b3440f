-- Référentiels de bassins (commune → bassin), un par année de validité : livraisons courantes.
select
    b.id_livraison,
    cast(b.annee as integer) as annee,
    cast(b.ligne as bigint) as ligne,
    upper(trim(b.code_commune)) as code_commune,
    upper(trim(b.code_bassin)) as code_bassin,
    trim(b.libelle_bassin) as libelle_bassin
from {{ source('raw', 'bassins') }} as b
inner join {{ ref('stg_livraisons_courantes') }} as l
    on l.id_livraison = b.id_livraison
   and l.type_fichier = 'bassins'
