-- Calendrier des mois du premier au dernier fichier CAF/MSA livré (accepté, même vide).
-- Le premier mois ne sert que de M−1 à la règle d'entrée : les mois calculés commencent au
-- suivant. Un mois de la période sans fichier CAF livré est calculé mais ses chiffres sont
-- vides ; le critère 2 du mois suivant lit le dernier fichier CAF antérieur.
with livres as (
    select distinct mois
    from {{ ref('stg_livraisons') }}
    where type_fichier = 'rsa' and statut = 'acceptee'
),

bornes as (
    select min(mois) as premier_mois, max(mois) as dernier_mois
    from livres
),

entiers as (
    {{ serie_entiers(3) }}
),

calendrier as (
    select {{ ajouter_mois('e.n', 'b.premier_mois') }} as mois
    from bornes as b
    cross join entiers as e
    where b.premier_mois is not null
      and e.n <= {{ mois_index('b.dernier_mois') }} - {{ mois_index('b.premier_mois') }}
)

select
    c.mois,
    {{ fin_mois('c.mois') }} as fin_mois,
    l.mois is not null as caf_livre,
    c.mois > b.premier_mois as est_calcule,
    max(l.mois) over (
        order by c.mois
        rows between unbounded preceding and 1 preceding
    ) as mois_caf_precedent
from calendrier as c
cross join bornes as b
left join livres as l
    on l.mois = c.mois
