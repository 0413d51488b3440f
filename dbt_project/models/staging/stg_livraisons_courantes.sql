-- Livraisons qui comptent pour les indicateurs : acceptées et courantes (une par type de
-- fichier, producteur et mois ; une livraison plus récente remplace entièrement l'ancienne).
select id_livraison, type_fichier, producteur, mois
from {{ ref('stg_livraisons') }}
where statut = 'acceptee' and est_courante
