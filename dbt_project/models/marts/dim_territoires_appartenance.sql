-- Appartenances des territoires : pour chaque territoire, les départements (et leur région)
-- qu'il recouvre, avec le nombre de communes et la population en commun. Un bassin peut
-- chevaucher plusieurs départements, voire plusieurs régions : il a alors plusieurs lignes.
-- Pour un bassin, le référentiel lu est le plus récent qui le contient (int_bassins).
with communes as (
    select code_commune, code_departement, code_region, population
    from {{ ref('cog_communes') }}
),

bassins as (
    select b.code_bassin, b.annee_referentiel, b.code_commune
    from {{ ref('int_bassins_communes') }} as b
    inner join {{ ref('int_bassins') }} as v
        on v.code_bassin = b.code_bassin
       and coalesce(v.annee_referentiel, -1) = coalesce(b.annee_referentiel, -1)
),

appartenances as (
    select 'national' as niveau, 'FR' as code_territoire, cast(null as integer) as annee_referentiel, code_commune
    from communes
    union all
    select 'region', code_region, cast(null as integer), code_commune
    from communes
    union all
    select 'departement', code_departement, cast(null as integer), code_commune
    from communes
    union all
    select 'bassin', code_bassin, annee_referentiel, code_commune
    from bassins
)

select
    a.niveau,
    a.code_territoire,
    c.code_departement,
    c.code_region,
    cast(a.annee_referentiel as integer) as annee_referentiel,
    cast(count(*) as bigint) as nb_communes,
    cast(sum(c.population) as bigint) as population
from appartenances as a
inner join communes as c
    on c.code_commune = a.code_commune
group by a.niveau, a.code_territoire, c.code_departement, c.code_region, a.annee_referentiel
