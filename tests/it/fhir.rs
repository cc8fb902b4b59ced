//! The care plan handed to another service as a FHIR R4 document, checked the way the receiving
//! service would: every demo plan is exported through `alongside careplan export` and validated
//! by an independent validator (Python `fhir.resources` 6.4.0, the R4 4.0.1 models, plus the
//! code and reference checks of `tests/fhir/validate.py`), which is itself shown to refuse
//! broken documents; each export is audited with where it went, and refusals write nothing.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value as Json;

use super::support::{sql_rows, Sandbox};

const VALIDATOR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fhir/validate.py");

/// The Python that has the validator's models, installed by `.ci/setup`.
fn validator_python() -> PathBuf {
    if let Some(python) = std::env::var_os("ALONGSIDE_FHIR_PYTHON") {
        return PathBuf::from(python);
    }
    let venv = std::env::var_os("ALONGSIDE_FHIR_VENV").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(std::env::var_os("HOME").expect("HOME is set"))
            .join(".cache/alongside/fhir-venv")
    });
    let python = venv.join("bin/python");
    assert!(
        python.exists(),
        "the FHIR validator is not installed at {}: run `bash .ci/setup`",
        python.display()
    );
    python
}

struct Validation {
    ok: bool,
    output: String,
}

fn validate(files: &[PathBuf]) -> Validation {
    let out = Command::new(validator_python())
        .arg(VALIDATOR)
        .args(files)
        .output()
        .expect("the validator runs");
    let output =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(matches!(out.status.code(), Some(0 | 1)), "the validator could not run:\n{output}");
    Validation { ok: out.status.success(), output }
}

fn demo(sandbox: &Sandbox) {
    let db = sandbox.db();
    sandbox.alongside_plain(&["demo", "--create", db.to_str().unwrap()]).expect_code(0);
}

