//! Preparation packs over the store: the packs screen's list (approved reviews waiting to be
//! sent, and those held with the reason), one PDF of the chosen packs in surname order, each
//! recorded as sent only when the batch is confirmed printed and posted, and a single pack
//! printed again later, audited. Every pack passes the same gate as triage: no waiting red
//! finding, nobody who left or died, nothing a clinician has not approved.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};

use crate::documents::letters_pdf;
use crate::domain::catalogue::Catalogue;
use crate::domain::checklist::Recorded;
use crate::domain::cycle::{Booking, CycleStatus};
use crate::domain::letters::{Letter, PrintSize};
use crate::domain::measures::{ItemKind, Value};
use crate::domain::nhs_number::NhsNumber;
use crate::domain::pack::{
    choose_meaning, hold, pack_letter, FoundWords, Hold, Meaning, Outcome, PackFacts, PackResult,
    PackTarget, PackTexts, TargetWords,
};
use crate::domain::practice::PracticeSettings;
use crate::domain::rules::{RuleSet, Severity};
use crate::store::{Actor, PackItem, PackPrint, PatientRow, Store, StoreError, StoredObservation};

use super::recall::Skipped;
use super::triage::{evaluate_review, practice_rules, red_flags_cleared, ResultRow};

/// How long a review closed because the person left or died stays on the packs screen.
pub const CLOSED_SHOWN_FOR_DAYS: i64 = 28;

/// One review on the packs screen.
#[derive(Clone, Debug)]
pub struct PackLine {
    pub cycle_id: i64,
    pub patient: PatientRow,
    pub status: CycleStatus,
    pub conversation: Option<Booking>,
    /// Days from today to the conversation, if it is booked.
    pub days_until: Option<i64>,
    pub large_print: bool,
    /// Why the pack cannot be printed today; `None` when it is ready.
    pub hold: Option<Hold>,
}

/// Why nothing was printed.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error("no one with NHS number {0} is on the register")]
    NotFound(String),
    /// The practice's settings lack what every letter needs, or the pack cannot be printed.
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// Everything the packs of one run read once: the practice's rules and settings.
struct Context<'a> {
    catalogue: &'a Catalogue,
    rules: RuleSet,
    settings: PracticeSettings,
}

impl<'a> Context<'a> {
    fn new(store: &Store, catalogue: &'a Catalogue, shipped: &RuleSet) -> Result<Self, StoreError> {
        Ok(Context {
            catalogue,
            rules: practice_rules(shipped, &store.rule_changes()?),
            settings: store.practice_settings(catalogue)?,
        })
    }

    /// Every current result of the review, with what the rules say.
    fn results(
        &self,
        store: &Store,
        patient: &PatientRow,
        cycle_id: i64,
    ) -> Result<(Vec<StoredObservation>, Vec<ResultRow>), StoreError> {
        let observations = store.observations_of(patient.id)?;
        let targets = store.personal_targets_of(patient.id)?;
        let acks = store
            .acknowledgements_of(patient.id)?
            .into_iter()
            .map(|a| ((a.observation_id, a.rule_id.clone()), a))
            .collect::<HashMap<_, _>>();
        let rows = evaluate_review(
            self.catalogue,
            &self.rules,
            patient,
            cycle_id,
            &observations,
            &targets,
            &acks,
            true,
        );
        Ok((observations, rows))
    }
}

/// The packs screen: reviews from contact 1 up to the pack being sent, and reviews closed in
/// the last four weeks after approval because the person left or died; each with its hold
/// reason, or none when the pack is ready. In surname order.
pub fn pack_list(
    store: &Store,
    catalogue: &Catalogue,
    shipped: &RuleSet,
    today: NaiveDate,
) -> Result<Vec<PackLine>, StoreError> {
    let context = Context::new(store, catalogue, shipped)?;
    Ok(lines(store, &context, today)?.into_iter().map(|(line, _)| line).collect())
}

