-- Clôture des orientations (indicators.md, nouveaux_entrants critère 3 ; pilotage.md,
-- « Orientation in progress ») : une ligne par dossier d'orientation daté (version courante,
-- clé producteur, id_rsa, date_reception_notification) rattaché à une personne qui apparaît
-- dans le stock droits et devoirs du département producteur D, avec le mois où ce suivi se clôt.
-- Une orientation datée du mois K est close au premier mois J ≥ K où caf(p, J) est radié ou
-- hors de D, ou au 12e mois d'une suite de 12 mois calendaires consécutifs J > K, tous avec un
-- fichier CAF, où p est absent du fichier ou suspendu. Un mois sans fichier CAF, et tout ce
-- qui précède le premier fichier, est inconnu : il ne clôt rien et interrompt la suite.
-- Les suites d'absence ou de suspension sont calculées en îlots (gaps and islands) sur les
-- mois de rupture de chaque personne, sans auto-jointure sur les paires de mois.
-- La clôture ne dépend que de (personne, D, K) : elle est calculée une fois par triplet.
-- Utilisé par int_entrees_sdd (suivi en cours au début du mois) et int_orientation_courante.
with mois as (
    select
        mois,
        caf_livre,
        {{ mois_index('mois') }} as idx
    from {{ ref('int_mois') }}
),

caf as (
    select
        personne,
        {{ mois_index('mois') }} as idx,
        code_departement,
        etat_droit,
        est_stock
    from {{ ref('int_caf_personne_mois') }}
),

-- dossiers datés des départements pour les personnes présentes dans leur stock
dossiers as (
    select
        o.personne,
        o.producteur as departement,
        o.pseudo_id_rsa,
        o.date_reception_notification,
        o.date_orientation,
        o.organisme_referent,
        o.type_parcours,
        o.date_signature_contrat,
        {{ mois_index('o.date_orientation') }} as idx_orientation
    from {{ ref('int_orientations') }} as o
    where o.personne is not null
      and o.date_orientation is not null
      and exists (
          select 1
          from caf as c
          where c.personne = o.personne
            and c.code_departement = o.producteur
            and c.est_stock
      )
),

orientations as (
    select distinct personne, departement, idx_orientation
    from dossiers
),

personnes_suivies as (
    select distinct personne from orientations
),

bornes as (
    select min(idx) - 1 as idx_avant, max(idx) + 1 as idx_apres
    from mois
),

-- mois qui interrompent une suite d'absence ou de suspension : présent et non suspendu,
-- mois sans fichier CAF, avant le premier fichier, après le dernier
ruptures as (
    select c.personne, c.idx
    from caf as c
    inner join personnes_suivies as p on p.personne = c.personne
    where c.etat_droit <> 'suspendu'
    union
    select p.personne, m.idx
    from personnes_suivies as p
    cross join mois as m
    where not m.caf_livre
    union
    select p.personne, b.idx_avant
    from personnes_suivies as p
    cross join bornes as b
    union
    select p.personne, b.idx_apres
    from personnes_suivies as p
    cross join bornes as b
),

intervalles as (
    select
        personne,
        lag(idx) over (partition by personne order by idx) + 1 as idx_debut,
        idx - 1 as idx_fin
    from ruptures
),

-- suites d'au moins 12 mois connus d'absence ou de suspension
suites_absence as (
    select personne, idx_debut, idx_fin
    from intervalles
    where idx_fin - idx_debut + 1 >= 12
),

clotures as (
    -- radiation ou résidence hors du département, au mois de l'orientation ou après
    select
        o.personne,
        o.departement,
        o.idx_orientation,
        c.idx as idx_cloture
    from orientations as o
    inner join caf as c
        on c.personne = o.personne
       and c.idx >= o.idx_orientation
       and (c.etat_droit = 'radie' or c.code_departement <> o.departement)
    union all
    -- 12e mois d'une suite d'absence ou de suspension commencée après le mois K
    select
        o.personne,
        o.departement,
        o.idx_orientation,
        case when s.idx_debut > o.idx_orientation then s.idx_debut else o.idx_orientation + 1 end
            + 11 as idx_cloture
    from orientations as o
    inner join suites_absence as s
        on s.personne = o.personne
       and case when s.idx_debut > o.idx_orientation then s.idx_debut else o.idx_orientation + 1 end
            + 11 <= s.idx_fin
),

orientations_cloture as (
    select
        o.personne,
        o.departement,
        o.idx_orientation,
        min(c.idx_cloture) as idx_cloture
    from orientations as o
    left join clotures as c
        on c.personne = o.personne
       and c.departement = o.departement
       and c.idx_orientation = o.idx_orientation
    group by o.personne, o.departement, o.idx_orientation
)

select
    d.personne,
    d.departement,
    d.pseudo_id_rsa,
    d.date_reception_notification,
    d.date_orientation,
    d.organisme_referent,
    d.type_parcours,
    d.date_signature_contrat,
    d.idx_orientation,
    c.idx_cloture
from dossiers as d
inner join orientations_cloture as c
    on c.personne = d.personne
   and c.departement = d.departement
   and c.idx_orientation = d.idx_orientation
