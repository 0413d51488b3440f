{#-
  Contrat de marts.indicateurs sur Spark. dbt-spark ne pose les contraintes not_null
  (ALTER COLUMN … SET NOT NULL) que sur les tables Delta ; les tables du socle sont en
  Parquet (file_format, dbt_project.yml), où Spark refuse cet ALTER. Cette version, qui
  remplace celle de dbt-spark, garde l'appel d'origine pour Delta et, pour les autres formats,
  vérifie après coup qu'aucune colonne not_null du contrat n'est vide : sinon le modèle
  échoue et bloque ce qui en dépend, comme l'insertion refusée sur DuckDB.
-#}
{% macro spark__persist_constraints(relation, model) %}
    {%- set contract_config = config.get('contract') -%}
    {%- if contract_config.enforced and config.get('file_format', 'delta') == 'delta' -%}
        {%- do alter_table_add_constraints(relation, model.constraints) -%}
        {%- do alter_column_set_constraints(relation, model.columns) -%}
    {%- elif contract_config.enforced -%}
        {%- set colonnes = [] -%}
        {%- for nom, colonne in model.columns.items() -%}
            {%- if colonne.constraints | selectattr('type', 'equalto', 'not_null') | list -%}
                {%- do colonnes.append(nom) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if colonnes -%}
            {%- set resultat = run_query(
                'select count(*) from ' ~ relation ~ ' where ' ~ (colonnes | join(' is null or ')) ~ ' is null') -%}
            {%- set vides = resultat.columns[0].values()[0] -%}
            {%- if vides > 0 -%}
                {{ exceptions.raise_compiler_error(
                    "Contrat de " ~ relation ~ " : " ~ vides ~ " ligne(s) avec une colonne not_null vide ("
                    ~ colonnes | join(', ') ~ ")") }}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}
