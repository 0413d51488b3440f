-- Dictionnaire des indicateurs, lu par les tableaux de bord et le README des données ouvertes.
-- Les textes, libellés, nature, unité et décimales de publication viennent du seed
-- indicateurs_definitions, seul endroit où ils sont écrits. chiffre_annuel : comment se fait le
-- chiffre annuel (lu par les données ouvertes pour masquer les chiffres annuels de stock).
select
    indicateur,
    ordre,
    libelle,
    libelle_court,
    type_indicateur,
    unite,
    decimales,
    definition,
    sources,
    regle_maturite,
    chiffre_annuel
from {{ ref('indicateurs_definitions') }}
