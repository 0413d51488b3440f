{#-
  Déploiement territorial d'un indicateur : des lignes individuelles d'un modèle ind_<code>
  aux chiffres des quatre niveaux (national, région, département, bassin), chaque niveau
  agrégé directement depuis les lignes individuelles (un bassin peut chevaucher deux
  départements). Seul endroit où un indicateur passe de la personne au territoire.

  `personnes` : requête à une ligne par personne de la population de l'indicateur et mois,
  avec les colonnes
    mois                  premier jour du mois du chiffre (mois de la cohorte pour les cohortes) ;
    code_commune          commune de placement (placée par int_territoires_communes_mois) ;
    au_numerateur         1 si la personne compte au numérateur, 0 sinon, vide si
                          l'indicateur n'a pas de numérateur (délais) ;
    au_denominateur       1 si la personne compte au dénominateur, 0 sinon, vide si
                          l'indicateur n'a pas de dénominateur (effectifs) ;
    valeur_individuelle   la mesure de la personne pour une moyenne ou une médiane (vide
                          hors du dénominateur ; vide partout pour un effectif ou un taux) ;
  et, si `departement` est donné, la colonne qu'il nomme ; et une colonne par ventilation de
  `ventilations`, nommée comme elle (sexe, tranche_age, …), qui porte la modalité de la
  personne, jamais vide (macros de macros/ventilations.sql).

  `valeur` : comment le chiffre se calcule à partir de ces lignes :
    'effectif' (le numérateur), 'taux' (numérateur / dénominateur),
    'moyenne' ou 'mediane' (de valeur_individuelle ; médiane continue).

  `departement` : colonne de `personnes` qui désigne le département dont les livraisons
  comptent pour la règle de maturité de la personne ; par défaut, le département où elle est
  placée. Les délais de livraison attendus sont dans le seed maturite_livraisons (lignes
  producteur = 'departement') ; est_provisoire_departements dit qu'un de ces départements
  n'a pas livré. La partie nationale de la règle (France Travail) et le statut se décident
  dans marts.indicateurs.

  `ventilations` : les ventilations de l'indicateur (pilotage.md ; la liste doit être celle du
  seed indicateurs_ventilations, ce que vérifie tests/indicators/test_un_modele_par_indicateur.py).
  Chaque territoire et mois reçoit la ligne « ensemble » et une ligne par (ventilation,
  modalité) présente : les catégories d'une ventilation partitionnent la population de la ligne
  « ensemble », leurs effectifs, numérateurs et dénominateurs s'y additionnent exactement. Les
  moyennes et médianes sont calculées dans chaque catégorie. Les lignes sont d'abord regroupées
  au grain le plus fin (territoires, mois, modalités), puis chaque ventilation est sommée depuis
  ce grain.

  `annuelle` : colonne booléenne de `personnes` qui désigne, pour les chiffres annuels
  (pilotage.md, « Yearly figures »), les lignes de la population de l'année : la première entrée
  de l'année de la personne dans le département (est_premiere_entree_annee d'int_nouveaux_entrants)
  ou son premier dossier de cohorte de l'année (est_premiere_cohorte_annee
  d'int_cohortes_orientation). Quand elle est donnée, le modèle rend, en plus des lignes
  mensuelles (grain = 'mois'), des lignes annuelles (grain = 'annee', mois = 1er janvier de
  l'année) calculées sur ces seules personnes, placées et ventilées comme au mois de leur ligne
  (tout mois du calendrier int_mois, calculé ou non) puis agrégées par année civile. Sans elle,
  toutes les lignes sont mensuelles. marts.indicateurs lit les lignes mensuelles,
  marts.indicateurs_annuels les lignes annuelles. Pour une ligne annuelle,
  est_provisoire_departements regarde la livraison du département de chaque personne pour le
  mois de sa ligne (le statut annuel se décide dans marts.indicateurs_annuels).

  Seuls comptent (lignes mensuelles) les mois calculés dont le fichier CAF/MSA a été livré ; un
  territoire sans personne dans la population n'a pas de ligne (les marts complètent la grille).

  Construction incrémentale (macros/incremental.sql, docs/incremental.md) : le modèle ne garde de
  `personnes` que les mois de la fenêtre (les années entières qu'elle touche quand `annuelle` est
  donnée) et ne rend que les lignes mensuelles de ses mois et les lignes annuelles de ses années.
-#}
{% macro deployer_territoires(indicateur, personnes, valeur, departement=none, ventilations=[], annuelle=none) -%}
{{ config_par_mois('grains', statuts=true) }}
{%- if valeur not in ['effectif', 'taux', 'moyenne', 'mediane'] -%}
    {{ exceptions.raise_compiler_error("deployer_territoires : valeur inconnue « " ~ valeur ~ " » pour " ~ indicateur) }}
{%- endif -%}
with personnes as (
    select *
    from (
        {{ personnes }}
    ) as p
    -- construction incrémentale : les mois de la fenêtre (années entières pour les lignes annuelles)
    where {{ dans_fenetre('p.mois', annee=(annuelle is not none)) }}
),

mois_calcules as (
    select mois
    from {{ ref('int_mois') }}
    where est_calcule and caf_livre
),

placees as (
    select
        'mois' as grain,
        p.mois,
        p.mois as mois_personne,
        t.code_region,
        t.code_departement,
        t.code_bassin,
        {{ ('p.' ~ departement) if departement else 't.code_departement' }} as departement_maturite,
        p.au_numerateur,
        p.au_denominateur,
        p.valeur_individuelle{% for v in ventilations %},
        p.{{ v }}{% endfor %}
    from personnes as p
    inner join mois_calcules as m
        on m.mois = p.mois
    inner join {{ ref('int_territoires_communes_mois') }} as t
        on t.mois = p.mois
       and t.code_commune = p.code_commune
    where {{ dans_fenetre('p.mois') }}
    {%- if annuelle %}
    union all
    -- lignes annuelles : la population de l'année, placée au mois de sa ligne
    select
        'annee' as grain,
        {{ debut_annee('p.mois') }} as mois,
        p.mois as mois_personne,
        t.code_region,
        t.code_departement,
        t.code_bassin,
        {{ ('p.' ~ departement) if departement else 't.code_departement' }} as departement_maturite,
        p.au_numerateur,
        p.au_denominateur,
        p.valeur_individuelle{% for v in ventilations %},
        p.{{ v }}{% endfor %}
    from personnes as p
    inner join {{ ref('int_territoires_communes_mois') }} as t
        on t.mois = p.mois
       and t.code_commune = p.code_commune
    where p.{{ annuelle }}
    {%- endif %}
),

departements_mois as (
    select distinct departement_maturite, mois_personne as mois
    from placees
),

-- départements (et mois) dont une livraison attendue par la règle de maturité manque
departements_manquants as (
    select
        d.departement_maturite,
        d.mois,
        max(
            case
                when {{ mois_index('l.dernier_mois_livre') }} >= {{ mois_index('d.mois') }} + r.decalage_mois
                    then 0
                else 1
            end
        ) as manque
    from departements_mois as d
    inner join {{ ref('maturite_livraisons') }} as r
        on r.indicateur = '{{ indicateur }}'
       and r.producteur = 'departement'
    left join {{ ref('int_dernier_mois_livre') }} as l
        on l.type_fichier = r.type_fichier
       and l.producteur = d.departement_maturite
    group by d.departement_maturite, d.mois
),

lignes as (
    select
        p.grain,
        p.mois,
        p.code_region,
        p.code_departement,
        p.code_bassin,
        p.au_numerateur,
        p.au_denominateur,
        p.valeur_individuelle,{% for v in ventilations %}
        p.{{ v }},{% endfor %}
        coalesce(d.manque, 0) as departement_manquant
    from placees as p
    left join departements_manquants as d
        on d.departement_maturite = p.departement_maturite
       and d.mois = p.mois_personne
),

-- grain le plus fin : territoires × mois × modalités de toutes les ventilations
cellules as (
    select
        grain,
        mois,
        code_region,
        code_departement,
        code_bassin,{% for v in ventilations %}
        {{ v }},{% endfor %}
        count(*) as nb_personnes,
        sum(au_numerateur) as numerateur,
        sum(au_denominateur) as denominateur,
        sum(valeur_individuelle) as somme_valeurs,
        count(valeur_individuelle) as nb_valeurs,
        max(departement_manquant) as departements_manquants
    from lignes
    group by grain, mois, code_region, code_departement, code_bassin{% for v in ventilations %}, {{ v }}{% endfor %}
),

-- la ligne « ensemble » et une ligne par ventilation, depuis le grain le plus fin
eclatees as (
    {%- for v in ['ensemble'] + ventilations %}
    select
        '{{ v }}' as ventilation,
        {{ "'ensemble'" if v == 'ensemble' else v }} as modalite,
        grain, mois, code_region, code_departement, code_bassin,
        nb_personnes, numerateur, denominateur, somme_valeurs, nb_valeurs, departements_manquants
    from cellules
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

agregats as (
    {{ agreger_par_niveau('eclatees',
        'sum(nb_personnes) as nb_personnes,
        sum(numerateur) as numerateur,
        sum(denominateur) as denominateur,
        ' ~ ('cast(sum(somme_valeurs) as ' ~ type_double() ~ ') / nullif(sum(nb_valeurs), 0)' if valeur == 'moyenne' else 'cast(null as ' ~ type_double() ~ ')') ~ ' as moyenne,
        max(departements_manquants) as departements_manquants', ['grain', 'ventilation', 'modalite']) }}
){% if valeur == 'mediane' %},

-- valeurs individuelles de chaque ventilation, pour les médianes
lignes_eclatees as (
    {%- for v in ['ensemble'] + ventilations %}
    select
        '{{ v }}' as ventilation,
        {{ "'ensemble'" if v == 'ensemble' else v }} as modalite,
        grain, mois, code_region, code_departement, code_bassin, valeur_individuelle
    from lignes
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

medianes as (
    {{ mediane_par_niveau('lignes_eclatees', 'valeur_individuelle', ['grain', 'ventilation', 'modalite']) }}
){% endif %}

select
    cast('{{ indicateur }}' as {{ dbt.type_string() }}) as indicateur,
    a.niveau,
    a.code_territoire,
    a.mois,
    cast(a.grain as {{ dbt.type_string() }}) as grain,
    cast(a.ventilation as {{ dbt.type_string() }}) as ventilation,
    cast(a.modalite as {{ dbt.type_string() }}) as modalite,
    cast(a.numerateur as bigint) as numerateur,
    cast(a.denominateur as bigint) as denominateur,
    {% if valeur == 'effectif' -%}
    cast(a.numerateur as {{ type_double() }})
    {%- elif valeur == 'taux' -%}
    cast(a.numerateur as {{ type_double() }}) / nullif(a.denominateur, 0)
    {%- elif valeur == 'moyenne' -%}
    cast(a.moyenne as {{ type_double() }})
    {%- else -%}
    cast(m.mediane as {{ type_double() }})
    {%- endif %} as valeur,
    cast(a.nb_personnes as bigint) as nb_personnes,
    a.departements_manquants = 1 as est_provisoire_departements
from agregats as a
{%- if valeur == 'mediane' %}
left join medianes as m
    on m.niveau = a.niveau
   and m.code_territoire = a.code_territoire
   and m.mois = a.mois
   and m.grain = a.grain
   and m.ventilation = a.ventilation
   and m.modalite = a.modalite
{%- endif %}
{%- endmacro %}

{#- Les modèles ind_<code>, un par indicateur du seed indicateurs_definitions : la liste que
    lisent marts.indicateurs (lignes mensuelles) et marts.indicateurs_annuels (lignes annuelles).
    Un nouvel indicateur y ajoute son modèle. -#}
{% macro modeles_indicateurs() -%}
    {{ return([
        'ind_beneficiaires_sdd',
        'ind_nouveaux_entrants',
        'ind_taux_orientation_15j',
        'ind_taux_orientation_1m',
        'ind_delai_orientation_moyen_j',
        'ind_delai_orientation_median_j',
        'ind_taux_premier_rdv_30j',
        'ind_delai_premier_rdv_moyen_j',
        'ind_delai_premier_rdv_median_j',
        'ind_part_accompagnement_intensif',
        'ind_taux_retour_emploi_6m',
        'ind_taux_retour_emploi_durable_6m',
        'ind_beneficiaires_orientes',
        'ind_beneficiaires_en_attente_orientation',
        'ind_part_stock_oriente',
        'ind_part_stock_inscrit_ft',
        'ind_part_orientes_contrat_signe',
    ]) }}
{%- endmacro %}
