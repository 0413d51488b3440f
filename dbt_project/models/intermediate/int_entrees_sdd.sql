{{ config_par_mois() }}
-- Nouveaux entrants (instruction, volet 2 §4.1) : p est un nouvel entrant du département D
-- au mois M quand
--   1. stock(p, D, M) ;
--   2. non stock(p, D, M−1), M−1 étant le dernier mois antérieur dont le fichier CAF a été
--      livré (si le fichier de M−1 ne l'a jamais été) ;
--   3. aucun suivi en cours par D au début de M : toute orientation de p par D datée avant
--      debut(M) et notifiée avant debut(M) − 1 mois est close avant debut(M).
-- La clôture d'une orientation (radiation, département quitté, 12 mois connus d'absence ou de
-- suspension) est calculée une fois, dans int_orientations_clotures.
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
    -- les mois de la fenêtre et le dernier mois CAF livré avant chacun d'eux (critère 2)
    where {{ dans_fenetre('mois') }}
       or mois in (select mois_caf_precedent from {{ ref('int_mois') }} where {{ dans_fenetre('mois') }})
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
      and {{ dans_fenetre('s.mois') }}
),

-- orientations datées des départements et leur mois de clôture (int_orientations_clotures)
orientations_cloture as (
    select distinct
        personne,
        departement,
        date_reception_notification,
        date_orientation,
        idx_cloture
    from {{ ref('int_orientations_clotures') }}
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
