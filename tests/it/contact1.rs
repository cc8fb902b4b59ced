//! Contact 1 over a real database: each value saved as it is entered, items marked not done,
//! corrections that supersede and never overwrite, BMI kept in step with weight and height,
//! finishing the appointment, and bloods that arrive later by import completing the review.

use chrono::NaiveDate;

use alongside::domain::catalogue::Catalogue;
use alongside::domain::checklist::{LineState, NotDoneReason};
use alongside::domain::cycle::CycleStatus;
use alongside::domain::measures::{Entry, ItemDef, ItemKind};
use alongside::domain::nhs_number::NhsNumber;
use alongside::exchange::contact1::{
    correct, finish_contact1, mark_not_done, record_value, Contact1Error, Correction, Finished,
    PersonResults,
};
use alongside::exchange::register_import::{import_register, ImportReport, RegisterFile};
use alongside::exchange::results_import::{import_results, ResultsFile};
use alongside::store::{Actor, ObservationSource, RetractionKind, Store, StoredObservation};

use super::support::{catalogue, Sandbox};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The day of the appointment, in everyone's review month.
fn contact1_day() -> NaiveDate {
    day(2027, 3, 10)
}

/// Grace has diabetes, hypertension and COPD; Piotr asthma; Imran hypertension; Ann died.
const REGISTER: &str = "nhs_number,family_name,given_name,date_of_birth,conditions,status\n\
    9990000018,Okafor,Grace,1950-03-02,44054006;38341003;13645005,registered\n\
    9990000026,Nowak,Piotr,1961-03-15,195967001,registered\n\
    9990000034,Hill,Ann,1944-03-04,44054006,deceased\n\
    9990000042,Khan,Imran,1955-03-05,38341003,registered\n";

const GRACE: &str = "9990000018";
const PIOTR: &str = "9990000026";
const ANN: &str = "9990000034";
const IMRAN: &str = "9990000042";

struct Practice {
    store: Store,
    catalogue: Catalogue,
    sandbox: Sandbox,
}

fn practice() -> Practice {
    let sandbox = Sandbox::new();
    let mut store = Store::open(&sandbox.db()).unwrap();
    let catalogue = catalogue();
    let file = RegisterFile::read(REGISTER.as_bytes()).unwrap();
    let report =
        import_register(&mut store, &hca(), &catalogue, day(2027, 2, 1), &file, "r.csv", false)
            .unwrap();
    assert_eq!(report.imported, 4);
    Practice { store, catalogue, sandbox }
}

fn hca() -> Actor {
    Actor::new("jo.hart")
}

fn nhs(text: &str) -> NhsNumber {
    NhsNumber::parse(text).unwrap()
}

impl Practice {
    fn record(&mut self, who: &str, item: &str, value: &str) -> Result<(), Contact1Error> {
        let entry = Entry { value, ..Entry::default() };
        self.record_entry(who, item, entry)
    }

    fn record_entry(
        &mut self,
        who: &str,
        item: &str,
        entry: Entry<'_>,
    ) -> Result<(), Contact1Error> {
        let (store, catalogue) = (&mut self.store, &self.catalogue);
        record_value(store, &hca(), catalogue, &nhs(who), item, entry, contact1_day())
    }

    fn not_done(
        &mut self,
        who: &str,
        items: &[&str],
        reason: NotDoneReason,
    ) -> Result<(), Contact1Error> {
        let (store, catalogue) = (&mut self.store, &self.catalogue);
        mark_not_done(store, &hca(), catalogue, &nhs(who), items, reason, "", contact1_day())
    }

    fn correct(
        &mut self,
        who: &str,
        id: i64,
        correction: Correction<'_>,
        reason: &str,
    ) -> Result<(), Contact1Error> {
        let (store, catalogue) = (&mut self.store, &self.catalogue);
        correct(store, &hca(), catalogue, &nhs(who), id, correction, reason, contact1_day())
    }

    fn finish(&mut self, who: &str) -> Result<Finished, Contact1Error> {
        finish_contact1(&mut self.store, &hca(), &self.catalogue, &nhs(who), contact1_day())
    }

