-- Paires (id_ft, personne) tirées de la version courante de chaque inscription à France
-- Travail : quand un id_ft porte plusieurs NIR, la paire du mois de référence le plus récent
-- l'emporte, et dans un mois la dernière ligne du fichier.
with inscriptions as (
    {{ versions_courantes(ref('stg_inscriptions'), ['r.pseudo_id_ft', 'r.date_inscription']) }}
)

select
    pseudo_id_ft,
    pseudo_nir as personne,
    mois as mois_paire
from (
    select
        pseudo_id_ft,
        pseudo_nir,
        mois,
        row_number() over (partition by pseudo_id_ft order by mois desc, ligne desc) as rang
    from inscriptions
    where pseudo_id_ft is not null and pseudo_nir is not null
) as paires
where rang = 1
