{{ config_par_mois() }}
-- Orientation courante (pilotage.md, « Orientation in progress ») : pour chaque personne du
-- stock de M (int_beneficiaires_sdd_mois) et son département D à M, le dossier de D en cours à
-- fin(M) : date_orientation ≤ fin(M) et pas de clôture avant debut(M) (mois de clôture de
-- int_orientations_clotures vide ou ≥ M). Sans condition sur la date de réception de la
-- notification. Parmi plusieurs dossiers en cours, l'ordre ordre_dossier_courant départage
-- (date d'orientation la plus récente, puis réception la plus récente, puis organisme référent
-- et type de parcours dans l'ordre des listes, vide en dernier).
-- Une ligne par personne et mois du stock qui a une orientation en cours ; les autres
-- personnes du stock sont en attente d'orientation.
with stock as (
    select
        personne,
        mois,
        code_departement,
        {{ fin_mois('mois') }} as fin_mois,
        {{ mois_index('mois') }} as idx
    from {{ ref('int_beneficiaires_sdd_mois') }}
    where {{ dans_fenetre('mois') }}
),

en_cours as (
    select
        s.personne,
        s.mois,
        s.code_departement as departement,
        o.date_reception_notification,
        o.date_orientation,
        o.organisme_referent,
        o.type_parcours,
        o.date_signature_contrat,
        row_number() over (
            partition by s.personne, s.mois
            order by {{ ordre_dossier_courant('o.') }}
        ) as rang
    from stock as s
    inner join {{ ref('int_orientations_clotures') }} as o
        on o.personne = s.personne
       and o.departement = s.code_departement
       and o.date_orientation <= s.fin_mois
       and (o.idx_cloture is null or o.idx_cloture >= s.idx)
)

select
    personne,
    mois,
    departement,
    date_reception_notification,
    date_orientation,
    {{ modalite_organisme_referent('date_orientation', 'organisme_referent') }} as organisme_referent,
    {{ modalite_type_parcours('type_parcours') }} as type_parcours,
    date_signature_contrat
from en_cours
where rang = 1
