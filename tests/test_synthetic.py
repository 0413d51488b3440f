"""The synthetic extract generator (top-level package `synthetic`): determinism, contract, mess manifest, sample."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synthetic import generate, restore_mtimes
from synthetic.identity import nir_is_valid
from synthetic.referential import COG_DIR
from synthetic.schema import (ACCOMPAGNEMENTS_DEP, ACCOMPAGNEMENTS_FT, FREINS, INSCRIPTIONS, LISTS,
                                        ORIENTATIONS, REPRISES, RSA)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
SAMPLE_MANIFEST = ROOT / "data" / "sample.manifest.json"

COMMUNES = set(pl.read_csv(COG_DIR / "cog_communes.csv", infer_schema=False)["code_commune"])
ANCIENS = pl.read_csv(COG_DIR / "cog_anciens_codes.csv", infer_schema=False)
FORMER = dict(zip(ANCIENS["code_ancien"], ANCIENS["code_commune"]))
FUSIONS = dict(zip(*ANCIENS.filter(pl.col("motif") == "fusion").select("code_ancien", "code_commune")))

REQUIRED = {
    "rsa": ["id_rsa", "nir", "code_commune", "date_ouverture_droit", "etat_droit", "droit_versable",
            "soumis_droits_devoirs"],
    "orientations": ["id_rsa", "date_reception_notification"],
    "accompagnements_dep": ["id_rsa", "modalite", "date_debut"],
    "accompagnements_ft": ["id_ft", "modalite", "date_debut"],
    "inscriptions": ["id_ft", "nir", "date_inscription"],
    "reprises_emploi": ["id_ft", "date_embauche", "type_contrat"],
}
KEYS = {
    "rsa": [["id_rsa"], ["nir"]],
    "orientations": [["id_rsa", "date_reception_notification"]],
    "accompagnements_dep": [["id_rsa", "date_debut", "modalite"]],
    "accompagnements_ft": [["id_ft", "date_debut", "modalite"]],
    "inscriptions": [["id_ft", "date_inscription"]],
    "reprises_emploi": [["id_ft", "date_embauche", "type_contrat"]],
}
LIST_COLUMNS = ["organisme", "sexe", "etat_droit", "organisme_referent", "type_parcours", "modalite",
                "categorie", "motif_sortie", "niveau_formation", "type_contrat"]
QUARANTINE_RULES = {"bad_date", "orientation_before_t0", "date_fin_before_date_debut", "unknown_commune",
                    "malformed_nir", "out_of_list", "field_count", "duplicated_key"}


def kind_of(rel: str):
    name = rel.rsplit("/", 1)[1].split("_20")[0]
    if rel.startswith("caf/"):
        return "rsa", RSA
    if rel.startswith("ft/"):
        return {"inscriptions": ("inscriptions", INSCRIPTIONS),
                "accompagnements": ("accompagnements_ft", ACCOMPAGNEMENTS_FT),
                "reprises_emploi": ("reprises_emploi", REPRISES)}[name]
    return {"orientations": ("orientations", ORIENTATIONS),
            "accompagnements": ("accompagnements_dep", ACCOMPAGNEMENTS_DEP)}[name]


def norm_header(name: str) -> str:
    stripped = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return stripped.strip().casefold()


def _text_cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (dt.date, dt.datetime)):
        return v.strftime("%Y-%m-%d")
    return str(v)


def load_rows(root: Path, f: dict) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(normalised header, [(line, fields)]) with ISO dates and true/false, whatever the file's format."""
    path = root / f["path"]
    fmt = f["format"]
    if fmt["extension"] == "csv":
        text = path.read_bytes().decode(fmt["encoding"])
        lines = text.split(fmt["line_terminator"])
        assert lines[-1] == "", "a CSV file ends with its line terminator"
        header = [norm_header(h) for h in lines[0].split(fmt["delimiter"])]
        rows = []
        for i, line in enumerate(lines[1:-1], start=2):
            fields = line.split(fmt["delimiter"])
            if fmt["date_format"] == "DD/MM/YYYY":
                fields = [re.sub(r"^(\d\d)/(\d\d)/(\d{4})$", r"\3-\2-\1", x) for x in fields]
            if fmt["booleans"] == "oui/non":
                fields = [{"oui": "true", "non": "false"}.get(x, x) for x in fields]
            rows.append((i, fields))
        return header, rows
    df = pl.read_excel(path) if fmt["extension"] == "xlsx" else pl.read_parquet(path)
    header = [norm_header(c) for c in df.columns]
    return header, [(i, [_text_cell(v) for v in row]) for i, row in enumerate(df.iter_rows(), start=2)]


