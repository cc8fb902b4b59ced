//! The demonstration practice's contact 1 values: plausible readings for every item on a
//! person's checklist, steady from year to year with some drift, each checked by the item's own
//! parser exactly as a typed value would be.

use chrono::{Duration, NaiveDate};

use super::Dice;
use crate::domain::catalogue::Catalogue;
use crate::domain::checklist::{NotDoneReason, Recorded};
use crate::domain::measures::{Entry, ItemKind, Value};
use crate::store::{NewObservation, ObservationSource, PatientRow, StoreError, Write};

/// Typical values by item: (low, high) for the person's usual level.
const TYPICAL: &[(&str, f64, f64)] = &[
    ("hba1c", 44.0, 78.0),
    ("total-cholesterol", 3.4, 6.6),
    ("hdl-cholesterol", 0.9, 1.9),
    ("ldl-cholesterol", 1.4, 4.0),
    ("egfr", 32.0, 95.0),
    ("creatinine", 60.0, 150.0),
    ("potassium", 3.8, 5.3),
    ("urine-acr", 0.5, 9.0),
    ("weight", 52.0, 112.0),
    ("height", 150.0, 190.0),
    ("fev1-percent", 38.0, 92.0),
    ("spo2", 92.0, 99.0),
    ("chest-exacerbations", 0.0, 3.0),
    ("falls", 0.0, 2.0),
];

const MEDICATION_NOTES: &[&str] = &[
    "None reported",
    "None reported",
    "None reported",
    "Finds the evening tablets hard to remember",
    "Ankles swell since the new blood pressure tablet",
    "Not sure what the blue inhaler is for",
];

