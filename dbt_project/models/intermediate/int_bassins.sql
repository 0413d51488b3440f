-- Un bassin par ligne, tel que le décrit le référentiel le plus récent qui le contient
-- (libellé, année, bassin hors référentiel ou arrondissement substitut).
with versions as (
    select
        code_bassin,
        annee_referentiel,
        max(libelle_bassin) as libelle_bassin,
        max(case when est_hors_referentiel then 1 else 0 end) = 1 as est_hors_referentiel,
        max(case when est_substitut_arrondissement then 1 else 0 end) = 1 as est_substitut_arrondissement,
        row_number() over (
            partition by code_bassin
            order by coalesce(annee_referentiel, -1) desc
        ) as rang
    from {{ ref('int_bassins_communes') }}
    group by code_bassin, annee_referentiel
)

select
    code_bassin,
    annee_referentiel,
    libelle_bassin,
    est_hors_referentiel,
    est_substitut_arrondissement
from versions
where rang = 1
