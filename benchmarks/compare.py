"""The floor against the pipeline: every row of the floor's result against marts.indicateurs of a
published snapshot (all levels, all months, the ensemble rows and every breakdown), key
(indicateur, niveau, code_territoire, mois, ventilation, modalite); the differences are reported
per indicator (and per level, for the report's table)."""

from __future__ import annotations

from pathlib import Path

import duckdb

KEY = ("indicateur", "niveau", "code_territoire", "mois", "ventilation", "modalite")

SQL = f"""
with f as (select * from read_parquet(?)),
p as (select * from snap.marts.indicateurs),
j as (
    select {", ".join(f"coalesce(f.{k}, p.{k}) as {k}" for k in KEY)},
           f.indicateur is null as pipeline_seulement, p.indicateur is null as plancher_seulement,
           f.numerateur as f_num, p.numerateur as p_num, f.denominateur as f_den, p.denominateur as p_den,
           f.valeur as f_val, p.valeur as p_val, f.statut as f_statut, p.statut as p_statut
    from f full outer join p on {" and ".join(f"f.{k} = p.{k}" for k in KEY)}
)
select *,
       not (pipeline_seulement or plancher_seulement)
           and (f_num is distinct from p_num or f_den is distinct from p_den) as ecart_effectifs,
       not (pipeline_seulement or plancher_seulement)
           and ((f_val is null) <> (p_val is null)
                or coalesce(abs(f_val - p_val) > 1e-9 * greatest(1, abs(p_val)), false)) as ecart_valeur,
       not (pipeline_seulement or plancher_seulement) and f_statut is distinct from p_statut as ecart_statut
from j
"""

BAD = "pipeline_seulement or plancher_seulement or ecart_effectifs or ecart_valeur or ecart_statut"
ECART = "ecart_effectifs or ecart_valeur or ecart_statut"


def compare(floor_parquet: Path, snapshot: Path, examples: int = 10) -> dict:
    con = duckdb.connect()
    con.execute(f"attach '{snapshot.as_posix()}' as snap (read_only)")
    con.execute(f"create temp table cmp as {SQL}", [str(floor_parquet)])
    total, only_p, only_f, d_counts, d_val, d_stat, common, common_bad = con.execute(f"""
        select count(*), count(*) filter (where pipeline_seulement), count(*) filter (where plancher_seulement),
               count(*) filter (where ecart_effectifs), count(*) filter (where ecart_valeur),
               count(*) filter (where ecart_statut),
               count(*) filter (where not (pipeline_seulement or plancher_seulement)),
               count(*) filter (where {ECART}) from cmp""").fetchone()
    by_indicator = [dict(zip(("indicateur", "niveau", "rows", "differences"), r)) for r in con.execute(f"""
        select indicateur, niveau, count(*), count(*) filter (where {BAD}) from cmp
        group by all having count(*) filter (where {BAD}) > 0 order by all""").fetchall()]
    per_indicator = [dict(zip(("indicateur", "rows", "rows_in_both", "agreeing", "rows_only_in_floor",
                               "rows_only_in_pipeline", "count_differences", "value_differences",
                               "status_differences", "ventilations"), r)) for r in con.execute(f"""
        select indicateur, count(*), count(*) filter (where not (pipeline_seulement or plancher_seulement)),
               count(*) filter (where not ({BAD})), count(*) filter (where plancher_seulement),
               count(*) filter (where pipeline_seulement), count(*) filter (where ecart_effectifs),
               count(*) filter (where ecart_valeur), count(*) filter (where ecart_statut),
               string_agg(distinct ventilation, ',' order by ventilation)
        from cmp group by all order by all""").fetchall()]
    sel = (f"select * from cmp where {BAD} order by ({ECART}) desc, {', '.join(KEY)} limit {examples}")
    cols = [d[0] for d in con.execute(sel).description]
    rows = con.execute(sel).fetchall()
    national = con.execute("""
        select indicateur, strftime(mois, '%Y-%m'), f_num, p_num, f_den, p_den, f_val, p_val, f_statut, p_statut
        from cmp where niveau = 'national' and ventilation = 'ensemble' and mois = (select max(mois) from cmp)
        order by indicateur""").fetchall()
    return {
        "rows_compared": total, "rows_only_in_pipeline": only_p, "rows_only_in_floor": only_f,
        "rows_with_count_differences": d_counts, "rows_with_value_differences": d_val,
        "rows_with_status_differences": d_stat,
        "identical": (only_p + only_f + d_counts + d_val + d_stat) == 0,
        "rows_in_both": common, "identical_on_rows_in_both": common_bad == 0,
        "differences_by_indicator": by_indicator,
        "per_indicator": per_indicator,
        "examples": [{k: (str(v) if v is not None else None) for k, v in zip(cols, r)} for r in rows],
        "national_last_month": [dict(zip(("indicateur", "mois", "floor_num", "pipeline_num", "floor_den",
                                          "pipeline_den", "floor_valeur", "pipeline_valeur", "floor_statut",
                                          "pipeline_statut"), r)) for r in national],
    }
