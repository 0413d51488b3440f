-- Mois livrés par (type de fichier, producteur) : un fichier compte comme livré pour son mois
-- dès qu'il a été accepté, même sans ligne ; un fichier rejeté ne compte pas.
select
    type_fichier,
    producteur,
    mois,
    count(*) as nb_livraisons_acceptees
from {{ ref('stg_livraisons') }}
where statut = 'acceptee'
group by type_fichier, producteur, mois
