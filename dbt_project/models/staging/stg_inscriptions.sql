-- Inscriptions à France Travail : lignes des livraisons courantes uniquement.
select
    i.id_livraison,
    l.producteur,
    cast(i.mois as date) as mois,
    cast(i.ligne as bigint) as ligne,
    {{ cle_compacte("i.pseudo_id_ft") }} as pseudo_id_ft,
    {{ cle_compacte("i.pseudo_nir") }} as pseudo_nir,
    upper(trim(i.code_commune)) as code_commune,
    cast(i.date_inscription as date) as date_inscription,
    upper(trim(i.categorie)) as categorie,
    cast(i.date_sortie as date) as date_sortie,
    upper(trim(i.motif_sortie)) as motif_sortie,
    upper(trim(i.sexe)) as sexe,
    cast(i.annee_naissance as integer) as annee_naissance,
    upper(trim(i.niveau_formation)) as niveau_formation,
    cast(i.rqth as boolean) as rqth,
    cast(i.qpv as boolean) as qpv
from {{ source('raw', 'inscriptions') }} as i
inner join {{ ref('stg_livraisons_courantes') }} as l
    on l.id_livraison = i.id_livraison
   and l.type_fichier = 'inscriptions'
