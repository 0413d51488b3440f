-- Garde de la clé compacte (macro cle_compacte) : deux pseudonymes distincts d'un même
-- identifiant (NIR, id_rsa, id_ft) ne doivent jamais donner la même clé. Probabilité
-- d'environ 4 sur un million pour trois millions de personnes (60 bits) ; si cela arrive,
-- ce test bloque la publication au lieu de fusionner deux personnes. Renvoie les clés en
-- collision (jamais les pseudonymes).
{%- set colonnes = [
    ('nir', 'rsa', 'pseudo_nir'), ('nir', 'inscriptions', 'pseudo_nir'),
    ('id_rsa', 'rsa', 'pseudo_id_rsa'), ('id_rsa', 'orientations', 'pseudo_id_rsa'),
    ('id_rsa', 'accompagnements', 'pseudo_id_rsa'),
    ('id_ft', 'inscriptions', 'pseudo_id_ft'), ('id_ft', 'orientations', 'pseudo_id_ft'),
    ('id_ft', 'accompagnements', 'pseudo_id_ft'), ('id_ft', 'reprises_emploi', 'pseudo_id_ft'),
] %}

with pseudonymes as (
    {%- for identifiant, table, colonne in colonnes %}
    select '{{ identifiant }}' as identifiant, {{ colonne }} as pseudonyme from {{ source('raw', table) }}
    {% if not loop.last %}union{% endif %}
    {%- endfor %}
)

select
    identifiant,
    {{ cle_compacte('pseudonyme') }} as cle,
    count(*) as nb_pseudonymes
from pseudonymes
where pseudonyme is not null
group by identifiant, {{ cle_compacte('pseudonyme') }}
having count(*) > 1
