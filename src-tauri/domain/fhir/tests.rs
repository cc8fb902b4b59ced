//! The FHIR document: its shape, references that resolve, and values written as recorded.

use std::collections::BTreeSet;

use super::*;
use crate::domain::careplan::Contingency;
use crate::domain::directory::{Access, Category};
use crate::domain::measures::{Entry, Measures};
use crate::domain::nhs_number::NhsNumber;
use crate::domain::person::{PersonName, Phone};
use crate::domain::postcode::Postcode;
use crate::domain::register::Address;

fn day(d: &str) -> NaiveDate {
    NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()
}

fn measures() -> Measures {
    Measures::from_json(&crate::domain::measures::tests::items_file().to_string()).unwrap()
}

fn person() -> PatientDetails {
    PatientDetails {
        nhs_number: NhsNumber::parse("943 476 5919").unwrap(),
        name: PersonName::new("Okafor", "Grace").unwrap(),
        date_of_birth: day("1948-03-02"),
        sex: Sex::Female,
        address: Address {
            line_1: Some("4 Mill Lane".into()),
            line_2: None,
            town: Some("Leeds".into()),
            postcode: Some(Postcode::parse("LS1 4AB").unwrap()),
        },
        phone: Some(Phone::parse("0113 496 0123").unwrap()),
        email: None,
        usual_clinician: None,
        communication_needs: Vec::new(),
        conditions: Vec::new(),
        status: RegistrationStatus::Registered,
        recall_month: None,
    }
}

fn letterhead() -> Letterhead {
    Letterhead {
        practice_name: "Riverside Surgery".into(),
        address: vec!["1 High Street".into(), "Leeds".into()],
        phone: "0113 496 0000".into(),
        email: String::new(),
        logo: None,
    }
}

fn service() -> Service {
    Service {
        name: "Walking for Health".into(),
        category: Category::parse("physical_activity").unwrap(),
        offers: "Led walks".into(),
        for_whom: "Anyone".into(),
        access: vec![Access::parse("self_referral").unwrap()],
        phone: "0113 496 0999".into(),
        email: "walks@walking.example".into(),
        website: String::new(),
        address: "Park gates".into(),
        opening_times: String::new(),
        cost: "Free".into(),
        accessibility: String::new(),
        last_checked: None,
    }
}

fn plan() -> PlanDocument {
    let mut doc = crate::domain::careplan::tests::complete();
    doc.people = "My daughter Ada".into();
    doc.needs[0].goals[0].actions.extend([
        Action {
            id: 4,
            what: "Join a led walk".into(),
            who: Who { kind: WhoKind::Service, service: Some(7), ..Who::default() },
            when: "Tuesdays".into(),
            confidence: None,
            status: ActionStatus::InProgress,
        },
        Action {
            id: 5,
            what: "Come with me to the first walk".into(),
            who: Who {
                kind: WhoKind::Someone,
                name: "Ada".into(),
                role: "daughter".into(),
                contact: "07700 900123".into(),
                service: None,
            },
            when: "next Tuesday".into(),
            confidence: None,
            status: ActionStatus::Planned,
        },
    ]);
    doc
}

struct Made {
    text: String,
    json: Json,
}

fn export(doc: &PlanDocument, with: &AgreedWith, values: &[(&str, &str)]) -> Made {
    let measures = measures();
    let person = person();
    let letterhead = letterhead();
    let mut services = BTreeMap::new();
    services.insert(7, service());
    let parsed: Vec<(&ItemDef, Value)> = values
        .iter()
        .map(|(id, text)| {
            let item = measures.item(id).unwrap();
            let entry = Entry { value: text, option: None, answers: &[] };
            (item, item.parse_entry(entry, day("2026-11-23")).unwrap())
        })
        .collect();
    let code = SnomedCode::parse("44054006").unwrap();
    let input = FhirPlan {
        person: &person,
        practice: &letterhead,
        conditions: vec![FhirCondition {
            code: &code,
            name: "Type 2 diabetes",
            onset: Some(day("2015-06-01")),
        }],
        observations: parsed
            .iter()
            .map(|(item, value)| FhirObservation { item, taken_on: day("2026-10-01"), value })
            .collect(),
        plan: AgreedPlan {
            version: 2,
            agreed_on: day("2026-11-20"),
            with,
            clinician: "Nurse J Okoye",
            doc,
        },
        latest: true,
        services: &services,
        made_at: DateTime::parse_from_rfc3339("2026-11-23T10:15:00+00:00").unwrap(),
    };
    let text = care_plan_bundle(&input);
    let json = serde_json::from_str(&text).unwrap();
    Made { text, json }
}

fn resources<'a>(made: &'a Made, kind: &str) -> Vec<&'a Json> {
    made.json["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == kind)
        .collect()
}