/// The lines, with the results read for each (so printing does not read them twice).
fn lines(
    store: &Store,
    context: &Context<'_>,
    today: NaiveDate,
) -> Result<Vec<(PackLine, Vec<PackResult>)>, StoreError> {
    let mut lines = Vec::new();
    for record in store.pack_candidates(today, CLOSED_SHOWN_FOR_DAYS)? {
        let patient = store.patient_by_id(record.patient_id)?;
        let (observations, rows) = context.results(store, &patient, record.id)?;
        let waiting_reds = waiting_reds(&rows);
        let cycle = &record.cycle;
        let conversation = cycle.conversation().cloned();
        let facts = PackFacts {
            person: &patient.details,
            status: cycle.status(),
            conversation: conversation.as_ref(),
            waiting_reds,
        };
        let hold = hold(&facts, today, context.settings.pack_minimum_days);
        let results = if hold.is_none() {
            pack_results(context, &rows, &observations, record.id)
        } else {
            Vec::new()
        };
        let line = PackLine {
            cycle_id: record.id,
            status: cycle.status(),
            days_until: conversation.as_ref().map(|b| (b.starts_at().date() - today).num_days()),
            conversation,
            large_print: PrintSize::for_needs(&patient.details.communication_needs)
                == PrintSize::Large,
            hold,
            patient,
        };
        lines.push((line, results));
    }
    lines.sort_by(|(a, _), (b, _)| {
        let key = |l: &PackLine| {
            let name = &l.patient.details.name;
            (name.family().to_lowercase(), name.given().to_lowercase(), l.cycle_id)
        };
        key(a).cmp(&key(b))
    });
    Ok(lines)
}

/// The red findings of a review no clinician has acknowledged, as staff read them.
fn waiting_reds(rows: &[ResultRow]) -> Vec<String> {
    rows.iter()
        .flat_map(|r| &r.findings)
        .filter(|f| f.is_waiting())
        .map(|f| format!("{} ({})", f.rule_title, f.value_text))
        .collect()
}

/// The rows of the results table: every current value of the review (its latest, where an
/// item was measured twice) and every item marked not done, each item once. Free text (notes
/// for the clinician) stays out of the letter.
fn pack_results(
    context: &Context<'_>,
    rows: &[ResultRow],
    observations: &[StoredObservation],
    cycle_id: i64,
) -> Vec<PackResult> {
    let measures = context.catalogue.measures();
    let mut results: Vec<(usize, PackResult)> = Vec::new();
    let position = |item: &str| measures.items().iter().position(|i| i.id() == item);
    let mut latest: HashMap<&str, &ResultRow> = HashMap::new();
    for row in rows {
        match latest.get(row.item.as_str()) {
            Some(kept)
                if (kept.taken_on, kept.observation_id) > (row.taken_on, row.observation_id) => {}
            _ => {
                latest.insert(row.item.as_str(), row);
            }
        }
    }
    for row in latest.values() {
        let Some(item) = measures.item(&row.item) else { continue };
        if matches!(item.kind(), ItemKind::Text) {
            continue;
        }
        let value = observations
            .iter()
            .find(|o| o.id == row.observation_id)
            .and_then(|o| o.recorded(measures));
        let outcome = match value {
            Some(Recorded::Value(Value::Date { on, .. })) => Outcome::Value {
                text: match row.value_text.split_once(": ") {
                    Some((_, result)) => result.to_string(),
                    None => "Done".to_string(),
                },
                taken_on: on,
                elsewhere: true,
            },
            Some(Recorded::Value(value)) => Outcome::Value {
                text: patient_words(item, &value),
                taken_on: row.taken_on,
                elsewhere: false,
            },
            _ => Outcome::Value {
                text: row.value_text.clone(),
                taken_on: row.taken_on,
                elsewhere: false,
            },
        };
        let current = observations.iter().find(|o| o.id == row.observation_id);
        let found: Vec<FoundWords<'_>> = row
            .findings
            .iter()
            .map(|f| FoundWords {
                red: f.severity == Severity::Red,
                meaning: &f.meaning,
                acknowledged: f.acknowledgement.as_ref().map(|a| a.action),
            })
            .collect();
        let target_words = row.target.as_ref().and_then(|t| {
            let rule = context.rules.rule(&t.rule)?;
            Some(TargetWords {
                exceeded: t.exceeded,
                above: &rule.meaning,
                within: rule.meaning_within.as_deref(),
            })
        });
        let meaning = choose_meaning(&found, target_words, item.explanation());
        let target = row.target.as_ref().and_then(|t| {
            t.words.as_ref().map(|words| PackTarget { words: words.clone(), personal: t.personal })
        });
        results.push((
            position(&row.item).unwrap_or(usize::MAX),
            PackResult {
                theme: item.theme().to_string(),
                name: item.plain_name().to_string(),
                outcome,
                previous: current
                    .map(|o| earlier_values(context, observations, o))
                    .unwrap_or_default(),
                target,
                meaning,
            },
        ));
    }
    // Items marked not done in this review, unless a value came later.
    let mut not_done: HashMap<&str, &StoredObservation> = HashMap::new();
    for o in observations
        .iter()
        .filter(|o| o.cycle_id == Some(cycle_id) && o.retraction.is_none() && o.not_done.is_some())
    {
        if latest.contains_key(o.item.as_str()) {
            continue;
        }
        match not_done.get(o.item.as_str()) {
            Some(kept) if (kept.taken_on, kept.id) > (o.taken_on, o.id) => {}
            _ => {
                not_done.insert(o.item.as_str(), o);
            }
        }
    }
    for o in not_done.values() {
        let (Some(item), Some(reason)) = (measures.item(&o.item), o.not_done) else { continue };
        if matches!(item.kind(), ItemKind::Text) {
            continue;
        }
        results.push((
            position(&o.item).unwrap_or(usize::MAX),
            PackResult {
                theme: item.theme().to_string(),
                name: item.plain_name().to_string(),
                outcome: Outcome::NotDone(reason),
                previous: earlier_values(context, observations, o),
                target: None,
                meaning: Meaning::Explanation(String::new()),
            },
        ));
    }
    results.sort_by_key(|(position, _)| *position);
    results.into_iter().map(|(_, r)| r).collect()
}