fn export(sandbox: &Sandbox, nhs: &str, extra: &[&str]) -> (PathBuf, Json) {
    let file = sandbox.path(&format!("plan-{nhs}{}.json", extra.join("")));
    let mut args =
        vec!["careplan", "export", nhs, "--format", "fhir", "--out", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    let reported = sandbox.alongside(&args).expect_code(0).json();
    (file, reported)
}

#[test]
fn every_demo_plan_is_a_valid_fhir_r4_document_and_each_export_is_audited() {
    let sandbox = Sandbox::new();
    demo(&sandbox);
    let db = sandbox.db();
    let people = sql_rows(
        &db,
        "SELECT p.nhs_number, max(c.version), max(c.agreed_with = 'representative'),
                max(c.no_contingency_confirmed)
         FROM care_plan c JOIN patient p ON p.id = c.patient_id
         WHERE p.status = 'registered' GROUP BY p.id ORDER BY p.nhs_number",
    );
    assert!(people.len() > 50, "the demo has plans to export: {}", people.len());
    assert!(people.iter().any(|p| p[2] == "1"), "a plan agreed with a representative");
    assert!(people.iter().any(|p| p[3] == "1"), "a plan with no contingency plan");
    assert!(people.iter().any(|p| p[1] == "3"), "a third version");

    let mut files = Vec::new();
    for person in &people {
        let (file, reported) = export(&sandbox, &person[0], &[]);
        assert_eq!(reported["version"].as_u64().unwrap().to_string(), person[1]);
        assert_eq!(reported["format"], "fhir-r4");
        files.push(file);
    }
    // An earlier version, which the latest has replaced.
    let earlier = people.iter().find(|p| p[1] == "3").unwrap();
    let (file, reported) = export(&sandbox, &earlier[0], &["--version", "1"]);
    assert_eq!(reported["version"], 1);
    let first: Json = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let plans: Vec<&Json> = first["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == "CarePlan")
        .collect();
    assert!(plans.iter().all(|p| p["status"] == "revoked"), "version 1 has been replaced");
    files.push(file);

    let validation = validate(&files);
    assert!(validation.ok, "{}", validation.output);
    assert_eq!(validation.output.matches("valid ").count(), files.len(), "{}", validation.output);

    let audited =
        sql_rows(&db, "SELECT actor || ' ' || summary FROM audit_event WHERE action = 'careplan.exported' ORDER BY id");
    assert_eq!(audited.len(), files.len(), "one audit entry an export");
    for (row, file) in audited.iter().zip(&files) {
        let name = file.file_name().unwrap().to_str().unwrap();
        assert!(row[0].starts_with("nurse "), "who exported it: {row:?}");
        assert!(row[0].contains("FHIR R4 document written to") && row[0].contains(name), "{row:?}");
    }
}

#[test]
fn the_validator_refuses_broken_documents() {
    let sandbox = Sandbox::new();
    demo(&sandbox);
    let nhs = &sql_rows(
        &sandbox.db(),
        "SELECT p.nhs_number FROM care_plan c JOIN patient p ON p.id = c.patient_id
         WHERE p.status = 'registered' AND c.no_contingency_confirmed = 0 LIMIT 1",
    )[0][0];
    let (file, _) = export(&sandbox, nhs, &[]);
    let good: Json = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert!(validate(std::slice::from_ref(&file)).ok);

    let resource_index = |kind: &str| {
        good["entry"]
            .as_array()
            .unwrap()
            .iter()
            .position(|e| e["resource"]["resourceType"] == kind)
            .unwrap()
    };
    let plan = resource_index("CarePlan");
    let patient = resource_index("Patient");
    type Breakage = Box<dyn Fn(&mut Json)>;
    let cases: Vec<(&str, Breakage, &str)> = vec![
        (
            "no intent",
            Box::new(move |b| {
                b["entry"][plan]["resource"].as_object_mut().unwrap().remove("intent");
            }),
            "field required",
        ),
        (
            "an unknown field",
            Box::new(move |b| b["entry"][plan]["resource"]["mood"] = "hopeful".into()),
            "extra fields not permitted",
        ),
        (
            "a reference that goes nowhere",
            Box::new(move |b| {
                b["entry"][plan]["resource"]["subject"]["reference"] =
                    "urn:uuid:00000000-0000-8000-8000-000000000000".into()
            }),
            "does not resolve inside the bundle",
        ),
        (
            "a made-up status",
            Box::new(move |b| b["entry"][plan]["resource"]["status"] = "agreed".into()),
            "CarePlan.status 'agreed' is not an R4 code",
        ),
        (
            "the NHS number without its system",
            Box::new(move |b| {
                b["entry"][patient]["resource"]["identifier"][0]["system"] = "urn:nhs".into()
            }),
            "no valid NHS number",
        ),
        (
            "a collection, not a document",
            Box::new(|b| b["type"] = "collection".into()),
            "the bundle is not a document",
        ),
    ];
    for (name, break_it, expected) in cases {
        let mut broken = good.clone();
        break_it(&mut broken);
        let path =
            sandbox.write(&format!("broken-{}.json", name.replace(' ', "-")), broken.to_string());
        let validation = validate(&[path]);
        assert!(!validation.ok, "{name}: accepted\n{}", validation.output);
        assert!(validation.output.contains(expected), "{name}: {}", validation.output);
    }
}

#[test]
fn nothing_is_exported_without_a_plan_or_for_someone_who_left_or_died() {
    let sandbox = Sandbox::new();
    demo(&sandbox);
    let db = sandbox.db();
    let without = &sql_rows(
        &db,
        "SELECT nhs_number FROM patient WHERE status = 'registered'
         AND id NOT IN (SELECT patient_id FROM care_plan) LIMIT 1",
    )[0][0];
    let file = sandbox.path("nothing.json");
    let run = sandbox
        .alongside(&[
            "careplan",
            "export",
            without,
            "--format",
            "fhir",
            "--out",
            file.to_str().unwrap(),
        ])
        .expect_code(1);
    assert!(run.stderr.contains("has no agreed care and support plan"), "{}", run.stderr);
    assert!(!file.exists());

    for status in ["left", "deceased"] {
        let gone = &sql_rows(
            &db,
            &format!(
                "SELECT p.nhs_number FROM care_plan c JOIN patient p ON p.id = c.patient_id
                 WHERE p.status = '{status}' LIMIT 1"
            ),
        )[0][0];
        let run = sandbox
            .alongside(&[
                "careplan",
                "export",
                gone,
                "--format",
                "fhir",
                "--out",
                file.to_str().unwrap(),
            ])
            .expect_code(1);
        let said = if status == "left" { "has left the practice" } else { "has died" };
        assert!(run.stderr.contains(said), "{}", run.stderr);
        assert!(!file.exists());
    }

    let run = sandbox
        .alongside(&[
            "careplan",
            "export",
            "123",
            "--format",
            "fhir",
            "--out",
            file.to_str().unwrap(),
        ])
        .expect_code(2);
    assert!(run.stderr.contains("NHS number"), "{}", run.stderr);
    sandbox
        .alongside(&[
            "careplan",
            "export",
            without,
            "--format",
            "pdf",
            "--out",
            file.to_str().unwrap(),
        ])
        .expect_code(2);
    let audited =
        sql_rows(&db, "SELECT count(*) FROM audit_event WHERE action = 'careplan.exported'");
    assert_eq!(audited[0][0], "0", "refusals are not recorded as exports");
}
