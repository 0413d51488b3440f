-- Fichiers d'accompagnements (départements et France Travail) : livraisons courantes uniquement.
select
    a.id_livraison,
    l.producteur,
    cast(a.mois as date) as mois,
    cast(a.ligne as bigint) as ligne,
    {{ cle_compacte("a.pseudo_id_rsa") }} as pseudo_id_rsa,
    {{ cle_compacte("a.pseudo_id_ft") }} as pseudo_id_ft,
    upper(trim(a.organisme)) as organisme,
    upper(trim(a.modalite)) as modalite,
    cast(a.heures_hebdo as double) as heures_hebdo,
    cast(a.date_debut as date) as date_debut,
    cast(a.date_fin as date) as date_fin,
    l.producteur = 'ft' as est_france_travail
from {{ source('raw', 'accompagnements') }} as a
inner join {{ ref('stg_livraisons_courantes') }} as l
    on l.id_livraison = a.id_livraison
   and l.type_fichier = 'accompagnements'