    fn results(&self, who: &str) -> PersonResults {
        PersonResults::load(&self.store, &nhs(who)).unwrap().expect("on the register")
    }

    fn status(&self, who: &str) -> Option<CycleStatus> {
        let patient = self.store.patient(&nhs(who)).unwrap().unwrap();
        let cycles = self.store.cycles_of(patient.id).unwrap();
        assert!(cycles.len() <= 1, "one review this year");
        cycles.first().map(|c| c.cycle.status())
    }

    /// Every row stored for the person, current and retracted.
    fn rows(&self, who: &str) -> Vec<StoredObservation> {
        self.results(who).observations
    }

    /// The current (not retracted) rows of one item.
    fn current(&self, who: &str, item: &str) -> Vec<StoredObservation> {
        self.rows(who).into_iter().filter(|o| o.item == item && o.retraction.is_none()).collect()
    }

    fn value_of(&self, who: &str, item: &str) -> Option<String> {
        let current = self.current(who, item);
        assert!(current.len() <= 1, "{item}: one current value, not {current:?}");
        current.first().and_then(|o| o.value.clone())
    }

    fn audit_count(&self) -> i64 {
        let path = self.sandbox.db();
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.query_row("SELECT count(*) FROM audit_event", [], |r| r.get(0)).unwrap()
    }

    fn state(&self, who: &str, item: &str) -> LineState {
        let results = self.results(who);
        let checklist = results.checklist(&self.catalogue, contact1_day());
        let line = checklist.lines.iter().find(|l| l.item.id() == item).unwrap();
        line.state.clone()
    }

    fn import(&mut self, csv: &str, today: NaiveDate) -> ImportReport {
        let file = ResultsFile::read(csv.as_bytes()).unwrap();
        import_results(&mut self.store, &hca(), &self.catalogue, today, &file, "lab.csv", false)
            .unwrap()
    }
}

/// What an HCA would type for an item: a plausible value of its kind.
fn typical(item: &ItemDef) -> (String, Option<String>, Vec<Option<usize>>) {
    let text = |t: &str| (t.to_string(), None, Vec::new());
    match item.kind() {
        ItemKind::Number(_) => text(match item.id() {
            "weight" => "82.4",
            "height" => "171.0",
            "fev1-percent" => "68",
            "spo2" => "96",
            "chest-exacerbations" => "1",
            "falls" => "0",
            other => panic!("no typical value for {other}"),
        }),
        ItemKind::BloodPressure { .. } => text("138/82"),
        ItemKind::Choice(options) => (String::new(), Some(options[0].id.clone()), Vec::new()),
        ItemKind::YesNo => text("yes"),
        ItemKind::Date(options) => {
            ("2027-01-15".to_string(), options.first().map(|o| o.id.clone()), Vec::new())
        }
        ItemKind::Questionnaire(q) => {
            (String::new(), None, q.questions.iter().map(|_| Some(0)).collect())
        }
        ItemKind::Text => text("none reported"),
        ItemKind::Computed(_) => panic!("{} is worked out, never typed", item.id()),
    }
}

/// Records every item on the person's checklist that is typed at the appointment, once each,
/// and marks the bloods sent to the lab. Returns the items typed.
fn work_through_checklist(practice: &mut Practice, who: &str) -> Vec<String> {
    let results = practice.results(who);
    let checklist = results.checklist(&practice.catalogue, contact1_day());
    let mut typed = Vec::new();
    let mut lab = Vec::new();
    for line in &checklist.lines {
        if line.item.is_lab() {
            lab.push(line.item.id().to_string());
        } else if !matches!(line.item.kind(), ItemKind::Computed(_)) {
            typed.push(line.item.id().to_string());
        }
    }
    for item in &typed {
        let definition = practice.catalogue.measures().item(item).unwrap();
        let (value, option, answers) = typical(definition);
        let entry = Entry { value: &value, option: option.as_deref(), answers: &answers };
        practice.record_entry(who, item, entry).unwrap_or_else(|e| panic!("{item}: {e}"));
    }
    let lab: Vec<&str> = lab.iter().map(String::as_str).collect();
    practice.not_done(who, &lab, NotDoneReason::SentToLab).unwrap();
    typed
}