/// The two values of the same item before `this`, newest first, in the pack's words.
fn earlier_values(
    context: &Context<'_>,
    observations: &[StoredObservation],
    this: &StoredObservation,
) -> Vec<(NaiveDate, String)> {
    let measures = context.catalogue.measures();
    let Some(item) = measures.item(&this.item) else { return Vec::new() };
    let mut earlier: Vec<(NaiveDate, i64, String)> = observations
        .iter()
        .filter(|p| p.item == this.item && p.retraction.is_none())
        .filter(|p| (p.taken_on, p.id) < (this.taken_on, this.id))
        .filter_map(|p| match p.recorded(measures)? {
            Recorded::Value(value) => Some((p.taken_on, p.id, patient_words(item, &value))),
            Recorded::NotDone(_) => None,
        })
        .collect();
    earlier.sort_by_key(|e| std::cmp::Reverse((e.0, e.1)));
    earlier.into_iter().take(2).map(|(on, _, text)| (on, text)).collect()
}

/// A value as the person reads it: a questionnaire as its score out of the most it can be
/// (its bands are words for clinicians), anything else as staff read it.
fn patient_words(item: &crate::domain::measures::ItemDef, value: &Value) -> String {
    match (item.kind(), value) {
        (ItemKind::Questionnaire(q), Value::Questionnaire { score, .. }) => {
            let most: i32 = q
                .questions
                .iter()
                .map(|question| question.options.iter().map(|(_, s)| *s).max().unwrap_or(0))
                .sum();
            format!("Score {score} out of {most}")
        }
        _ => item.describe(value),
    }
}

/// A batch of packs laid out in one PDF, not yet recorded anywhere.
pub struct PreparedPacks {
    pub items: Vec<PackItem>,
    /// The reviews left out, with the reason (nothing held is printed).
    pub held: Vec<Skipped>,
    pub pdf: Vec<u8>,
    pub large_print: usize,
    /// The letters themselves, for checking their content apart from the layout.
    pub letters: Vec<Letter>,
}

