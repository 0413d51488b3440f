{#-
  Construction incrémentale par mois (docs/incremental.md ; orchestration/mois_a_recalculer.py).

  Les variables dbt mois_debut et mois_fin ('AAAA-MM-01', bornes comprises) donnent la fenêtre
  des mois à recalculer. Un modèle incrémental garde tous les mois dans sa table ; une
  construction incrémentale supprime toutes les lignes de la fenêtre (pre-hook, même les mois
  qui ne rendent plus aucune ligne) puis ajoute celles que le modèle calcule pour la fenêtre
  (stratégie append). Sans fenêtre (variables absentes), à la première construction ou avec
  --full-refresh, tout est recalculé : les filtres valent vrai.

  Sur Spark, les modèles restent des tables entières (materialized = 'table') : insert_overwrite
  par partition de mois ne remplacerait que les partitions présentes dans le nouveau lot, comme
  delete+insert ; la fenêtre n'y filtre rien (is_incremental() est faux pour une table).
-#}

{#- La fenêtre s'applique-t-elle ? (modèle incrémental déjà construit et variables données) -#}
{% macro fenetre_active() -%}
    {#- un test unitaire dbt n'a pas de relation cible (this) : tout est calculé -#}
    {%- if this is none -%}{{ return(false) }}{%- endif -%}
    {{ return(is_incremental() and var('mois_debut', none) is not none and var('mois_fin', none) is not none) }}
{%- endmacro %}

{#- Premier mois de la fenêtre du modèle : mois_debut ; pour les modèles au niveau de la personne
    (meta fenetre = 'donnees'), mois_debut_donnees quand il est donné : seuls les statuts (règle de
    maturité) remontent avant lui, et ils ne se calculent que dans ind_<code> et les marts. -#}
{% macro premier_mois_fenetre() -%}
    {%- if model.config.meta.get('fenetre') == 'donnees' and var('mois_debut_donnees', none) -%}
        {{ return(var('mois_debut_donnees')) }}
    {%- endif -%}
    {{ return(var('mois_debut')) }}
{%- endmacro %}

{#- Premier jour du premier mois lu : mois_debut − avant mois ; `annee` : depuis le 1er janvier de
    l'année de mois_debut (les drapeaux « première … de l'année » et les chiffres annuels lisent
    les années entières). -#}
{% macro debut_fenetre(avant=0, annee=false) -%}
    {%- set borne = "cast('" ~ premier_mois_fenetre() ~ "' as date)" -%}
    {%- if annee %}{% set borne = debut_annee(borne) %}{% endif -%}
    {%- if avant %}{% set borne = ajouter_mois(-avant, borne) %}{% endif -%}
    {{ borne }}
{%- endmacro %}

{#- Premier jour du mois qui suit le dernier mois lu (borne exclue) : mois_fin + 1 + apres mois ;
    `annee` : le 1er janvier qui suit l'année de mois_fin, + apres mois. -#}
{% macro fin_fenetre(apres=0, annee=false) -%}
    {%- set borne = "cast('" ~ var('mois_fin') ~ "' as date)" -%}
    {%- if annee -%}
        {{ ajouter_mois(apres + 12, debut_annee(borne)) }}
    {%- else -%}
        {{ ajouter_mois(apres + 1, borne) }}
    {%- endif -%}
{%- endmacro %}

{#- Condition « `colonne` (un mois ou une date) tombe dans la fenêtre », élargie de `avant` mois
    en arrière et `apres` mois en avant pour lire les entrées ; `annee` : les années entières que
    la fenêtre touche. Vraie partout quand la fenêtre ne s'applique pas. -#}
{% macro dans_fenetre(colonne, avant=0, apres=0, annee=false) -%}
    {%- if fenetre_active() -%}
        ({{ colonne }} >= {{ debut_fenetre(avant, annee) }} and {{ colonne }} < {{ fin_fenetre(apres, annee) }})
    {%- else -%}
        (1 = 1)
    {%- endif -%}
{%- endmacro %}

{#- Lignes d'un modèle ind_<code> dans la fenêtre : les lignes mensuelles des mois de la fenêtre,
    les lignes annuelles (mois = 1er janvier) des années qu'elle touche. -#}
{% macro dans_fenetre_grains(prefixe='') -%}
    {%- if fenetre_active() -%}
        (({{ prefixe }}grain = 'mois' and {{ dans_fenetre(prefixe ~ 'mois') }})
         or ({{ prefixe }}grain = 'annee' and {{ dans_fenetre(prefixe ~ 'mois', annee=true) }}))
    {%- else -%}
        (1 = 1)
    {%- endif -%}
{%- endmacro %}

{#- Années touchées par la fenêtre (colonne entière `annee`). -#}
{% macro dans_fenetre_annees(colonne='annee') -%}
    {%- if fenetre_active() -%}
        ({{ colonne }} >= {{ premier_mois_fenetre()[:4] | int }} and {{ colonne }} <= {{ var('mois_fin')[:4] | int }})
    {%- else -%}
        (1 = 1)
    {%- endif -%}
{%- endmacro %}

{#- Le pre-hook : supprime de la table les lignes de la fenêtre (rien à la première construction
    ni avec --full-refresh, où la table est recréée). `cle` : 'mois', 'grains' (ind_<code>) ou
    'annee' (marts.indicateurs_annuels). -#}
{% macro supprimer_fenetre(cle) -%}
    {%- if is_incremental() -%}
        {%- if cle == 'annee' -%}
            {%- set condition = dans_fenetre_annees() -%}
        {%- elif cle == 'grains' -%}
            {%- set condition = dans_fenetre_grains() -%}
        {%- else -%}
            {%- set condition = dans_fenetre(cle) -%}
        {%- endif -%}
        delete from {{ this }} where {{ condition }}
    {%- endif -%}
{%- endmacro %}

{#- La configuration d'un modèle incrémental par mois (un appel en tête de modèle). `cle` : voir
    supprimer_fenetre ; `statuts` : le modèle porte des statuts (ind_<code>, marts des indicateurs)
    et suit mois_debut ; sinon (modèles au niveau de la personne) mois_debut_donnees. -#}
{% macro config_par_mois(cle='mois', statuts=false) -%}
    {{ config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ supprimer_fenetre('" ~ cle ~ "') }}",
        meta={'fenetre': 'statuts' if statuts else 'donnees'}
    ) }}
{%- endmacro %}

{#- Condition « la période [`debut`, `fin`] (fin vide : en cours) chevauche la fenêtre » : les
    épisodes et inscriptions qui peuvent être en cours à la fin d'un mois de la fenêtre. -#}
{% macro chevauche_fenetre(debut, fin) -%}
    {%- if fenetre_active() -%}
        ({{ debut }} < {{ fin_fenetre() }} and ({{ fin }} is null or {{ fin }} >= {{ debut_fenetre() }}))
    {%- else -%}
        (1 = 1)
    {%- endif -%}
{%- endmacro %}
