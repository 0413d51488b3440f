-- The floor: the nine shared indicators (../shared/contracts/indicators.md) at the four levels,
-- computed by one hand-written DuckDB script straight from the landing folder, and nothing else.
--
-- Variables (SET VARIABLE before running): landing (the landing folder), cog (the folder of the
-- COG seed CSVs), parametres (the folder of the parameter seeds). The result is the table
-- `floor_indicateurs` (the columns of marts.indicateurs, ventilation = modalite = 'ensemble').
--
-- What it assumes, and so skips (see docs/performance.md): clean CSV as the bench generates them
-- (UTF-8, ',', ISO dates, true/false; one file per kind, producer and month; nothing to quarantine);
-- the NIR in clear is the person (no pseudonymisation); no delivery ledger, no raw layer, no data
-- tests, no snapshot, no data-quality tables, no person-level facts, no publication files.
-- Each landing file is read once.

-- ---------------------------------------------------------------------------------------------
-- Referentials: COG communes (with former codes), intensive modalities, bassin files.
create temp table communes as
select code_commune, code_departement, code_region, code_arrondissement
from read_csv(getvariable('cog') || '/cog_communes.csv', all_varchar = true);

create temp table anciens as
select code_ancien, code_commune from read_csv(getvariable('cog') || '/cog_anciens_codes.csv', all_varchar = true);

create temp table intensives as
select upper(trim(modalite)) as modalite
from read_csv(getvariable('parametres') || '/modalites_intensives.csv', all_varchar = true);

-- Bassin referentials, one per year (either accepted form, read by name); former codes
-- remapped; a commune listed twice: the last row wins. Absent communes go to HR<dep> below.
create temp table bassins_lignes as
with brut as (
    select
        cast(regexp_extract(filename, 'bassins_(\d{4})\.csv$', 1) as integer) as annee,
        upper(trim(coalesce(*columns('^(commune_id|code_commune)$')))) as c,
        upper(trim(coalesce(*columns('^(territoire_id|code_bassin)$')))) as code_bassin,
        row_number() over () as ligne
    from read_csv(getvariable('landing') || '/referentiels/bassins_*.csv', all_varchar = true,
                  filename = true, union_by_name = true, header = true)
), codes as (
    select annee, coalesce(a.code_commune, case when length(c) = 4 then '0' || c else c end) as code_commune,
           code_bassin, ligne
    from brut left join anciens a on a.code_ancien = (case when length(c) = 4 then '0' || c else c end)
    where code_bassin is not null and code_bassin <> ''
)
select annee, code_commune, arg_max(code_bassin, ligne) as code_bassin
from codes group by annee, code_commune;

-- ---------------------------------------------------------------------------------------------
-- The CAF files, read once. idx = year * 12 + month.
create temp table caf_fichiers as
select distinct cast(regexp_extract(file, '_(\d{4})-(\d{2})\.csv$', 1) as integer) * 12
              + cast(regexp_extract(file, '_(\d{4})-(\d{2})\.csv$', 2) as integer) as idx
from glob(getvariable('landing') || '/caf/rsa_*.csv');

create temp table caf as
select
    r.nir as p,
    r.id_rsa,
    cast(regexp_extract(r.filename, '_(\d{4})-(\d{2})\.csv$', 1) as integer) * 12
        + cast(regexp_extract(r.filename, '_(\d{4})-(\d{2})\.csv$', 2) as integer) as idx,
    r.code_commune,
    c.code_departement as dep,
    r.etat_droit as etat,
    r.etat_droit = 'ouvert' and r.soumis_droits_devoirs and r.droit_versable as stock
from read_csv(getvariable('landing') || '/caf/rsa_*.csv', filename = true, header = true,
              columns = {'id_rsa': 'VARCHAR', 'nir': 'VARCHAR', 'organisme': 'VARCHAR',
                         'code_commune': 'VARCHAR', 'sexe': 'VARCHAR', 'annee_naissance': 'INTEGER',
                         'date_ouverture_droit': 'DATE', 'etat_droit': 'VARCHAR',
                         'droit_versable': 'BOOLEAN', 'soumis_droits_devoirs': 'BOOLEAN'}) as r
