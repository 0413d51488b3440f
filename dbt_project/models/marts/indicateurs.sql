-- marts.indicateurs : une ligne par indicateur × territoire du référentiel × mois calculé ×
-- (ventilation, modalité), zéros compris (indicators.md, « The output table » ; pilotage.md,
-- « Breakdowns ») : la ligne ventilation = modalite = 'ensemble', et une ligne par modalité de
-- chaque ventilation de l'indicateur (seeds indicateurs_ventilations et ventilations).
-- La grille (territoires × mois × indicateurs du seed indicateurs_definitions) est jointe à
-- l'union des modèles ind_<code> (models/indicateurs/, un par indicateur : population,
-- numérateur, dénominateur, valeur, département de maturité). La nature de l'indicateur
-- (seed indicateurs_definitions.type_indicateur) dit quelles colonnes sont remplies.
-- Statut, d'après les livraisons attendues du seed maturite_livraisons :
--   mois dont le fichier CAF n'a jamais été livré : tout est vide et provisoire ;
--   provisoire si une livraison nationale attendue même sans population manque ;
--   sinon définitif sans personne dans la population de l'indicateur ;
--   sinon provisoire si le département d'une de ces personnes n'a pas livré (calculé dans
--   ind_<code>) ou si une autre livraison nationale attendue manque ; définitif sinon.
{#- les modèles ind_<code> : macro modeles_indicateurs (macros/indicateurs.sql) -#}
{%- set liste_modeles = modeles_indicateurs() %}
{{ config_par_mois(statuts=true) }}
with mois as (
    select mois, caf_livre
    from {{ ref('int_mois') }}
    where est_calcule
      and {{ dans_fenetre('mois') }}
),

-- chaque indicateur : sa ligne « ensemble » et les modalités de ses ventilations
definitions as (
    select indicateur, type_indicateur, 'ensemble' as ventilation, 'ensemble' as modalite
    from {{ ref('indicateurs_definitions') }}
    union all
    select d.indicateur, d.type_indicateur, v.ventilation, v.modalite
    from {{ ref('indicateurs_definitions') }} as d
    inner join {{ ref('indicateurs_ventilations') }} as iv
        on iv.indicateur = d.indicateur
    inner join {{ ref('ventilations') }} as v
        on v.ventilation = iv.ventilation
),

grille as (
    select
        t.mois,
        t.niveau,
        t.code_territoire,
        d.indicateur,
        d.type_indicateur,
        d.ventilation,
        d.modalite,
        m.caf_livre
    from {{ ref('int_territoires_mois') }} as t
    inner join mois as m
        on m.mois = t.mois
    cross join definitions as d
),

chiffres as (
    {%- for modele in liste_modeles %}
    select indicateur, niveau, code_territoire, mois, ventilation, modalite, numerateur,
        denominateur, valeur, nb_personnes, est_provisoire_departements
    from {{ ref(modele) }}
    where grain = 'mois'
      and {{ dans_fenetre('mois') }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

-- livraisons nationales (France Travail) attendues par la règle de maturité, par indicateur et mois
livraisons_nationales as (
    select
        r.indicateur,
        m.mois,
        max(
            case
                when coalesce({{ mois_index('l.dernier_mois_livre') }} >= {{ mois_index('m.mois') }} + r.decalage_mois, false)
                    then 0
                else 1
            end
        ) as manque,
        max(
            case
                when r.attendue_sans_population
                     and not coalesce({{ mois_index('l.dernier_mois_livre') }} >= {{ mois_index('m.mois') }} + r.decalage_mois, false)
                    then 1
                else 0
            end
        ) as manque_meme_sans_population
    from mois as m
    cross join {{ ref('maturite_livraisons') }} as r
    left join {{ ref('int_dernier_mois_livre') }} as l
        on l.type_fichier = r.type_fichier
       and l.producteur = r.producteur
    where r.producteur <> 'departement'
    group by r.indicateur, m.mois
),

figures as (
    select
        g.indicateur,
        g.niveau,
        g.code_territoire,
        g.mois,
        g.ventilation,
        g.modalite,
        case
            when not g.caf_livre then null
            when g.type_indicateur in ('effectif', 'taux') then coalesce(c.numerateur, 0)
        end as numerateur,
        case
            when not g.caf_livre then null
            when g.type_indicateur <> 'effectif' then coalesce(c.denominateur, 0)
        end as denominateur,
        case
            when not g.caf_livre then null
            when g.type_indicateur = 'effectif' then cast(coalesce(c.numerateur, 0) as {{ type_double() }})
            else c.valeur
        end as valeur,
        case
            when not g.caf_livre then 'provisoire'
            when coalesce(f.manque_meme_sans_population, 0) = 1 then 'provisoire'
            when coalesce(e.nb_personnes, 0) = 0 then 'definitif'
            when e.est_provisoire_departements then 'provisoire'
            when coalesce(f.manque, 0) = 1 then 'provisoire'
            else 'definitif'
        end as statut
    from grille as g
    left join chiffres as c
        on c.indicateur = g.indicateur
       and c.niveau = g.niveau
       and c.code_territoire = g.code_territoire
       and c.mois = g.mois
       and c.ventilation = g.ventilation
       and c.modalite = g.modalite
    -- la ligne « ensemble » du même chiffre, qui décide du statut
    left join chiffres as e
        on e.indicateur = g.indicateur
       and e.niveau = g.niveau
       and e.code_territoire = g.code_territoire
       and e.mois = g.mois
       and e.ventilation = 'ensemble'
    left join livraisons_nationales as f
        on f.indicateur = g.indicateur
       and f.mois = g.mois
)

select
    cast(indicateur as {{ dbt.type_string() }}) as indicateur,
    cast(niveau as {{ dbt.type_string() }}) as niveau,
    cast(code_territoire as {{ dbt.type_string() }}) as code_territoire,
    cast(mois as date) as mois,
    cast(ventilation as {{ dbt.type_string() }}) as ventilation,
    cast(modalite as {{ dbt.type_string() }}) as modalite,
    cast(numerateur as bigint) as numerateur,
    cast(denominateur as bigint) as denominateur,
    cast(valeur as {{ type_double() }}) as valeur,
    cast(statut as {{ dbt.type_string() }}) as statut
from figures
