"""The warehouse's monthly partitions: one Dagster partition per month (key `YYYY-MM`), and the
translation between a range of partitions, the ledger's window of months and the dbt vars."""

from __future__ import annotations

import datetime as dt

import dagster as dg

from socle.settings import get_settings

FMT = "%Y-%m"


def mois_partitions(debut: str | None = None) -> dg.MonthlyPartitionsDefinition:
    """Every month from `debut` (`YYYY-MM`, the setting SOCLE_PARTITIONS_DEBUT) to the current one
    included (`end_offset=1`: a month whose files land before it ends is a partition too)."""
    debut = debut or get_settings().partitions_debut
    return dg.MonthlyPartitionsDefinition(start_date=debut, fmt=FMT, end_offset=1)


MOIS = mois_partitions()


def cle(mois: dt.date) -> str:
    """The partition key of a month: `2024-03`."""
    return mois.strftime(FMT)


def premier_jour(key: str) -> str:
    """The dbt var of a partition key: `2024-03` → `'2024-03-01'`."""
    return dt.datetime.strptime(key, FMT).date().isoformat()


def plage(debut: dt.date, fin: dt.date, partitions: dg.MonthlyPartitionsDefinition = MOIS
          ) -> dg.PartitionKeyRange:
    """The partitions of a window of months; the whole set when the window reaches outside it (a
    delivery older than the first partition: then every month is rebuilt, never fewer)."""
    keys = partitions.get_partition_keys()
    first, last = cle(debut), cle(fin)
    if first < keys[0] or last > keys[-1]:
        return dg.PartitionKeyRange(keys[0], keys[-1])
    return dg.PartitionKeyRange(first, last)


def tout(partitions: dg.MonthlyPartitionsDefinition = MOIS) -> dg.PartitionKeyRange:
    keys = partitions.get_partition_keys()
    return dg.PartitionKeyRange(keys[0], keys[-1])


def dbt_vars(keys: dg.PartitionKeyRange, partitions: dg.MonthlyPartitionsDefinition = MOIS) -> dict:
    """`--vars` of a run on `keys`: the window `{mois_debut, mois_fin}` (first days of the first and
    last months); none when the run covers every partition (then dbt builds every month)."""
    if keys == tout(partitions):
        return {}
    return {"mois_debut": premier_jour(keys.start), "mois_fin": premier_jour(keys.end)}


def tags(keys: dg.PartitionKeyRange) -> dict[str, str]:
    """Tags of a run (or run request) on a range of partitions, as Dagster's own backfills set them."""
    from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

    return {ASSET_PARTITION_RANGE_START_TAG: keys.start, ASSET_PARTITION_RANGE_END_TAG: keys.end}
