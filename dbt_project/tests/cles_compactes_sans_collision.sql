-- Garde de la clé compacte (macro cle_compacte) : deux pseudonymes distincts d'un même
-- identifiant (NIR, id_rsa, id_ft) ne doivent jamais donner la même clé. Probabilité
-- d'environ 4 sur un million pour trois millions de personnes (60 bits) ; si cela arrive,
-- ce test bloque la publication au lieu de fusionner deux personnes. Renvoie les clés en
-- collision (jamais les pseudonymes).
with pseudonymes as (
    select 'nir' as identifiant, pseudo_nir as pseudonyme from {{ source('raw', 'rsa') }}
    union
    select 'nir', pseudo_nir from {{ source('raw', 'inscriptions') }}
    union
    select 'id_rsa', pseudo_id_rsa from {{ source('raw', 'rsa') }}
    union
    select 'id_rsa', pseudo_id_rsa from {{ source('raw', 'orientations') }}
    union
    select 'id_rsa', pseudo_id_rsa from {{ source('raw', 'accompagnements') }}
    union
    select 'id_ft', pseudo_id_ft from {{ source('raw', 'inscriptions') }}
    union
    select 'id_ft', pseudo_id_ft from {{ source('raw', 'orientations') }}
    union
    select 'id_ft', pseudo_id_ft from {{ source('raw', 'accompagnements') }}
    union
    select 'id_ft', pseudo_id_ft from {{ source('raw', 'reprises_emploi') }}
)

select
    identifiant,
    {{ cle_compacte('pseudonyme') }} as cle,
    count(*) as nb_pseudonymes
from pseudonymes
where pseudonyme is not null
group by identifiant, {{ cle_compacte('pseudonyme') }}
having count(*) > 1