#[test]
fn one_appointment_for_diabetes_hypertension_and_copd_with_the_bloods_imported_later() {
    let mut practice = practice();
    let results = practice.results(GRACE);
    let checklist = results.checklist(&practice.catalogue, contact1_day());
    for shared in ["weight", "height", "bmi", "smoking"] {
        let lines: Vec<_> = checklist.lines.iter().filter(|l| l.item.id() == shared).collect();
        assert_eq!(lines.len(), 1, "{shared} appears once");
        let wanted: Vec<&str> = lines[0].wanted_by.iter().map(|c| c.id()).collect();
        assert_eq!(wanted, ["type-2-diabetes", "hypertension", "copd"], "{shared}");
    }
    let bp = checklist.lines.iter().find(|l| l.item.id() == "bp-clinic").unwrap();
    let wanted: Vec<&str> = bp.wanted_by.iter().map(|c| c.id()).collect();
    assert_eq!(wanted, ["type-2-diabetes", "hypertension"], "COPD does not ask for it");
    drop(checklist);
    assert_eq!(practice.status(GRACE), None, "nothing is open before the appointment");

    let typed = work_through_checklist(&mut practice, GRACE);
    assert_eq!(typed.len(), 17, "17 items typed, each once: {typed:?}");
    assert_eq!(practice.status(GRACE), Some(CycleStatus::Due), "the first value opened the review");
    let rows = practice.rows(GRACE);
    assert!(rows.iter().all(|o| o.retraction.is_none()), "nothing written twice or corrected");
    let contact1_rows = rows.iter().filter(|o| o.source == ObservationSource::Contact1).count();
    assert_eq!(contact1_rows, 17 + 8, "17 values and 8 samples sent to the lab");
    let bmi = practice.current(GRACE, "bmi");
    assert_eq!(bmi.len(), 1);
    assert_eq!(bmi[0].value.as_deref(), Some("28.2"), "82.4 kg / 1.71² m = 28.2");
    assert_eq!(bmi[0].source, ObservationSource::Computed);
    assert!(bmi[0].source_detail.contains("weight 82.4 kg"), "{}", bmi[0].source_detail);
    assert!(bmi[0].source_detail.contains("height 171.0 cm"), "{}", bmi[0].source_detail);

    let finished = practice.finish(GRACE).unwrap();
    assert_eq!(
        finished,
        Finished {
            results_complete: false,
            awaiting_lab: [
                "HbA1c",
                "Total cholesterol",
                "HDL cholesterol",
                "LDL cholesterol",
                "eGFR",
                "Serum creatinine",
                "Serum potassium",
                "Urine ACR (albumin:creatinine ratio)"
            ]
            .map(String::from)
            .to_vec()
        }
    );
    assert_eq!(practice.status(GRACE), Some(CycleStatus::Contact1Attended));
    let before: Vec<StoredObservation> =
        practice.rows(GRACE).into_iter().filter(|o| o.not_done.is_none()).collect();

    let lab = "nhs_number,code,value,unit,taken_on,comment\n\
        9990000018,1049301000000100,53,mmol/mol,2027-03-10,\n\
        9990000018,1005671000000105,4.85,mmol/L,2027-03-10,\n\
        9990000018,1005681000000107,1.20,MMOL/L,10/03/2027,\n\
        9990000018,1014501000000104,2.6,mmol/L,2027-03-10,calculated\n\
        9990000018,1011481000000105,>90,mL/min/{1.73_m2},2027-03-10,\n\
        9990000018,1000731000000107,71,umol/L,2027-03-10,\n\
        9990000018,1000651000000109,4.6,mmol/L,2027-03-10,\n\
        9990000018,1023491000000104,2.5,mg/mmol,2027-03-10,\n";
    let report = practice.import(lab, day(2027, 3, 14));
    assert_eq!((report.imported, report.updated, report.unchanged), (8, 0, 0));
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    assert_eq!(
        practice.status(GRACE),
        Some(CycleStatus::ResultsComplete),
        "the last result completes the review"
    );
    let patient = practice.store.patient(&nhs(GRACE)).unwrap().unwrap();
    let cycle = practice.store.cycles_of(patient.id).unwrap().remove(0);
    let history: Vec<(NaiveDate, String)> = practice
        .store
        .cycle_history(cycle.id)
        .unwrap()
        .into_iter()
        .map(|e| (e.on, e.detail))
        .collect();
    assert_eq!(
        history[1..],
        [
            (contact1_day(), "contact 1 attended".to_string()),
            (day(2027, 3, 14), "results complete".to_string()),
        ]
    );

    let after = practice.rows(GRACE);
    for old in &before {
        let now = after.iter().find(|o| o.id == old.id).unwrap();
        assert_eq!(
            now, old,
            "{}: nothing recorded at the appointment is lost or altered",
            old.item
        );
    }
    for marker in after.iter().filter(|o| o.not_done == Some(NotDoneReason::SentToLab)) {
        let retraction = marker.retraction.as_ref().expect("each sample marker is replaced");
        assert_eq!(retraction.kind, RetractionKind::Superseded);
        let result = after.iter().find(|o| Some(o.id) == retraction.replaced_by).unwrap();
        assert_eq!(
            (result.item.as_str(), result.source, result.cycle_id),
            (marker.item.as_str(), ObservationSource::LabImport, marker.cycle_id),
            "the result replaces its own marker, in the same review"
        );
        assert!(
            retraction.reason.starts_with("result arrived in lab.csv"),
            "{}",
            retraction.reason
        );
    }
    assert_eq!(practice.value_of(GRACE, "egfr").as_deref(), Some(">90"));
    assert_eq!(practice.value_of(GRACE, "ldl-cholesterol").as_deref(), Some("2.6"));
    assert_eq!(practice.current(GRACE, "ldl-cholesterol")[0].note, "calculated");
    let checklist_after = practice.results(GRACE);
    assert!(checklist_after.checklist(&practice.catalogue, day(2027, 3, 14)).is_complete());
}

