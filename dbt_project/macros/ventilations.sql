{#-
  Modalités des ventilations (pilotage.md, « Breakdowns ») : chaque macro rend la modalité
  d'une personne, jamais vide, pour que les catégories d'une ventilation partitionnent la
  population de la ligne « ensemble ». Libellés et ordre d'affichage : seed ventilations ;
  ventilations de chaque indicateur : seed indicateurs_ventilations.
-#}

{#- Sexe de la ligne CAF qui place le chiffre : F, M, sinon inconnu. -#}
{% macro modalite_sexe(sexe) -%}
    case when {{ sexe }} in ('F', 'M') then {{ sexe }} else 'inconnu' end
{%- endmacro %}

{#- Tranche d'âge : âge = année du mois du chiffre − année de naissance de la même ligne CAF
    (un âge négatif est moins_25 ; sans année de naissance : inconnu). -#}
{% macro modalite_tranche_age(mois, annee_naissance) -%}
    case
        when {{ annee_naissance }} is null then 'inconnu'
        when extract(year from {{ mois }}) - {{ annee_naissance }} < 25 then 'moins_25'
        when extract(year from {{ mois }}) - {{ annee_naissance }} < 30 then '25_29'
        when extract(year from {{ mois }}) - {{ annee_naissance }} < 40 then '30_39'
        when extract(year from {{ mois }}) - {{ annee_naissance }} < 50 then '40_49'
        when extract(year from {{ mois }}) - {{ annee_naissance }} < 60 then '50_59'
        else '60_plus'
    end
{%- endmacro %}

{#- Ancienneté du droit à la fin du mois : d = date_ouverture_droit de caf(p, M) ;
    moins_6_mois quand d + 6 mois > fin(M), puis 6_12_mois, 12_24_mois, 24_mois_et_plus.
    date_ouverture_droit est obligatoire dans le fichier CAF (sources.md) : une ligne sans
    elle est en quarantaine et n'arrive pas ici. -#}
{% macro modalite_anciennete_droit(date_ouverture_droit, mois) -%}
    case
        when {{ ajouter_mois(6, date_ouverture_droit) }} > {{ fin_mois(mois) }} then 'moins_6_mois'
        when {{ ajouter_mois(12, date_ouverture_droit) }} > {{ fin_mois(mois) }} then '6_12_mois'
        when {{ ajouter_mois(24, date_ouverture_droit) }} > {{ fin_mois(mois) }} then '12_24_mois'
        else '24_mois_et_plus'
    end
{%- endmacro %}

{#- Organisme référent d'un dossier : non_oriente sans date d'orientation (ou sans dossier),
    inconnu quand la valeur est vide, sinon la valeur (liste de sources.md). -#}
{% macro modalite_organisme_referent(date_orientation, organisme_referent) -%}
    case
        when {{ date_orientation }} is null then 'non_oriente'
        when {{ organisme_referent }} is null or {{ organisme_referent }} = '' then 'inconnu'
        else {{ organisme_referent }}
    end
{%- endmacro %}

{#- Type de parcours d'un dossier : la valeur, inconnu quand elle est vide. -#}
{% macro modalite_type_parcours(type_parcours) -%}
    case
        when {{ type_parcours }} is null or {{ type_parcours }} = '' then 'inconnu'
        else {{ type_parcours }}
    end
{%- endmacro %}

{#- Rang d'un organisme référent dans la liste de sources.md (vide en dernier) : départage
    des dossiers ex aequo (pilotage.md, « Orientation in progress »). -#}
{% macro rang_organisme_referent(organisme_referent) -%}
    case {{ organisme_referent }}
        when 'FT' then 1 when 'CD' then 2 when 'ML' then 3 when 'CAP_EMPLOI' then 4
        when 'CAF' then 5 when 'CCAS' then 6 when 'ASSO' then 7 when 'AUTRE' then 8
        else 9
    end
{%- endmacro %}

{#- Rang d'un type de parcours dans la liste de sources.md (vide en dernier). -#}
{% macro rang_type_parcours(type_parcours) -%}
    case {{ type_parcours }}
        when 'professionnel' then 1 when 'socio_professionnel' then 2 when 'social' then 3
        else 4
    end
{%- endmacro %}

{#- Ordre de départage de deux dossiers d'une même personne (pilotage.md) : la date
    d'orientation la plus récente, puis la fin de départage (departage_dossiers).
    À placer dans un `order by` de row_number() (le rang 1 est retenu). `prefixe` : alias. -#}
{% macro ordre_dossier_courant(prefixe='') -%}
    {{ prefixe }}date_orientation desc,
    {{ departage_dossiers(prefixe) }}
{%- endmacro %}

{#- Fin de l'ordre de départage (pilotage.md : « the same tie rule settles an entry record or a
    cohort record ») : la réception de notification la plus récente, puis l'organisme référent
    puis le type de parcours dans l'ordre des listes, vide en dernier. Suit la clé propre à
    chaque usage (dossier courant : date d'orientation la plus récente ; dossier de cohorte :
    la plus ancienne du mois). `prefixe` : alias. -#}
{% macro departage_dossiers(prefixe='') -%}
    {{ prefixe }}date_reception_notification desc,
    {{ rang_organisme_referent(prefixe ~ 'organisme_referent') }},
    {{ rang_type_parcours(prefixe ~ 'type_parcours') }}
{%- endmacro %}

{#- Modalité oui / non / inconnu d'un booléen (qpv, rqth) : vide = inconnu. -#}
{% macro modalite_oui_non(booleen) -%}
    case when {{ booleen }} then 'oui' when not {{ booleen }} then 'non' else 'inconnu' end
{%- endmacro %}

{#- Niveau de formation (liste de sources.md : INF_BAC, BAC, SUP_BAC), sinon inconnu. -#}
{% macro modalite_niveau_formation(niveau_formation) -%}
    case
        when {{ niveau_formation }} in ('INF_BAC', 'BAC', 'SUP_BAC') then {{ niveau_formation }}
        else 'inconnu'
    end
{%- endmacro %}
