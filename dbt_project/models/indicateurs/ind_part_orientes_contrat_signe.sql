-- part_orientes_contrat_signe : part des bénéficiaires orientés qui ont signé leur contrat
-- d'engagement (définition : seed indicateurs_definitions ; maturité : seed
-- maturite_livraisons, orientations du département de chaque personne orientée pour le mois M).
-- Population : les personnes comptées dans beneficiaires_orientes (int_orientation_courante,
-- placées par leur ligne du stock). Numérateur : date_signature_contrat de l'orientation
-- courante ≤ fin(M).
{% set personnes %}
    select
        b.mois,
        b.code_commune,
        o.organisme_referent,
        o.type_parcours,
        case when o.date_signature_contrat <= {{ fin_mois('b.mois') }} then 1 else 0 end as au_numerateur,
        1 as au_denominateur,
        cast(null as integer) as valeur_individuelle
    from {{ ref('int_beneficiaires_sdd_mois') }} as b
    inner join {{ ref('int_orientation_courante') }} as o
        on o.personne = b.personne
       and o.mois = b.mois
{% endset %}

{{ deployer_territoires('part_orientes_contrat_signe', personnes, valeur='taux', ventilations=['organisme_referent', 'type_parcours']) }}