#[test]
fn a_value_is_corrected_by_superseding_it_and_the_history_keeps_both() {
    let mut practice = practice();
    practice.record(IMRAN, "weight", "80.0").unwrap();
    assert!(practice.current(IMRAN, "bmi").is_empty(), "no BMI without a height");
    practice.record(IMRAN, "height", "170.0").unwrap();
    assert_eq!(practice.value_of(IMRAN, "bmi").as_deref(), Some("27.7"), "80 / 1.7² = 27.7");

    let audits = practice.audit_count();
    let rows = practice.rows(IMRAN).len();
    let twice = practice.record(IMRAN, "weight", "85.0").unwrap_err();
    assert_eq!(
        twice.to_string(),
        "Weight already has a value recorded for this review (Weight 80.0 kg); correct it with a \
         reason instead"
    );
    assert_eq!(
        (practice.rows(IMRAN).len(), practice.audit_count()),
        (rows, audits),
        "refused: nothing written"
    );

    let old_weight = practice.current(IMRAN, "weight").remove(0);
    let old_bmi = practice.current(IMRAN, "bmi").remove(0);
    practice
        .correct(
            IMRAN,
            old_weight.id,
            Correction::Replace(Entry { value: "85.0", ..Entry::default() }),
            "the scales were not zeroed",
        )
        .unwrap();
    let history = practice.results(IMRAN);
    let weights = history.history("weight");
    assert_eq!(weights.len(), 2, "the history shows the old value and the new");
    let new_weight = weights.iter().find(|o| o.retraction.is_none()).unwrap();
    assert_eq!(new_weight.value.as_deref(), Some("85.0"));
    assert_eq!(new_weight.source_detail, "correction of Weight 80.0 kg");
    let old = weights.iter().find(|o| o.id == old_weight.id).unwrap();
    assert_eq!(old.value.as_deref(), Some("80.0"), "the old value is kept as it was");
    let retraction = old.retraction.as_ref().unwrap();
    assert_eq!(
        (
            retraction.kind,
            retraction.replaced_by,
            retraction.reason.as_str(),
            retraction.actor.as_str()
        ),
        (RetractionKind::Superseded, Some(new_weight.id), "the scales were not zeroed", "jo.hart")
    );
    assert_eq!(practice.value_of(IMRAN, "bmi").as_deref(), Some("29.4"), "85 / 1.7² = 29.4");
    let bmis = history.history("bmi");
    let old_bmi = bmis.iter().find(|o| o.id == old_bmi.id).unwrap();
    let bmi_retraction = old_bmi.retraction.as_ref().expect("the old BMI no longer counts");
    assert_eq!(bmi_retraction.kind, RetractionKind::Superseded);
    assert_eq!(bmi_retraction.reason, "worked out again after the weight or height changed");
    let timeline = practice.store.timeline(&nhs(IMRAN)).unwrap();
    assert!(
        timeline.iter().any(|t| t.action == "observation.correct"
            && t.summary == "Weight corrected from Weight 80.0 kg to Weight 85.0 kg: the scales were not zeroed"),
        "{timeline:?}"
    );

    let again =
        practice.correct(IMRAN, old_weight.id, Correction::EnteredInError, "typo").unwrap_err();
    assert_eq!(
        again.to_string(),
        "that value has already been corrected or marked entered in error"
    );
    let no_reason = practice.correct(IMRAN, new_weight.id, Correction::EnteredInError, "  ");
    assert_eq!(no_reason.unwrap_err().to_string(), "say why the value is being corrected");
    let current_bmi = practice.current(IMRAN, "bmi").remove(0);
    let bmi_typed = practice.correct(IMRAN, current_bmi.id, Correction::EnteredInError, "wrong");
    assert!(bmi_typed.unwrap_err().to_string().contains("correct those instead"));
    let bad = practice.correct(
        IMRAN,
        new_weight.id,
        Correction::Replace(Entry { value: "850", ..Entry::default() }),
        "typo",
    );
    assert!(bad.unwrap_err().to_string().contains("outside the plausible range"));
    let others = practice.results(PIOTR).patient.id;
    assert!(others != new_weight.patient_id);
    let not_theirs = practice.correct(PIOTR, new_weight.id, Correction::EnteredInError, "mine");
    assert_eq!(not_theirs.unwrap_err().to_string(), "that value is not on this person's record");

    practice
        .correct(IMRAN, new_weight.id, Correction::EnteredInError, "weighed the wrong person")
        .unwrap();
    let rows = practice.rows(IMRAN);
    let withdrawn = rows.iter().find(|o| o.id == new_weight.id).unwrap();
    let retraction = withdrawn.retraction.as_ref().unwrap();
    assert_eq!(
        (retraction.kind, retraction.replaced_by, retraction.reason.as_str()),
        (RetractionKind::EnteredInError, None, "weighed the wrong person")
    );
    assert!(practice.current(IMRAN, "weight").is_empty());
    assert!(practice.current(IMRAN, "bmi").is_empty(), "a BMI without its weight is withdrawn");
    assert_eq!(rows.iter().filter(|o| o.item == "weight").count(), 2, "both weights are kept");
    assert_eq!(practice.state(IMRAN, "weight"), LineState::Missing);
    assert_eq!(practice.state(IMRAN, "bmi"), LineState::Missing);

    practice.record(IMRAN, "weight", "79.5").unwrap();
    assert_eq!(practice.value_of(IMRAN, "bmi").as_deref(), Some("27.5"), "worked out again");
}

