"""What `socle run` says when a run fails: which blocking check, on which file, and what to do."""

from __future__ import annotations

import dagster as dg

from orchestration.run import failure_report
from publication.gate import PublicationRefusee


@dg.asset
def livraisons():
    return 1


@dg.asset_check(asset=livraisons, blocking=True)
def schema_respecte():
    return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.ERROR, metadata={
        "detail": "departements/35/orientations_2024-03.csv : colonne id_rsa absente"})


@dg.asset(deps=[livraisons])
def apres():
    return 2


@dg.asset
def opendata():
    raise PublicationRefusee(["couverture : territoire attendu manquant — x|bassin|B84|2024-02"])


def test_a_failed_blocking_check_names_the_check_the_file_and_what_to_do():
    """Issue 16, finding 8: the summary only said « Le run a échoué (étapes : raw__livraisons_…) »."""
    result = dg.materialize([livraisons, schema_respecte, apres], raise_on_error=False)
    assert not result.success
    text = "\n".join(failure_report(result))
    assert "Contrôle bloquant « schema_respecte » en échec" in text
    assert "departements/35/orientations_2024-03.csv : colonne id_rsa absente" in text
    assert "À faire : corriger le fichier nommé et le redéposer" in text
    assert "python -m orchestration run" in text


def test_a_refused_open_data_says_which_check_and_that_latest_stays():
    result = dg.materialize([opendata], raise_on_error=False)
    text = "\n".join(failure_report(result))
    assert "L'open data n'a pas été publié" in text and "x|bassin|B84|2024-02" in text
    assert "À faire" in text and "(latest) reste en place" in text


def test_a_successful_run_has_no_failure_report():
    assert failure_report(dg.materialize([livraisons], raise_on_error=False)) == []