fn all_references(value: &Json, found: &mut Vec<String>) {
    match value {
        Json::Object(map) => {
            for (key, v) in map {
                if key == "reference" {
                    if let Some(r) = v.as_str() {
                        found.push(r.to_string());
                    }
                }
                all_references(v, found);
            }
        }
        Json::Array(items) => items.iter().for_each(|v| all_references(v, found)),
        _ => {}
    }
}

#[test]
fn the_document_starts_with_its_composition_and_every_reference_resolves() {
    let made = export(&plan(), &AgreedWith::Person, &[("hba1c", "48")]);
    assert_eq!(made.json["resourceType"], "Bundle");
    assert_eq!(made.json["type"], "document");
    assert_eq!(made.json["timestamp"], "2026-11-23T10:15:00+00:00");
    let entries = made.json["entry"].as_array().unwrap();
    assert_eq!(entries[0]["resource"]["resourceType"], "Composition");
    let urls: BTreeSet<&str> = entries.iter().map(|e| e["fullUrl"].as_str().unwrap()).collect();
    assert_eq!(urls.len(), entries.len(), "every fullUrl is different");
    assert!(urls.iter().all(|u| u.starts_with("urn:uuid:") && u.len() == 45), "{urls:?}");
    let mut refs = Vec::new();
    all_references(&made.json, &mut refs);
    assert!(refs.len() > 20, "{refs:?}");
    for r in refs {
        assert!(urls.contains(r.as_str()), "{r} does not resolve");
    }
    for kind in [
        "Patient",
        "Organization",
        "Practitioner",
        "RelatedPerson",
        "Condition",
        "Observation",
        "Goal",
        "CarePlan",
        "ServiceRequest",
    ] {
        assert!(!resources(&made, kind).is_empty(), "no {kind}");
    }
}

#[test]
fn the_patient_carries_the_nhs_number_with_the_national_system() {
    let made = export(&plan(), &AgreedWith::Person, &[]);
    let patient = resources(&made, "Patient")[0];
    assert_eq!(patient["identifier"][0]["system"], NHS_NUMBER_SYSTEM);
    assert_eq!(patient["identifier"][0]["value"], "9434765919");
    assert_eq!(patient["name"][0]["family"], "Okafor");
    assert_eq!(patient["birthDate"], "1948-03-02");
    assert_eq!(patient["address"][0]["postalCode"], "LS1 4AB");
}

#[test]
fn goals_are_in_the_persons_words_and_expressed_by_them() {
    let made = export(&plan(), &AgreedWith::Person, &[]);
    let goals = resources(&made, "Goal");
    assert_eq!(goals.len(), 1);
    let goal = goals[0];
    let patient_url = made.json["entry"][1]["fullUrl"].as_str().unwrap();
    assert_eq!(goal["description"]["text"], "Walk up to the allotment without stopping");
    assert_eq!(goal["expressedBy"]["reference"], patient_url);
    assert_eq!(goal["lifecycleStatus"], "active");
    assert!(made.text.contains("How important this is to me: 9 out of 10."));
    let need = resources(&made, "Condition")
        .into_iter()
        .find(|c| c["code"]["text"] == "Out of breath on the hill")
        .expect("the need is a condition");
    assert!(need["code"].get("coding").is_none(), "a need in words is not given a code");
}

#[test]
fn the_care_plan_links_goals_activities_performers_and_the_review() {
    let made = export(&plan(), &AgreedWith::Person, &[]);
    let plans = resources(&made, "CarePlan");
    assert_eq!(plans.len(), 2);
    let main = plans.iter().find(|p| p.get("partOf").is_none()).unwrap();
    assert_eq!(main["status"], "active");
    assert_eq!(main["intent"], "plan");
    let activities = main["activity"].as_array().unwrap();
    // Walk (me), led walk (a service request), daughter (related person), the review.
    assert_eq!(activities.len(), 4, "{activities:?}");
    assert_eq!(activities[0]["detail"]["status"], "not-started");
    assert_eq!(activities[0]["detail"]["scheduledString"], "every morning");
    assert!(activities[1].get("detail").is_none() && activities[1]["reference"].is_object());
    let review = &activities[3]["detail"];
    assert_eq!(review["code"]["coding"][0]["code"], "425268008");
    assert_eq!(review["scheduledPeriod"]["start"], "2027-11-01");
    let request = resources(&made, "ServiceRequest")[0];
    assert_eq!(request["status"], "active");
    assert_eq!(request["intent"], "plan");
    assert_eq!(request["patientInstruction"], "Join a led walk (Tuesdays)");
    let service = resources(&made, "Organization")
        .into_iter()
        .find(|o| o["name"] == "Walking for Health")
        .unwrap();
    assert_eq!(service["telecom"][0]["value"], "0113 496 0999");
    let daughter = resources(&made, "RelatedPerson")[0];
    assert_eq!(daughter["relationship"][0]["text"], "daughter");
}