#[test]
fn a_value_after_a_reason_supersedes_the_reason_and_a_reason_never_hides_a_value() {
    let mut practice = practice();
    practice.not_done(IMRAN, &["smoking"], NotDoneReason::Declined).unwrap();
    assert_eq!(practice.state(IMRAN, "smoking"), LineState::NotDone(NotDoneReason::Declined));
    practice
        .record_entry(IMRAN, "smoking", Entry { option: Some("never-smoked"), ..Entry::default() })
        .unwrap();
    let rows: Vec<StoredObservation> =
        practice.rows(IMRAN).into_iter().filter(|o| o.item == "smoking").collect();
    assert_eq!(rows.len(), 2);
    let marker = rows.iter().find(|o| o.not_done.is_some()).unwrap();
    let value = rows.iter().find(|o| o.not_done.is_none()).unwrap();
    let retraction = marker.retraction.as_ref().unwrap();
    assert_eq!(retraction.replaced_by, Some(value.id));
    assert_eq!(retraction.reason, "value recorded after it was marked 'Declined'");
    assert!(matches!(practice.state(IMRAN, "smoking"), LineState::Recorded(id) if id == value.id));

    for (items, reason, why) in [
        (
            &["smoking"][..],
            NotDoneReason::Unable,
            "Smoking status already has a value recorded for this review",
        ),
        (&["weight"], NotDoneReason::SentToLab, "Weight is not sent to the lab"),
        (
            &["bmi"],
            NotDoneReason::Unable,
            "BMI is worked out from the weight and height: mark those instead",
        ),
        (
            &["act"],
            NotDoneReason::Declined,
            "Asthma Control Test (ACT) is not on Imran's checklist",
        ),
        (&["hba1c2"], NotDoneReason::Declined, "'hba1c2' is not an item in the catalogue"),
        (&[], NotDoneReason::Declined, "choose at least one item"),
    ] {
        let rows = practice.rows(IMRAN).len();
        let error = practice.not_done(IMRAN, items, reason).unwrap_err();
        assert!(error.to_string().starts_with(why), "{items:?}: {error}");
        assert_eq!(practice.rows(IMRAN).len(), rows, "{items:?}: nothing written");
    }
    practice.not_done(IMRAN, &["potassium"], NotDoneReason::SentToLab).unwrap();
    let (rows, audits) = (practice.rows(IMRAN).len(), practice.audit_count());
    let again = practice.not_done(IMRAN, &["potassium"], NotDoneReason::SentToLab).unwrap_err();
    assert_eq!(
        again.to_string(),
        "Serum potassium is already marked 'Sent to lab — awaiting result'"
    );
    assert_eq!((practice.rows(IMRAN).len(), practice.audit_count()), (rows, audits));
    practice.not_done(IMRAN, &["potassium", "egfr"], NotDoneReason::SentToLab).unwrap();
    assert_eq!(practice.rows(IMRAN).len(), rows + 1, "only the eGFR is newly marked");
    practice.not_done(IMRAN, &["potassium"], NotDoneReason::Unable).unwrap();
    assert_eq!(practice.state(IMRAN, "potassium"), LineState::NotDone(NotDoneReason::Unable));
}

