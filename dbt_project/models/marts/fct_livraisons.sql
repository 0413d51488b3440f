-- Registre des livraisons pour le suivi de la qualité (qui a livré quoi, quand), sans le
-- chemin du fichier dans le dossier de dépôt.
select
    id_livraison,
    type_fichier,
    producteur,
    mois,
    extension,
    sha256,
    taille_octets,
    date_modification,
    recu_le,
    statut,
    motif_rejet,
    lignes_lues,
    lignes_chargees,
    lignes_quarantaine,
    colonnes_ignorees,
    est_courante,
    remplacee_par
from {{ ref('stg_livraisons') }}
