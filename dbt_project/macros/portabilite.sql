{#- Types et petites constructions que les macros inter-bases de dbt ne couvrent pas. -#}

{#- Réel double précision (dbt.type_float() donne un réel simple sur DuckDB). -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'socle')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double
{%- endmacro %}

{% macro duckdb__type_double() -%}
    double
{%- endmacro %}

{#- Entiers 0 … 10^chiffres − 1, en SQL standard (produit de chiffres), pour les calendriers. -#}
{% macro serie_entiers(chiffres=3) -%}
    select
    {%- for i in range(chiffres) %}
        {% if not loop.first %}+ {% endif %}c{{ i }}.n * {{ 10 ** i }}
    {%- endfor %} as n
    from
    {%- for i in range(chiffres) %}
        {% if not loop.first %}cross join {% endif -%}
        (
            select 0 as n union all select 1 union all select 2 union all select 3
            union all select 4 union all select 5 union all select 6 union all select 7
            union all select 8 union all select 9
        ) as c{{ i }}
    {%- endfor %}
{%- endmacro %}

{#- Version courante de chaque clé naturelle : la ligne du fichier du mois de référence le
    plus récent l'emporte ; dans un mois, la dernière ligne dans l'ordre du fichier
    (les livraisons lues sont déjà les livraisons courantes, une par mois et producteur). -#}
{% macro versions_courantes(relation, cles) -%}
    select *
    from (
        select
            r.*,
            row_number() over (
                partition by {{ cles | join(', ') }}
                order by r.mois desc, r.ligne desc
            ) as rang_version
        from {{ relation }} as r
    ) as versions
    where rang_version = 1
{%- endmacro %}

{#- Les quatre niveaux territoriaux : (niveau, colonne du code ; none = national 'FR'). -#}
{% macro niveaux_territoriaux() -%}
    {{ return([
        ('national', none),
        ('region', 'code_region'),
        ('departement', 'code_departement'),
        ('bassin', 'code_bassin'),
    ]) }}
{%- endmacro %}

{#- Agrège `relation` (lignes portant code_region, code_departement, code_bassin et mois)
    à chacun des quatre niveaux, directement depuis ces lignes (jamais par sommation d'un
    niveau à l'autre). `groupes` : colonnes de regroupement en plus du territoire et du mois
    (par exemple ventilation et modalite), rendues telles quelles. -#}
{% macro agreger_par_niveau(relation, mesures, groupes=[]) -%}
    {%- set en_plus = (groupes | join(', ') ~ ', ') if groupes else '' %}
    {%- for niveau, colonne in niveaux_territoriaux() %}
    select
        '{{ niveau }}' as niveau,
        {{ colonne if colonne else "'FR'" }} as code_territoire,
        {{ en_plus }}mois,
        {{ mesures }}
    from {{ relation }}
    group by {% if colonne %}{{ colonne }}, {% endif %}{{ en_plus }}mois
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}

{#- Médiane continue de `valeur` à chacun des quatre niveaux, en SQL standard : rang des
    valeurs triées, puis moyenne de la valeur centrale (effectif impair) ou des deux valeurs
    centrales (effectif pair) : 2 × rang ∈ {n, n + 1, n + 2}. `groupes` : comme pour
    agreger_par_niveau. -#}
{% macro mediane_par_niveau(relation, valeur, groupes=[]) -%}
    {%- set en_plus = (groupes | join(', ') ~ ', ') if groupes else '' %}
    {%- for niveau, colonne in niveaux_territoriaux() %}
    {%- set partition = (colonne ~ ', ') if colonne else '' %}
    select
        '{{ niveau }}' as niveau,
        {{ colonne if colonne else "'FR'" }} as code_territoire,
        {{ en_plus }}mois,
        avg({{ valeur }}) as mediane
    from (
        select
            {{ partition }}{{ en_plus }}mois,
            {{ valeur }},
            row_number() over (partition by {{ partition }}{{ en_plus }}mois order by {{ valeur }}) as rang,
            count(*) over (partition by {{ partition }}{{ en_plus }}mois) as effectif
        from {{ relation }}
        where {{ valeur }} is not null
    ) as classees
    where 2 * rang in (effectif, effectif + 1, effectif + 2)
    group by {{ partition }}{{ en_plus }}mois
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}

{#- Clé compacte d'un pseudonyme : ses 60 premiers bits (15 chiffres hexadécimaux de
    l'HMAC-SHA-256) en entier 64 bits. Les jointures, tris et fenêtres de l'entrepôt portent
    8 octets au lieu de 64 caractères. Deux pseudonymes distincts qui donneraient la même clé
    font échouer le test cles_compactes_sans_collision (bloquant) : la publication s'arrête
    plutôt que de fusionner deux personnes. Seule la couche staging l'appelle. -#}
{% macro cle_compacte(pseudonyme) -%}
    {{ return(adapter.dispatch('cle_compacte', 'socle')(pseudonyme)) }}
{%- endmacro %}

{% macro default__cle_compacte(pseudonyme) -%}
    cast(('0x' || substr({{ pseudonyme }}, 1, 15)) as bigint)
{%- endmacro %}

{% macro spark__cle_compacte(pseudonyme) -%}
    cast(conv(substr({{ pseudonyme }}, 1, 15), 16, 10) as bigint)
{%- endmacro %}

{#- Valeur de `valeur` sur la ligne où `ordre` est le plus grand, dans un group by (une
    agrégation au lieu d'une fenêtre triée : pas de tri de la table entière). -#}
{% macro valeur_au_maximum(valeur, ordre) -%}
    {{ return(adapter.dispatch('valeur_au_maximum', 'socle')(valeur, ordre)) }}
{%- endmacro %}

{% macro default__valeur_au_maximum(valeur, ordre) -%}
    max_by({{ valeur }}, {{ ordre }})
{%- endmacro %}

{% macro duckdb__valeur_au_maximum(valeur, ordre) -%}
    arg_max({{ valeur }}, {{ ordre }})
{%- endmacro %}
