-- marts.cibles (pilotage.md, « Targets ») : la cible de chaque chiffre mensuel `ensemble` de la
-- grille (territoire du référentiel × mois calculé × indicateur du seed cibles) qui en a une.
-- Le modèle s'appelle fct_cibles car le seed gouverné porte déjà le nom cibles ; la table
-- s'appelle cibles (alias, _marts.yml). Construit depuis la grille, et non depuis
-- marts.indicateurs : il ne dépend pas de la présence des chiffres.
-- Règle : la ligne du territoire le plus précis (son propre code, puis `*` de son niveau) dont
-- la période [debut, fin] contient le mois ; à précision égale, le `debut` le plus récent.
with mois as (
    select mois
    from {{ ref('int_mois') }}
    where est_calcule
),

grille as (
    select
        t.niveau,
        t.code_territoire,
        t.mois
    from {{ ref('int_territoires_mois') }} as t
    inner join mois as m
        on m.mois = t.mois
),

-- périodes des cibles en dates : debut = premier jour de son mois, fin = premier jour du
-- dernier mois couvert (vide : sans fin)
cibles as (
    select
        indicateur,
        niveau,
        code_territoire,
        cast({{ dbt.concat(["debut", "'-01'"]) }} as date) as debut,
        case
            when fin is not null then cast({{ dbt.concat(["fin", "'-01'"]) }} as date)
        end as fin,
        valeur_cible,
        sens,
        source
    from {{ ref('cibles') }}
),

candidates as (
    select
        c.indicateur,
        g.niveau,
        g.code_territoire,
        g.mois,
        c.valeur_cible,
        c.sens,
        c.source,
        row_number() over (
            partition by c.indicateur, g.niveau, g.code_territoire, g.mois
            order by
                case when c.code_territoire = '*' then 1 else 0 end,
                c.debut desc
        ) as rang
    from grille as g
    inner join cibles as c
        on c.niveau = g.niveau
       and (c.code_territoire = g.code_territoire or c.code_territoire = '*')
       and g.mois >= c.debut
       and (c.fin is null or g.mois <= c.fin)
)

select
    cast(indicateur as {{ dbt.type_string() }}) as indicateur,
    cast(niveau as {{ dbt.type_string() }}) as niveau,
    cast(code_territoire as {{ dbt.type_string() }}) as code_territoire,
    cast(mois as date) as mois,
    cast(valeur_cible as {{ type_double() }}) as valeur_cible,
    cast(sens as {{ dbt.type_string() }}) as sens,
    cast(source as {{ dbt.type_string() }}) as source
from candidates
where rang = 1
