"""Small-count masking: exact expectations on a hand-made table, and a property over random ones."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings, strategies as st

from socle.masking import group_members, mask

TERRITORIES = pl.DataFrame({
    "niveau": ["national", "region", "region", "departement", "departement", "departement", "departement",
               "bassin", "bassin"],
    "code_territoire": ["FR", "53", "93", "35", "56", "13", "84", "B1", "B2"],
    "code_region": [None, "53", "93", "53", "53", "93", "93", None, None],
})


def cells(counts: dict[str, int], indicateur="nouveaux_entrants") -> pl.DataFrame:
    niveau = dict(zip(TERRITORIES["code_territoire"], TERRITORIES["niveau"]))
    return pl.DataFrame({
        "indicateur": indicateur, "niveau": [niveau[c] for c in counts], "code_territoire": list(counts),
        "mois": "2024-03-01", "ventilation": "ensemble", "modalite": "ensemble",
        "numerateur": list(counts.values()), "denominateur": [None] * len(counts),
        "valeur": [float(v) for v in counts.values()], "statut": "definitif",
    }, schema_overrides={"denominateur": pl.Int64})


def test_primary_and_secondary_masking_exact():
    # 35 = 4 is secret; its région 53 (= 4 + 30) is published, so 56 (next smallest) is masked too.
    # 13 = 0 is not secret. Bassins: B1 = 7 secret, B2 = 70 masked with it (FR is published).
    out = mask(cells({"FR": 134, "53": 34, "93": 100, "35": 4, "56": 30, "13": 0, "84": 100,
                      "B1": 7, "B2": 127}), TERRITORIES, 11)
    status = dict(zip(out["code_territoire"], out["statut"]))
    assert status == {"FR": "definitif", "53": "definitif", "93": "definitif", "35": "secret",
                      "56": "secret", "13": "definitif", "84": "definitif", "B1": "secret", "B2": "secret"}
    assert out.filter(pl.col("statut") == "secret")[["valeur", "numerateur", "denominateur"]].null_count().row(0) == (4, 4, 4)
    assert dict(zip(out["code_territoire"], out["numerateur"]))["13"] == 0


def test_rate_is_secret_on_a_small_denominator_and_the_mart_is_untouched():
    frame = cells({"FR": 50, "53": 20, "93": 30, "35": 20, "56": 0, "13": 25, "84": 5})
    frame = frame.with_columns(indicateur=pl.lit("taux_orientation_15j"), denominateur=pl.col("numerateur") * 2)
    out = mask(frame, TERRITORIES, 11)
    # 84: numerator 5 secret -> 13 masked too (lone secret under 93)
    assert out.filter(pl.col("statut") == "secret")["code_territoire"].to_list() == ["13", "84"]
    assert frame["statut"].to_list() == ["definitif"] * 7


@st.composite
def random_tables(draw):
    n_regions = draw(st.integers(1, 4))
    rows, terr = [], [("national", "FR", None)]
    total = 0
    for r in range(n_regions):
        deps = draw(st.lists(st.integers(0, 40), min_size=1, max_size=5))
        for d, v in enumerate(deps):
            terr.append(("departement", f"{r}{d}", f"R{r}"))
            rows.append(("departement", f"{r}{d}", v))
        terr.append(("region", f"R{r}", f"R{r}"))
        rows.append(("region", f"R{r}", sum(deps)))
        total += sum(deps)
    rows.append(("national", "FR", total))
    bassins = draw(st.lists(st.integers(0, 40), min_size=1, max_size=6))
    bassins[-1] = max(0, total - sum(bassins[:-1])) if len(bassins) > 1 else total
    for b, v in enumerate(bassins):
        terr.append(("bassin", f"B{b}", None))
        rows.append(("bassin", f"B{b}", v))
    territories = pl.DataFrame(terr, schema=["niveau", "code_territoire", "code_region"], orient="row")
    frame = pl.DataFrame(rows, schema=["niveau", "code_territoire", "numerateur"], orient="row").with_columns(
        indicateur=pl.lit("nouveaux_entrants"), mois=pl.lit("2024-01-01"), ventilation=pl.lit("ensemble"),
        modalite=pl.lit("ensemble"), denominateur=pl.lit(None, pl.Int64),
        valeur=pl.col("numerateur").cast(pl.Float64), statut=pl.lit("definitif"))
    return frame, territories


@settings(max_examples=150, deadline=None)
@given(random_tables(), st.integers(2, 15))
def test_no_secret_cell_can_be_recomputed(table, threshold):
    frame, territories = table
    out = mask(frame, territories, threshold)
    published = dict(zip(zip(out["niveau"], out["code_territoire"]), out["numerateur"]))
    original = dict(zip(zip(frame["niveau"], frame["code_territoire"]), frame["numerateur"]))
    for key, value in original.items():  # every primary secret is masked
        if 1 <= value < threshold:
            assert published[key] is None
    members = group_members(territories)
    for (groupe,), group in members.group_by("groupe"):
        parent = ("region", groupe.split(":")[1]) if groupe.startswith("region:") else ("national", "FR")
        if published[parent] is None:
            continue
        hidden = [k for k in zip(group["niveau"], group["code_territoire"]) if published[k] is None]
        assert len(hidden) != 1, (groupe, hidden)  # a lone hidden cell = total − published others
