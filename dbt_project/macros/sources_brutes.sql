{#-
  Les tables de la source `raw` (models/staging/_sources.yml) sur chaque moteur.

  DuckDB : l'ingestion crée elle-même les vues raw.* sur le lac Parquet et les tables du
  registre (ingestion/ledger.py) ; rien à faire.
  Spark : au début de chaque exécution (on-run-start), chaque table de la source est
  redéclarée comme table externe sur les fichiers Parquet du lac, avec le schéma écrit dans
  _sources.yml (data_type de chaque colonne) : un dossier encore vide donne une table vide,
  une colonne absente d'un ancien fichier se lit nulle. Les dossiers producteur=…/mois=… ne
  sont pas lus comme des partitions (recursiveFileLookup) : producteur et mois viennent des
  fichiers eux-mêmes, comme sur DuckDB ; seuls les *.parquet sont lus (jamais le .parquet.tmp
  d'une écriture en cours). Le registre et la quarantaine sont les copies Parquet que
  l'ingestion réécrit après chaque dépôt (lake/_registre/, meta chemin_lac).

  Emplacement du lac : la variable dbt `lac` (--vars '{lac: s3a://…/lake}' sur un cluster),
  par défaut $SOCLE_HOME/lake.
-#}
{% macro declarer_sources_brutes() -%}
    {{ return(adapter.dispatch('declarer_sources_brutes', 'socle')()) }}
{%- endmacro %}

{% macro default__declarer_sources_brutes() -%}
{%- endmacro %}

{% macro spark__declarer_sources_brutes() -%}
    {%- if execute -%}
        {%- set lac = var('lac', env_var('SOCLE_HOME', '../var') ~ '/lake') | string -%}
        {%- set sources = graph.sources.values() | selectattr('source_name', 'equalto', 'raw')
                          | sort(attribute='name') | list -%}
        {%- set schema_brut = (sources | first).schema -%}
        {%- do run_query('create database if not exists ' ~ schema_brut) -%}
        {%- set comptes = [] -%}
        {%- for source in sources -%}
            {%- set colonnes = [] -%}
            {%- for colonne in source.columns.values() -%}
                {%- if not colonne.data_type -%}
                    {{ exceptions.raise_compiler_error("Colonne " ~ source.name ~ "." ~ colonne.name
                                                       ~ " sans data_type dans _sources.yml") }}
                {%- endif -%}
                {%- do colonnes.append(colonne.name ~ ' ' ~ colonne.data_type) -%}
            {%- endfor -%}
            {%- set chemin = lac.rstrip('/') ~ '/' ~ source.config.meta.get('chemin_lac', source.name) -%}
            {%- set relation = schema_brut ~ '.' ~ source.identifier -%}
            {%- do run_query('drop table if exists ' ~ relation) -%}
            {%- do run_query(
                'create table ' ~ relation ~ ' (' ~ colonnes | join(', ') ~ ') using parquet'
                ~ " options (recursiveFileLookup 'true', pathGlobFilter '*.parquet')"
                ~ " location '" ~ chemin | replace('\\', '\\\\') | replace("'", "\\'") ~ "'") -%}
            {%- do comptes.append('(select count(*) from ' ~ relation ~ ') as ' ~ source.name) -%}
        {%- endfor -%}
        {#- Un lac écrit avant que l'ingestion n'y copie le registre donnerait des indicateurs
            vides sans erreur : on s'arrête plutôt. -#}
        {%- set lignes = run_query('select ' ~ comptes | join(', ')).rows[0] -%}
        {%- set total = namespace(donnees=0) -%}
        {%- for source in sources if not source.config.meta.get('chemin_lac') -%}
            {%- set total.donnees = total.donnees + lignes[source.name] -%}
        {%- endfor -%}
        {%- if lignes['livraisons'] == 0 and total.donnees > 0 -%}
            {{ exceptions.raise_compiler_error(
                "Le lac " ~ lac ~ " a des lignes mais pas de registre (_registre/livraisons) : "
                ~ "relancer l'ingestion (python -m ingestion.land) pour l'y copier.") }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