left join communes as c on c.code_commune = r.code_commune;

-- Months computed: from the month after the first CAF file to the last one; M−1 for the entry
-- rule is the latest earlier month with a CAF file.
create temp table mois as
with bornes as (select min(idx) as lo, max(idx) as hi from caf_fichiers)
select
    g.idx,
    make_date(cast((g.idx - 1) // 12 as integer), cast((g.idx - 1) % 12 + 1 as integer), 1) as debut,
    f.idx is not null as caf_livre,
    (select max(f2.idx) from caf_fichiers f2 where f2.idx < g.idx) as idx_prec
from (select unnest(range(lo + 1, hi + 1)) as idx from bornes) as g
left join caf_fichiers as f on f.idx = g.idx;

-- id_rsa → person: the pair of the latest month.
create temp table lien_rsa as
select id_rsa, arg_max(p, idx) as p from caf group by id_rsa;

-- ---------------------------------------------------------------------------------------------
-- The other files, read once; current version of each natural key = the latest month's row.
create temp table inscriptions as
select id_ft, date_inscription, arg_max(nir, m) as nir, max(m) as m
from (
    select id_ft, nir, date_inscription,
           cast(regexp_extract(filename, '_(\d{4})-(\d{2})\.csv$', 1) as integer) * 12
               + cast(regexp_extract(filename, '_(\d{4})-(\d{2})\.csv$', 2) as integer) as m
    from read_csv(getvariable('landing') || '/ft/inscriptions_*.csv', filename = true, header = true,
                  columns = {'id_ft': 'VARCHAR', 'nir': 'VARCHAR', 'code_commune': 'VARCHAR',
                             'date_inscription': 'DATE', 'categorie': 'VARCHAR', 'date_sortie': 'DATE',
                             'motif_sortie': 'VARCHAR', 'sexe': 'VARCHAR', 'annee_naissance': 'INTEGER',
                             'niveau_formation': 'VARCHAR', 'rqth': 'BOOLEAN', 'qpv': 'BOOLEAN'})
)
group by id_ft, date_inscription;

create temp table lien_ft as
select id_ft, arg_max(nir, m) as p from inscriptions group by id_ft;

create temp table orientations as
select o.dep, o.id_rsa, o.drn, o.dor, l.p
from (
    select
        upper(regexp_extract(filename, 'departements/([^/]+)/', 1)) as dep,
        id_rsa,
        date_reception_notification as drn,
        arg_max_null(date_orientation,
                cast(regexp_extract(filename, '_(\d{4})-(\d{2})\.csv$', 1) as integer) * 12
                + cast(regexp_extract(filename, '_(\d{4})-(\d{2})\.csv$', 2) as integer)) as dor
    from read_csv(getvariable('landing') || '/departements/*/orientations_*.csv', filename = true, header = true,
                  columns = {'id_rsa': 'VARCHAR', 'id_ft': 'VARCHAR', 'date_ouverture_droit': 'DATE',
                             'date_reception_notification': 'DATE', 'date_entree_dispositif': 'DATE',
                             'date_rdv_orientation': 'DATE', 'date_orientation': 'DATE',
                             'organisme_referent': 'VARCHAR', 'type_parcours': 'VARCHAR',
                             'accompagnement_global': 'BOOLEAN', 'freins': 'VARCHAR',
                             'date_signature_contrat': 'DATE', 'date_premier_rdv_accompagnement': 'DATE'})
    group by all
) as o
left join lien_rsa as l on l.id_rsa = o.id_rsa;

-- Accompaniment episodes of every département and of France Travail that are intensive; the
-- current version of each key decides (an episode may stop being intensive).
create temp table intensifs as
with lignes as (
    select
        case when filename like '%/ft/%' then 'ft'
             else upper(regexp_extract(filename, 'departements/([^/]+)/', 1)) end as producteur,
        id_rsa, id_ft, upper(modalite) as modalite, heures_hebdo, date_debut, date_fin,
        cast(regexp_extract(filename, '_(\d{4})-(\d{2})\.csv$', 1) as integer) * 12
            + cast(regexp_extract(filename, '_(\d{4})-(\d{2})\.csv$', 2) as integer) as m
    from read_csv([getvariable('landing') || '/departements/*/accompagnements_*.csv',
                   getvariable('landing') || '/ft/accompagnements_*.csv'], filename = true, header = true,
                  columns = {'id_rsa': 'VARCHAR', 'id_ft': 'VARCHAR', 'organisme': 'VARCHAR',
                             'modalite': 'VARCHAR', 'heures_hebdo': 'DOUBLE', 'date_debut': 'DATE',
                             'date_fin': 'DATE'})
), courantes as (
    select producteur, case when producteur = 'ft' then id_ft else id_rsa end as ident, modalite, date_debut,
           arg_max_null(heures_hebdo, m) as heures_hebdo, arg_max_null(date_fin, m) as date_fin
    from lignes group by all
)
select coalesce(r.p, f.p) as p, a.date_debut, a.date_fin
from courantes as a
left join lien_rsa as r on a.producteur <> 'ft' and r.id_rsa = a.ident
left join lien_ft as f on a.producteur = 'ft' and f.id_ft = a.ident
where (a.modalite in (select modalite from intensives) or coalesce(a.heures_hebdo, 0) >= 15)
  and coalesce(r.p, f.p) is not null;

create temp table reprises as
select l.p, r.date_embauche,
       max(case when r.type_contrat in ('CDI', 'CREATION') then 1
                when r.type_contrat in ('CDD', 'CTT') and r.duree >= 180 then 1 else 0 end) as durable
from (
    select id_ft, date_embauche, type_contrat,
           arg_max_null(duree_prevue_jours,
                   cast(regexp_extract(filename, '_(\d{4})-(\d{2})\.csv$', 1) as integer) * 12
                   + cast(regexp_extract(filename, '_(\d{4})-(\d{2})\.csv$', 2) as integer)) as duree
    from read_csv(getvariable('landing') || '/ft/reprises_emploi_*.csv', filename = true, header = true,
                  columns = {'id_ft': 'VARCHAR', 'date_embauche': 'DATE', 'type_contrat': 'VARCHAR',
                             'duree_prevue_jours': 'BIGINT'})
    group by all
) as r
inner join lien_ft as l on l.id_ft = r.id_ft
group by all;

-- Last month delivered per (kind, producer), for the maturity rules (from the file names).
create temp table livre as
select
    case when file like '%/ft/%' then 'ft'
         else upper(regexp_extract(file, 'departements/([^/]+)/', 1)) end as producteur,
    regexp_extract(file, '/([a-z_]+)_\d{4}-\d{2}\.csv$', 1) as kind,
    max(cast(regexp_extract(file, '_(\d{4})-(\d{2})\.csv$', 1) as integer) * 12
        + cast(regexp_extract(file, '_(\d{4})-(\d{2})\.csv$', 2) as integer)) as dernier
from glob([getvariable('landing') || '/ft/*.csv', getvariable('landing') || '/departements/*/*.csv'])
group by all;

-- ---------------------------------------------------------------------------------------------
-- Territory of a commune for a month: région and département of the COG, bassin of the
-- referential of the month's year (else the latest earlier, else the earliest later), HR<dep>
-- when the referential does not list it; arrondissements when there is no referential.
create temp table territoire as
with choix as (
    select m.idx,
           coalesce(max(case when b.annee <= (m.idx - 1) // 12 then b.annee end), min(b.annee)) as annee
    from mois as m left join (select distinct annee from bassins_lignes) as b on true
    group by m.idx
)
select ch.idx, c.code_commune, c.code_region as reg, c.code_departement as dep,
       case when ch.annee is null then coalesce(c.code_arrondissement, 'HR' || c.code_departement)
            else coalesce(b.code_bassin, 'HR' || c.code_departement) end as bassin
from choix as ch
cross join communes as c
left join bassins_lignes as b on b.annee = ch.annee and b.code_commune = c.code_commune;

-- ---------------------------------------------------------------------------------------------
-- beneficiaires_sdd and part_accompagnement_intensif: stock at the end of M.
create temp table beneficiaires as
select s.idx, s.code_commune, s.dep,
       exists (select 1 from intensifs as e
               where e.p = s.p and e.date_debut <= m.debut + interval 1 month - interval 1 day
                 and (e.date_fin is null or e.date_fin >= m.debut + interval 1 month - interval 1 day)) as intensif
from caf as s
inner join mois as m on m.idx = s.idx and m.caf_livre
where s.stock;

-- nouveaux_entrants, criteria 1 and 2: in D's stock at M, not in D's stock at M−1.
create temp table candidats as
select s.p, s.dep, s.idx, s.code_commune, m.debut
from caf as s
inner join mois as m on m.idx = s.idx and m.caf_livre
left join caf as prev on prev.p = s.p and prev.idx = m.idx_prec and prev.stock and prev.dep = s.dep
where s.stock and prev.p is null;

-- Criterion 3: dated orientations of D for the candidates of D, and the month each one closes.
create temp table suivis as
select distinct o.p, o.dep, o.drn, o.dor,
       year(o.dor) * 12 + month(o.dor) as k
from orientations as o
where o.dor is not null and o.p is not null
  and exists (select 1 from candidats as c where c.p = o.p and c.dep = o.dep);

-- Months that break a run of absence or suspension: present and not suspended, no CAF file,
-- before the first file, after the last one.
create temp table ruptures as
with personnes as (select distinct p from suivis),
     bornes as (select min(idx) as lo, max(idx) as hi from caf_fichiers)
select c.p, c.idx from caf as c semi join personnes using (p) where c.etat <> 'suspendu'
union
select p.p, g.idx from personnes as p, (select unnest(range(lo, hi + 1)) as idx from bornes) as g
where g.idx not in (select idx from caf_fichiers)
union
select p.p, bornes.lo - 1 from personnes as p, bornes
union
select p.p, bornes.hi + 1 from personnes as p, bornes;

create temp table suites as
select p, debut, fin from (
    select p, lag(idx) over (partition by p order by idx) + 1 as debut, idx - 1 as fin from ruptures
) where fin - debut + 1 >= 12;

create temp table clotures as
select s.p, s.dep, s.drn, s.dor, min(x.idx_cloture) as idx_cloture
from suivis as s
left join (
    select s.p, s.dep, s.drn, s.dor, c.idx as idx_cloture
    from suivis as s
    inner join caf as c on c.p = s.p and c.idx >= s.k and (c.etat = 'radie' or c.dep <> s.dep)
    union all
    select s.p, s.dep, s.drn, s.dor, greatest(r.debut, s.k + 1) + 11
    from suivis as s
    inner join suites as r on r.p = s.p and greatest(r.debut, s.k + 1) + 11 <= r.fin
) as x on x.p = s.p and x.dep = s.dep and x.drn = s.drn and x.dor = s.dor
group by all;

create temp table entrants as
select c.*
from candidats as c
where not exists (
    select 1 from clotures as o
    where o.p = c.p and o.dep = c.dep
      and o.dor < c.debut and o.drn < c.debut - interval 1 month
      and (o.idx_cloture is null or o.idx_cloture >= c.idx));

-- Entry record: smallest T0 in [debut(M) − 1 month, debut(M) + 3 months), then a dated record
-- before an empty one, then the earliest orientation.
create temp table entrees as
select e.idx, e.code_commune, e.dep, d.drn as t0, d.dor
from entrants as e
left join (
    select e.p, e.dep, e.idx,
           arg_min_null(o.drn, (o.drn, o.dor is null, coalesce(o.dor, date '9999-12-31'))) as drn,
           arg_min_null(o.dor, (o.drn, o.dor is null, coalesce(o.dor, date '9999-12-31'))) as dor
    from entrants as e
    inner join orientations as o
        on o.p = e.p and o.dep = e.dep
       and o.drn >= e.debut - interval 1 month and o.drn < e.debut + interval 3 month
    group by all
) as d on d.p = e.p and d.dep = e.dep and d.idx = e.idx;

-- Return-to-work cohorts: persons with a dated record in M (the earliest of the month), who
-- registered at France Travail before date_orientation + 6 months; hires in [dor, dor + 6 months).
create temp table cohortes as
with c as (
    select p, year(dor) * 12 + month(dor) as idx, min(dor) as dor
    from orientations where p is not null and dor is not null group by all
), inscrits as (
    select distinct c.p, c.idx from c inner join inscriptions as i
        on i.nir = c.p and i.date_inscription < c.dor + interval 6 month
), placement as (
    select c.p, c.idx,
           arg_min(f.code_commune, (case when f.idx = c.idx then 0 when f.idx < c.idx then 1 else 2 end,
                                    case when f.idx < c.idx then -f.idx else f.idx end)) as code_commune
    from c inner join caf as f on f.p = c.p group by all
)
select c.idx, pl.code_commune,
       exists (select 1 from reprises as r where r.p = c.p and r.date_embauche >= c.dor
                                             and r.date_embauche < c.dor + interval 6 month) as reprise,
       exists (select 1 from reprises as r where r.p = c.p and r.durable = 1 and r.date_embauche >= c.dor
                                             and r.date_embauche < c.dor + interval 6 month) as durable
from c
inner join mois as m on m.idx = c.idx and m.caf_livre
semi join inscrits as i on i.p = c.p and i.idx = c.idx
inner join placement as pl on pl.p = c.p and pl.idx = c.idx;

-- ---------------------------------------------------------------------------------------------
-- The four levels, each aggregated from the person rows (grouping sets: one pass).
create temp table agregats as
with b as (
    select t.idx, t.reg, t.dep, t.bassin, b.intensif,
           coalesce((select dernier from livre where kind = 'accompagnements' and producteur = t.dep), 0)
               < t.idx as acc_manquant
    from beneficiaires as b inner join territoire as t on t.idx = b.idx and t.code_commune = b.code_commune
), n as (
    select t.idx, t.reg, t.dep, t.bassin, e.t0, e.dor,
           coalesce(l.dernier, 0) as dernier_ori
    from entrees as e inner join territoire as t on t.idx = e.idx and t.code_commune = e.code_commune
    left join livre as l on l.kind = 'orientations' and l.producteur = e.dep
), c as (
    select t.idx, t.reg, t.dep, t.bassin, c.reprise, c.durable
    from cohortes as c inner join territoire as t on t.idx = c.idx and t.code_commune = c.code_commune
)
select 'b' as pop, idx, case grouping(reg, dep, bassin) when 7 then 'national' when 3 then 'region'
                            when 5 then 'departement' else 'bassin' end as niveau,
       coalesce(reg, dep, bassin, 'FR') as code_territoire,
       count(*) as n, count(*) filter (where intensif) as a, null::bigint as b, null::bigint as d,
       null::double as moy, null::double as med,
       bool_or(acc_manquant) as manque_m, null::boolean as manque_m4, null::boolean as manque_m9
from b group by grouping sets ((idx), (idx, reg), (idx, dep), (idx, bassin))
union all
select 'n', idx, case grouping(reg, dep, bassin) when 7 then 'national' when 3 then 'region'
                      when 5 then 'departement' else 'bassin' end,
       coalesce(reg, dep, bassin, 'FR'),
       count(*),
       count(*) filter (where dor < t0 + interval 15 day),
       count(*) filter (where dor < t0 + interval 1 month),
       count(*) filter (where dor < t0 + interval 6 month),
       avg(dor - t0) filter (where dor < t0 + interval 6 month),
       median(dor - t0) filter (where dor < t0 + interval 6 month),
       bool_or(dernier_ori < idx), bool_or(dernier_ori < idx + 4), bool_or(dernier_ori < idx + 9)
from n group by grouping sets ((idx), (idx, reg), (idx, dep), (idx, bassin))
union all
select 'c', idx, case grouping(reg, dep, bassin) when 7 then 'national' when 3 then 'region'
                      when 5 then 'departement' else 'bassin' end,
       coalesce(reg, dep, bassin, 'FR'),
       count(*), count(*) filter (where reprise), count(*) filter (where durable), null, null, null,
       null, null, null
from c group by grouping sets ((idx), (idx, reg), (idx, dep), (idx, bassin));

-- ---------------------------------------------------------------------------------------------
-- The full grid (every indicator × territory × month computed, zeros included) and the status.
create temp table floor_indicateurs as
with terr as (
    select distinct idx, 'national' as niveau, 'FR' as code_territoire from territoire
    union all select distinct idx, 'region', reg from territoire
    union all select distinct idx, 'departement', dep from territoire
    union all select distinct idx, 'bassin', bassin from territoire
), grille as (
    select t.idx, m.debut, m.caf_livre, t.niveau, t.code_territoire, i.indicateur, i.pop
    from terr as t inner join mois as m on m.idx = t.idx
    cross join (values ('beneficiaires_sdd', 'b'), ('part_accompagnement_intensif', 'b'),
                       ('nouveaux_entrants', 'n'), ('taux_orientation_15j', 'n'), ('taux_orientation_1m', 'n'),
                       ('delai_orientation_moyen_j', 'n'), ('delai_orientation_median_j', 'n'),
                       ('taux_retour_emploi_6m', 'c'), ('taux_retour_emploi_durable_6m', 'c'))
        as i(indicateur, pop)
), ft as (
    select coalesce(max(dernier) filter (where kind = 'accompagnements'), 0) as acc,
           least(coalesce(max(dernier) filter (where kind = 'reprises_emploi'), 0),
                 coalesce(max(dernier) filter (where kind = 'inscriptions'), 0)) as emploi
    from livre where producteur = 'ft'
), chiffres as (
    select g.*, coalesce(a.n, 0) as n, coalesce(a.a, 0) as a, coalesce(a.b, 0) as b, coalesce(a.d, 0) as d,
           a.moy, a.med, coalesce(a.manque_m, false) as manque_m, coalesce(a.manque_m4, false) as manque_m4,
           coalesce(a.manque_m9, false) as manque_m9, ft.acc, ft.emploi
    from grille as g cross join ft
    left join agregats as a on a.pop = g.pop and a.idx = g.idx and a.niveau = g.niveau
                           and a.code_territoire = g.code_territoire
)
select
    indicateur, niveau, code_territoire, debut as mois,
    'ensemble' as ventilation, 'ensemble' as modalite,
    case when not caf_livre then null
         when indicateur in ('beneficiaires_sdd', 'nouveaux_entrants') then n
         when indicateur = 'part_accompagnement_intensif' then a
         when indicateur in ('taux_orientation_15j', 'taux_retour_emploi_6m') then a
         when indicateur in ('taux_orientation_1m', 'taux_retour_emploi_durable_6m') then b
    end::bigint as numerateur,
    case when not caf_livre then null
         when indicateur in ('beneficiaires_sdd', 'nouveaux_entrants') then null
         when indicateur like 'delai%' then d
         else n
    end::bigint as denominateur,
    case when not caf_livre then null
         when indicateur in ('beneficiaires_sdd', 'nouveaux_entrants') then n
         when indicateur = 'delai_orientation_moyen_j' then moy
         when indicateur = 'delai_orientation_median_j' then med
         when n = 0 then null
         when indicateur in ('part_accompagnement_intensif', 'taux_orientation_15j', 'taux_retour_emploi_6m')
             then a / n
         else b / n
    end::double as valeur,
    case when not caf_livre then 'provisoire'
         when indicateur = 'beneficiaires_sdd' then 'definitif'
         when pop = 'c' then case when emploi >= idx + 8 then 'definitif' else 'provisoire' end
         when n = 0 then 'definitif'
         when indicateur = 'part_accompagnement_intensif' then
             case when manque_m or acc < idx then 'provisoire' else 'definitif' end
         when indicateur = 'nouveaux_entrants' then case when manque_m then 'provisoire' else 'definitif' end
         when indicateur like 'taux_orientation%' then case when manque_m4 then 'provisoire' else 'definitif' end
         else case when manque_m9 then 'provisoire' else 'definitif' end
    end as statut
from chiffres;
