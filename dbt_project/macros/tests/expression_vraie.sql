{#- Test générique : l'expression booléenne est vraie sur chaque ligne. -#}
{% test expression_vraie(model, expression) %}
select *
from {{ model }}
where not ({{ expression }})
{% endtest %}
