-- Référentiels de bassins complétés, un par année de validité chargée : chaque commune du COG
-- tombe dans exactement un bassin. Une commune listée deux fois : la dernière ligne l'emporte.
-- Une commune absente du fichier va dans le bassin « hors référentiel » de son département
-- (HR + code du département). Sans aucun référentiel chargé, les arrondissements du COG
-- tiennent lieu de bassins (annee_referentiel vide, est_substitut_arrondissement vrai ; les
-- communes sans arrondissement, à Mayotte, vont dans HR976).
with communes as (
    select
        c.code_commune,
        c.code_departement,
        c.code_region,
        c.code_arrondissement,
        d.libelle_departement
    from {{ ref('cog_communes') }} as c
    inner join {{ ref('cog_departements') }} as d
        on d.code_departement = c.code_departement
),

lignes as (
    select
        annee,
        code_commune,
        code_bassin,
        libelle_bassin,
        row_number() over (partition by annee, code_commune order by ligne desc) as rang
    from {{ ref('stg_bassins') }}
    where code_bassin is not null
),

annees as (
    select distinct annee from lignes
),

referentiels as (
    select
        a.annee as annee_referentiel,
        c.code_commune,
        c.code_departement,
        c.code_region,
        coalesce(l.code_bassin, 'HR' || c.code_departement) as code_bassin,
        coalesce(l.libelle_bassin, 'Hors référentiel – ' || c.libelle_departement) as libelle_bassin,
        l.code_bassin is null as est_hors_referentiel,
        false as est_substitut_arrondissement
    from annees as a
    cross join communes as c
    left join lignes as l
        on l.annee = a.annee
       and l.code_commune = c.code_commune
       and l.rang = 1
),

substitut as (
    select
        cast(null as integer) as annee_referentiel,
        c.code_commune,
        c.code_departement,
        c.code_region,
        coalesce(ar.code_arrondissement, 'HR' || c.code_departement) as code_bassin,
        coalesce(
            ar.libelle_arrondissement || ' (arrondissement)',
            'Hors référentiel – ' || c.libelle_departement
        ) as libelle_bassin,
        ar.code_arrondissement is null as est_hors_referentiel,
        true as est_substitut_arrondissement
    from communes as c
    left join {{ ref('cog_arrondissements') }} as ar
        on ar.code_arrondissement = c.code_arrondissement
    where not exists (select 1 from annees)
)

select * from referentiels
union all
select * from substitut
