{#- Les schémas personnalisés (staging, intermediate, marts, seeds) sont utilisés tels quels,
    sans préfixe de la cible : marts.indicateurs se lit sous ce nom. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
