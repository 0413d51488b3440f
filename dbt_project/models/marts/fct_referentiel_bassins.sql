-- Couverture de chaque référentiel de bassins chargé : communes du COG listées, communes
-- laissées de côté (placées dans un bassin HR du département), communes listées plusieurs
-- fois (la dernière ligne l'emporte), lignes hors du COG.
with lignes as (
    select annee, code_commune, count(*) as nb_lignes
    from {{ ref('stg_bassins') }}
    group by annee, code_commune
),

communes as (
    select code_commune from {{ ref('cog_communes') }}
),

completes as (
    select
        annee_referentiel,
        count(*) as nb_communes_cog,
        sum(case when est_hors_referentiel then 1 else 0 end) as nb_communes_hors_referentiel,
        count(distinct code_bassin) as nb_bassins
    from {{ ref('int_bassins_communes') }}
    where annee_referentiel is not null
    group by annee_referentiel
),

doublons as (
    select
        l.annee,
        sum(case when l.nb_lignes > 1 and c.code_commune is not null then 1 else 0 end) as nb_communes_en_double,
        sum(case when c.code_commune is null then l.nb_lignes else 0 end) as nb_lignes_hors_cog
    from lignes as l
    left join communes as c
        on c.code_commune = l.code_commune
    group by l.annee
)

select
    cast(c.annee_referentiel as integer) as annee_referentiel,
    cast(c.nb_communes_cog as bigint) as nb_communes_cog,
    cast(c.nb_communes_hors_referentiel as bigint) as nb_communes_hors_referentiel,
    cast(coalesce(d.nb_communes_en_double, 0) as bigint) as nb_communes_en_double,
    cast(coalesce(d.nb_lignes_hors_cog, 0) as bigint) as nb_lignes_hors_cog,
    cast(c.nb_bassins as bigint) as nb_bassins
from completes as c
left join doublons as d
    on d.annee = c.annee_referentiel
