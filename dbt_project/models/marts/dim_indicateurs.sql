-- Dictionnaire des indicateurs, lu par les tableaux de bord et le README des données ouvertes.
-- Les textes, libellés, nature, unité et décimales de publication viennent du seed
-- indicateurs_definitions, seul endroit où ils sont écrits.
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
    regle_maturite
from {{ ref('indicateurs_definitions') }}
