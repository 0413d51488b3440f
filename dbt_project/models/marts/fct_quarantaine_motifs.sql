-- Lignes mises en quarantaine, comptées par livraison, colonne et règle enfreinte.
select
    id_livraison,
    type_fichier,
    producteur,
    mois,
    colonne,
    regle,
    cast(count(*) as bigint) as nb_lignes
from {{ ref('stg_quarantaine') }}
group by id_livraison, type_fichier, producteur, mois, colonne, regle
