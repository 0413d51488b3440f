-- Territoires du référentiel pour chaque mois : la France, les régions et les départements du
-- COG, et les bassins du référentiel qui s'applique au mois (bassins « hors référentiel » compris).
with communes as (
    select * from {{ ref('int_territoires_communes_mois') }}
)

select distinct mois, 'national' as niveau, 'FR' as code_territoire from communes
union all
select distinct mois, 'region' as niveau, code_region as code_territoire from communes
union all
select distinct mois, 'departement' as niveau, code_departement as code_territoire from communes
union all
select distinct mois, 'bassin' as niveau, code_bassin as code_territoire from communes
