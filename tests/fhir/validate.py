#!/usr/bin/env python3
"""Checks Alongside's exported care plans against FHIR R4 with an independent validator.

The structure, types, cardinality and unknown fields are checked by the `fhir.resources` 6.4.0
models of FHIR R4 4.0.1 (installed by .ci/setup into a virtual environment). Those models do not
check code values or document rules, so this script checks them itself: the bundle is a document
whose first entry is a Composition, every reference resolves to an entry, the NHS number has the
national system and a valid check digit, the required codes come from their value sets, and the
contingency plan is part of the main plan.

Usage: validate.py FILE.json [FILE.json ...]   Prints one line a file; exits 1 on any problem.
"""

import json
import sys

import fhir.resources
from fhir.resources.bundle import Bundle

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"

CODES = {
    ("Composition", "status"): {"preliminary", "final", "amended", "entered-in-error"},
    ("CarePlan", "status"): {
        "draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"},
    ("CarePlan", "intent"): {"proposal", "plan", "order", "option"},
    ("Goal", "lifecycleStatus"): {
        "proposed", "planned", "accepted", "active", "on-hold", "completed", "cancelled",
        "entered-in-error", "rejected"},
    ("ServiceRequest", "status"): {
        "draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"},
    ("ServiceRequest", "intent"): {
        "proposal", "plan", "directive", "order", "original-order", "reflex-order",
        "filler-order", "instance-order", "option"},
    ("Observation", "status"): {
        "registered", "preliminary", "final", "amended", "corrected", "cancelled",
        "entered-in-error", "unknown"},
    ("Patient", "gender"): {"male", "female", "other", "unknown"},
}
ACTIVITY_STATUS = {
    "not-started", "scheduled", "in-progress", "on-hold", "completed", "cancelled", "stopped",
    "unknown", "entered-in-error"}
CONDITION_CLINICAL = {"active", "recurrence", "relapse", "inactive", "remission", "resolved"}
COMPARATORS = {"<", "<=", ">=", ">"}


def nhs_number_valid(number):
    if len(number) != 10 or not number.isdigit():
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(number[:9]))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(number[9])


def references(value, found):
    if isinstance(value, dict):
        for key, v in value.items():
            if key == "reference" and isinstance(v, str):
                found.append(v)
            references(v, found)
    elif isinstance(value, list):
        for v in value:
            references(v, found)


def codings(value, found):
    if isinstance(value, dict):
        if "system" in value and "code" in value:
            found.append(value)
        for v in value.values():
            codings(v, found)
    elif isinstance(value, list):
        for v in value:
            codings(v, found)


def quantities(value, found):
    if isinstance(value, dict):
        for key, v in value.items():
            if key == "valueQuantity":
                found.append(v)
            quantities(v, found)
    elif isinstance(value, list):
        for v in value:
            quantities(v, found)


def check(path):
    problems = []
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    try:
        Bundle.parse_obj(data)
    except Exception as error:  # the models' own message names the path and the rule
        problems.append(f"not valid FHIR R4: {error}")

    if data.get("type") != "document":
        problems.append("the bundle is not a document")
    if not (data.get("identifier", {}).get("system") and data.get("identifier", {}).get("value")):
        problems.append("a document bundle needs an identifier with a system and a value (bdl-9)")
    if not data.get("timestamp"):
        problems.append("a document bundle needs a timestamp (bdl-10)")
    entries = data.get("entry", [])
    if not entries or entries[0].get("resource", {}).get("resourceType") != "Composition":
        problems.append("the first entry is not a Composition")
    urls = [e.get("fullUrl") for e in entries]
    if len(set(urls)) != len(urls) or not all(u and u.startswith("urn:uuid:") for u in urls):
        problems.append("every entry needs its own urn:uuid fullUrl")
    found = []
    references(data, found)
    for ref in found:
        if ref not in urls:
            problems.append(f"reference {ref} does not resolve inside the bundle")

    by_url = {e["fullUrl"]: e["resource"] for e in entries if "fullUrl" in e}
    kinds = {}
    for e in entries:
        kinds.setdefault(e["resource"]["resourceType"], []).append(e)
    for kind in ("Patient", "Organization", "CarePlan", "Goal", "Condition"):
        if kind not in kinds:
            problems.append(f"no {kind} in the document")

    for e in entries:
        r = e["resource"]
        kind = r["resourceType"]
        for (k, field), allowed in CODES.items():
            if k == kind and field in r and r[field] not in allowed:
                problems.append(f"{kind}.{field} '{r[field]}' is not an R4 code")
        if kind == "Patient":
            ids = [i for i in r.get("identifier", []) if i.get("system") == NHS_NUMBER_SYSTEM]
            if len(ids) != 1 or not nhs_number_valid(ids[0].get("value", "")):
                problems.append("the Patient has no valid NHS number with the national system")
        if kind == "CarePlan":
            for a in r.get("activity", []):
                if "detail" in a and "reference" in a:
                    problems.append("a CarePlan activity has both a reference and a detail (cpl-3)")
                status = a.get("detail", {}).get("status")
                if "detail" in a and status not in ACTIVITY_STATUS:
                    problems.append(f"CarePlan activity status '{status}' is not an R4 code")
            for part in r.get("partOf", []):
                target = by_url.get(part["reference"], {})
                if target.get("resourceType") != "CarePlan":
                    problems.append("a CarePlan is part of something that is not a CarePlan")
        if kind == "Condition":
            for c in r.get("clinicalStatus", {}).get("coding", []):
                if c.get("code") not in CONDITION_CLINICAL:
                    problems.append(f"Condition clinical status '{c.get('code')}' is not an R4 code")
        if kind == "Goal" and "expressedBy" in r:
            target = by_url.get(r["expressedBy"]["reference"], {})
            if target.get("resourceType") not in ("Patient", "Practitioner", "RelatedPerson"):
                problems.append("a Goal is expressed by something that is not a person")

    if "CarePlan" in kinds:
        main = [e for e in kinds["CarePlan"] if "partOf" not in e["resource"]]
        if len(main) != 1:
            problems.append("there is not exactly one main CarePlan")
    if "Goal" in kinds and not any(
        by_url.get(g["resource"].get("expressedBy", {}).get("reference"), {}).get("resourceType")
        == "Patient"
        for g in kinds["Goal"]
    ):
        problems.append("no Goal is expressed by the patient")

    all_codings = []
    codings(data, all_codings)
    for c in all_codings:
        if c["system"] == SNOMED and not (c["code"].isdigit() and 6 <= len(c["code"]) <= 18):
            problems.append(f"'{c['code']}' is not a SNOMED CT identifier")
    all_quantities = []
    quantities(data, all_quantities)
    for q in all_quantities:
        if "code" in q and q.get("system") != UCUM:
            problems.append(f"the unit {q['code']} is not given as UCUM")
        if "comparator" in q and q["comparator"] not in COMPARATORS:
            problems.append(f"comparator {q['comparator']} is not an R4 code")
    return len(entries), problems


def main(paths):
    if fhir.resources.__version__ != "6.4.0" or fhir.resources.__fhir_version__ != "4.0.1":
        print(
            f"fhir.resources {fhir.resources.__version__} models FHIR "
            f"{fhir.resources.__fhir_version__}; 6.4.0 (R4 4.0.1) is needed: run .ci/setup",
            file=sys.stderr,
        )
        return 2
    failed = 0
    for path in paths:
        count, problems = check(path)
        if problems:
            failed += 1
            print(f"INVALID {path}")
            for p in problems:
                print(f"  {p}")
        else:
            print(f"valid {path}: {count} resources")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
