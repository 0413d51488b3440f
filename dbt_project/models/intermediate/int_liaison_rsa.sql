-- Paires (id_rsa, personne) tirées des lignes CAF/MSA acceptées (livraisons courantes) :
-- quand un id_rsa porte plusieurs NIR, la paire du mois de référence le plus récent
-- l'emporte. Un id_rsa n'a qu'une ligne par fichier (règle de clé dupliquée de l'ingestion),
-- donc une paire par mois : le maximum sur le mois suffit, calculé par agrégation.
select
    pseudo_id_rsa,
    {{ valeur_au_maximum('personne', 'mois') }} as personne,
    max(mois) as mois_paire
from {{ ref('int_caf_personne_mois') }}
where pseudo_id_rsa is not null
group by pseudo_id_rsa
