-- Fichiers mensuels RSA (CAF et MSA) : lignes des livraisons courantes uniquement.
select
    r.id_livraison,
    l.producteur,
    cast(r.mois as date) as mois,
    cast(r.ligne as bigint) as ligne,
    {{ cle_compacte("r.pseudo_id_rsa") }} as pseudo_id_rsa,
    {{ cle_compacte("r.pseudo_nir") }} as pseudo_nir,
    upper(trim(r.organisme)) as organisme,
    upper(trim(r.code_commune)) as code_commune,
    upper(trim(r.sexe)) as sexe,
    cast(r.annee_naissance as integer) as annee_naissance,
    cast(r.date_ouverture_droit as date) as date_ouverture_droit,
    lower(trim(r.etat_droit)) as etat_droit,
    cast(r.droit_versable as boolean) as droit_versable,
    cast(r.soumis_droits_devoirs as boolean) as soumis_droits_devoirs
from {{ source('raw', 'rsa') }} as r
inner join {{ ref('stg_livraisons_courantes') }} as l
    on l.id_livraison = r.id_livraison
   and l.type_fichier = 'rsa'
