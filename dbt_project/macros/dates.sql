{#-
  Arithmétique de dates portable (DuckDB aujourd'hui, Spark demain).
  Toutes s'appuient sur les macros inter-bases de dbt et rendent des DATE.
-#}

{#- Rang d'un mois dans le calendrier (année × 12 + mois) : un entier qui se soustrait
    pour compter des mois calendaires sans datediff en mois. -#}
{% macro mois_index(expression) -%}
    (extract(year from {{ expression }}) * 12 + extract(month from {{ expression }}))
{%- endmacro %}

{#- date + n mois calendaires, bornée à la fin du mois (2024-01-31 + 1 mois = 2024-02-29). -#}
{% macro ajouter_mois(nombre, expression) -%}
    cast({{ dbt.dateadd('month', nombre, expression) }} as date)
{%- endmacro %}

{#- date + n jours calendaires. -#}
{% macro ajouter_jours(nombre, expression) -%}
    cast({{ dbt.dateadd('day', nombre, expression) }} as date)
{%- endmacro %}

{#- Nombre de jours de debut à fin (fin − debut). -#}
{% macro jours_entre(debut, fin) -%}
    {{ dbt.datediff(debut, fin, 'day') }}
{%- endmacro %}

{#- Premier jour du mois d'une date. -#}
{% macro debut_mois(expression) -%}
    cast({{ dbt.date_trunc('month', expression) }} as date)
{%- endmacro %}

{#- Dernier jour du mois dont `expression` est le premier jour. -#}
{% macro fin_mois(expression) -%}
    cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, expression)) }} as date)
{%- endmacro %}

{#- Premier jour (1er janvier) de l'année d'une date. -#}
{% macro debut_annee(expression) -%}
    cast({{ dbt.date_trunc('year', expression) }} as date)
{%- endmacro %}