#[test]
fn values_that_do_not_fit_are_refused_and_write_nothing() {
    let mut practice = practice();
    let audits = practice.audit_count();
    for (who, item, value, why) in [
        (GRACE, "hba1c", "7.2", "7.2 looks like an HbA1c in % (DCCT)"),
        (GRACE, "weight", "82,4", "Weight: '82,4' has a comma"),
        (
            GRACE,
            "bp-clinic",
            "82/140",
            "Blood pressure (clinic): the diastolic (140) must be lower",
        ),
        (GRACE, "bmi", "27.0", "BMI is worked out from the weight and height, not typed"),
        (PIOTR, "hba1c", "53", "HbA1c is not on Piotr's checklist"),
        (GRACE, "hba1c-dcct", "53", "'hba1c-dcct' is not an item in the catalogue"),
    ] {
        let error = practice.record(who, item, value).unwrap_err();
        assert!(error.to_string().starts_with(why), "{item} {value}: {error}");
    }
    let Contact1Error::Entry(dcct) = practice.record(GRACE, "hba1c", "7.2").unwrap_err() else {
        panic!("a value that does not fit its item")
    };
    assert_eq!(dcct.suggestion.as_deref(), Some("55"), "55 mmol/mol is offered, not recorded");
    assert!(practice.rows(GRACE).is_empty() && practice.rows(PIOTR).is_empty());
    assert_eq!((practice.status(GRACE), practice.status(PIOTR)), (None, None), "no review opened");
    assert_eq!(practice.audit_count(), audits);
    let stranger = NhsNumber::parse("9991112227").unwrap();
    let error = record_value(
        &mut practice.store,
        &hca(),
        &practice.catalogue,
        &stranger,
        "weight",
        Entry { value: "80.0", ..Entry::default() },
        contact1_day(),
    )
    .unwrap_err();
    assert_eq!(error.to_string(), "no one with NHS number 999 111 2227 is on the register");
}

