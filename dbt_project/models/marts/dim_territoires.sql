-- Territoires du référentiel : la France (FR), les 18 régions et les 101 départements du COG
-- livré, et les bassins (périmètres des comités locaux pour l'emploi) de tous les
-- référentiels chargés, bassins « hors référentiel » (HR + département) compris. Sans
-- référentiel chargé, les arrondissements tiennent lieu de bassins (est_substitut_arrondissement).
-- code_region et code_departement sont remplis quand le territoire est entièrement dans une
-- seule région ou un seul département (sinon, voir dim_territoires_appartenance).
with appartenances as (
    select
        code_territoire,
        count(distinct code_departement) as nb_departements,
        max(code_departement) as code_departement,
        count(distinct code_region) as nb_regions,
        max(code_region) as code_region
    from {{ ref('dim_territoires_appartenance') }}
    where niveau = 'bassin'
    group by code_territoire
)

select
    'national' as niveau,
    'FR' as code_territoire,
    'France' as libelle_territoire,
    cast(null as {{ dbt.type_string() }}) as code_region,
    cast(null as {{ dbt.type_string() }}) as code_departement,
    false as est_substitut_arrondissement
union all
select 'region', code_region, libelle_region, code_region, cast(null as {{ dbt.type_string() }}), false
from {{ ref('cog_regions') }}
union all
select 'departement', code_departement, libelle_departement, code_region, code_departement, false
from {{ ref('cog_departements') }}
union all
select
    'bassin',
    b.code_bassin,
    b.libelle_bassin,
    case when a.nb_regions = 1 then a.code_region end,
    case when a.nb_departements = 1 then a.code_departement end,
    b.est_substitut_arrondissement
from {{ ref('int_bassins') }} as b
inner join appartenances as a
    on a.code_territoire = b.code_bassin
