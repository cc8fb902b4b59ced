//! A person's agreed care and support plan as a FHIR R4 document, so that a community nursing
//! team, a social prescriber or a hospital can read it (`../shared/reference/domain.md` §3).
//!
//! A `Bundle` of type `document`: first the `Composition` (sections in the order of the printed
//! plan), then the `Patient`, the practice `Organization`, the `Practitioner`s, family and
//! friends as `RelatedPerson`s, the services named as `Organization`s, the `Condition`s (the
//! long-term conditions, and each need the person named), the recent `Observation`s, the `Goal`s
//! in the person's words, the `CarePlan`, the contingency plan as a second `CarePlan` that is
//! `partOf` the first, and a `ServiceRequest` for each service the person was pointed to. Every
//! reference is a `urn:uuid:` that resolves to an entry's `fullUrl`.
//!
//! Values are written exactly as recorded: a result's number keeps its written decimal places
//! ("5.40" stays 5.40), a comparator stays a comparator, scores the person gave (importance,
//! confidence) are kept as words in notes because FHIR has no field for them.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde_json::{json, Map, Value as Json};

use crate::domain::careplan::{
    Action, ActionStatus, AgreedPlan, AgreedWith, Contact, GoalOutcome, PlanDocument, Who, WhoKind,
};
use crate::domain::directory::Service;
use crate::domain::measures::{ItemDef, ItemKind, Value};
use crate::domain::person::{RegistrationStatus, Sex};
use crate::domain::practice::Letterhead;
use crate::domain::register::PatientDetails;
use crate::domain::snomed::SnomedCode;

pub const NHS_NUMBER_SYSTEM: &str = "https://fhir.nhs.uk/Id/nhs-number";
pub const SNOMED: &str = "http://snomed.info/sct";
pub const LOINC: &str = "http://loinc.org";
pub const UCUM: &str = "http://unitsofmeasure.org";
const CONDITION_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/condition-category";
const CONDITION_CLINICAL: &str = "http://terminology.hl7.org/CodeSystem/condition-clinical";
const CONDITION_VERIFICATION: &str = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
const OBSERVATION_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";
const REVIEW_OF_CARE_PLAN: &str = "425268008";

/// A long-term condition on the record.
pub struct FhirCondition<'a> {
    pub code: &'a SnomedCode,
    pub name: &'a str,
    pub onset: Option<NaiveDate>,
}

/// A recorded result, with its catalogue item for codes and units.
pub struct FhirObservation<'a> {
    pub item: &'a ItemDef,
    pub taken_on: NaiveDate,
    pub value: &'a Value,
}

/// Everything the document is made from.
pub struct FhirPlan<'a> {
    pub person: &'a PatientDetails,
    pub practice: &'a Letterhead,
    pub conditions: Vec<FhirCondition<'a>>,
    pub observations: Vec<FhirObservation<'a>>,
    pub plan: AgreedPlan<'a>,
    /// The latest agreed version is the active plan; an earlier one has been replaced.
    pub latest: bool,
    /// The directory's services named by the plan, by id.
    pub services: &'a BTreeMap<i64, Service>,
    pub made_at: DateTime<FixedOffset>,
}

/// The plan as a FHIR R4 document bundle, as pretty JSON.
pub fn care_plan_bundle(input: &FhirPlan<'_>) -> String {
    let bundle = Builder::new(input).bundle();
    write_json(&prune(bundle))
}

/// A reference to an entry.
fn reference(url: &str) -> Json {
    json!({ "reference": url })
}

fn text_concept(text: &str) -> Json {
    json!({ "text": text })
}

fn snomed_concept(code: &str, display: &str) -> Json {
    json!({ "coding": [{ "system": SNOMED, "code": code, "display": display }], "text": display })
}

fn note(text: String) -> Json {
    json!({ "text": text })
}

/// Removes empty strings, empty lists, empty objects and nulls: FHIR allows none of them.
fn prune(value: Json) -> Json {
    match value {
        Json::Object(map) => {
            let kept: Map<String, Json> =
                map.into_iter().map(|(k, v)| (k, prune(v))).filter(|(_, v)| !is_empty(v)).collect();
            Json::Object(kept)
        }
        Json::Array(items) => {
            Json::Array(items.into_iter().map(prune).filter(|v| !is_empty(v)).collect())
        }
        Json::String(s) if s.trim().is_empty() => Json::Null,
        other => other,
    }
}

