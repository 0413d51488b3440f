-- Registre des livraisons, typé. Toutes les livraisons, acceptées ou rejetées, courantes ou remplacées.
select
    cast(id_livraison as {{ dbt.type_string() }}) as id_livraison,
    cast(chemin as {{ dbt.type_string() }}) as chemin,
    lower(trim(type_fichier)) as type_fichier,
    trim(producteur) as producteur,
    cast(mois as date) as mois,
    lower(trim(extension)) as extension,
    sha256,
    cast(taille_octets as bigint) as taille_octets,
    cast(date_modification as timestamp) as date_modification,
    cast(recu_le as timestamp) as recu_le,
    lower(trim(statut)) as statut,
    motif_rejet,
    encodage,
    delimiteur,
    cast(lignes_lues as bigint) as lignes_lues,
    cast(lignes_chargees as bigint) as lignes_chargees,
    cast(lignes_quarantaine as bigint) as lignes_quarantaine,
    colonnes_ignorees,
    coalesce(cast(est_courante as boolean), false) as est_courante,
    remplacee_par
from {{ source('raw', 'livraisons') }}
