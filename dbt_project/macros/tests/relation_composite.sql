{#- Test générique : chaque combinaison (colonnes) de la table existe dans `vers`
    (colonnes_cible, dans le même ordre). Les lignes dont une colonne est nulle sont ignorées. -#}
{% test relation_composite(model, colonnes, vers, colonnes_cible) %}
select {% for c in colonnes %}enfant.{{ c }}{% if not loop.last %}, {% endif %}{% endfor %}
from {{ model }} as enfant
left join {{ vers }} as parent
    on {% for c in colonnes %}enfant.{{ c }} = parent.{{ colonnes_cible[loop.index0] }}{% if not loop.last %} and {% endif %}{% endfor %}
where parent.{{ colonnes_cible[0] }} is null
{%- for c in colonnes %}
    and enfant.{{ c }} is not null
{%- endfor %}
{% endtest %}
