-- Chiffres agrégés de chaque indicateur par territoire et mois calculé (mois dont le fichier
-- CAF a été livré), pour les seuls territoires qui ont au moins une personne dans la
-- population de l'indicateur. Chaque niveau est agrégé directement depuis les lignes
-- individuelles (un bassin peut chevaucher deux départements). Porte aussi la partie
-- individuelle des règles de maturité : nb_personnes_maturite (personnes de la population que
-- regarde la règle) et est_provisoire_departements (le département d'une de ces personnes n'a
-- pas livré le fichier attendu). La grille complète et le statut sont faits dans marts.indicateurs.
with mois as (
    select mois
    from {{ ref('int_mois') }}
    where est_calcule and caf_livre
),

territoires as (
    select mois, code_commune, code_region, code_departement, code_bassin
    from {{ ref('int_territoires_communes_mois') }}
),

livres as (
    select type_fichier, producteur, dernier_mois_livre
    from {{ ref('int_dernier_mois_livre') }}
),

beneficiaires as (
    select
        b.mois,
        t.code_region,
        t.code_departement,
        t.code_bassin,
        case when b.est_intensif then 1 else 0 end as est_intensif,
        case when l.dernier_mois_livre >= b.mois then 0 else 1 end as accompagnements_manquants
    from {{ ref('int_beneficiaires_sdd_mois') }} as b
    inner join mois as m
        on m.mois = b.mois
    inner join territoires as t
        on t.mois = b.mois
       and t.code_commune = b.code_commune
    left join livres as l
        on l.type_fichier = 'accompagnements'
       and l.producteur = t.code_departement
),

entrants as (
    select
        n.mois,
        t.code_region,
        t.code_departement,
        t.code_bassin,
        case when n.est_oriente_15j then 1 else 0 end as est_oriente_15j,
        case when n.est_oriente_1m then 1 else 0 end as est_oriente_1m,
        case when n.est_dans_fenetre_delai then 1 else 0 end as est_dans_fenetre_delai,
        case when n.est_dans_fenetre_delai then n.delai_orientation_j end as delai_orientation_j,
        case when l.dernier_mois_livre >= n.mois then 0 else 1 end as orientations_manquantes_m,
        case
            when l.dernier_mois_livre >= {{ ajouter_mois(4, 'n.mois') }} then 0 else 1
        end as orientations_manquantes_m4,
        case
            when l.dernier_mois_livre >= {{ ajouter_mois(9, 'n.mois') }} then 0 else 1
        end as orientations_manquantes_m9
    from {{ ref('int_nouveaux_entrants') }} as n
    inner join mois as m
        on m.mois = n.mois
    inner join territoires as t
        on t.mois = n.mois
       and t.code_commune = n.code_commune
    left join livres as l
        on l.type_fichier = 'orientations'
       and l.producteur = n.departement
),

cohortes as (
    select
        c.mois,
        t.code_region,
        t.code_departement,
        t.code_bassin,
        case when c.a_repris_emploi_6m then 1 else 0 end as a_repris_emploi_6m,
        case when c.a_repris_emploi_durable_6m then 1 else 0 end as a_repris_emploi_durable_6m
    from {{ ref('int_cohortes_orientation') }} as c
    inner join mois as m
        on m.mois = c.mois
    inner join territoires as t
        on t.mois = c.mois
       and t.code_commune = c.code_commune
    where c.est_inscrit_ft
),

agregats_beneficiaires as (
    {{ agreger_par_niveau('beneficiaires',
        'count(*) as effectif,
        sum(est_intensif) as nb_intensifs,
        max(accompagnements_manquants) as accompagnements_manquants') }}
),

agregats_entrants as (
    {{ agreger_par_niveau('entrants',
        'count(*) as effectif,
        sum(est_oriente_15j) as nb_orientes_15j,
        sum(est_oriente_1m) as nb_orientes_1m,
        sum(est_dans_fenetre_delai) as nb_dans_fenetre,
        avg(delai_orientation_j) as delai_moyen,
        max(orientations_manquantes_m) as orientations_manquantes_m,
        max(orientations_manquantes_m4) as orientations_manquantes_m4,
        max(orientations_manquantes_m9) as orientations_manquantes_m9') }}
),

medianes as (
    {{ mediane_par_niveau('entrants', 'delai_orientation_j') }}
),

agregats_cohortes as (
    {{ agreger_par_niveau('cohortes',
        'count(*) as effectif,
        sum(a_repris_emploi_6m) as nb_reprises,
        sum(a_repris_emploi_durable_6m) as nb_reprises_durables') }}
),

chiffres as (
    select
        'beneficiaires_sdd' as indicateur, niveau, code_territoire, mois,
        effectif as numerateur,
        cast(null as bigint) as denominateur,
        cast(effectif as {{ type_double() }}) as valeur,
        effectif as nb_personnes_maturite,
        0 as departements_manquants
    from agregats_beneficiaires
    union all
    select
        'part_accompagnement_intensif', niveau, code_territoire, mois,
        nb_intensifs, effectif,
        cast(nb_intensifs as {{ type_double() }}) / effectif,
        effectif,
        accompagnements_manquants
    from agregats_beneficiaires
    union all
    select
        'nouveaux_entrants', niveau, code_territoire, mois,
        effectif, cast(null as bigint),
        cast(effectif as {{ type_double() }}),
        effectif,
        orientations_manquantes_m
    from agregats_entrants
    union all
    select
        'taux_orientation_15j', niveau, code_territoire, mois,
        nb_orientes_15j, effectif,
        cast(nb_orientes_15j as {{ type_double() }}) / effectif,
        effectif,
        orientations_manquantes_m4
    from agregats_entrants
    union all
    select
        'taux_orientation_1m', niveau, code_territoire, mois,
        nb_orientes_1m, effectif,
        cast(nb_orientes_1m as {{ type_double() }}) / effectif,
        effectif,
        orientations_manquantes_m4
    from agregats_entrants
    union all
    select
        'delai_orientation_moyen_j', niveau, code_territoire, mois,
        cast(null as bigint), nb_dans_fenetre,
        cast(delai_moyen as {{ type_double() }}),
        effectif,
        orientations_manquantes_m9
    from agregats_entrants
    union all
    select
        'delai_orientation_median_j', a.niveau, a.code_territoire, a.mois,
        cast(null as bigint), a.nb_dans_fenetre,
        cast(m.mediane as {{ type_double() }}),
        a.effectif,
        a.orientations_manquantes_m9
    from agregats_entrants as a
    left join medianes as m
        on m.niveau = a.niveau
       and m.code_territoire = a.code_territoire
       and m.mois = a.mois
    union all
    select
        'taux_retour_emploi_6m', niveau, code_territoire, mois,
        nb_reprises, effectif,
        cast(nb_reprises as {{ type_double() }}) / effectif,
        effectif,
        0
    from agregats_cohortes
    union all
    select
        'taux_retour_emploi_durable_6m', niveau, code_territoire, mois,
        nb_reprises_durables, effectif,
        cast(nb_reprises_durables as {{ type_double() }}) / effectif,
        effectif,
        0
    from agregats_cohortes
)

select
    indicateur,
    niveau,
    code_territoire,
    mois,
    cast(numerateur as bigint) as numerateur,
    cast(denominateur as bigint) as denominateur,
    valeur,
    cast(nb_personnes_maturite as bigint) as nb_personnes_maturite,
    departements_manquants = 1 as est_provisoire_departements
from chiffres
