"""Turn checked record files into the typed model (only files without errors take part)."""

from __future__ import annotations

from .load import RecordFile
from .model import Batch, Case, Matter, Records, Settings, Unit
from .model_activities import Broadcast, Leader, Meeting, ReceptionSchedule, SurveyCampaign

# kind -> (the Records table it goes in, how a record of it is made)
BUILDERS = {"unit": ("units", Unit.from_dict), "batch": ("batches", Batch.from_dict),
            "case": ("cases", Case.from_dict), "matter": ("matters", Matter.from_dict),
            "leader": ("leaders", Leader.from_dict), "reception": ("receptions", ReceptionSchedule.from_dict),
            "survey": ("surveys", SurveyCampaign.from_dict), "broadcast": ("broadcasts", Broadcast.from_dict),
            "meeting": ("meetings", Meeting.from_dict)}
# the kinds whose records are kept by id, and the Records attribute that holds them
TABLES = {**{kind: attr for kind, (attr, _build) in BUILDERS.items()}, "bulletin": "bulletins", "periodic": "periodic"}


def typed(f: RecordFile):
    """The typed record of one valid file of a BUILDERS kind (a Case, a Unit, …)."""
    attr, build = BUILDERS[f.kind]
    return build(f.data) if f.kind == "unit" else build(f.data, f.file)


def assemble(files: list[RecordFile]) -> Records | None:
    """The typed records, or None when there is no valid settings file to interpret them with."""
    settings = next((f for f in files if f.kind == "settings" and f.valid), None)
    if settings is None:
        return None
    records = Records(settings=Settings.from_dict(settings.data))
    for f in files:
        if not f.valid:
            continue
        if f.kind == "calendar":
            records.calendar_years[f.data["year"]] = f.data
        elif f.kind == "bulletin":
            records.bulletins[f.data["id"]] = f.data
        elif f.kind == "periodic":
            records.periodic[f.data["id"]] = f.data
        elif f.kind in ("rules", "staff"):
            setattr(records, f.kind, f.data)
        elif f.kind in BUILDERS:
            record = typed(f)
            getattr(records, BUILDERS[f.kind][0]).setdefault(record.id, record)
    return records