fn is_empty(value: &Json) -> bool {
    match value {
        Json::Null => true,
        Json::String(s) => s.trim().is_empty(),
        Json::Array(a) => a.is_empty(),
        Json::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// Marks a string that is to be written as a JSON number exactly as it is spelt.
const DECIMAL_MARK: &str = "\u{1}decimal:";

/// A result's number as FHIR's decimal, keeping the written decimal places; `None` when the
/// text is not a plain decimal (it is then given as text, never altered).
fn decimal(text: &str) -> Option<Json> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let plain = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let ok =
        plain(whole) && (whole == "0" || !whole.starts_with('0')) && fraction.is_none_or(plain);
    ok.then(|| Json::String(format!("{DECIMAL_MARK}{text}")))
}

/// Pretty JSON with each marked decimal written as the number it spells.
fn write_json(value: &Json) -> String {
    let text = serde_json::to_string_pretty(value).expect("a JSON value always serialises");
    let marker = format!("\"{}", serde_json::to_string(DECIMAL_MARK).unwrap().trim_matches('"'));
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find(&marker) {
        out.push_str(&rest[..at]);
        let after = &rest[at + marker.len()..];
        let end = after.find('"').expect("a marked decimal is a closed string");
        out.push_str(&after[..end]);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Escapes text for the XHTML of a section's narrative.
fn xhtml(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A section's narrative: one paragraph a line.
fn narrative(lines: &[String]) -> Json {
    let body: String = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("<p>{}</p>", xhtml(l.trim())))
        .collect();
    let body = if body.is_empty() { "<p>Nothing recorded.</p>".to_string() } else { body };
    json!({
        "status": "generated",
        "div": format!("<div xmlns=\"http://www.w3.org/1999/xhtml\">{body}</div>"),
    })
}

fn date(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

fn long_date(day: NaiveDate) -> String {
    day.format("%-d %B %Y").to_string()
}

/// A 128-bit FNV-1a hash, to make stable `urn:uuid:` identifiers from what they name.
fn fnv128(text: &str) -> u128 {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013B;
    text.bytes().fold(OFFSET, |hash, b| (hash ^ b as u128).wrapping_mul(PRIME))
}

/// A version 8 (custom) UUID made from a name, so the same export is the same document.
fn uuid_from(name: &str) -> String {
    let mut n = fnv128(name);
    n = (n & !(0xf << 76)) | (0x8 << 76); // version 8
    n = (n & !(0x3 << 62)) | (0x2 << 62); // RFC 9562 variant
    let h = format!("{n:032x}");
    format!("urn:uuid:{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

fn contact_point(contact: &str) -> Option<Json> {
    let contact = contact.trim();
    if contact.is_empty() {
        return None;
    }
    let system = if contact.contains('@') {
        "email"
    } else if contact.chars().all(|c| c.is_ascii_digit() || " +()-".contains(c)) {
        "phone"
    } else {
        "other"
    };
    Some(json!({ "system": system, "value": contact }))
}

struct Builder<'a> {
    input: &'a FhirPlan<'a>,
    seed: String,
    entries: Vec<(String, Json)>,
    patient: String,
    practice: String,
    author: Option<String>,
    practitioners: BTreeMap<(String, String), String>,
    related: BTreeMap<(String, String, String), String>,
    organisations: BTreeMap<String, String>,
}

impl<'a> Builder<'a> {
    fn new(input: &'a FhirPlan<'a>) -> Builder<'a> {
        let seed = format!(
            "alongside|{}|{}|{}",
            input.person.nhs_number.as_str(),
            input.plan.version,
            input.made_at.to_rfc3339()
        );
        let patient = uuid_from(&format!("{seed}|patient"));
        let practice = uuid_from(&format!("{seed}|practice"));
        Builder {
            input,
            seed,
            entries: Vec::new(),
            patient,
            practice,
            author: None,
            practitioners: BTreeMap::new(),
            related: BTreeMap::new(),
            organisations: BTreeMap::new(),
        }
    }

    fn url(&self, what: &str) -> String {
        uuid_from(&format!("{}|{what}", self.seed))
    }

    fn add(&mut self, url: &str, resource: Json) {
        self.entries.push((url.to_string(), resource));
    }

    fn doc(&self) -> &'a PlanDocument {
        self.input.plan.doc
    }

    fn bundle(mut self) -> Json {
        self.patient_entry();
        self.practice_entry();
        let clinician = self.input.plan.clinician.trim();
        if !clinician.is_empty() {
            self.author = Some(self.practitioner(clinician, ""));
        }
        let conditions = self.conditions();
        let observations = self.observations();
        let needs = self.needs();
        let goals = self.goals(&needs);
        let services = self.service_requests();
        let main = self.url("careplan");
        let contingency = self.contingency(&main);
        self.main_plan(&main, &conditions, &needs, &goals, &services);
        let composition = self.composition(
            &conditions,
            &observations,
            &main,
            &goals,
            &services,
            contingency.as_deref(),
        );
        let made_at = self.input.made_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
        let mut entries =
            vec![json!({ "fullUrl": self.url("composition"), "resource": composition })];
        entries.extend(
            self.entries
                .into_iter()
                .map(|(url, resource)| json!({ "fullUrl": url, "resource": resource })),
        );
        json!({
            "resourceType": "Bundle",
            "identifier": { "system": "urn:ietf:rfc:3986", "value": uuid_from(&format!("{}|bundle", self.seed)) },
            "type": "document",
            "timestamp": made_at,
            "entry": entries,
        })
    }

    fn patient_entry(&mut self) {
        let p = self.input.person;
        let gender = match p.sex {
            Sex::Female => "female",
            Sex::Male => "male",
            Sex::Other => "other",
            Sex::Unknown => "unknown",
        };
        let a = &p.address;
        let lines: Vec<&str> =
            [a.line_1.as_deref(), a.line_2.as_deref()].into_iter().flatten().collect();
        let telecom: Vec<Json> = [
            p.phone.as_ref().map(|t| json!({ "system": "phone", "value": t.as_str() })),
            p.email.as_ref().map(|e| json!({ "system": "email", "value": e.as_str() })),
        ]
        .into_iter()
        .flatten()
        .collect();
        let resource = json!({
            "resourceType": "Patient",
            "identifier": [{ "system": NHS_NUMBER_SYSTEM, "value": p.nhs_number.as_str() }],
            "active": p.status == RegistrationStatus::Registered,
            "name": [{ "use": "official", "family": p.name.family(), "given": [p.name.given()] }],
            "telecom": telecom,
            "gender": gender,
            "birthDate": date(p.date_of_birth),
            "address": [{
                "use": "home",
                "line": lines,
                "city": a.town,
                "postalCode": a.postcode.as_ref().map(|c| c.as_str()),
            }],
            "generalPractitioner": [reference(&self.practice)],
        });
        let url = self.patient.clone();
        self.add(&url, resource);
    }

    fn practice_entry(&mut self) {
        let l = self.input.practice;
        let resource = json!({
            "resourceType": "Organization",
            "active": true,
            "type": [{ "text": "GP practice" }],
            "name": l.practice_name,
            "telecom": [contact_point(&l.phone), contact_point(&l.email)],
            "address": [{ "line": l.address, "text": l.address.join(", ") }],
        });
        let url = self.practice.clone();
        self.add(&url, resource);
    }

    fn practitioner(&mut self, name: &str, role: &str) -> String {
        let key = (name.trim().to_string(), role.trim().to_string());
        if let Some(url) = self.practitioners.get(&key) {
            return url.clone();
        }
        let url = self.url(&format!("practitioner|{}|{}", key.0, key.1));
        let shown = if key.0.is_empty() { key.1.clone() } else { key.0.clone() };
        let resource = json!({
            "resourceType": "Practitioner",
            "name": [{ "text": shown }],
            "qualification": if key.1.is_empty() || key.0.is_empty() { Json::Null } else { json!([{ "code": text_concept(&key.1) }]) },
        });
        self.practitioners.insert(key, url.clone());
        self.add(&url, resource);
        url
    }

    fn related_person(&mut self, name: &str, relationship: &str, contact: &str) -> String {
        let key =
            (name.trim().to_string(), relationship.trim().to_string(), contact.trim().to_string());
        if let Some(url) = self.related.get(&key) {
            return url.clone();
        }
        let url = self.url(&format!("related|{}|{}|{}", key.0, key.1, key.2));
        let resource = json!({
            "resourceType": "RelatedPerson",
            "patient": reference(&self.patient),
            "relationship": [text_concept(&key.1)],
            "name": [{ "text": if key.0.is_empty() { key.1.clone() } else { key.0.clone() } }],
            "telecom": [contact_point(&key.2)],
        });
        self.related.insert(key, url.clone());
        self.add(&url, resource);
        url
    }

    fn organisation(&mut self, who: &Who) -> String {
        let service = who.service.and_then(|id| self.input.services.get(&id));
        let name = service.map(|s| s.name.clone()).unwrap_or_else(|| {
            if who.name.trim().is_empty() {
                who.role.trim().to_string()
            } else {
                who.name.trim().to_string()
            }
        });
        let key = format!("{}|{}", who.service.map(|id| id.to_string()).unwrap_or_default(), name);
        if let Some(url) = self.organisations.get(&key) {
            return url.clone();
        }
        let url = self.url(&format!("organisation|{key}"));
        let resource = match service {
            Some(s) => json!({
                "resourceType": "Organization",
                "active": true,
                "type": [text_concept(s.category.label())],
                "name": s.name,
                "telecom": [
                    contact_point(&s.phone),
                    contact_point(&s.email),
                    (!s.website.trim().is_empty()).then(|| json!({ "system": "url", "value": s.website.trim() })),
                ],
                "address": [{ "text": s.address }],
            }),
            None => json!({
                "resourceType": "Organization",
                "active": true,
                "name": name,
                "telecom": [contact_point(&who.contact)],
            }),
        };
        self.organisations.insert(key, url.clone());
        self.add(&url, resource);
        url
    }

    /// Who does an action, as a reference.
    fn performer(&mut self, who: &Who) -> Option<String> {
        match who.kind {
            WhoKind::Me => Some(self.patient.clone()),
            WhoKind::Professional => (!(who.name.trim().is_empty() && who.role.trim().is_empty()))
                .then(|| self.practitioner(&who.name, &who.role)),
            WhoKind::Someone => (!(who.name.trim().is_empty() && who.role.trim().is_empty()))
                .then(|| self.related_person(&who.name, &who.role, &who.contact)),
            WhoKind::Service => (who.service.is_some()
                || !(who.name.trim().is_empty() && who.role.trim().is_empty()))
            .then(|| self.organisation(who)),
        }
    }

    fn conditions(&mut self) -> Vec<(String, String)> {
        let mut made = Vec::new();
        for (i, c) in self.input.conditions.iter().enumerate() {
            let url = self.url(&format!("condition|{i}|{}", c.code.as_str()));
            let resource = json!({
                "resourceType": "Condition",
                "clinicalStatus": { "coding": [{ "system": CONDITION_CLINICAL, "code": "active" }] },
                "verificationStatus": { "coding": [{ "system": CONDITION_VERIFICATION, "code": "confirmed" }] },
                "category": [{ "coding": [{ "system": CONDITION_CATEGORY, "code": "problem-list-item", "display": "Problem List Item" }] }],
                "code": snomed_concept(c.code.as_str(), c.name),
                "subject": reference(&self.patient),
                "onsetDateTime": c.onset.map(date),
            });
            self.add(&url, resource);
            made.push((url, c.name.to_string()));
        }
        made
    }

    /// Each need the person named, as a concern the plan addresses.
    fn needs(&mut self) -> BTreeMap<u32, String> {
        let mut made = BTreeMap::new();
        for need in &self.doc().needs {
            if need.text.trim().is_empty() {
                continue;
            }
            let url = self.url(&format!("need|{}", need.id));
            let resource = json!({
                "resourceType": "Condition",
                "clinicalStatus": { "coding": [{ "system": CONDITION_CLINICAL, "code": "active" }] },
                "category": [{ "coding": [{ "system": CONDITION_CATEGORY, "code": "problem-list-item", "display": "Problem List Item" }] }],
                "code": text_concept(need.text.trim()),
                "subject": reference(&self.patient),
                "recordedDate": date(self.input.plan.agreed_on),
                "note": [note("A need or concern in the person's own words, from their care and support plan.".into())],
            });
            self.add(&url, resource);
            made.insert(need.id, url);
        }
        made
    }

    fn observations(&mut self) -> Vec<(String, String)> {
        let mut made = Vec::new();
        for (i, o) in self.input.observations.iter().enumerate() {
            let item = o.item;
            let url = self.url(&format!("observation|{i}|{}", item.id()));
            let mut coding = vec![
                json!({ "system": SNOMED, "code": item.snomed().as_str(), "display": item.label() }),
            ];
            if let Some(loinc) = item.loinc() {
                coding.push(json!({ "system": LOINC, "code": loinc }));
            }
            let category = match item.kind() {
                _ if item.is_lab() => Some(("laboratory", "Laboratory")),
                ItemKind::Questionnaire(_) => Some(("survey", "Survey")),
                ItemKind::BloodPressure { .. } | ItemKind::Computed(_) => {
                    Some(("vital-signs", "Vital Signs"))
                }
                ItemKind::Number(spec)
                    if ["kg", "cm", "m", "kg/m2", "/min"].contains(&spec.unit.ucum.as_str()) =>
                {
                    Some(("vital-signs", "Vital Signs"))
                }
                _ => None,
            };
            let mut resource = json!({
                "resourceType": "Observation",
                "status": "final",
                "category": category.map(|(code, display)| json!([{ "coding": [{ "system": OBSERVATION_CATEGORY, "code": code, "display": display }] }])),
                "code": { "coding": coding, "text": item.label() },
                "subject": reference(&self.patient),
                "effectiveDateTime": date(o.taken_on),
            });
            let shown = self.observation_value(item, o.value, &mut resource);
            self.add(&url, resource);
            made.push((url, format!("{}: {shown} ({})", item.label(), long_date(o.taken_on))));
        }
        made
    }

    /// Puts the value on the observation; returns it as words for the narrative.
    fn observation_value(&self, item: &ItemDef, value: &Value, resource: &mut Json) -> String {
        let obj = resource.as_object_mut().expect("an observation is an object");
        match value {
            Value::Quantity(q) => {
                let unit = item.unit();
                let number = q.text().trim_start_matches(['<', '>']).trim();
                match decimal(number) {
                    Some(number) => {
                        obj.insert(
                            "valueQuantity".into(),
                            json!({
                                "value": number,
                                "comparator": q.comparator().map(|c| c.symbol()),
                                "unit": unit.map(|u| u.display.as_str()),
                                "system": unit.map(|_| UCUM),
                                "code": unit.map(|u| u.ucum.as_str()),
                            }),
                        );
                    }
                    None => {
                        obj.insert("valueString".into(), json!(q.text()));
                    }
                }
                match unit {
                    Some(u) => format!("{} {}", q.text(), u.display),
                    None => q.text().to_string(),
                }
            }
            Value::BloodPressure { systolic, diastolic } => {
                let (unit, s_half, d_half) = match item.kind() {
                    ItemKind::BloodPressure { unit, systolic, diastolic } => {
                        (unit, systolic, diastolic)
                    }
                    _ => unreachable!("a blood pressure value belongs to a blood pressure item"),
                };
                let half = |half: &crate::domain::measures::BpHalf, display: &str, value: u16| {
                    let mut coding = vec![
                        json!({ "system": SNOMED, "code": half.snomed.as_str(), "display": display }),
                    ];
                    if let Some(loinc) = &half.loinc {
                        coding.push(json!({ "system": LOINC, "code": loinc }));
                    }
                    json!({
                        "code": { "coding": coding, "text": display },
                        "valueQuantity": { "value": value, "unit": unit.display, "system": UCUM, "code": unit.ucum },
                    })
                };
                obj.insert(
                    "component".into(),
                    json!([
                        half(s_half, "Systolic blood pressure", *systolic),
                        half(d_half, "Diastolic blood pressure", *diastolic),
                    ]),
                );
                format!("{systolic}/{diastolic} {}", unit.display)
            }
            Value::Choice(id) => {
                let option = item.options().iter().find(|o| &o.id == id);
                let label = option.map(|o| o.label.as_str()).unwrap_or(id);
                let coding = option.and_then(|o| o.snomed.as_ref()).map(
                    |code| json!([{ "system": SNOMED, "code": code.as_str(), "display": label }]),
                );
                obj.insert(
                    "valueCodeableConcept".into(),
                    json!({ "coding": coding, "text": label }),
                );
                label.to_string()
            }
            Value::YesNo(yes) => {
                obj.insert("valueBoolean".into(), json!(yes));
                if *yes {
                    "Yes".into()
                } else {
                    "No".into()
                }
            }
            Value::Date { on, result } => {
                obj.insert("valueDateTime".into(), json!(date(*on)));
                let result = result.as_ref().map(|id| {
                    item.options()
                        .iter()
                        .find(|o| &o.id == id)
                        .map(|o| o.label.clone())
                        .unwrap_or_else(|| id.clone())
                });
                if let Some(result) = &result {
                    obj.insert("note".into(), json!([note(format!("Result: {result}"))]));
                }
                match result {
                    Some(r) => format!("{}, {r}", long_date(*on)),
                    None => long_date(*on),
                }
            }
            Value::Questionnaire { score, .. } => {
                obj.insert("valueInteger".into(), json!(score));
                format!("score {score}")
            }
            Value::Text(text) => {
                obj.insert("valueString".into(), json!(text));
                text.clone()
            }
        }
    }

    /// Each goal, by (need id, goal id): its entry and its words.
    fn goals(&mut self, needs: &BTreeMap<u32, String>) -> BTreeMap<(u32, u32), (String, String)> {
        let mut made = BTreeMap::new();
        let agreed_on = date(self.input.plan.agreed_on);
        let lifecycle = if self.input.latest { "active" } else { "cancelled" };
        for need in &self.doc().needs {
            for goal in &need.goals {
                if goal.words.trim().is_empty() {
                    continue;
                }
                let url = self.url(&format!("goal|{}|{}", need.id, goal.id));
                let expressed_by =
                    if goal.own_words { Some(self.patient.clone()) } else { self.author.clone() };
                let mut notes = Vec::new();
                if goal.own_words {
                    notes.push(note("In the person's own words.".into()));
                }
                if let Some(importance) = goal.importance {
                    notes.push(note(format!(
                        "How important this is to me: {importance} out of 10."
                    )));
                }
                let resource = json!({
                    "resourceType": "Goal",
                    "lifecycleStatus": lifecycle,
                    "description": text_concept(goal.words.trim()),
                    "subject": reference(&self.patient),
                    "startDate": agreed_on,
                    "expressedBy": expressed_by.map(|u| reference(&u)),
                    "addresses": needs.get(&need.id).map(|u| json!([reference(u)])),
                    "note": notes,
                });
                self.add(&url, resource);
                made.insert((need.id, goal.id), (url, goal.words.trim().to_string()));
            }
        }
        made
    }

    /// A ServiceRequest for each action done by a service from the directory or named in the
    /// plan, in goal order then the support list; keyed by the action's place.
    fn service_requests(&mut self) -> Vec<(ActionPlace, String, String)> {
        let mut places: Vec<(ActionPlace, &'a Action)> = Vec::new();
        for need in &self.doc().needs {
            for goal in &need.goals {
                for action in &goal.actions {
                    places.push((ActionPlace::Goal(need.id, goal.id, action.id), action));
                }
            }
        }
        for action in &self.doc().support {
            places.push((ActionPlace::Support(action.id), action));
        }
        let mut made = Vec::new();
        for (place, action) in places {
            if action.who.kind != WhoKind::Service {
                continue;
            }
            let Some(performer) = self.performer(&action.who) else { continue };
            let service = action.who.service.and_then(|id| self.input.services.get(&id));
            let url = self.url(&format!("servicerequest|{place:?}"));
            let what = action.what.trim();
            let instruction = match (what.is_empty(), action.when.trim().is_empty()) {
                (false, false) => format!("{what} ({})", action.when.trim()),
                (false, true) => what.to_string(),
                (true, false) => action.when.trim().to_string(),
                (true, true) => String::new(),
            };
            let status = match action.status {
                ActionStatus::Done => "completed",
                ActionStatus::Stopped => "revoked",
                ActionStatus::Planned | ActionStatus::InProgress => {
                    if self.input.latest {
                        "active"
                    } else {
                        "revoked"
                    }
                }
            };
            let resource = json!({
                "resourceType": "ServiceRequest",
                "status": status,
                "intent": "plan",
                "category": [text_concept(service.map(|s| s.category.label()).unwrap_or("Signposting"))],
                "code": text_concept(if what.is_empty() { "Support from a local service" } else { what }),
                "subject": reference(&self.patient),
                "authoredOn": date(self.input.plan.agreed_on),
                "requester": self.author.as_deref().map(reference).unwrap_or_else(|| reference(&self.practice)),
                "performer": [reference(&performer)],
                "patientInstruction": instruction,
                "note": action.confidence.map(|c| json!([note(format!("How confident I am: {c} out of 10."))])),
            });
            self.add(&url, resource);
            let name = service.map(|s| s.name.clone()).unwrap_or_else(|| action.who.name.clone());
            made.push((place, url, format!("{} — {}", name.trim(), instruction)));
        }
        made
    }

    fn activity(&mut self, action: &Action, goal: Option<&str>) -> Json {
        let performer = self.performer(&action.who);
        let status = match action.status {
            ActionStatus::Planned => "not-started",
            ActionStatus::InProgress => "in-progress",
            ActionStatus::Done => "completed",
            ActionStatus::Stopped => "stopped",
        };
        json!({
            "progress": action.confidence.map(|c| json!([note(format!("How confident I am: {c} out of 10."))])),
            "detail": {
                "status": status,
                "description": action.what.trim(),
                "goal": goal.map(|g| json!([reference(g)])),
                "scheduledString": action.when.trim(),
                "performer": performer.map(|p| json!([reference(&p)])),
            },
        })
    }

    fn main_plan(
        &mut self,
        url: &str,
        conditions: &[(String, String)],
        needs: &BTreeMap<u32, String>,
        goals: &BTreeMap<(u32, u32), (String, String)>,
        services: &[(ActionPlace, String, String)],
    ) {
        let plan = &self.input.plan;
        let doc = self.doc();
        let mut activities = Vec::new();
        for need in &doc.needs {
            for goal in &need.goals {
                let goal_url = goals.get(&(need.id, goal.id)).map(|(u, _)| u.clone());
                for action in &goal.actions {
                    let place = ActionPlace::Goal(need.id, goal.id, action.id);
                    match services.iter().find(|(p, _, _)| *p == place) {
                        Some((_, sr, _)) => activities.push(json!({ "reference": reference(sr) })),
                        None => {
                            let a = self.activity(action, goal_url.as_deref());
                            activities.push(a);
                        }
                    }
                }
            }
        }
        for action in &doc.support {
            let place = ActionPlace::Support(action.id);
            match services.iter().find(|(p, _, _)| *p == place) {
                Some((_, sr, _)) => activities.push(json!({ "reference": reference(sr) })),
                None => {
                    let a = self.activity(action, None);
                    activities.push(a);
                }
            }
        }
        let review = &doc.review;
        let review_words = review_words(doc);
        if review.date().is_some() || !review.who.trim().is_empty() {
            activities.push(json!({
                "detail": {
                    "code": snomed_concept(REVIEW_OF_CARE_PLAN, "Review of care plan"),
                    "status": if review.date().is_some() { "scheduled" } else { "not-started" },
                    "description": review_words,
                    "scheduledPeriod": review.date().map(|d| json!({ "start": date(d) })),
                },
            }));
        }
        let mut contributors = vec![reference(&self.patient)];
        let mut notes = Vec::new();
        match plan.with {
            AgreedWith::Person => notes
                .push(note(format!("Agreed with the person on {}.", long_date(plan.agreed_on)))),
            AgreedWith::Representative { name, relationship } => {
                let rep = self.related_person(name, relationship, "");
                contributors = vec![reference(&rep)];
                notes.push(note(format!(
                    "Agreed with {name} ({relationship}) on the person's behalf on {}.",
                    long_date(plan.agreed_on)
                )));
            }
        }
        if let Some(author) = &self.author {
            contributors.push(reference(author));
        }
        if !doc.what_matters.trim().is_empty() {
            notes.push(note(format!("What matters to me: {}", doc.what_matters.trim())));
        }
        let mut addresses: Vec<Json> = conditions.iter().map(|(u, _)| reference(u)).collect();
        addresses.extend(needs.values().map(|u| reference(u)));
        let resource = json!({
            "resourceType": "CarePlan",
            "status": if self.input.latest { "active" } else { "revoked" },
            "intent": "plan",
            "category": [text_concept("Personalised care and support plan")],
            "title": format!("My care and support plan, version {}", plan.version),
            "description": doc.what_matters.trim(),
            "subject": reference(&self.patient),
            "period": { "start": date(plan.agreed_on) },
            "created": date(plan.agreed_on),
            "author": self.author.as_deref().map(reference).unwrap_or_else(|| reference(&self.practice)),
            "contributor": contributors,
            "addresses": addresses,
            "goal": goals.values().map(|(u, _)| reference(u)).collect::<Vec<_>>(),
            "activity": activities,
            "note": notes,
        });
        self.add(url, resource);
    }

    fn contingency(&mut self, main: &str) -> Option<String> {
        let c = &self.doc().contingency;
        if c.is_empty() {
            return None;
        }
        let url = self.url("contingency");
        let triggers: Vec<Json> =
            c.triggers.lines().map(str::trim).filter(|l| !l.is_empty()).map(text_concept).collect();
        let mut notes = Vec::new();
        for contact in &c.contacts {
            let line = contact_line(contact);
            if !line.is_empty() {
                notes.push(note(format!("Who to contact: {line}")));
            }
        }
        if !c.rescue.trim().is_empty() {
            notes.push(note(format!(
                "Rescue medicines or equipment, and where they are: {}",
                c.rescue.trim()
            )));
        }
        let resource = json!({
            "resourceType": "CarePlan",
            "status": if self.input.latest { "active" } else { "revoked" },
            "intent": "plan",
            "category": [text_concept("Contingency plan")],
            "title": "My contingency plan",
            "partOf": [reference(main)],
            "subject": reference(&self.patient),
            "created": date(self.input.plan.agreed_on),
            "author": self.author.as_deref().map(reference).unwrap_or_else(|| reference(&self.practice)),
            "activity": [{
                "detail": {
                    "status": "not-started",
                    "reasonCode": triggers,
                    "description": if c.what_to_do.trim().is_empty() { "See the notes of this plan." } else { c.what_to_do.trim() },
                },
            }],
            "note": notes,
        });
        self.add(&url, resource);
        Some(url)
    }

    #[allow(clippy::too_many_arguments)]
    fn composition(
        &self,
        conditions: &[(String, String)],
        observations: &[(String, String)],
        main: &str,
        goals: &BTreeMap<(u32, u32), (String, String)>,
        services: &[(ActionPlace, String, String)],
        contingency: Option<&str>,
    ) -> Json {
        let doc = self.doc();
        let plan = &self.input.plan;
        let person = self.input.person;
        let mut about = Vec::new();
        about.push(labelled_line("What matters to me", &doc.what_matters));
        about.push(labelled_line("People important to me", &doc.people));
        about.push(labelled_line("How to communicate with me", &doc.communication));
        for need in &person.communication_needs {
            about.push(format!("Recorded communication need: {}", need.label()));
        }
        for point in &doc.agenda {
            if !point.trim().is_empty() {
                about.push(format!("I wanted to talk about: {}", point.trim()));
            }
        }

        let mut plan_lines = Vec::new();
        for need in &doc.needs {
            if !need.text.trim().is_empty() {
                plan_lines.push(format!("My need: {}", need.text.trim()));
            }
            for goal in &need.goals {
                if let Some((_, words)) = goals.get(&(need.id, goal.id)) {
                    plan_lines.push(format!("My goal: {words}"));
                }
                for action in &goal.actions {
                    plan_lines.push(action_words(action));
                }
            }
        }
        for action in &doc.support {
            plan_lines.push(action_words(action));
        }

        let c = &doc.contingency;
        let mut contingency_lines: Vec<String> =
            c.triggers.lines().map(|l| format!("Warning sign: {}", l.trim())).collect();
        if !c.what_to_do.trim().is_empty() {
            contingency_lines.push(format!("What to do: {}", c.what_to_do.trim()));
        }
        for contact in &c.contacts {
            contingency_lines.push(contact_line(contact));
        }
        if !c.rescue.trim().is_empty() {
            contingency_lines.push(format!("Rescue medicines or equipment: {}", c.rescue.trim()));
        }

        let ahead = &doc.looking_ahead;
        let ahead_lines = vec![
            labelled_line("My wishes", &ahead.wishes),
            labelled_line("Advance care planning", &ahead.advance_care_planning),
            labelled_line("Documents I keep", &ahead.documents_kept),
        ];
        let earlier: Vec<String> = doc
            .earlier_goals
            .iter()
            .map(|g| {
                let outcome = g.outcome.map(GoalOutcome::label).unwrap_or("Not yet reviewed");
                let note = if g.note.trim().is_empty() {
                    String::new()
                } else {
                    format!(" — {}", g.note.trim())
                };
                format!("{} (version {}): {outcome}{note}", g.words.trim(), g.version)
            })
            .collect();

        let entries =
            |list: &[(String, String)]| list.iter().map(|(u, _)| reference(u)).collect::<Vec<_>>();
        let words =
            |list: &[(String, String)]| list.iter().map(|(_, w)| w.clone()).collect::<Vec<_>>();
        let mut plan_entries = vec![reference(main)];
        plan_entries.extend(goals.values().map(|(u, _)| reference(u)));

        let mut sections = vec![
            json!({ "title": "About me", "text": narrative(&about) }),
            json!({ "title": "My conditions", "text": narrative(&words(conditions)), "entry": entries(conditions) }),
            json!({ "title": "My results", "text": narrative(&words(observations)), "entry": entries(observations) }),
            json!({ "title": "My care and support plan", "text": narrative(&plan_lines), "entry": plan_entries }),
        ];
        if !services.is_empty() {
            sections.push(json!({
                "title": "Support and signposting",
                "text": narrative(&services.iter().map(|(_, _, w)| w.clone()).collect::<Vec<_>>()),
                "entry": services.iter().map(|(_, u, _)| reference(u)).collect::<Vec<_>>(),
            }));
        }
        sections.push(match contingency {
            Some(url) => json!({ "title": "My contingency plan", "text": narrative(&contingency_lines), "entry": [reference(url)] }),
            None => json!({
                "title": "My contingency plan",
                "text": narrative(&["No contingency plan: the clinician confirmed this when the plan was agreed.".to_string()]),
            }),
        });
        if !ahead.is_empty() {
            sections.push(json!({ "title": "Looking ahead", "text": narrative(&ahead_lines) }));
        }
        sections.push(json!({ "title": "My review", "text": narrative(&[review_words(doc)]) }));
        if !earlier.is_empty() {
            sections
                .push(json!({ "title": "How my last goals went", "text": narrative(&earlier) }));
        }

        json!({
            "resourceType": "Composition",
            "status": "final",
            "type": text_concept("Personalised care and support plan"),
            "subject": reference(&self.patient),
            "date": self.input.made_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            "author": [self.author.as_deref().map(reference).unwrap_or_else(|| reference(&self.practice))],
            "title": format!(
                "Care and support plan for {} {}, version {}, agreed {}",
                person.name.given(),
                person.name.family(),
                plan.version,
                long_date(plan.agreed_on)
            ),
            "custodian": reference(&self.practice),
            "section": sections,
        })
    }
}

/// Where an action sits in the plan.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum ActionPlace {
    Goal(u32, u32, u32),
    Support(u32),
}

/// The parts that say something, joined with commas.
fn joined(parts: &[&str]) -> String {
    parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(", ")
}

fn contact_line(contact: &Contact) -> String {
    joined(&[&contact.name, &contact.role, &contact.phone])
}

/// "Label: text", or nothing when there is no text (the narrative leaves empty lines out).
fn labelled_line(label: &str, text: &str) -> String {
    if text.trim().is_empty() {
        String::new()
    } else {
        format!("{label}: {}", text.trim())
    }
}

fn action_words(action: &Action) -> String {
    let who = match action.who.kind {
        WhoKind::Me => "Me".to_string(),
        _ => joined(&[&action.who.name, &action.who.role]),
    };
    let mut line = format!("Action: {}", action.what.trim());
    if !who.is_empty() {
        line.push_str(&format!(" — who: {who}"));
    }
    if !action.when.trim().is_empty() {
        line.push_str(&format!(" — when: {}", action.when.trim()));
    }
    line.push_str(&format!(" — {}", action.status.label()));
    line
}

fn review_words(doc: &PlanDocument) -> String {
    let review = &doc.review;
    let mut words = match review.date() {
        Some(day) => format!("My next review is on {}", long_date(day)),
        None => "My next review has no date yet".to_string(),
    };
    if !review.who.trim().is_empty() {
        words.push_str(&format!(", with {}", review.who.trim()));
    }
    words.push_str(&format!(", by {}.", review.how.words()));
    words
}

#[cfg(test)]
mod tests;
