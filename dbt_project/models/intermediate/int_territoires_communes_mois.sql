-- Placement territorial d'une commune pour un mois : région et département du COG livré,
-- bassin du référentiel qui s'applique au mois (celui de l'année du mois ; à défaut le plus
-- récent antérieur ; à défaut le plus ancien postérieur ; sans référentiel, l'arrondissement).
with mois as (
    select mois, extract(year from mois) as annee
    from {{ ref('int_mois') }}
),

annees as (
    select distinct annee_referentiel
    from {{ ref('int_bassins_communes') }}
    where annee_referentiel is not null
),

choix as (
    select
        m.mois,
        coalesce(
            max(case when a.annee_referentiel <= m.annee then a.annee_referentiel end),
            min(a.annee_referentiel)
        ) as annee_referentiel
    from mois as m
    left join annees as a
        on 1 = 1
    group by m.mois
)

select
    c.mois,
    b.code_commune,
    b.code_region,
    b.code_departement,
    b.code_bassin,
    c.annee_referentiel
from choix as c
inner join {{ ref('int_bassins_communes') }} as b
    on coalesce(b.annee_referentiel, -1) = coalesce(c.annee_referentiel, -1)
