-- marts.indicateurs_annuels : une ligne par indicateur × territoire × année civile ayant au moins
-- un mois calculé × (ventilation, modalité), zéros compris (pilotage.md, « Yearly figures »).
-- Territoires d'une année : ceux des référentiels de ses mois calculés (int_territoires_mois).
-- Comment se fait le chiffre annuel : seed indicateurs_definitions.chiffre_annuel.
--   flux, cohorte : les lignes annuelles (grain = 'annee') du modèle ind_<code>, calculées par
--     deployer_territoires sur la population de l'année (première entrée de l'année par
--     département ; dossier le plus ancien de l'année, quand il qualifie) ;
--   stock : le chiffre de marts.indicateurs de décembre, ou du dernier mois calculé de l'année
--     quand décembre ne l'est pas encore.
-- Statut : provisoire quand décembre n'est pas encore calculé, ou quand une ligne mensuelle lue
-- est provisoire (flux et cohorte : les lignes « ensemble » du même indicateur et territoire
-- pour chaque mois calculé de l'année ; stock : le mois copié) ; définitif sinon.
{#- les modèles ind_<code> : macro modeles_indicateurs (macros/indicateurs.sql) -#}
{%- set liste_modeles = modeles_indicateurs() %}
{{ config_par_mois('annee', statuts=true) }}
with mois as (
    select mois, extract(year from mois) as annee
    from {{ ref('int_mois') }}
    where est_calcule
      -- construction incrémentale : les années que la fenêtre touche
      and {{ dans_fenetre('mois', annee=true) }}
),

-- chaque année ayant un mois calculé : décembre est-il calculé, quel mois copier pour un stock
annees as (
    select
        annee,
        max(case when extract(month from mois) = 12 then 1 else 0 end) as decembre_calcule,
        max(mois) as mois_copie
    from mois
    group by annee
),

territoires as (
    select distinct m.annee, t.niveau, t.code_territoire
    from {{ ref('int_territoires_mois') }} as t
    inner join mois as m
        on m.mois = t.mois
),

-- chaque indicateur : sa ligne « ensemble » et les modalités de ses ventilations
definitions as (
    select indicateur, type_indicateur, chiffre_annuel, 'ensemble' as ventilation, 'ensemble' as modalite
    from {{ ref('indicateurs_definitions') }}
    union all
    select d.indicateur, d.type_indicateur, d.chiffre_annuel, v.ventilation, v.modalite
    from {{ ref('indicateurs_definitions') }} as d
    inner join {{ ref('indicateurs_ventilations') }} as iv
        on iv.indicateur = d.indicateur
    inner join {{ ref('ventilations') }} as v
        on v.ventilation = iv.ventilation
),

grille as (
    select
        t.annee,
        t.niveau,
        t.code_territoire,
        d.indicateur,
        d.type_indicateur,
        d.chiffre_annuel,
        d.ventilation,
        d.modalite,
        a.decembre_calcule,
        a.mois_copie
    from territoires as t
    inner join annees as a
        on a.annee = t.annee
    cross join definitions as d
),

-- lignes annuelles des indicateurs de flux et de cohorte
chiffres_annuels as (
    {%- for modele in liste_modeles %}
    select indicateur, niveau, code_territoire, extract(year from mois) as annee, ventilation,
        modalite, numerateur, denominateur, valeur
    from {{ ref(modele) }}
    where grain = 'annee'
      and {{ dans_fenetre('mois', annee=true) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

-- une ligne « ensemble » mensuelle provisoire dans l'année, par indicateur et territoire
provisoires_annee as (
    select i.indicateur, i.niveau, i.code_territoire, m.annee, max(1) as provisoire
    from {{ ref('indicateurs') }} as i
    inner join mois as m
        on m.mois = i.mois
    where i.ventilation = 'ensemble'
      and i.statut = 'provisoire'
      and {{ dans_fenetre('i.mois', annee=true) }}
    group by i.indicateur, i.niveau, i.code_territoire, m.annee
),

flux_et_cohortes as (
    select
        g.indicateur,
        g.niveau,
        g.code_territoire,
        g.annee,
        g.ventilation,
        g.modalite,
        case when g.type_indicateur in ('effectif', 'taux') then coalesce(c.numerateur, 0) end as numerateur,
        case when g.type_indicateur <> 'effectif' then coalesce(c.denominateur, 0) end as denominateur,
        case
            when g.type_indicateur = 'effectif' then cast(coalesce(c.numerateur, 0) as {{ type_double() }})
            else c.valeur
        end as valeur,
        case
            when g.decembre_calcule = 0 then 'provisoire'
            when p.provisoire = 1 then 'provisoire'
            else 'definitif'
        end as statut
    from grille as g
    left join chiffres_annuels as c
        on c.indicateur = g.indicateur
       and c.niveau = g.niveau
       and c.code_territoire = g.code_territoire
       and c.annee = g.annee
       and c.ventilation = g.ventilation
       and c.modalite = g.modalite
    left join provisoires_annee as p
        on p.indicateur = g.indicateur
       and p.niveau = g.niveau
       and p.code_territoire = g.code_territoire
       and p.annee = g.annee
    where g.chiffre_annuel in ('flux', 'cohorte')
),

-- stocks : le chiffre du mois copié (décembre, sinon le dernier mois calculé de l'année)
stocks as (
    select
        g.indicateur,
        g.niveau,
        g.code_territoire,
        g.annee,
        g.ventilation,
        g.modalite,
        i.numerateur,
        i.denominateur,
        i.valeur,
        case
            when g.decembre_calcule = 0 then 'provisoire'
            else i.statut
        end as statut
    from grille as g
    inner join {{ ref('indicateurs') }} as i
        on i.indicateur = g.indicateur
       and i.niveau = g.niveau
       and i.code_territoire = g.code_territoire
       and i.mois = g.mois_copie
       and i.ventilation = g.ventilation
       and i.modalite = g.modalite
    where g.chiffre_annuel = 'stock'
),

figures as (
    select * from flux_et_cohortes
    union all
    select * from stocks
)

select
    cast(indicateur as {{ dbt.type_string() }}) as indicateur,
    cast(niveau as {{ dbt.type_string() }}) as niveau,
    cast(code_territoire as {{ dbt.type_string() }}) as code_territoire,
    cast(annee as integer) as annee,
    cast(ventilation as {{ dbt.type_string() }}) as ventilation,
    cast(modalite as {{ dbt.type_string() }}) as modalite,
    cast(numerateur as bigint) as numerateur,
    cast(denominateur as bigint) as denominateur,
    cast(valeur as {{ type_double() }}) as valeur,
    cast(statut as {{ dbt.type_string() }}) as statut
from figures