#[test]
fn the_contingency_plan_is_a_second_care_plan_part_of_the_first() {
    let made = export(&plan(), &AgreedWith::Person, &[]);
    let plans = resources(&made, "CarePlan");
    let main_url = made.json["entry"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| {
            e["resource"]["resourceType"] == "CarePlan" && e["resource"].get("partOf").is_none()
        })
        .unwrap()["fullUrl"]
        .clone();
    let contingency = plans.iter().find(|p| p.get("partOf").is_some()).unwrap();
    assert_eq!(contingency["partOf"][0]["reference"], main_url);
    let triggers = &contingency["activity"][0]["detail"]["reasonCode"];
    assert_eq!(triggers[0]["text"], "More breathless than usual");
    assert_eq!(triggers[1]["text"], "Green phlegm");

    let mut without = plan();
    without.contingency = Contingency::default();
    let made = export(&without, &AgreedWith::Person, &[]);
    assert_eq!(resources(&made, "CarePlan").len(), 1);
    assert!(made.text.contains("No contingency plan: the clinician confirmed this"));
}

#[test]
fn results_keep_their_written_decimals_comparators_and_ucum_units() {
    let made = export(
        &plan(),
        &AgreedWith::Person,
        &[("total-cholesterol", "5.40"), ("egfr", ">90"), ("bp-clinic", "142/88")],
    );
    assert!(made.text.contains("\"value\": 5.40"), "the written 5.40 is kept");
    let observations = resources(&made, "Observation");
    let egfr = observations.iter().find(|o| o["code"]["text"] == "eGFR").unwrap();
    assert_eq!(egfr["valueQuantity"]["comparator"], ">");
    assert_eq!(egfr["valueQuantity"]["value"], 90);
    assert_eq!(egfr["valueQuantity"]["system"], UCUM);
    assert_eq!(egfr["code"]["coding"][0]["system"], SNOMED);
    let bp = observations.iter().find(|o| o.get("component").is_some()).unwrap();
    assert_eq!(bp["component"][0]["valueQuantity"]["value"], 142);
    assert_eq!(bp["component"][1]["valueQuantity"]["value"], 88);
    assert_eq!(bp["component"][0]["valueQuantity"]["code"], "mm[Hg]");
    assert_eq!(bp["category"][0]["coding"][0]["code"], "vital-signs");
}

#[test]
fn a_plan_agreed_with_a_representative_names_them_as_contributor() {
    let with =
        AgreedWith::Representative { name: "Ada Okafor".into(), relationship: "daughter".into() };
    let made = export(&plan(), &with, &[]);
    let main =
        resources(&made, "CarePlan").into_iter().find(|p| p.get("partOf").is_none()).unwrap();
    let rep_url = made.json["entry"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| {
            e["resource"]["resourceType"] == "RelatedPerson"
                && e["resource"]["name"][0]["text"] == "Ada Okafor"
        })
        .unwrap()["fullUrl"]
        .clone();
    assert_eq!(main["contributor"][0]["reference"], rep_url);
    assert!(made.text.contains("on the person's behalf"));
}

#[test]
fn the_same_export_is_the_same_document_and_nothing_is_empty() {
    let a = export(&plan(), &AgreedWith::Person, &[("hba1c", "48")]);
    let b = export(&plan(), &AgreedWith::Person, &[("hba1c", "48")]);
    assert_eq!(a.text, b.text);
    assert!(!a.text.contains("\"\""), "no empty strings");
    assert!(!a.text.contains("[]"), "no empty lists");
    assert!(!a.text.contains("{}"), "no empty objects");
    assert!(!a.text.contains("null"));
}

#[test]
fn narrative_text_is_escaped() {
    let mut doc = plan();
    doc.what_matters = "Fish & chips <on Fridays>".into();
    let made = export(&doc, &AgreedWith::Person, &[]);
    let composition = &made.json["entry"][0]["resource"];
    let div = composition["section"][0]["text"]["div"].as_str().unwrap();
    assert!(div.contains("Fish &amp; chips &lt;on Fridays&gt;"), "{div}");
    assert!(div.starts_with("<div xmlns=\"http://www.w3.org/1999/xhtml\">"));
}

#[test]
fn decimals_are_written_only_when_they_are_plain_numbers() {
    assert!(decimal("5.40").is_some());
    assert!(decimal("0.5").is_some());
    assert!(decimal("-3").is_some());
    assert!(decimal("05").is_none());
    assert!(decimal(".5").is_none());
    assert!(decimal("5.").is_none());
    assert!(decimal("1e3").is_none());
}
