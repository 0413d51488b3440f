"""The floor against the pipeline: every row of the floor's result against marts.indicateurs of a
published snapshot (all levels, all months), key (indicateur, niveau, code_territoire, mois)."""

from __future__ import annotations

from pathlib import Path

import duckdb

SQL = """
with f as (select * from read_parquet(?)),
p as (select * from snap.marts.indicateurs where ventilation = 'ensemble' and modalite = 'ensemble'),
j as (
    select coalesce(f.indicateur, p.indicateur) as indicateur, coalesce(f.niveau, p.niveau) as niveau,
           coalesce(f.code_territoire, p.code_territoire) as code_territoire, coalesce(f.mois, p.mois) as mois,
           f.indicateur is null as pipeline_seulement, p.indicateur is null as plancher_seulement,
           f.numerateur as f_num, p.numerateur as p_num, f.denominateur as f_den, p.denominateur as p_den,
           f.valeur as f_val, p.valeur as p_val, f.statut as f_statut, p.statut as p_statut
    from f full outer join p
      on f.indicateur = p.indicateur and f.niveau = p.niveau and f.code_territoire = p.code_territoire
     and f.mois = p.mois
)
select *,
       f_num is distinct from p_num or f_den is distinct from p_den as ecart_effectifs,
       (f_val is null) <> (p_val is null) or abs(f_val - p_val) > 1e-9 * greatest(1, abs(p_val)) as ecart_valeur,
       f_statut is distinct from p_statut as ecart_statut
from j
"""


def compare(floor_parquet: Path, snapshot: Path, examples: int = 10) -> dict:
    con = duckdb.connect()
    con.execute(f"attach '{snapshot.as_posix()}' as snap (read_only)")
    con.execute(f"create temp table cmp as {SQL}", [str(floor_parquet)])
    total, only_p, only_f, d_counts, d_val, d_stat = con.execute("""
        select count(*), count(*) filter (where pipeline_seulement), count(*) filter (where plancher_seulement),
               count(*) filter (where ecart_effectifs), count(*) filter (where ecart_valeur),
               count(*) filter (where ecart_statut) from cmp""").fetchone()
    bad = "pipeline_seulement or plancher_seulement or ecart_effectifs or ecart_valeur or ecart_statut"
    by_indicator = [dict(zip(("indicateur", "niveau", "rows", "differences"), r)) for r in con.execute(f"""
        select indicateur, niveau, count(*), count(*) filter (where {bad}) from cmp
        group by all having count(*) filter (where {bad}) > 0 order by all""").fetchall()]
    cols = [d[0] for d in con.execute(f"select * from cmp where {bad} order by all limit {examples}").description]
    rows = con.execute(f"select * from cmp where {bad} order by all limit {examples}").fetchall()
    national = con.execute("""
        select indicateur, strftime(mois, '%Y-%m'), f_num, p_num, f_den, p_den, f_val, p_val, f_statut, p_statut
        from cmp where niveau = 'national' and mois = (select max(mois) from cmp) order by indicateur""").fetchall()
    return {
        "rows_compared": total, "rows_only_in_pipeline": only_p, "rows_only_in_floor": only_f,
        "rows_with_count_differences": d_counts, "rows_with_value_differences": d_val,
        "rows_with_status_differences": d_stat,
        "identical": (only_p + only_f + d_counts + d_val + d_stat) == 0,
        "differences_by_indicator": by_indicator,
        "examples": [{k: (str(v) if v is not None else None) for k, v in zip(cols, r)} for r in rows],
        "national_last_month": [dict(zip(("indicateur", "mois", "floor_num", "pipeline_num", "floor_den",
                                          "pipeline_den", "floor_valeur", "pipeline_valeur", "floor_statut",
                                          "pipeline_statut"), r)) for r in national],
    }