#[test]
fn nobody_who_died_has_values_recorded() {
    let mut practice = practice();
    let audits = practice.audit_count();
    let error = practice.record(ANN, "weight", "60.0").unwrap_err();
    assert_eq!(
        error.to_string(),
        "this person has died: Alongside never invites or writes to them"
    );
    let error = practice.not_done(ANN, &["hba1c"], NotDoneReason::SentToLab).unwrap_err();
    assert!(error.to_string().contains("has died"), "{error}");
    let error = practice.finish(ANN).unwrap_err();
    assert!(error.to_string().contains("has died"), "{error}");
    assert!(practice.rows(ANN).is_empty(), "nothing recorded for Ann");
    assert_eq!(practice.status(ANN), None, "no review opened for Ann");
    assert_eq!(practice.audit_count(), audits);
}

#[test]
fn finishing_is_refused_while_items_are_missing_then_completes_when_nothing_is_at_the_lab() {
    let mut practice = practice();
    practice.record(IMRAN, "bp-clinic", "152/94").unwrap();
    practice.record(IMRAN, "weight", "91.0").unwrap();
    practice.record(IMRAN, "height", "178.0").unwrap();
    practice
        .record_entry(IMRAN, "pulse-rhythm", Entry { option: Some("regular"), ..Entry::default() })
        .unwrap();
    let error = practice.finish(IMRAN).unwrap_err();
    assert_eq!(
        error.to_string(),
        "still to record, or to mark not done with a reason: Blood pressure (home readings \
         average), Total cholesterol, HDL cholesterol, eGFR, Serum creatinine, Serum potassium, \
         Urine ACR (albumin:creatinine ratio), AUDIT-C, Smoking status, Problems with medicines \
         (for the clinician)"
    );
    assert_eq!(practice.status(IMRAN), Some(CycleStatus::Due), "refused: still due");

    practice.not_done(IMRAN, &["bp-home"], NotDoneReason::NotApplicable).unwrap();
    let bloods =
        ["total-cholesterol", "hdl-cholesterol", "egfr", "creatinine", "potassium", "urine-acr"];
    practice.not_done(IMRAN, &bloods, NotDoneReason::Declined).unwrap();
    let no_drink = [Some(0), Some(0), Some(0)];
    practice
        .record_entry(IMRAN, "audit-c", Entry { answers: &no_drink, ..Entry::default() })
        .unwrap();
    practice
        .record_entry(IMRAN, "smoking", Entry { option: Some("ex-smoker"), ..Entry::default() })
        .unwrap();
    let error = practice.finish(IMRAN).unwrap_err();
    assert!(
        error.to_string().ends_with(": Problems with medicines (for the clinician)"),
        "{error}"
    );
    practice.record(IMRAN, "medication-problems", "none").unwrap();

    let finished = practice.finish(IMRAN).unwrap();
    assert_eq!(finished, Finished { results_complete: true, awaiting_lab: vec![] });
    assert_eq!(practice.status(IMRAN), Some(CycleStatus::ResultsComplete));
    let error = practice.finish(IMRAN).unwrap_err();
    assert!(error.to_string().contains("contact 1 has already been recorded"), "{error}");
}

#[test]
fn a_positive_phq2_adds_the_phq9_before_the_appointment_can_finish() {
    let mut practice = practice();
    let positive = [Some(1), Some(2)];
    practice.record_entry(GRACE, "phq2", Entry { answers: &positive, ..Entry::default() }).unwrap();
    assert_eq!(practice.current(GRACE, "phq2")[0].answers, "1,2", "the answers are kept");
    assert_eq!(practice.current(GRACE, "phq2")[0].value.as_deref(), Some("3"));
    assert_eq!(practice.state(GRACE, "phq9"), LineState::Missing, "the PHQ-9 is now due");
    let error = practice.finish(GRACE).unwrap_err();
    assert!(error.to_string().contains("PHQ-9"), "{error}");
    let answers = [Some(2); 9];
    practice.record_entry(GRACE, "phq9", Entry { answers: &answers, ..Entry::default() }).unwrap();
    assert_eq!(practice.value_of(GRACE, "phq9").as_deref(), Some("18"));
    let error = practice.finish(GRACE).unwrap_err();
    assert!(!error.to_string().contains("PHQ"), "{error}");
}

