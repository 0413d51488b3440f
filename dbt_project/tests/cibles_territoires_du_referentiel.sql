-- Seed cibles : une ligne qui nomme un territoire (et non `*`) doit viser un territoire du
-- référentiel (dim_territoires), sinon elle ne s'appliquerait à aucun chiffre. Avertissement
-- seulement : les bassins connus dépendent des référentiels chargés dans l'entrepôt.
{{ config(severity='warn') }}

select c.indicateur, c.niveau, c.code_territoire, c.debut
from {{ ref('cibles') }} as c
left join {{ ref('dim_territoires') }} as t
    on t.niveau = c.niveau
   and t.code_territoire = c.code_territoire
where c.code_territoire <> '*'
  and t.code_territoire is null
