-- The floor: the shared indicators (../shared/contracts/indicators.md) and the pilotage figures
-- (../shared/contracts/pilotage.md: stock orientation, France Travail registration, contracts,
-- first appointments) at the four levels, with every breakdown of pilotage.md, computed by one
-- hand-written DuckDB script straight from the landing folder, and nothing else.
--
-- Variables (SET VARIABLE before running): landing (the landing folder), cog (the folder of the
-- COG seed CSVs), parametres (the folder of the parameter seeds), cle (the pseudonymisation key,
-- as text: the pipeline's SOCLE_PSEUDO_KEY). The result is the table `floor_indicateurs` (the
-- columns of marts.indicateurs: the ensemble rows and every breakdown).
--
-- The contract's pseudonymisation (privacy.md) is done as the pipeline does it at ingestion
-- (ingestion/pseudonymise.py): every identifier of every row read (nir, id_rsa, id_ft, in every
-- file that has them) becomes the HMAC-SHA-256 of its trimmed, upper-cased value under the same
-- key, computed with DuckDB's sha256 and the ipad/opad construction; then, as dbt's staging does
-- (macro cle_compacte), its first 60 bits as a bigint. Persons and links are these keys: no
-- identifier in clear is joined.
--
-- What it assumes, and so skips (see docs/performance.md): clean CSV as the bench generates them
-- (UTF-8, ',', ISO dates, true/false; one file per kind, producer and month; nothing to quarantine);
-- no delivery ledger, no raw layer, no data tests, no snapshot, no data-quality tables, no
-- person-level facts, no publication files. Each landing file is read once.

-- ---------------------------------------------------------------------------------------------
-- Pseudonymisation: HMAC-SHA-256(K, m) = H((K' xor opad) || H((K' xor ipad) || m)), K' the key
-- (its SHA-256 when longer than 64 bytes) padded with zeros to 64 bytes; m the identifier trimmed
-- and upper-cased (empty: null, as at ingestion). Hex digest, lower case, as Pseudonymiser.one.
set variable cle_bloc = (
    select rpad(hex(case when octet_length(k) > 64 then unhex(sha256(k)) else k end), 128, '0')
    from (select encode(getvariable('cle')) as k));

set variable ipad = (
    select unhex(string_agg(printf('%02x', xor(('0x' || substr(getvariable('cle_bloc'), 2 * i + 1, 2))::integer, 54)),
                            '' order by i))
    from range(64) as t(i));

set variable opad = (
    select unhex(string_agg(printf('%02x', xor(('0x' || substr(getvariable('cle_bloc'), 2 * i + 1, 2))::integer, 92)),
                            '' order by i))
    from range(64) as t(i));

create temp macro pseudonyme(x) as
    sha256(getvariable('opad') || unhex(sha256(getvariable('ipad') || encode(nullif(upper(trim(x)), '')))));

-- The compact key of dbt's staging (macro cle_compacte): the pseudonym's first 15 hex digits.
create temp macro cle_compacte(x) as cast(('0x' || substr(pseudonyme(x), 1, 15)) as bigint);

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
    cle_compacte(r.nir) as p,
    cle_compacte(r.id_rsa) as id_rsa,
    cast(regexp_extract(r.filename, '_(\d{4})-(\d{2})\.csv$', 1) as integer) * 12
        + cast(regexp_extract(r.filename, '_(\d{4})-(\d{2})\.csv$', 2) as integer) as idx,
    r.code_commune,
    c.code_departement as dep,
    r.etat_droit as etat,
    r.etat_droit = 'ouvert' and r.soumis_droits_devoirs and r.droit_versable as stock,
    case when upper(trim(r.sexe)) in ('F', 'M') then upper(trim(r.sexe)) else 'inconnu' end as sexe,
    r.annee_naissance as naissance,
    r.date_ouverture_droit as ouverture
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
select id_ft, date_inscription, arg_max(nir, m) as nir, max(m) as m,
       arg_max_null(date_sortie, m) as date_sortie,
       arg_max_null(niveau_formation, m) as niveau_formation,
       arg_max_null(qpv, m) as qpv, arg_max_null(rqth, m) as rqth
