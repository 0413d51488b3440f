-- Nouveaux entrants (instruction, volet 2 §4.1) : p est un nouvel entrant du département D
-- au mois M quand
--   1. stock(p, D, M) ;
--   2. non stock(p, D, M−1), M−1 étant le dernier mois antérieur dont le fichier CAF a été
--      livré (si le fichier de M−1 ne l'a jamais été) ;
--   3. aucun suivi en cours par D au début de M : toute orientation de p par D datée avant
--      debut(M) et notifiée avant debut(M) − 1 mois est close avant debut(M).
-- Une orientation datée du mois K est close au premier mois J ≥ K où caf(p, J) est radié ou
-- hors de D, ou au 12e mois d'une suite de 12 mois calendaires consécutifs J > K, tous avec un
-- fichier CAF, où p est absent du fichier ou suspendu. Un mois sans fichier CAF, et tout ce
-- qui précède le premier fichier, est inconnu : il ne clôt rien et interrompt la suite.
-- Les suites d'absence ou de suspension sont calculées en îlots (gaps and islands) sur les
-- mois de rupture de chaque personne, sans auto-jointure sur les paires de mois.
with mois as (
    select
        mois,
        caf_livre,
        est_calcule,
        mois_caf_precedent,
        {{ mois_index('mois') }} as idx
    from {{ ref('int_mois') }}
),

caf as (
    select
        personne,
        mois,
        {{ mois_index('mois') }} as idx,
        code_commune,
        code_departement,
        etat_droit,
        est_stock,
        sexe,
        annee_naissance
    from {{ ref('int_caf_personne_mois') }}
),

stock as (
    select personne, mois, idx, code_commune, code_departement, sexe, annee_naissance
    from caf
    where est_stock
),

-- critères 1 et 2
candidats as (
    select
        s.personne,
        s.code_departement as departement,
        s.mois,
        s.idx,
        s.code_commune,
        s.sexe,
        s.annee_naissance
    from stock as s
    inner join mois as m
        on m.mois = s.mois
       and m.est_calcule
    left join stock as precedent
        on precedent.personne = s.personne
       and precedent.code_departement = s.code_departement
       and precedent.mois = m.mois_caf_precedent
    where precedent.personne is null
),

-- orientations (dossiers datés) des départements pour les personnes candidates chez eux
orientations as (
    select distinct
        o.personne,
        o.producteur as departement,
        o.date_reception_notification,
        o.date_orientation,
        {{ mois_index('o.date_orientation') }} as idx_orientation
    from {{ ref('int_orientations') }} as o
    where o.personne is not null
      and o.date_orientation is not null
      and exists (
          select 1
          from candidats as c
          where c.personne = o.personne
            and c.departement = o.producteur
      )
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
        o.date_reception_notification,
        o.date_orientation,
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
        o.date_reception_notification,
        o.date_orientation,
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
        o.date_reception_notification,
        o.date_orientation,
        min(c.idx_cloture) as idx_cloture
    from orientations as o
    left join clotures as c
        on c.personne = o.personne
       and c.departement = o.departement
       and c.date_reception_notification = o.date_reception_notification
       and c.date_orientation = o.date_orientation
    group by o.personne, o.departement, o.date_reception_notification, o.date_orientation
),

-- critère 3 : un suivi encore ouvert au début de M bloque l'entrée
suivis_en_cours as (
    select distinct c.personne, c.departement, c.mois
    from candidats as c
    inner join orientations_cloture as o
        on o.personne = c.personne
       and o.departement = c.departement
    where o.date_orientation < c.mois
      and o.date_reception_notification < {{ ajouter_mois(-1, 'c.mois') }}
      and (o.idx_cloture is null or o.idx_cloture >= c.idx)
)

select
    c.personne,
    c.departement,
    c.mois,
    c.code_commune,
    {{ modalite_sexe('c.sexe') }} as sexe,
    {{ modalite_tranche_age('c.mois', 'c.annee_naissance') }} as tranche_age
from candidats as c
left join suivis_en_cours as s
    on s.personne = c.personne
   and s.departement = c.departement
   and s.mois = c.mois
where s.personne is null
