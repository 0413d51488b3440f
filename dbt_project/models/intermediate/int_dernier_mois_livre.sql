-- Dernier mois livré par (type de fichier, producteur) : « livré pour le mois X ou un mois
-- ultérieur » équivaut à dernier_mois_livre ≥ X. Sert aux règles de maturité.
select
    type_fichier,
    producteur,
    max(mois) as dernier_mois_livre
from {{ ref('int_fichiers_livres') }}
group by type_fichier, producteur
