-- marts.indicateurs : une ligne par indicateur × territoire du référentiel × mois calculé,
-- zéros compris, ventilation = modalite = 'ensemble' (indicators.md, « The output table »).
-- Le statut applique les règles de maturité de chaque indicateur :
--   mois dont le fichier CAF n'a jamais été livré : tout est vide et provisoire ;
--   beneficiaires_sdd : toujours définitif ;
--   taux de retour à l'emploi : provisoire tant que France Travail n'a pas livré reprises
--     d'emploi et inscriptions pour M+8 ou plus tard ;
--   autres : définitif sans personne dans la population regardée par la règle ; sinon
--     provisoire si un département de ces personnes n'a pas livré le fichier attendu
--     (orientations M, M+4, M+9 ; accompagnements M) ou, pour part_accompagnement_intensif,
--     si France Travail n'a pas livré ses accompagnements pour M ou plus tard.
with mois as (
    select mois, caf_livre
    from {{ ref('int_mois') }}
    where est_calcule
),

grille as (
    select
        t.mois,
        t.niveau,
        t.code_territoire,
        d.indicateur,
        d.type_indicateur,
        m.caf_livre
    from {{ ref('int_territoires_mois') }} as t
    inner join mois as m
        on m.mois = t.mois
    cross join {{ ref('indicateurs_definitions') }} as d
),

livraisons_ft as (
    select
        m.mois,
        coalesce(
            max(case when l.type_fichier = 'accompagnements' then l.dernier_mois_livre end) >= m.mois,
            false
        ) as accompagnements_livres,
        coalesce(
            max(case when l.type_fichier = 'reprises_emploi' then l.dernier_mois_livre end)
                >= {{ ajouter_mois(8, 'm.mois') }}
            and max(case when l.type_fichier = 'inscriptions' then l.dernier_mois_livre end)
                >= {{ ajouter_mois(8, 'm.mois') }},
            false
        ) as emploi_livre
    from mois as m
    left join {{ ref('int_dernier_mois_livre') }} as l
        on l.producteur = 'ft'
    group by m.mois
),

figures as (
    select
        g.indicateur,
        g.niveau,
        g.code_territoire,
        g.mois,
        case
            when not g.caf_livre then null
            when g.type_indicateur in ('effectif', 'taux') then coalesce(a.numerateur, 0)
        end as numerateur,
        case
            when not g.caf_livre then null
            when g.type_indicateur <> 'effectif' then coalesce(a.denominateur, 0)
        end as denominateur,
        case
            when not g.caf_livre then null
            when g.type_indicateur = 'effectif' then cast(coalesce(a.numerateur, 0) as {{ type_double() }})
            else a.valeur
        end as valeur,
        case
            when not g.caf_livre then 'provisoire'
            when g.indicateur = 'beneficiaires_sdd' then 'definitif'
            when g.indicateur in ('taux_retour_emploi_6m', 'taux_retour_emploi_durable_6m')
                then case when f.emploi_livre then 'definitif' else 'provisoire' end
            when coalesce(a.nb_personnes_maturite, 0) = 0 then 'definitif'
            when a.est_provisoire_departements then 'provisoire'
            when g.indicateur = 'part_accompagnement_intensif' and not f.accompagnements_livres
                then 'provisoire'
            else 'definitif'
        end as statut
    from grille as g
    left join {{ ref('int_agregats_territoires') }} as a
        on a.indicateur = g.indicateur
       and a.niveau = g.niveau
       and a.code_territoire = g.code_territoire
       and a.mois = g.mois
    left join livraisons_ft as f
        on f.mois = g.mois
)

select
    cast(indicateur as {{ dbt.type_string() }}) as indicateur,
    cast(niveau as {{ dbt.type_string() }}) as niveau,
    cast(code_territoire as {{ dbt.type_string() }}) as code_territoire,
    cast(mois as date) as mois,
    cast('ensemble' as {{ dbt.type_string() }}) as ventilation,
    cast('ensemble' as {{ dbt.type_string() }}) as modalite,
    cast(numerateur as bigint) as numerateur,
    cast(denominateur as bigint) as denominateur,
    cast(valeur as {{ type_double() }}) as valeur,
    cast(statut as {{ dbt.type_string() }}) as statut
from figures
