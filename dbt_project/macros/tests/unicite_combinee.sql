{#- Test générique : la combinaison de colonnes est unique (dbt_utils n'est pas disponible). -#}
{% test unicite_combinee(model, colonnes) %}
select {{ colonnes | join(', ') }}, count(*) as nb_lignes
from {{ model }}
group by {{ colonnes | join(', ') }}
having count(*) > 1
{% endtest %}