/// The packs of `chosen` reviews (every ready one when `None`) in one PDF, in surname order,
/// each starting on an odd page. Held reviews among those chosen are listed with the reason.
/// Refused on a read-only database, where the batch could not be recorded.
#[allow(clippy::too_many_arguments)]
pub fn prepare_packs(
    store: &Store,
    catalogue: &Catalogue,
    shipped: &RuleSet,
    texts: &PackTexts,
    chosen: Option<&[i64]>,
    today: NaiveDate,
    created: NaiveDateTime,
) -> Result<PreparedPacks, PackError> {
    store.check_writable()?;
    let context = Context::new(store, catalogue, shipped)?;
    context.settings.ready_for_letters().map_err(PackError::Refused)?;
    let mut letters = Vec::new();
    let mut items = Vec::new();
    let mut held = Vec::new();
    for (line, results) in lines(store, &context, today)? {
        if chosen.is_some_and(|ids| !ids.contains(&line.cycle_id)) {
            continue;
        }
        let nhs_number = line.patient.details.nhs_number.as_str().to_string();
        if let Some(hold) = &line.hold {
            held.push(Skipped { nhs_number, reason: hold.reason() });
            continue;
        }
        match pack_letter(
            &line.patient.details,
            line.conversation.as_ref(),
            &results,
            texts,
            &context.settings,
            today,
        ) {
            Ok(letter) => {
                items.push(PackItem {
                    cycle_id: line.cycle_id,
                    patient_id: line.patient.id,
                    large_print: letter.print == PrintSize::Large,
                });
                letters.push(letter);
            }
            Err(reason) => held.push(Skipped { nhs_number, reason }),
        }
    }
    if let Some(ids) = chosen {
        let listed: Vec<i64> = items.iter().map(|i| i.cycle_id).collect();
        if let Some(missing) =
            ids.iter().find(|id| !listed.contains(id) && !held_cycle(store, **id, &held))
        {
            return Err(PackError::Refused(format!(
                "review {missing} has no pack waiting to be printed"
            )));
        }
    }
    let rendered = letters_pdf(&letters, "Preparation packs", created);
    let large_print = items.iter().filter(|i| i.large_print).count();
    Ok(PreparedPacks { items, held, pdf: rendered.pdf, large_print, letters })
}

/// Whether a chosen review was held (so it was on the list, just not printable).
fn held_cycle(store: &Store, cycle_id: i64, held: &[Skipped]) -> bool {
    let Ok(Some(record)) = store.cycle_of_id(cycle_id) else { return false };
    let Ok(patient) = store.patient_by_id(record.patient_id) else { return false };
    held.iter().any(|h| h.nhs_number == patient.details.nhs_number.as_str())
}

/// Records that a prepared batch was written to `file` (not yet sent). Returns the batch id.
pub fn record_prepared_packs(
    store: &mut Store,
    actor: &Actor,
    prepared: &PreparedPacks,
    file: &str,
) -> Result<i64, StoreError> {
    store.write(actor, |w| w.record_pack_batch(PackPrint::Batch, file, &prepared.items))
}

/// What confirming a batch recorded.
#[derive(Clone, Debug, serde::Serialize, PartialEq, Eq)]
pub struct PacksConfirmed {
    pub recorded: usize,
    /// Packs in the batch that could not be recorded as sent (the person died since, a red
    /// finding arrived since), with the reason.
    pub refused: Vec<Skipped>,
}