from (
    select cle_compacte(id_ft) as id_ft, cle_compacte(nir) as nir, date_inscription, date_sortie,
           upper(trim(niveau_formation)) as niveau_formation, qpv, rqth,
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
select o.dep, o.id_rsa, o.drn, o.v.dor as dor, o.v.orr as orr, o.v.tp as tp, o.v.dsc as dsc, o.v.dpr as dpr,
       o.v.id_ft as id_ft, l.p
from (
    select
        upper(regexp_extract(filename, 'departements/([^/]+)/', 1)) as dep,
        cle_compacte(id_rsa) as id_rsa,
        date_reception_notification as drn,
        arg_max({'dor': date_orientation, 'orr': nullif(upper(trim(organisme_referent)), ''),
                 'tp': nullif(lower(trim(type_parcours)), ''), 'dsc': date_signature_contrat,
                 'dpr': date_premier_rdv_accompagnement, 'id_ft': cle_compacte(id_ft)},
                cast(regexp_extract(filename, '_(\d{4})-(\d{2})\.csv$', 1) as integer) * 12
                + cast(regexp_extract(filename, '_(\d{4})-(\d{2})\.csv$', 2) as integer)) as v
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

-- Order of the lists of sources.md (an empty value last), for the tie rule of pilotage.md.
create temp macro rang_organisme(x) as
    coalesce(list_position(['FT', 'CD', 'ML', 'CAP_EMPLOI', 'CAF', 'CCAS', 'ASSO', 'AUTRE'], x), 9);
create temp macro rang_parcours(x) as
    coalesce(list_position(['professionnel', 'socio_professionnel', 'social'], x), 9);

-- Accompaniment episodes of every département and of France Travail that are intensive; the
-- current version of each key decides (an episode may stop being intensive).
create temp table intensifs as
with lignes as (
    select
        case when filename like '%/ft/%' then 'ft'
             else upper(regexp_extract(filename, 'departements/([^/]+)/', 1)) end as producteur,
        cle_compacte(id_rsa) as id_rsa, cle_compacte(id_ft) as id_ft, upper(modalite) as modalite, heures_hebdo,
        date_debut, date_fin,
        cast(regexp_extract(filename, '_(\d{4})-(\d{2})\.csv$', 1) as integer) * 12
            + cast(regexp_extract(filename, '_(\d{4})-(\d{2})\.csv$', 2) as integer) as m
    from read_csv([getvariable('landing') || '/departements/*/accompagnements_*.csv',
                   getvariable('landing') || '/ft/accompagnements_*.csv'], filename = true, header = true,
                  columns = {'id_rsa': 'VARCHAR', 'id_ft': 'VARCHAR', 'organisme': 'VARCHAR',
                             'modalite': 'VARCHAR', 'heures_hebdo': 'DOUBLE', 'date_debut': 'DATE',
                             'date_fin': 'DATE'})
), courantes as (
    select producteur, case when producteur = 'ft' then id_ft else id_rsa end as ident, modalite, date_debut,
           arg_max_null(heures_hebdo, m) as heures_hebdo, arg_max_null(date_fin, m) as date_fin,
           arg_max_null(case when producteur = 'ft' then id_rsa else id_ft end, m) as autre_ident
    from lignes group by all
)
select coalesce(r.p, f.p) as p, a.date_debut, a.date_fin, a.autre_ident
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
    select cle_compacte(id_ft) as id_ft, date_embauche, type_contrat,
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
-- Breakdown categories of the CAF row that places a figure (pilotage.md, Breakdowns).
create temp macro tranche_age(idx, naissance) as
    case when naissance is null then 'inconnu'
         when (idx - 1) // 12 - naissance < 25 then 'moins_25'
         when (idx - 1) // 12 - naissance < 30 then '25_29'
         when (idx - 1) // 12 - naissance < 40 then '30_39'
         when (idx - 1) // 12 - naissance < 50 then '40_49'
         when (idx - 1) // 12 - naissance < 60 then '50_59'
         else '60_plus' end;

-- ---------------------------------------------------------------------------------------------
-- The closing rule of nouveaux_entrants criterion 3, for every dated orientation of D: an
-- orientation of month K is closed in month J (the earliest) by a radiation or a commune outside D
-- with K <= J, or by 12 consecutive known months K < J absent or suspended (J = their 12th).
create temp table suivis as
select distinct p, dep, year(dor) * 12 + month(dor) as k
from orientations where dor is not null and p is not null;

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
select s.p, s.dep, s.k, min(x.idx_cloture) as idx_cloture
from suivis as s
left join (
    select s.p, s.dep, s.k, c.idx as idx_cloture
    from suivis as s
    inner join caf as c on c.p = s.p and c.idx >= s.k and (c.etat = 'radie' or c.dep <> s.dep)
    union all
    select s.p, s.dep, s.k, greatest(r.debut, s.k + 1) + 11
    from suivis as s
    inner join suites as r on r.p = s.p and greatest(r.debut, s.k + 1) + 11 <= r.fin
) as x on x.p = s.p and x.dep = s.dep and x.k = s.k
group by s.p, s.dep, s.k;

-- Dated orientations with the month they close (null: never).
create temp table orientations_datees as
select o.p, o.dep, o.drn, o.dor, o.orr, o.tp, o.dsc, c.idx_cloture
from orientations as o
inner join clotures as c on c.p = o.p and c.dep = o.dep and c.k = year(o.dor) * 12 + month(o.dor)
where o.dor is not null;

-- ---------------------------------------------------------------------------------------------
-- The stock at the end of M (beneficiaires_sdd's population) and what the stock figures read:
-- intensive accompaniment, France Travail registration, the current orientation of D in progress.
create temp table beneficiaires as
with s as (
    select s.p, s.idx, s.code_commune, s.dep, s.sexe, s.naissance, s.ouverture, last_day(m.debut) as fin
    from caf as s
    inner join mois as m on m.idx = s.idx and m.caf_livre
    where s.stock
), courante as (
    select s.p, s.idx,
           arg_max({'orr': o.orr, 'tp': o.tp, 'dsc': o.dsc},
                   (o.dor, o.drn, -rang_organisme(o.orr), -rang_parcours(o.tp))) as v
    from s
    inner join orientations_datees as o
        on o.p = s.p and o.dep = s.dep and o.dor <= s.fin and (o.idx_cloture is null or o.idx_cloture >= s.idx)
    group by s.p, s.idx
)
select s.idx, s.code_commune, s.dep, s.sexe, tranche_age(s.idx, s.naissance) as tranche,
       case when s.ouverture + interval 6 month > s.fin then 'moins_6_mois'
            when s.ouverture + interval 12 month > s.fin then '6_12_mois'
            when s.ouverture + interval 24 month > s.fin then '12_24_mois'
            else '24_mois_et_plus' end as anciennete,
       exists (select 1 from intensifs as e
               where e.p = s.p and e.date_debut <= s.fin and (e.date_fin is null or e.date_fin >= s.fin)) as intensif,
       exists (select 1 from inscriptions as i
               where i.nir = s.p and i.date_inscription <= s.fin
                 and (i.date_sortie is null or i.date_sortie > s.fin)) as inscrit,
       c.v is not null as oriente,
       coalesce(c.v.orr, 'inconnu') as organisme,
       coalesce(c.v.tp, 'inconnu') as parcours,
       coalesce(c.v.dsc <= s.fin, false) as contrat,
       coalesce((select dernier from livre where kind = 'accompagnements' and producteur = s.dep), 0)
           < s.idx as acc_manquant,
       coalesce((select dernier from livre where kind = 'orientations' and producteur = s.dep), 0)
           < s.idx as ori_manquant
from s left join courante as c on c.p = s.p and c.idx = s.idx;

-- nouveaux_entrants, criteria 1 and 2: in D's stock at M, not in D's stock at M−1.
create temp table candidats as
select s.p, s.dep, s.idx, s.code_commune, s.sexe, s.naissance, m.debut
from caf as s
inner join mois as m on m.idx = s.idx and m.caf_livre
left join caf as prev on prev.p = s.p and prev.idx = m.idx_prec and prev.stock and prev.dep = s.dep
where s.stock and prev.p is null;

-- Criterion 3: no orientation of D dated before debut(M), notified before debut(M) − 1 month,
-- still open at debut(M).
create temp table entrants as
select c.*
from candidats as c
where not exists (
    select 1 from orientations_datees as o
    where o.p = c.p and o.dep = c.dep
      and o.dor < c.debut and o.drn < c.debut - interval 1 month
      and (o.idx_cloture is null or o.idx_cloture >= c.idx));

-- Entry record: smallest T0 in [debut(M) − 1 month, debut(M) + 3 months), then a dated record
-- before an empty one, then the earliest orientation, then the organisme and parcours (list order).
create temp table entrees as
select e.idx, e.code_commune, e.dep, e.sexe, tranche_age(e.idx, e.naissance) as tranche,
       d.v.drn as t0, d.v.dor as dor, d.v.dpr as dpr,
       case when d.v.dor is null then 'non_oriente' else coalesce(d.v.orr, 'inconnu') end as organisme
from entrants as e
left join (
    select e.p, e.dep, e.idx,
           arg_min({'drn': o.drn, 'dor': o.dor, 'dpr': o.dpr, 'orr': o.orr},
                   (o.drn, o.dor is null, coalesce(o.dor, date '9999-12-31'),
                    rang_organisme(o.orr), rang_parcours(o.tp))) as v
    from entrants as e
    inner join orientations as o
        on o.p = e.p and o.dep = e.dep
       and o.drn >= e.debut - interval 1 month and o.drn < e.debut + interval 3 month
    group by e.p, e.dep, e.idx
) as d on d.p = e.p and d.dep = e.dep and d.idx = e.idx;

-- Return-to-work cohorts: persons with a dated record in M (the earliest of the month; then the
-- latest notification, then organisme and parcours in list order), who registered at France
-- Travail before date_orientation + 6 months; hires in [dor, dor + 6 months). The qualifying
-- registration is the latest of those; values that disagree on that date are 'inconnu'.
create temp table cohortes as
with c as (
    select p, year(dor) * 12 + month(dor) as idx,
           arg_min({'dor': dor, 'orr': orr, 'tp': tp},
                   (dor, date '9999-12-31' - drn, rang_organisme(orr), rang_parcours(tp))) as v
    from orientations where p is not null and dor is not null
    group by p, year(dor) * 12 + month(dor)
), qualifiantes as (
    select c.p, c.idx, i.date_inscription, i.niveau_formation, i.qpv, i.rqth,
           max(i.date_inscription) over (partition by c.p, c.idx) as derniere
    from c inner join inscriptions as i on i.nir = c.p and i.date_inscription < c.v.dor + interval 6 month
), inscrits as (
    select p, idx,
           case when count(distinct coalesce(niveau_formation, '')) > 1 then 'inconnu'
                else coalesce(any_value(niveau_formation), 'inconnu') end as niveau_formation,
           case when count(distinct coalesce(cast(qpv as varchar), '')) > 1 then 'inconnu'
                when any_value(qpv) then 'oui' when not any_value(qpv) then 'non' else 'inconnu' end as qpv,
           case when count(distinct coalesce(cast(rqth as varchar), '')) > 1 then 'inconnu'
                when any_value(rqth) then 'oui' when not any_value(rqth) then 'non' else 'inconnu' end as rqth
    from qualifiantes where date_inscription = derniere
    group by p, idx
), placement as (
    select c.p, c.idx,
           arg_min({'code_commune': f.code_commune, 'sexe': f.sexe, 'naissance': f.naissance},
                   (case when f.idx = c.idx then 0 when f.idx < c.idx then 1 else 2 end,
                    case when f.idx < c.idx then -f.idx else f.idx end)) as v
    from c inner join caf as f on f.p = c.p group by c.p, c.idx
)
select c.idx, pl.v.code_commune as code_commune, pl.v.sexe as sexe, tranche_age(c.idx, pl.v.naissance) as tranche,
       coalesce(c.v.orr, 'inconnu') as organisme, coalesce(c.v.tp, 'inconnu') as parcours,
       i.niveau_formation, i.qpv, i.rqth,
       exists (select 1 from reprises as r where r.p = c.p and r.date_embauche >= c.v.dor
                                             and r.date_embauche < c.v.dor + interval 6 month) as reprise,
       exists (select 1 from reprises as r where r.p = c.p and r.durable = 1 and r.date_embauche >= c.v.dor
                                             and r.date_embauche < c.v.dor + interval 6 month) as durable
from c
inner join mois as m on m.idx = c.idx and m.caf_livre
inner join inscrits as i on i.p = c.p and i.idx = c.idx
inner join placement as pl on pl.p = c.p and pl.idx = c.idx;

-- ---------------------------------------------------------------------------------------------
-- The four levels, each aggregated from the person rows (grouping sets: one pass), for the
-- ensemble and every category of every breakdown (one row per person and breakdown). The stock
-- is summed per commune first (counts only).
create temp table agregats as
with b_communes as (
    select idx, code_commune, ventilation, modalite,
           count(*) as n, count(*) filter (where intensif) as intensif, count(*) filter (where inscrit) as inscrit,
           count(*) filter (where oriente) as orientes, count(*) filter (where contrat) as contrat,
           bool_or(acc_manquant) as m_acc, bool_or(ori_manquant) as m_ori,
           coalesce(bool_or(ori_manquant) filter (where oriente), false) as m_ori_orientes
    from (
        select *,
               unnest(['ensemble', 'sexe', 'tranche_age', 'anciennete_droit']
                      || case when oriente then ['organisme_referent', 'type_parcours'] else [] end) as ventilation,
               unnest(['ensemble', sexe, tranche, anciennete]
                      || case when oriente then [organisme, parcours] else [] end) as modalite
        from beneficiaires
    )
    group by all
), b as (
    select t.idx, t.reg, t.dep, t.bassin, b.ventilation, b.modalite, b.n, b.intensif, b.inscrit, b.orientes,
           b.contrat, b.m_acc, b.m_ori, b.m_ori_orientes
    from b_communes as b inner join territoire as t on t.idx = b.idx and t.code_commune = b.code_commune
), n as (
    select t.idx, t.reg, t.dep, t.bassin, e.t0, e.dor, e.dpr, coalesce(l.dernier, 0) as dernier_ori,
           unnest(['ensemble', 'sexe', 'tranche_age', 'organisme_referent']) as ventilation,
           unnest(['ensemble', e.sexe, e.tranche, e.organisme]) as modalite
    from entrees as e inner join territoire as t on t.idx = e.idx and t.code_commune = e.code_commune
    left join livre as l on l.kind = 'orientations' and l.producteur = e.dep
), c as (
    select t.idx, t.reg, t.dep, t.bassin, c.reprise, c.durable,
           unnest(['ensemble', 'sexe', 'tranche_age', 'organisme_referent', 'type_parcours',
                   'niveau_formation', 'qpv', 'rqth']) as ventilation,
           unnest(['ensemble', c.sexe, c.tranche, c.organisme, c.parcours, c.niveau_formation, c.qpv, c.rqth])
               as modalite
    from cohortes as c inner join territoire as t on t.idx = c.idx and t.code_commune = c.code_commune
)
select 'b' as pop, idx, case grouping(reg, dep, bassin) when 7 then 'national' when 3 then 'region'
                            when 5 then 'departement' else 'bassin' end as niveau,
       coalesce(reg, dep, bassin, 'FR') as code_territoire, ventilation, modalite,
       sum(n) as n, sum(intensif) as intensif, sum(inscrit) as inscrit, sum(orientes) as orientes,
       sum(contrat) as contrat,
       null::bigint as o15, null::bigint as o1m, null::bigint as d6, null::double as moy, null::double as med,
       null::bigint as rdv30, null::bigint as nrdv, null::double as moy_rdv, null::double as med_rdv,
       null::bigint as reprise, null::bigint as durable,
       bool_or(m_acc) as m_acc, bool_or(m_ori) as m_ori, bool_or(m_ori_orientes) as m_ori_orientes,
       null::boolean as m4, null::boolean as m9, null::boolean as m10, null::boolean as m12
from b group by grouping sets ((idx, ventilation, modalite), (idx, ventilation, modalite, reg),
                              (idx, ventilation, modalite, dep), (idx, ventilation, modalite, bassin))
union all
select 'n', idx, case grouping(reg, dep, bassin) when 7 then 'national' when 3 then 'region'
                      when 5 then 'departement' else 'bassin' end,
       coalesce(reg, dep, bassin, 'FR'), ventilation, modalite,
       count(*), null, null, null, null,
       count(*) filter (where dor < t0 + interval 15 day),
       count(*) filter (where dor < t0 + interval 1 month),
       count(*) filter (where dor < t0 + interval 6 month),
       avg(dor - t0) filter (where dor < t0 + interval 6 month),
       median(dor - t0) filter (where dor < t0 + interval 6 month),
       count(*) filter (where dor < t0 + interval 6 month and dpr >= dor and dpr < dor + interval 30 day),
       count(*) filter (where dpr >= t0 and dpr < t0 + interval 9 month),
       avg(dpr - t0) filter (where dpr >= t0 and dpr < t0 + interval 9 month),
       median(dpr - t0) filter (where dpr >= t0 and dpr < t0 + interval 9 month),
       null, null,
       null, bool_or(dernier_ori < idx), null,
       bool_or(dernier_ori < idx + 4), bool_or(dernier_ori < idx + 9), bool_or(dernier_ori < idx + 10),
       bool_or(dernier_ori < idx + 12)
from n group by grouping sets ((idx, ventilation, modalite), (idx, ventilation, modalite, reg),
                              (idx, ventilation, modalite, dep), (idx, ventilation, modalite, bassin))
union all
select 'c', idx, case grouping(reg, dep, bassin) when 7 then 'national' when 3 then 'region'
                      when 5 then 'departement' else 'bassin' end,
       coalesce(reg, dep, bassin, 'FR'), ventilation, modalite,
       count(*), null, null, null, null, null, null, null, null, null, null, null, null, null,
       count(*) filter (where reprise), count(*) filter (where durable),
       null, null, null, null, null, null, null
from c group by grouping sets ((idx, ventilation, modalite), (idx, ventilation, modalite, reg),
                              (idx, ventilation, modalite, dep), (idx, ventilation, modalite, bassin));

-- ---------------------------------------------------------------------------------------------
-- The breakdowns of pilotage.md: categories of each breakdown, breakdowns of each indicator.
create temp table modalites as
select ventilation, unnest(modalites) as modalite from (values
    ('ensemble', ['ensemble']),
    ('sexe', ['F', 'M', 'inconnu']),
    ('tranche_age', ['moins_25', '25_29', '30_39', '40_49', '50_59', '60_plus', 'inconnu']),
    ('anciennete_droit', ['moins_6_mois', '6_12_mois', '12_24_mois', '24_mois_et_plus']),
    ('organisme_referent', ['FT', 'CD', 'ML', 'CAP_EMPLOI', 'CAF', 'CCAS', 'ASSO', 'AUTRE', 'non_oriente', 'inconnu']),
    ('type_parcours', ['professionnel', 'socio_professionnel', 'social', 'inconnu']),
    ('niveau_formation', ['INF_BAC', 'BAC', 'SUP_BAC', 'inconnu']),
    ('qpv', ['oui', 'non', 'inconnu']),
    ('rqth', ['oui', 'non', 'inconnu'])
) as v(ventilation, modalites);

create temp table indicateurs as
select indicateur, pop, unnest(['ensemble'] || ventilations) as ventilation from (values
    ('beneficiaires_sdd', 'b', ['sexe', 'tranche_age', 'anciennete_droit']),
    ('part_accompagnement_intensif', 'b', ['sexe', 'tranche_age', 'anciennete_droit']),
    ('part_stock_inscrit_ft', 'b', ['sexe', 'tranche_age', 'anciennete_droit']),
    ('part_stock_oriente', 'b', ['sexe', 'tranche_age', 'anciennete_droit']),
    ('beneficiaires_en_attente_orientation', 'b', ['sexe', 'tranche_age', 'anciennete_droit']),
    ('beneficiaires_orientes', 'b', ['sexe', 'tranche_age', 'anciennete_droit', 'organisme_referent', 'type_parcours']),
    ('part_orientes_contrat_signe', 'b', ['organisme_referent', 'type_parcours']),
    ('nouveaux_entrants', 'n', ['sexe', 'tranche_age']),
    ('taux_orientation_15j', 'n', ['sexe', 'tranche_age', 'organisme_referent']),
    ('taux_orientation_1m', 'n', ['sexe', 'tranche_age', 'organisme_referent']),
    ('delai_orientation_moyen_j', 'n', ['sexe', 'tranche_age', 'organisme_referent']),
    ('delai_orientation_median_j', 'n', ['sexe', 'tranche_age', 'organisme_referent']),
    ('taux_premier_rdv_30j', 'n', ['sexe', 'tranche_age', 'organisme_referent']),
    ('delai_premier_rdv_moyen_j', 'n', ['sexe', 'tranche_age', 'organisme_referent']),
    ('delai_premier_rdv_median_j', 'n', ['sexe', 'tranche_age', 'organisme_referent']),
    ('taux_retour_emploi_6m', 'c',
     ['sexe', 'tranche_age', 'organisme_referent', 'type_parcours', 'niveau_formation', 'qpv', 'rqth']),
    ('taux_retour_emploi_durable_6m', 'c',
     ['sexe', 'tranche_age', 'organisme_referent', 'type_parcours', 'niveau_formation', 'qpv', 'rqth'])
) as v(indicateur, pop, ventilations);

-- ---------------------------------------------------------------------------------------------
-- The full grid (every indicator × breakdown category × territory × month computed, zeros
-- included); the status is the ensemble row's.
create temp table floor_indicateurs as
with terr as (
    select distinct idx, 'national' as niveau, 'FR' as code_territoire from territoire
    union all select distinct idx, 'region', reg from territoire
    union all select distinct idx, 'departement', dep from territoire
    union all select distinct idx, 'bassin', bassin from territoire
), grille as (
    select t.idx, m.debut, m.caf_livre, t.niveau, t.code_territoire, i.indicateur, i.pop, i.ventilation, v.modalite
    from terr as t inner join mois as m on m.idx = t.idx
    cross join indicateurs as i
    inner join modalites as v on v.ventilation = i.ventilation
), ft as (
    select coalesce(max(dernier) filter (where kind = 'accompagnements'), 0) as acc,
           coalesce(max(dernier) filter (where kind = 'inscriptions'), 0) as insc,
           least(coalesce(max(dernier) filter (where kind = 'reprises_emploi'), 0),
                 coalesce(max(dernier) filter (where kind = 'inscriptions'), 0)) as emploi
    from livre where producteur = 'ft'
), chiffres as (
    select g.*,
           coalesce(a.n, 0) as n, coalesce(a.intensif, 0) as intensif, coalesce(a.inscrit, 0) as inscrit,
           coalesce(a.orientes, 0) as orientes, coalesce(a.contrat, 0) as contrat,
           coalesce(a.o15, 0) as o15, coalesce(a.o1m, 0) as o1m, coalesce(a.d6, 0) as d6, a.moy, a.med,
           coalesce(a.rdv30, 0) as rdv30, coalesce(a.nrdv, 0) as nrdv, a.moy_rdv, a.med_rdv,
           coalesce(a.reprise, 0) as reprise, coalesce(a.durable, 0) as durable,
           coalesce(e.n, 0) as e_n, coalesce(e.orientes, 0) as e_orientes,
           coalesce(e.m_acc, false) as m_acc, coalesce(e.m_ori, false) as m_ori,
           coalesce(e.m_ori_orientes, false) as m_ori_orientes,
           coalesce(e.m4, false) as m4, coalesce(e.m9, false) as m9, coalesce(e.m10, false) as m10,
           coalesce(e.m12, false) as m12, ft.acc, ft.insc, ft.emploi
    from grille as g cross join ft
    left join agregats as a on a.pop = g.pop and a.idx = g.idx and a.niveau = g.niveau
                           and a.code_territoire = g.code_territoire
                           and a.ventilation = g.ventilation and a.modalite = g.modalite
    left join agregats as e on e.pop = g.pop and e.idx = g.idx and e.niveau = g.niveau
                           and e.code_territoire = g.code_territoire
                           and e.ventilation = 'ensemble' and e.modalite = 'ensemble'
), figures as (
    select *,
           case indicateur
               when 'beneficiaires_sdd' then n
               when 'nouveaux_entrants' then n
               when 'beneficiaires_orientes' then orientes
               when 'beneficiaires_en_attente_orientation' then n - orientes
               when 'part_accompagnement_intensif' then intensif
               when 'part_stock_inscrit_ft' then inscrit
               when 'part_stock_oriente' then orientes
               when 'part_orientes_contrat_signe' then contrat
               when 'taux_orientation_15j' then o15
               when 'taux_orientation_1m' then o1m
               when 'taux_premier_rdv_30j' then rdv30
               when 'taux_retour_emploi_6m' then reprise
               when 'taux_retour_emploi_durable_6m' then durable
           end as num,
           case indicateur
               when 'part_accompagnement_intensif' then n
               when 'part_stock_inscrit_ft' then n
               when 'part_stock_oriente' then n
               when 'part_orientes_contrat_signe' then orientes
               when 'taux_orientation_15j' then n
               when 'taux_orientation_1m' then n
               when 'delai_orientation_moyen_j' then d6
               when 'delai_orientation_median_j' then d6
               when 'taux_premier_rdv_30j' then d6
               when 'delai_premier_rdv_moyen_j' then nrdv
               when 'delai_premier_rdv_median_j' then nrdv
               when 'taux_retour_emploi_6m' then n
               when 'taux_retour_emploi_durable_6m' then n
           end as den,
           case indicateur
               when 'delai_orientation_moyen_j' then moy
               when 'delai_orientation_median_j' then med
               when 'delai_premier_rdv_moyen_j' then moy_rdv
               when 'delai_premier_rdv_median_j' then med_rdv
           end as delai
    from chiffres
)
select
    indicateur, niveau, code_territoire, debut as mois, ventilation, modalite,
    case when caf_livre then num end::bigint as numerateur,
    case when caf_livre then den end::bigint as denominateur,
    case when not caf_livre then null
         when indicateur like 'delai%' then delai
         when den is null then num
         when den = 0 then null
         else num / den
    end::double as valeur,
    case when not caf_livre then 'provisoire'
         when indicateur = 'beneficiaires_sdd' then 'definitif'
         when pop = 'c' then case when emploi >= idx + 8 then 'definitif' else 'provisoire' end
         when indicateur = 'part_orientes_contrat_signe' then
             case when e_orientes > 0 and m_ori_orientes then 'provisoire' else 'definitif' end
         when e_n = 0 then 'definitif'
         when indicateur = 'part_accompagnement_intensif' then
             case when m_acc or acc < idx then 'provisoire' else 'definitif' end
         when indicateur = 'part_stock_inscrit_ft' then case when insc < idx then 'provisoire' else 'definitif' end
         when indicateur in ('beneficiaires_orientes', 'beneficiaires_en_attente_orientation', 'part_stock_oriente',
                             'nouveaux_entrants') then case when m_ori then 'provisoire' else 'definitif' end
         when indicateur like 'taux_orientation%' then case when m4 then 'provisoire' else 'definitif' end
         when indicateur like 'delai_orientation%' then case when m9 then 'provisoire' else 'definitif' end
         when indicateur = 'taux_premier_rdv_30j' then case when m10 then 'provisoire' else 'definitif' end
         else case when m12 then 'provisoire' else 'definitif' end
    end as statut
from figures;
