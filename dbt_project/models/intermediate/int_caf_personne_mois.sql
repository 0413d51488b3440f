{{ config_par_mois() }}
-- État CAF/MSA de chaque personne à la fin de chaque mois livré (ligne du fichier courant du
-- mois). Une personne absente du fichier d'un mois n'a pas de ligne ce mois-là ; une ligne par
-- personne et mois (l'ingestion applique la règle de clé dupliquée sur id_rsa et NIR ; le test
-- d'unicité de ce modèle le vérifie).
-- SDD : droit ouvert et soumis aux droits et devoirs ; versable : droit ouvert et versable ;
-- stock : SDD et versable (le département du stock est celui de la commune de résidence).
select
    r.pseudo_nir as personne,
    r.mois,
    r.pseudo_id_rsa,
    r.code_commune,
    c.code_departement,
    c.code_region,
    r.sexe,
    r.annee_naissance,
    r.date_ouverture_droit,
    r.etat_droit,
    r.etat_droit = 'ouvert' and coalesce(r.soumis_droits_devoirs, false) as est_sdd,
    r.etat_droit = 'ouvert' and coalesce(r.droit_versable, false) as est_versable,
    r.etat_droit = 'ouvert'
        and coalesce(r.soumis_droits_devoirs, false)
        and coalesce(r.droit_versable, false) as est_stock
from {{ ref('stg_rsa') }} as r
left join {{ ref('cog_communes') }} as c
    on c.code_commune = r.code_commune
where r.pseudo_nir is not null
  and {{ dans_fenetre('r.mois') }}
