-- Dictionnaire des indicateurs, lu par les tableaux de bord et le README des données ouvertes.
-- Les textes viennent du seed indicateurs_definitions, seul endroit où ils sont écrits.
select
    indicateur,
    ordre,
    libelle,
    type_indicateur,
    unite,
    definition,
    sources,
    regle_maturite
from {{ ref('indicateurs_definitions') }}