/// The batch was printed and posted: each pack is recorded as sent today, in one transaction,
/// through the same gate as approval (no waiting red finding, nobody who left or died).
pub fn confirm_pack_batch(
    store: &mut Store,
    actor: &Actor,
    catalogue: &Catalogue,
    shipped: &RuleSet,
    batch_id: i64,
    today: NaiveDate,
) -> Result<PacksConfirmed, StoreError> {
    let batch = store
        .pack_batch(batch_id)?
        .ok_or_else(|| StoreError::Refused(format!("there is no pack batch {batch_id}")))?;
    store.write(actor, |w| {
        let mut confirmed = PacksConfirmed { recorded: 0, refused: Vec::new() };
        for item in &batch.items {
            let patient = w.patient_by_id(item.patient_id)?;
            let refuse = |reason: String| Skipped {
                nhs_number: patient.details.nhs_number.as_str().to_string(),
                reason,
            };
            let Some(mut record) = w.cycle_of_id(item.cycle_id)? else {
                confirmed.refused.push(refuse("the review no longer exists".into()));
                continue;
            };
            if let Some(sent) = record.cycle.pack_sent_on() {
                confirmed.refused.push(refuse(format!(
                    "this pack was already recorded as sent on {}",
                    crate::domain::person::format_date(sent)
                )));
                continue;
            }
            let cleared = match red_flags_cleared(w, catalogue, shipped, &patient, record.id)? {
                Ok(cleared) => cleared,
                Err(reason) => {
                    confirmed.refused.push(refuse(reason));
                    continue;
                }
            };
            match record.cycle.send_pack(today, patient.details.status, &cleared) {
                Ok(event) => {
                    w.save_transition(patient.id, Some(record.id), &record.cycle, &event)?;
                    confirmed.recorded += 1;
                }
                Err(refused) => confirmed.refused.push(refuse(refused.0)),
            }
        }
        w.mark_pack_batch_confirmed(batch_id, confirmed.recorded)?;
        Ok(confirmed)
    })
}

/// The batch did not print, or will not be posted: nothing is recorded as sent.
pub fn cancel_pack_batch(
    store: &mut Store,
    actor: &Actor,
    batch_id: i64,
) -> Result<(), StoreError> {
    store.write(actor, |w| w.mark_pack_batch_cancelled(batch_id))
}

/// A pack already sent, printed again for one person (lost in the post, say): refused unless
/// the review is still open, the person may be contacted, no red finding waits and the pack
/// can be posted. Written by `write_to` (which says where) and audited; nothing changes in the
/// review. Returns the batch the reprint is recorded as, and the pack.
#[allow(clippy::too_many_arguments)]
pub fn reprint_pack(
    store: &mut Store,
    actor: &Actor,
    catalogue: &Catalogue,
    shipped: &RuleSet,
    texts: &PackTexts,
    nhs_number: &NhsNumber,
    today: NaiveDate,
    created: NaiveDateTime,
    write_to: impl FnOnce(&[u8]) -> Result<String, String>,
) -> Result<(i64, PreparedPacks), PackError> {
    let context = Context::new(store, catalogue, shipped)?;
    context.settings.ready_for_letters().map_err(PackError::Refused)?;
    let patient =
        store.patient(nhs_number)?.ok_or_else(|| PackError::NotFound(nhs_number.to_string()))?;
    let record = store
        .open_cycle_of(patient.id)?
        .filter(|r| r.cycle.pack_sent_on().is_some())
        .ok_or_else(|| {
            PackError::Refused(
                "no pack has been sent for this person's open review: print it from the packs list"
                    .into(),
            )
        })?;
    let (observations, rows) = context.results(store, &patient, record.id)?;
    let waiting_reds = waiting_reds(&rows);
    let conversation = record.cycle.conversation().cloned();
    // The review has moved past approval, so check everything else as if it were approved.
    let facts = PackFacts {
        person: &patient.details,
        status: CycleStatus::Triaged,
        conversation: None,
        waiting_reds,
    };
    if let Some(hold) = hold(&facts, today, context.settings.pack_minimum_days) {
        return Err(PackError::Refused(hold.reason()));
    }
    let results = pack_results(&context, &rows, &observations, record.id);
    let letter = pack_letter(
        &patient.details,
        conversation.as_ref(),
        &results,
        texts,
        &context.settings,
        today,
    )
    .map_err(PackError::Refused)?;
    let item = PackItem {
        cycle_id: record.id,
        patient_id: patient.id,
        large_print: letter.print == PrintSize::Large,
    };
    let rendered = letters_pdf(std::slice::from_ref(&letter), "Preparation pack", created);
    let file = write_to(&rendered.pdf).map_err(PackError::Refused)?;
    let batch = store.write(actor, |w| {
        w.record_pack_batch(PackPrint::Reprint, &file, std::slice::from_ref(&item))
    })?;
    Ok((
        batch,
        PreparedPacks {
            large_print: usize::from(item.large_print),
            items: vec![item],
            held: Vec::new(),
            pdf: rendered.pdf,
            letters: vec![letter],
        },
    ))
}