/// Records contact 1 for a person on `on`: every item on their checklist, with the lab items
/// either back from the lab (`at_lab` false) or still waiting (`at_lab` true).
pub(super) fn record_contact1(
    w: &mut Write<'_>,
    catalogue: &Catalogue,
    dice: &mut Dice,
    person: &PatientRow,
    cycle_id: i64,
    (on, results): (NaiveDate, NaiveDate),
    at_lab: bool,
) -> Result<(), StoreError> {
    // Most people have everything done at the one appointment. A few came in a week earlier
    // for part of it, and a few declined or could not do one check.
    let mut variation = Dice(cycle_id as u64 ^ 0x00E7_1517);
    let earlier_visit = variation.chance(0.08).then(|| on - Duration::days(7));
    let mut undone = variation.chance(0.06);
    let stamp = |day: NaiveDate, minutes: u32| {
        day.and_hms_opt(minutes / 60, minutes % 60, 0).expect("a time of day")
    };
    let visit = stamp(on, 9 * 60 + (person.id as u32 * 13) % 420);
    let conditions: Vec<&str> =
        person.details.conditions.iter().map(|d| d.condition_id.as_str()).collect();
    // A person's own levels, the same every year apart from a little drift.
    let mut own = Dice(person.id as u64 ^ 0xA11_0C8E);
    let mut weight_height = (None, None);
    let mut work: Vec<_> =
        catalogue.items_for(conditions.iter().copied()).into_iter().map(|(item, _)| item).collect();
    let mut next = 0;
    while let Some(item) = work.get(next).copied() {
        next += 1;
        let put = |w: &mut Write<'_>, recorded: Recorded, taken_on: NaiveDate, source| {
            w.insert_observation(&NewObservation {
                patient_id: person.id,
                cycle_id: Some(cycle_id),
                item,
                taken_on,
                recorded: &recorded,
                note: "",
                reported: None,
                source,
                source_detail: if source == ObservationSource::LabImport {
                    "demonstration lab results"
                } else {
                    ""
                },
            })
        };
        w.set_demo_time(visit);
        if item.is_lab() && at_lab {
            put(w, Recorded::NotDone(NotDoneReason::SentToLab), on, ObservationSource::Contact1)?;
            continue;
        }
        let came_earlier = earlier_visit.filter(|_| !item.is_lab() && next % 2 == 0);
        if item.is_lab() {
            w.set_demo_time(stamp(results, 7 * 60 + (person.id as u32 * 7) % 90));
        } else if let Some(earlier) = came_earlier {
            w.set_demo_time(stamp(earlier, 10 * 60));
        }
        // (A declined check is still measured here and then not kept, so that the dice, and
        // the rest of the demonstration, stay as they were.)
        let declined = undone
            && matches!(item.kind(), ItemKind::Number(_))
            && !item.is_lab()
            && !matches!(item.id(), "weight" | "height");
        undone &= !declined;
        let text: String;
        let mut option = None;
        let mut answers = Vec::new();
        let mut taken_on = on;
        match item.kind() {
            ItemKind::Computed(_) => continue,
            ItemKind::Number(spec) => {
                let (low, high) = TYPICAL
                    .iter()
                    .find(|(id, _, _)| *id == item.id())
                    .map(|(_, l, h)| (*l, *h))
                    .unwrap_or((spec.min, spec.max));
                let base = low + (high - low) * own.below(1000) as f64 / 1000.0;
                let drift = 1.0 + (dice.below(100) as f64 - 50.0) / 1000.0;
                let value = (base * drift).clamp(spec.min, spec.max);
                text = format!("{value:.*}", spec.decimals as usize);
                match item.id() {
                    "weight" => weight_height.0 = Some(value),
                    "height" => weight_height.1 = Some(value),
                    _ => {}
                }
            }
            ItemKind::BloodPressure { .. } => {
                let (low, high) = if item.id() == "bp-home" { (115, 150) } else { (118, 168) };
                let systolic = low + own.below(high - low) + dice.below(12);
                let diastolic = 62 + (systolic - 100) / 3 + dice.below(10);
                text = format!("{systolic}/{diastolic}");
            }
            ItemKind::Choice(options) => {
                // Mostly the person's usual answer, sometimes another.
                let usual = own.below(options.len().min(3));
                let index = if dice.chance(0.85) { usual } else { dice.below(options.len()) };
                text = options[index].id.clone();
            }
            ItemKind::YesNo => text = if dice.chance(0.8) { "yes" } else { "no" }.to_string(),
            ItemKind::Date(options) => {
                taken_on = on - Duration::days(30 + dice.below(200) as i64);
                text = taken_on.format("%Y-%m-%d").to_string();
                option = options.first().map(|o| o.id.clone());
            }
            ItemKind::Questionnaire(q) => {
                answers = q
                    .questions
                    .iter()
                    .map(|question| {
                        // Thoughts of self-harm are rare, and a red flag when they come.
                        if item.id() == "phq9" && question.id == "q9" {
                            return Some(usize::from(dice.chance(0.1)));
                        }
                        let n = question.options.len();
                        let level = own.below(n.min(3));
                        Some((level + dice.below(2)).min(n - 1))
                    })
                    .collect();
                text = String::new();
            }
            ItemKind::Text => text = dice.pick(MEDICATION_NOTES).to_string(),
        }
        if let (Some(earlier), false) = (came_earlier, matches!(item.kind(), ItemKind::Date(_))) {
            taken_on = earlier;
        }
        let entry = Entry { value: &text, option: option.as_deref(), answers: &answers };
        let value = item.parse_entry(entry, on).map_err(|e| {
            StoreError::Refused(format!(
                "the demonstration made an implausible {}: {e}",
                item.label()
            ))
        })?;
        let source =
            if item.is_lab() { ObservationSource::LabImport } else { ObservationSource::Contact1 };
        // A positive PHQ-2 is followed by the PHQ-9, as at a real appointment.
        if let (Value::Questionnaire { score, .. }, Some((follow, at_least))) =
            (&value, item.follow_up())
        {
            if *score >= at_least {
                work.extend(catalogue.measures().item(follow));
            }
        }
        if declined {
            let reason = if item.id() == "fev1-percent" {
                NotDoneReason::Unable
            } else {
                NotDoneReason::Declined
            };
            put(w, Recorded::NotDone(reason), on, ObservationSource::Contact1)?;
            continue;
        }
        put(w, Recorded::Value(value), taken_on, source)?;
    }
    w.set_demo_time(visit);
    if let (Some(kg), Some(cm), Some(item)) =
        (weight_height.0, weight_height.1, catalogue.measures().item("bmi"))
    {
        let value = item.work_out_bmi(kg, cm).map_err(|e| {
            StoreError::Refused(format!("the demonstration made an implausible BMI: {e}"))
        })?;
        w.insert_observation(&NewObservation {
            patient_id: person.id,
            cycle_id: Some(cycle_id),
            item,
            taken_on: on,
            recorded: &Recorded::Value(value),
            note: "",
            reported: None,
            source: ObservationSource::Computed,
            source_detail: "worked out from the weight and height",
        })?;
    }
    Ok(())
}
