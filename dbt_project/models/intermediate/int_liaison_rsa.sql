-- Paires (id_rsa, personne) tirées des lignes CAF/MSA acceptées (livraisons courantes) :
-- quand un id_rsa porte plusieurs NIR, la paire du mois de référence le plus récent
-- l'emporte, et dans un mois la dernière ligne du fichier. La personne est le pseudonyme du NIR.
select
    pseudo_id_rsa,
    pseudo_nir as personne,
    mois as mois_paire
from (
    select
        pseudo_id_rsa,
        pseudo_nir,
        mois,
        row_number() over (partition by pseudo_id_rsa order by mois desc, ligne desc) as rang
    from {{ ref('stg_rsa') }}
    where pseudo_id_rsa is not null and pseudo_nir is not null
) as paires
where rang = 1