#[test]
fn a_height_from_an_earlier_year_is_used_for_the_bmi() {
    let mut practice = practice();
    let report = practice.import(
        "nhs_number,code,value,unit,taken_on\n9990000042,50373000,170.0,cm,2024-05-01\n",
        day(2027, 3, 1),
    );
    assert_eq!(report.imported, 1);
    assert!(
        report.warnings.iter().any(|w| w.contains("kept as earlier results")),
        "{:?}",
        report.warnings
    );
    let height = practice.current(IMRAN, "height").remove(0);
    assert_eq!(height.cycle_id, None, "a height from 2024 is not part of this review");
    assert_eq!(practice.state(IMRAN, "height"), LineState::StillValid(height.id));
    practice.record(IMRAN, "weight", "80.0").unwrap();
    let bmi = practice.current(IMRAN, "bmi").remove(0);
    assert_eq!(bmi.value.as_deref(), Some("27.7"));
    assert!(bmi.source_detail.contains("height 170.0 cm (1 May 2024)"), "{}", bmi.source_detail);
}

#[test]
fn the_last_sample_marked_not_done_completes_the_review_once() {
    let mut practice = practice();
    let typed = work_through_checklist(&mut practice, IMRAN);
    assert!(!typed.iter().any(|i| i == "potassium"), "bloods are not typed");
    let finished = practice.finish(IMRAN).unwrap();
    assert_eq!(finished.awaiting_lab.len(), 6);
    practice.not_done(IMRAN, &["potassium"], NotDoneReason::Unable).unwrap();
    let report = practice.import(
        "nhs_number,code,value,unit,taken_on\n\
         9990000042,1005671000000105,5.1,mmol/L,2027-03-10\n\
         9990000042,1005681000000107,1.3,mmol/L,2027-03-10\n\
         9990000042,80274001,74,mL/min/1.73m²,2027-03-10\n\
         9990000042,1000731000000107,90,µmol/L,2027-03-10\n",
        day(2027, 3, 12),
    );
    assert_eq!(report.imported, 4, "{:?}", report.rejected);
    assert_eq!(practice.status(IMRAN), Some(CycleStatus::Contact1Attended), "the ACR is awaited");
    practice.not_done(IMRAN, &["urine-acr", "potassium"], NotDoneReason::Declined).unwrap();
    assert_eq!(practice.status(IMRAN), Some(CycleStatus::ResultsComplete));
    let patient = practice.store.patient(&nhs(IMRAN)).unwrap().unwrap();
    let cycle = practice.store.cycles_of(patient.id).unwrap().remove(0);
    let completions = practice
        .store
        .cycle_history(cycle.id)
        .unwrap()
        .into_iter()
        .filter(|e| e.detail == "results complete")
        .count();
    assert_eq!(completions, 1, "the review moves to results complete once");
}

#[test]
fn a_clinicians_correction_of_a_lab_value_stands_when_the_same_file_comes_again() {
    let mut practice = practice();
    let csv =
        "nhs_number,code,value,unit,taken_on\n9990000042,1000651000000109,6.8,mmol/L,2027-03-08\n";
    let first = practice.import(csv, contact1_day());
    assert_eq!(first.imported, 1);
    let id = practice.current(IMRAN, "potassium")[0].id;
    let entry = Entry { value: "4.8", ..Entry::default() };
    practice
        .correct(IMRAN, id, Correction::Replace(entry), "haemolysed sample; repeat was 4.8")
        .unwrap();
    // The lab's file arrives again: it is not a change, and the correction is not undone.
    let again = practice.import(csv, contact1_day());
    assert_eq!((again.imported, again.updated, again.unchanged), (0, 0, 1), "{again:?}");
    assert_eq!(practice.value_of(IMRAN, "potassium").as_deref(), Some("4.8"));
}
