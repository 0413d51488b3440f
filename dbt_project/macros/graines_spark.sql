{#-
  Chargement des graines (seeds) sur Spark. La méthode session de dbt-spark remplace les
  paramètres de l'insertion par simple substitution de texte, sans échapper les apostrophes :
  « Provence-Alpes-Côte d'Azur » casse la requête. Cette version, qui remplace celle de
  dbt-spark (le projet racine passe en premier dans la recherche des macros de dbt), écrit
  elle-même chaque valeur en littéral échappé, et ne convertit qu'une fois par colonne
  (insert … select cast(…) from values …) : trois fois plus rapide sur les 35 000 communes
  qu'un cast par valeur. Elle ne sert qu'à Spark ; DuckDB garde le chargement de dbt-duckdb.
-#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set conversions = [] -%}
    {%- set alias = [] -%}
    {%- for col_name in agate_table.column_names -%}
        {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
        {%- do conversions.append('cast(c' ~ loop.index0 ~ ' as ' ~ type ~ ')') -%}
        {%- do alias.append('c' ~ loop.index0) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }}
            select {{ conversions | join(', ') }}
            from values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    {%- if value is none -%}
                        null
                    {%- else -%}
                        '{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}'
                    {%- endif -%}
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor -%}
            as graine({{ alias | join(', ') }})
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}
