-- Grille exacte des territoires de marts.indicateurs : chaque territoire du référentiel pour
-- chaque mois calculé (les bassins changent avec le référentiel de l'année du mois). Sert au
-- contrôle bloquant de la publication (« territoire ou mois attendu manquant »).
select
    t.niveau,
    t.code_territoire,
    t.mois
from {{ ref('int_territoires_mois') }} as t
inner join {{ ref('int_mois') }} as m
    on m.mois = t.mois
   and m.est_calcule