def is_date(x: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", x):
        return False
    try:
        dt.date.fromisoformat(x)
    except ValueError:
        return False
    return True


def check_file(root: Path, f: dict) -> tuple[set[tuple[int, str]], list[dict]]:
    """The contract's row rules: {(line, rule)} broken, and the rows that passed (as dicts)."""
    name, kind = kind_of(f["path"])
    header, rows = load_rows(root, f)
    assert header == kind.columns, f"{f['path']}: header {header}"
    broken: set[tuple[int, str]] = set()
    passed: list[dict] = []
    for line, fields in rows:
        if len(fields) != len(header):
            broken.add((line, "field_count"))
            continue
        r = dict(zip(header, fields))
        rules = set()
        for c in REQUIRED[name]:
            if not r[c].strip():
                rules.add("required_empty")
        for c in kind.dates:
            if r[c] and not is_date(r[c]):
                rules.add("bad_date")
        for c in kind.booleans:
            if r[c] not in ("", "true", "false"):
                rules.add("bad_boolean")
        for c in kind.integers:
            if r[c] and not re.fullmatch(r"\d+", r[c]):
                rules.add("bad_integer")
        for c in kind.decimals:
            if r[c] and not re.fullmatch(r"\d+([.,]\d+)?", r[c]):
                rules.add("bad_decimal")
        for c in LIST_COLUMNS:
            if c in r and r[c]:
                allowed = LISTS["organisme_caf"] if (name == "rsa" and c == "organisme") else LISTS[c]
                if r[c] not in allowed:
                    rules.add("out_of_list")
        if "freins" in r and r["freins"] and any(x not in FREINS for x in r["freins"].split("|")):
            rules.add("out_of_list")
        if "nir" in r and r["nir"] and not nir_is_valid(r["nir"]):
            rules.add("malformed_nir")
        if "code_commune" in r and r["code_commune"] and r["code_commune"] not in COMMUNES \
                and r["code_commune"] not in FORMER:
            rules.add("unknown_commune")
        if name == "orientations" and is_date(r["date_orientation"]) \
                and is_date(r["date_reception_notification"]) \
                and r["date_orientation"] < r["date_reception_notification"]:
            rules.add("orientation_before_t0")
        if name.startswith("accompagnements") and is_date(r["date_fin"]) and is_date(r["date_debut"]) \
                and r["date_fin"] < r["date_debut"]:
            rules.add("date_fin_before_date_debut")
        if rules:
            broken.update((line, rule) for rule in rules)
        else:
            r["_line"] = line
            passed.append(r)
    for key in KEYS[name]:
        last: dict[tuple, int] = {}
        for r in passed:
            k = tuple(r[c] for c in key)
            if k in last:
                broken.add((last[k], "duplicated_key"))
            last[k] = r["_line"]
    dup_lines = {line for line, rule in broken if rule == "duplicated_key"}
    return broken, [r for r in passed if r["_line"] not in dup_lines]


def files_on_disk(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    out = tmp_path_factory.mktemp("clean")
    manifest = generate(out, ["35", "13", "2A"], "2024-01", "2024-05", seed=3, scale=0.03, mess=False,
                        bassins=None)
    return out, manifest


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    out = tmp_path_factory.mktemp("messy")
    manifest = generate(out, ["35", "56", "13"], "2024-01", "2024-10", seed=5, scale=0.01, mess=True,
                        bassins=None)
    return out, manifest


# ---------------------------------------------------------------- determinism

def test_same_seed_gives_the_same_bytes_and_times(tmp_path):
    args = dict(departements=["56", "2B"], debut="2024-11", fin="2025-02", seed=11, scale=0.01, mess=True,
                bassins=None)
    m1 = generate(tmp_path / "a", **args)
    m2 = generate(tmp_path / "b", **args)
    assert json.dumps(m1, sort_keys=True) == json.dumps(m2, sort_keys=True)
    assert files_on_disk(tmp_path / "a") == files_on_disk(tmp_path / "b") == {f["path"] for f in m1["files"]}
    for f in m1["files"]:
        a, b = tmp_path / "a" / f["path"], tmp_path / "b" / f["path"]
        assert a.read_bytes() == b.read_bytes(), f["path"]
        assert a.stat().st_mtime == b.stat().st_mtime == f["mtime"]
        assert sha256(a) == f["sha256"] and a.stat().st_size == f["bytes"]
    m3 = generate(tmp_path / "c", **{**args, "seed": 12})
    assert {f["sha256"] for f in m3["files"]} != {f["sha256"] for f in m1["files"]}


def test_refuses_a_non_empty_folder_unless_asked(tmp_path):
    args = dict(departements=["35"], debut="2024-01", fin="2024-01", seed=1, scale=0.005, mess=False,
                bassins=None)
    generate(tmp_path, **args)
    with pytest.raises(FileExistsError):
        generate(tmp_path, **args)
    generate(tmp_path, **args, replace=True)
    (tmp_path / "notes.txt").write_text("not ours")
    with pytest.raises(FileExistsError):
        generate(tmp_path, **args, replace=True)


# ---------------------------------------------------------------- clean files follow the contract

def test_clean_layout(clean):
    out, manifest = clean
    months = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
    expected = set()
    for m in months:
        expected |= {f"caf/rsa_{m}.csv", f"ft/inscriptions_{m}.csv", f"ft/accompagnements_{m}.csv",
                     f"ft/reprises_emploi_{m}.csv"}
        for d in ["35", "13", "2A"]:
            expected |= {f"departements/{d}/orientations_{m}.csv",
                         f"departements/{d}/accompagnements_{m}.csv"}
    assert files_on_disk(out) == expected == {f["path"] for f in manifest["files"]}
    assert manifest["mess"] == []
    for f in manifest["files"]:
        assert f["format"] == {"extension": "csv", "encoding": "utf-8", "delimiter": ",",
                               "date_format": "YYYY-MM-DD", "booleans": "true/false", "line_terminator": "\n",
                               "header": {}}
        assert (out / f["path"]).read_bytes()[:3] != b"\xef\xbb\xbf"


def test_clean_files_follow_the_contract(clean):
    out, manifest = clean
    for f in manifest["files"]:
        broken, passed = check_file(out, f)
        assert broken == set(), f"{f['path']}: {sorted(broken)[:5]}"
        assert len(passed) == f["rows"]
        df = pl.read_csv(out / f["path"], infer_schema=False)  # polars reads them as they are
        assert df.columns == kind_of(f["path"])[1].columns and df.height == f["rows"]


def test_clean_files_hang_together(clean):
    out, manifest = clean
    rows: dict[str, list[dict]] = {}
    for f in manifest["files"]:
        rows.setdefault(kind_of(f["path"])[0], []).extend(check_file(out, f)[1])
    caf = pl.DataFrame(rows["rsa"])
    ins = pl.DataFrame(rows["inscriptions"])
    ori = pl.DataFrame(rows["orientations"])
    # identifiers
    assert caf["id_rsa"].str.contains(r"^\d{9}$").all()
    assert ins["id_ft"].str.contains(r"^\d{7}[A-Z]$").all()
    assert caf.group_by("id_rsa").agg(pl.col("nir").n_unique())["nir"].max() == 1
    assert caf["nir"].str.slice(5, 2).is_in(["2A", "2B"]).any()  # Corsica births, read as 19/18 for the key
    # the sex digit and year of the NIR agree with sexe and annee_naissance
    assert (caf["nir"].str.slice(0, 1) == caf["sexe"].replace_strict({"M": "1", "F": "2"})).all()
    assert (caf["nir"].str.slice(1, 2) == caf["annee_naissance"].str.slice(2, 2)).all()
    # every département record links to the CAF file, every France Travail record to a registration
    assert set(ori["id_rsa"]) <= set(caf["id_rsa"])
    assert set(pl.DataFrame(rows["accompagnements_dep"])["id_rsa"]) <= set(caf["id_rsa"])
    assert set(pl.DataFrame(rows["accompagnements_ft"])["id_ft"]) <= set(ins["id_ft"])
    assert set(pl.DataFrame(rows["reprises_emploi"])["id_ft"]) <= set(ins["id_ft"])
    assert set(ins["nir"]) <= set(caf["nir"])
    # a radiated person has one radie row, then disappears
    by_month = {f["mois"]: pl.DataFrame(check_file(out, f)[1]) for f in manifest["files"]
                if f["path"].startswith("caf/")}
    months = sorted(by_month)
    for a, b in zip(months, months[1:]):
        radie = set(by_month[a].filter(pl.col("etat_droit") == "radie")["id_rsa"])
        assert radie and not radie & set(by_month[b]["id_rsa"])
    # durations: empty for CDI and CREATION
    rep = pl.DataFrame(rows["reprises_emploi"])
    assert (rep.filter(pl.col("type_contrat").is_in(["CDI", "CREATION"]))["duree_prevue_jours"] == "").all()
    # organisme_referent and type_parcours are given once oriented
    oriented = ori.filter(pl.col("date_orientation") != "")
    assert (oriented["organisme_referent"] != "").all() and (oriented["type_parcours"] != "").all()
    assert (ori.filter(pl.col("date_orientation") == "")["organisme_referent"] == "").all()


def test_clean_files_are_plausible(clean):
    out, manifest = clean
    rows: dict[str, list[dict]] = {}
    for f in manifest["files"]:
        rows.setdefault(kind_of(f["path"])[0], []).extend(
            {**r, "_dep": f["path"].split("/")[1]} for r in check_file(out, f)[1])
    caf = pl.DataFrame(rows["rsa"])
    stock = manifest["world"]["rsa_rows_per_month"]
    assert all(0.9 < s / stock[0] < 1.1 for s in stock)
    ouvert = caf.filter(pl.col("etat_droit") == "ouvert")
    assert 0.9 < (ouvert["soumis_droits_devoirs"] == "true").mean() < 0.99
    assert 0.93 < (ouvert["droit_versable"] == "true").mean() < 0.995
    ori = pl.DataFrame(rows["orientations"]).filter(pl.col("date_orientation") != "").with_columns(
        delay=(pl.col("date_orientation").str.to_date() - pl.col("date_reception_notification").str.to_date())
        .dt.total_days())
    share = ori["organisme_referent"].value_counts(normalize=True)
    share = dict(zip(share["organisme_referent"], share["proportion"]))
    assert 0.33 < share["FT"] < 0.47 and 0.25 < share["CD"] < 0.39
    # delays to orientation differ by département (35 fast, 13 slow)
    mean = dict(ori.group_by("_dep").agg(pl.col("delay").mean()).iter_rows())
    assert 15 < mean["35"] < 50 and 120 < mean["13"] < 220
    acc = pl.DataFrame(rows["accompagnements_dep"] + rows["accompagnements_ft"])
    intensive = acc["modalite"].is_in(["GLOBAL", "INTENSIF", "CEJ"]) | (
        acc["heures_hebdo"].replace("", None).cast(pl.Float64) >= 15).fill_null(False)
    assert 0.12 < intensive.mean() < 0.35


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(deps=st.lists(st.sampled_from(["01", "2A", "35", "59", "75", "971", "976"]), min_size=1, max_size=3,
                     unique=True),
       start=st.integers(0, 11), length=st.integers(1, 4), seed=st.integers(0, 10**6), mess=st.booleans())
def test_any_configuration_is_consistent(tmp_path_factory, deps, start, length, seed, mess):
    debut = f"2024-{start + 1:02d}"
    end = start + length - 1
    fin = f"{2024 + end // 12}-{end % 12 + 1:02d}"
    out = tmp_path_factory.mktemp("any")
    manifest = generate(out, deps, debut, fin, seed=seed, scale=0.004, mess=mess, bassins=None)
    assert files_on_disk(out) == {f["path"] for f in manifest["files"]}
    expected = {(e["file"], e["line"], e["rule"]) for e in manifest["mess"] if e["rule"] in QUARANTINE_RULES}
    found = set()
    for f in manifest["files"]:
        broken, _ = check_file(out, f)
        found |= {(f["path"], line, rule) for line, rule in broken}
    assert found == expected


# ---------------------------------------------------------------- --mess

def test_mess_quarantine_lines_are_exactly_the_recorded_ones(messy):
    out, manifest = messy
    expected = {(e["file"], e["line"], e["rule"]) for e in manifest["mess"] if e["rule"] in QUARANTINE_RULES}
    assert {r for _, _, r in expected} == QUARANTINE_RULES
    found = set()
    for f in manifest["files"]:
        broken, _ = check_file(out, f)
        found |= {(f["path"], line, rule) for line, rule in broken}
    assert found == expected
    for e in manifest["mess"]:
        assert e["expected"] == ("quarantine" if e["rule"] in QUARANTINE_RULES else e["expected"])
        json.dumps(e)


def test_mess_recorded_values_are_in_the_files(messy):
    out, manifest = messy
    files = {f["path"]: f for f in manifest["files"]}
    for e in manifest["mess"]:
        if e["line"] is None or e["rule"] == "corrected_value":
            continue
        f = files[e["file"]]
        text = (out / e["file"]).read_bytes().decode(f["format"]["encoding"])
        lines = text.split(f["format"]["line_terminator"])
        header = lines[0].split(f["format"]["delimiter"])
        fields = lines[e["line"] - 1].split(f["format"]["delimiter"])
        if e["rule"] == "field_count":
            assert len(fields) == len(header) - 1
        elif e["rule"] == "duplicated_key":
            assert lines[e["line"] - 1] == lines[e["kept_line"] - 1] and e["kept_line"] == len(lines) - 1
        else:
            assert fields[header.index(e["column"])] == e["value"], e
    rules = {e["rule"]: e for e in manifest["mess"]}
    assert rules["bad_date"]["value"] == "2024-13-45"
    assert rules["unknown_commune"]["value"] == "99999" and "99999" not in COMMUNES and "99999" not in FORMER
    assert not nir_is_valid(rules["malformed_nir"]["value"])
    former = rules["former_commune_code"]
    assert former["file"].startswith("caf/") and former["expected"] == "remapped"
    assert FUSIONS[former["value"]] == former["remapped_to"] and former["value"] not in COMMUNES


def test_mess_formats(messy):
    out, manifest = messy
    files = {f["path"]: f for f in manifest["files"]}
    months = manifest["months"]
    # (1) 13's orientations: Windows-1252, ';', DD/MM/YYYY, oui/non, accented headers
    for m in months:
        f = files[f"departements/13/orientations_{m}.csv"]
        raw = (out / f["path"]).read_bytes()
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        header = raw.split(b"\r\n")[0].decode("cp1252").split(";")
        assert "Date_Réception_Notification" in header and " Date_Orientation " in header
        assert [norm_header(h) for h in header] == ORIENTATIONS.columns
        body = raw.decode("cp1252")
        assert re.search(r";\d\d/\d\d/\d{4};", body) and not re.search(r"\d{4}-\d\d-\d\d", body)
        assert re.search(r";(oui|non);", body)
    # (2) 56's accompaniments: xlsx, every month
    for m in months:
        assert f"departements/56/accompagnements_{m}.xlsx" in files
        assert f"departements/56/accompagnements_{m}.csv" not in files
        df = pl.read_excel(out / f"departements/56/accompagnements_{m}.xlsx")
        assert df.columns == ACCOMPAGNEMENTS_DEP.columns
    # (3) a month 56 never sends
    (missing,) = [e for e in manifest["mess"] if e["rule"] == "missing_delivery"]
    assert missing["file"].startswith("departements/56/orientations_")
    assert not (out / missing["file"]).exists()
    assert missing["file"] not in files and missing["file"][-11:-4] not in (months[0], months[-1])
    # (4) 35 re-sends a month as parquet, later, with corrected dates
    (resend,) = [e for e in manifest["mess"] if e["rule"] == "resent_other_extension"]
    parquet, csv = out / resend["file"], out / resend["replaces"]
    assert resend["file"].startswith("departements/35/")
    assert parquet.suffix == ".parquet" and csv.suffix == ".csv"
    assert parquet.stat().st_mtime > csv.stat().st_mtime
    before = pl.read_csv(csv, infer_schema=False)
    after = pl.read_parquet(parquet)
    assert after.columns == ORIENTATIONS.columns and after.height == before.height
    assert after.schema["date_orientation"] == pl.Date and after.schema["accompagnement_global"] == pl.Boolean
    corrections = [e for e in manifest["mess"] if e["rule"] == "corrected_value"]
    assert 1 <= len(corrections) <= 3
    changed = {e["line"] for e in corrections}
    for i in range(after.height):
        new = after["date_orientation"][i]
        new = new.isoformat() if new else ""
        old = before["date_orientation"][i] or ""
        if i + 2 in changed:
            (e,) = [e for e in corrections if e["line"] == i + 2]
            assert (old, new) == (e["previous_value"], e["value"]) and new < old
            assert new >= after["date_reception_notification"][i].isoformat()
        else:
            assert old == new


def test_restore_mtimes(messy, tmp_path):
    out, manifest = messy
    f = manifest["files"][0]
    path = out / f["path"]
    path.touch()
    assert path.stat().st_mtime != f["mtime"]
    assert restore_mtimes(out, manifest) == len(manifest["files"])
    assert path.stat().st_mtime == f["mtime"]


def test_bassins_referential_is_copied(tmp_path):
    src = tmp_path / "clpe_communes_2026.csv"
    src.write_text("commune_id,territoire_id,territoire_libelle\n35238,CLPE3501,Rennes\n", encoding="utf-8")
    manifest = generate(tmp_path / "out", ["35"], "2024-01", "2024-01", seed=1, scale=0.005, mess=False,
                        bassins=src)
    assert (tmp_path / "out" / "referentiels" / "bassins_2026.csv").read_bytes() == src.read_bytes()
    (f,) = [f for f in manifest["files"] if f["type_fichier"] == "bassins"]
    assert f["path"] == "referentiels/bassins_2026.csv"
    assert f["rows"] == 1 and f["producteur"] == "referentiel"


def test_nir_key():
    # 2A is read as 19 and 2B as 18 for the key
    for body in ["1850319001171", "2900718001881", "1850335238001"]:
        key = 97 - int(body) % 97
        assert nir_is_valid(body + f"{key:02d}")
        assert not nir_is_valid(body + f"{key % 97 + 1:02d}")
    assert nir_is_valid("18503" + "2A" + "001171" + f"{97 - 1850319001171 % 97:02d}")
    assert nir_is_valid("29007" + "2B" + "001881" + f"{97 - 2900718001881 % 97:02d}")
    assert not nir_is_valid("18503" + "2C" + "001171" + "00")
    assert not nir_is_valid("12345")


# ---------------------------------------------------------------- the committed sample

def test_sample_on_disk_is_what_the_generator_writes(tmp_path):
    manifest = json.loads(SAMPLE_MANIFEST.read_text(encoding="utf-8"))
    p = manifest["parameters"]
    assert p["departements"] == ["35", "56", "13"] and (p["debut"], p["fin"]) == ("2024-01", "2025-03")
    assert p["seed"] == 42 and p["mess"] is True and p["bassins"] is None
    fresh = generate(tmp_path, p["departements"], p["debut"], p["fin"], p["seed"], p["scale"], p["mess"],
                     None)
    assert json.loads(json.dumps(fresh)) == manifest
    assert files_on_disk(SAMPLE) == {f["path"] for f in manifest["files"]}
    for f in manifest["files"]:
        assert sha256(SAMPLE / f["path"]) == f["sha256"], f["path"]
    assert 2_000_000 <= manifest["totals"]["bytes"] <= 5_000_000


def test_sample_breaks_the_contract_only_where_recorded():
    manifest = json.loads(SAMPLE_MANIFEST.read_text(encoding="utf-8"))
    expected = {(e["file"], e["line"], e["rule"]) for e in manifest["mess"] if e["rule"] in QUARANTINE_RULES}
    assert {r for _, _, r in expected} == QUARANTINE_RULES
    found = set()
    for f in manifest["files"]:
        broken, _ = check_file(SAMPLE, f)
        found |= {(f["path"], line, rule) for line, rule in broken}
    assert found == expected


def test_the_make_run_sample_is_the_test_sample_ten_times_larger(tmp_path):
    """`make run` reads data/echantillon, which it generates (Makefile): data/sample's
    départements, months, seed and producers' mess at ten times the scale, with the sizes the
    README gives (33,712 persons, 150 files, 489,285 rows)."""
    recipe = re.search(r"-m synthetic --out \$\(ECHANTILLON\) (.*?) --manifest", (ROOT / "Makefile").read_text())
    assert recipe is not None and recipe.group(1) == "--scale 0.2 --mess --seed 42 --force"
    sample = json.loads(SAMPLE_MANIFEST.read_text(encoding="utf-8"))
    p = sample["parameters"]
    assert p["scale"] * 10 == pytest.approx(0.2)
    big = generate(tmp_path, p["departements"], p["debut"], p["fin"], 42, 0.2, True, None)
    assert (big["world"]["persons"], big["totals"]["files"], big["totals"]["rows"]) == (33_712, 150, 489_285)
    assert (sample["world"]["persons"], sample["totals"]["rows"]) == (3_384, 48_961)
    rules = lambda m: sorted((e["rule"], e["file"]) for e in m["mess"])  # noqa: E731
    assert rules(big) == rules(sample) and len(big["mess"]) == 45
    assert {f["path"] for f in big["files"]} == {f["path"] for f in sample["files"]}
