{#- Test générique : les catégories de chaque ventilation partitionnent la population de la ligne
    « ensemble » (pilotage.md, « Breakdowns ») : pour chaque indicateur, territoire, période et
    ventilation, la somme des numérateurs (les effectifs des indicateurs de comptage) et celle
    des dénominateurs égalent exactement ceux de la ligne « ensemble » ; chaque ventilation a
    toutes ses modalités (seed ventilations). `periode` : la colonne de la période (mois pour
    marts.indicateurs, annee pour marts.indicateurs_annuels). Rend les chiffres qui ne
    s'additionnent pas. -#}
{% test ventilations_additives(model, periode) %}
with ensemble as (
    select indicateur, niveau, code_territoire, {{ periode }} as periode, numerateur, denominateur
    from {{ model }}
    where ventilation = 'ensemble'
),

sommes as (
    select
        indicateur, niveau, code_territoire, {{ periode }} as periode, ventilation,
        sum(numerateur) as numerateur,
        sum(denominateur) as denominateur,
        count(*) as nb_modalites
    from {{ model }}
    where ventilation <> 'ensemble'
    group by indicateur, niveau, code_territoire, {{ periode }}, ventilation
),

attendues as (
    select ventilation, count(*) as nb_modalites
    from {{ ref('ventilations') }}
    group by ventilation
)

select s.*, e.numerateur as numerateur_ensemble, e.denominateur as denominateur_ensemble
from sommes as s
inner join attendues as a
    on a.ventilation = s.ventilation
left join ensemble as e
    on e.indicateur = s.indicateur
   and e.niveau = s.niveau
   and e.code_territoire = s.code_territoire
   and e.periode = s.periode
where e.indicateur is null
   or s.nb_modalites <> a.nb_modalites
   or coalesce(s.numerateur, -1) <> coalesce(e.numerateur, -1)
   or coalesce(s.denominateur, -1) <> coalesce(e.denominateur, -1)
{% endtest %}
