//! The steering group's fidelity figures (`alongside report`) checked by an independent
//! computation. Nothing here calls `domain::metrics` or `store::reports`: the expected figures
//! are worked out from the raw tables with SQL and this file's own reading of the written
//! definitions (issue 9), then compared with what the real binary prints. The demonstration
//! practice is checked over several ranges, every figure of every group; a small practice
//! driven through the app's own steps carries the edge cases with hand-written numbers (an
//! empty range, someone who left mid-cycle, a review spanning two quarters, a corrected
//! feedback form and a corrected contact 1 value); the people behind a figure are those the
//! definitions count; and the command line's refusals, the CSV files and `feedback add` are
//! checked as a practice meets them.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use chrono::{Datelike, Days, Months, NaiveDate, NaiveDateTime};
use serde_json::Value as Json;

use alongside::domain::calendar::YearMonth;
use alongside::domain::careplan::{
    Action, ActionStatus, AgreedWith, Agreement, Contingency, Goal, GoalOutcome, GoalReview, Need,
    PlanDocument, Review, ReviewHow, Who, WhoKind,
};
use alongside::domain::catalogue::Catalogue;
use alongside::domain::checklist::NotDoneReason;
use alongside::domain::cycle::{Booking, PcaReason};
use alongside::domain::measures::{Entry, ItemKind};
use alongside::domain::nhs_number::NhsNumber;
use alongside::domain::rules::{RuleSet, Severity};
use alongside::domain::triage::{AckAction, TriageRole};
use alongside::exchange::careplans::{agree, open_draft, save_draft};
use alongside::exchange::contact1::{
    correct, finish_contact1, mark_not_done, record_value, Correction, PersonResults,
};
use alongside::exchange::packs::{confirm_pack_batch, prepare_packs, record_prepared_packs};
use alongside::exchange::recall::{
    act_on_review, confirm_batch, prepare_invitations, record_prepared, ReviewAction,
};
use alongside::exchange::register_import::{import_register, RegisterFile};
use alongside::exchange::results_import::{import_results, ResultsFile};
use alongside::exchange::triage::{acknowledge, approve_pack, review, route};
use alongside::store::{Actor, Store};

use super::support::{catalogue, fill_in_letterhead, sql_rows, today, Run, Sandbox};
use super::triage::{normal_lab, ordinary_entry, Typed};

// ---------------------------------------------------------------------------------------------
// What the report holds, as the written definitions give it.
// ---------------------------------------------------------------------------------------------

/// How a figure is tallied, from its definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Count,
    Share,
    Mean,
    Median,
}

/// Every figure of the report, in the order of the definitions.
const FIGURES: [(&str, Kind); 39] = [
    ("due", Kind::Count),
    ("invited", Kind::Share),
    ("invitations_per_person", Kind::Mean),
    ("left_or_died", Kind::Count),
    ("attended", Kind::Share),
    ("one_visit", Kind::Share),
    ("packs_sent", Kind::Count),
    ("triaged_before_pack", Kind::Share),
    ("red_findings", Kind::Count),
    ("red_hours_median", Kind::Median),
    ("conversations", Kind::Count),
    ("pack_in_time", Kind::Share),
    ("pack_days_median", Kind::Median),
    ("plans_agreed", Kind::Count),
    ("declined", Kind::Count),
    ("pca", Kind::Count),
    ("pca_unsuitable", Kind::Count),
    ("pca_declined", Kind::Count),
    ("pca_no_response", Kind::Count),
    ("pca_newly_diagnosed_or_registered", Kind::Count),
    ("pca_other", Kind::Count),
    ("plan_own_words_goal", Kind::Share),
    ("plan_action", Kind::Share),
    ("plan_contingency", Kind::Share),
    ("plan_review_date", Kind::Share),
    ("plan_all_four", Kind::Share),
    ("plan_signposting", Kind::Share),
    ("goals_reviewed", Kind::Count),
    ("goals_achieved", Kind::Share),
    ("goals_partly_achieved", Kind::Share),
    ("goals_not_achieved", Kind::Share),
    ("goals_changed", Kind::Share),
    ("goals_no_longer_relevant", Kind::Share),
    ("goals_not_marked", Kind::Share),
    ("feedback_forms", Kind::Share),
    ("collaborate_top_score", Kind::Share),
    ("collaborate_mean", Kind::Mean),
    ("care_mean", Kind::Mean),
    ("care_not_scored", Kind::Count),
];

const GROUPS: [&str; 4] = ["all", "single", "multiple", "frailty"];

const PCA_REASONS: [&str; 5] =
    ["unsuitable", "declined", "no_response", "newly_diagnosed_or_registered", "other"];

const GOAL_OUTCOMES: [&str; 5] =
    ["achieved", "partly_achieved", "not_achieved", "changed", "no_longer_relevant"];

/// The figures the month-by-month trend follows (everyone).
const TREND: [&str; 6] =
    ["due", "invited", "attended", "conversations", "pack_in_time", "plans_agreed"];

/// The bars of the days-between-pack-and-conversation chart: 0–6, 7–13, 14–20, 21–27, 28 or
/// more, no pack.
const BARS: usize = 6;

/// One figure as the JSON gives it.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Fig {
    count: u64,
    out_of: Option<u64>,
    percent: Option<f64>,
    value: Option<f64>,
}

impl std::fmt::Display for Fig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let show = |v: Option<f64>| v.map_or("null".to_string(), |v| v.to_string());
        write!(
            f,
            "count {}, out of {}, percent {}, value {}",
            self.count,
            self.out_of.map_or("null".to_string(), |n| n.to_string()),
            show(self.percent),
            show(self.value)
        )
    }
}

/// `num / den` to one decimal place, halves rounded up, worked out in whole numbers.
fn tenths(num: u128, den: u128) -> f64 {
    ((num * 20 + den) / (2 * den)) as f64 / 10.0
}

fn count(n: u64) -> Fig {
    Fig { count: n, out_of: None, percent: None, value: None }
}

/// A share: `n` of `of`, with its percentage to one decimal place.
fn share(n: u64, of: u64) -> Fig {
    let percent = (of > 0).then(|| tenths(u128::from(n) * 100, u128::from(of)));
    Fig { count: n, out_of: Some(of), percent, value: None }
}

/// A mean of `n` values whose exact sum is `num / den`.
fn mean(n: u64, num: u128, den: u128) -> Fig {
    let value = (n > 0).then(|| tenths(num, den * u128::from(n)));
    Fig { count: n, out_of: None, percent: None, value }
}

/// A median of whole numbers, exactly.
fn median_of_whole(mut values: Vec<i64>) -> Fig {
    values.sort_unstable();
    let n = values.len();
    let value = match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2] as f64),
        // Two middle whole numbers: their mean is a whole number or a half, exactly.
        _ => Some((values[n / 2 - 1] + values[n / 2]) as f64 / 2.0),
    };
    Fig { count: n as u64, out_of: None, percent: None, value }
}

/// A median of measured values, to one decimal place.
fn median_of(mut values: Vec<f64>) -> Fig {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let middle = match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    };
    Fig {
        count: n as u64,
        out_of: None,
        percent: None,
        value: middle.map(|v| (v * 10.0).round() / 10.0),
    }
}

/// Every figure of every group, the pack-days chart and the people behind pack_in_time.
#[derive(Clone, Debug, Default)]
struct Figures {
    figures: BTreeMap<(String, String), Fig>,
    bars: [u64; BARS],
    /// Everyone's conversations held in the range: (NHS number, month due) → pack in time.
    pack_in_time_people: BTreeMap<(String, String), bool>,
}

impl Figures {
    /// Every count 0 and every percentage, mean and median empty.
    fn nothing() -> Figures {
        let mut figures = BTreeMap::new();
        for group in GROUPS {
            for (key, kind) in FIGURES {
                let empty = match kind {
                    Kind::Count => count(0),
                    Kind::Share => share(0, 0),
                    Kind::Mean | Kind::Median => mean(0, 0, 1),
                };
                figures.insert((group.to_string(), key.to_string()), empty);
            }
        }
        Figures { figures, ..Figures::default() }
    }

    fn get(&self, group: &str, key: &str) -> Fig {
        self.figures[&(group.to_string(), key.to_string())]
    }

    fn set(&mut self, group: &str, key: &str, fig: Fig) {
        assert!(FIGURES.iter().any(|(k, _)| *k == key), "no figure {key}");
        self.figures.insert((group.to_string(), key.to_string()), fig);
    }

    /// Gives `group` every figure `from` has.
    fn copy_group(&mut self, group: &str, from: &str) {
        for (key, _) in FIGURES {
            let fig = self.get(from, key);
            self.set(group, key, fig);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The independent computation, from the raw tables.
// ---------------------------------------------------------------------------------------------

type Month = (i32, u32);

fn month_of(day: NaiveDate) -> Month {
    (day.year(), day.month())
}

fn first_day((year, month): Month) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).expect("a month")
}

fn last_day(month: Month) -> NaiveDate {
    first_day(month) + Months::new(1) - Days::new(1)
}

fn next_month((year, month): Month) -> Month {
    if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    }
}

/// Every month from the one holding `from` to the one holding `to`.
fn months(from: NaiveDate, to: NaiveDate) -> Vec<Month> {
    let mut out = Vec::new();
    let mut m = month_of(from);
    while m <= month_of(to) {
        out.push(m);
        m = next_month(m);
    }
    out
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_else(|_| panic!("'{text}' is a day"))
}

/// A time as stored: `2026-11-23T14:30:05.123Z`.
fn moment(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text.trim_end_matches('Z'), "%Y-%m-%dT%H:%M:%S%.f")
        .unwrap_or_else(|_| panic!("'{text}' is a stored time"))
}

struct Person {
    nhs: String,
    registered: bool,
    review_month: u32,
    ltc: i64,
    frail: bool,
    added: NaiveDate,
    conditions: Vec<String>,
}

impl Person {
    fn in_group(&self, group: &str) -> bool {
        match group {
            "all" => true,
            "single" => self.ltc == 1,
            "multiple" => self.ltc >= 2,
            "frailty" => self.frail,
            other => panic!("no group {other}"),
        }
    }
}

struct CycleRow {
    id: i64,
    patient: i64,
    year: i32,
    due: Month,
    pca_reason: String,
}

struct Event {
    transition: String,
    on: NaiveDate,
    id: i64,
}

struct RedFinding {
    patient: i64,
    recorded_at: NaiveDateTime,
    acknowledged_at: NaiveDateTime,
}

/// The practice's tables, read once.
struct Raw {
    today: NaiveDate,
    people: HashMap<i64, Person>,
    cycles: Vec<CycleRow>,
    /// Each review's events, in the order recorded.
    events: HashMap<i64, Vec<Event>>,
    invitations: HashMap<i64, Vec<NaiveDate>>,
    /// Each review's contact 1 observations that still count: day taken, reason not done.
    contact1: HashMap<i64, Vec<(NaiveDate, String)>>,
    red: Vec<RedFinding>,
    /// Each review's plan as first agreed (its lowest version).
    plans: HashMap<i64, Json>,
    /// Each review's latest feedback form that still counts: collaboRATE, CARE.
    forms: HashMap<i64, (String, String)>,
    /// The practice's cohort of conditions; `None` for every condition.
    cohort: Option<Vec<String>>,
    pack_minimum_days: i64,
}

/// The items recorded with their own date (a screening done elsewhere, not at the visit),
/// read from `assets/catalogue/items.json` directly.
fn dated_item_ids() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/catalogue/items.json");
    let file: Json = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let ids: Vec<String> = file["items"]
        .as_array()
        .expect("an items array")
        .iter()
        .filter(|i| i["kind"] == "date")
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect();
    assert!(!ids.is_empty(), "the catalogue has dated items");
    ids
}

/// The ids of the shipped red rules, read from `assets/rules/*.json` directly.
fn red_rule_ids() -> BTreeSet<String> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/rules");
    let mut ids = BTreeSet::new();
    for entry in std::fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let file: Json = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            for rule in file["rules"].as_array().expect("a rules array") {
                if rule["severity"] == "red" {
                    ids.insert(rule["id"].as_str().unwrap().to_string());
                }
            }
        }
    }
    assert!(!ids.is_empty(), "the shipped rules have red rules");
    ids
}

impl Raw {
    fn read(db: &Path, today: NaiveDate) -> Raw {
        let red_rules = red_rule_ids();
        let people = sql_rows(
            db,
            "SELECT p.id, p.nhs_number, p.status, p.review_month, p.ltc_count,
                    p.frailty IS NOT NULL, substr(p.added_at, 1, 10),
                    (SELECT group_concat(d.condition_id, ';') FROM diagnosis d
                     WHERE d.patient_id = p.id AND d.ended_at IS NULL)
             FROM patient p",
        )
        .into_iter()
        .map(|r| {
            let person = Person {
                nhs: r[1].clone(),
                registered: r[2] == "registered",
                review_month: r[3].parse().unwrap(),
                ltc: r[4].parse().unwrap(),
                frail: r[5] == "1",
                added: day(&r[6]),
                conditions: r[7].split(';').filter(|c| !c.is_empty()).map(String::from).collect(),
            };
            (r[0].parse().unwrap(), person)
        })
        .collect();
        let cycles = sql_rows(
            db,
            "SELECT id, patient_id, year, due_month, coalesce(pca_reason, '') FROM cycle",
        )
        .into_iter()
        .map(|r| CycleRow {
            id: r[0].parse().unwrap(),
            patient: r[1].parse().unwrap(),
            year: r[2].parse().unwrap(),
            due: (r[3][..4].parse().unwrap(), r[3][5..].parse().unwrap()),
            pca_reason: r[4].clone(),
        })
        .collect();
        let mut events: HashMap<i64, Vec<Event>> = HashMap::new();
        for r in
            sql_rows(db, "SELECT cycle_id, transition, on_date, id FROM cycle_event ORDER BY id")
        {
            events.entry(r[0].parse().unwrap()).or_default().push(Event {
                transition: r[1].clone(),
                on: day(&r[2]),
                id: r[3].parse().unwrap(),
            });
        }
        let mut invitations: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
        for r in sql_rows(db, "SELECT cycle_id, sent_on FROM invitation") {
            invitations.entry(r[0].parse().unwrap()).or_default().push(day(&r[1]));
        }
        // Items recorded with their own date were not taken at the visit.
        let dated = dated_item_ids();
        let mut contact1: HashMap<i64, Vec<(NaiveDate, String)>> = HashMap::new();
        for r in sql_rows(
            db,
            "SELECT o.cycle_id, o.taken_on, coalesce(o.not_done_reason, ''), o.item
             FROM observation o
             WHERE o.source = 'contact1' AND o.cycle_id IS NOT NULL
               AND o.id NOT IN (SELECT observation_id FROM observation_retraction)",
        ) {
            if dated.contains(&r[3]) {
                continue;
            }
            contact1.entry(r[0].parse().unwrap()).or_default().push((day(&r[1]), r[2].clone()));
        }
        let red = sql_rows(
            db,
            "SELECT a.rule_id, o.patient_id, o.recorded_at, a.acknowledged_at
             FROM finding_acknowledgement a JOIN observation o ON o.id = a.observation_id",
        )
        .into_iter()
        .filter(|r| red_rules.contains(&r[0]))
        .map(|r| RedFinding {
            patient: r[1].parse().unwrap(),
            recorded_at: moment(&r[2]),
            acknowledged_at: moment(&r[3]),
        })
        .collect();
        let mut plans = HashMap::new();
        for r in sql_rows(
            db,
            "SELECT cycle_id, content FROM care_plan WHERE cycle_id IS NOT NULL
             ORDER BY cycle_id, version",
        ) {
            let content: Json = serde_json::from_str(&r[1]).expect("a plan's content is JSON");
            plans.entry(r[0].parse().unwrap()).or_insert(content);
        }
        let mut forms = HashMap::new();
        for r in sql_rows(
            db,
            "SELECT cycle_id, collaborate, care FROM feedback_form
             WHERE id NOT IN (SELECT form_id FROM feedback_form_retraction) ORDER BY id",
        ) {
            forms.insert(r[0].parse().unwrap(), (r[1].clone(), r[2].clone()));
        }
        let settings: HashMap<String, String> = sql_rows(db, "SELECT key, value FROM setting")
            .into_iter()
            .map(|r| (r[0].clone(), r[1].clone()))
            .collect();
        let cohort = settings
            .get("cohort")
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty() && c != "all")
            .map(|c| c.split(';').map(|s| s.trim().to_string()).collect());
        let pack_minimum_days =
            settings.get("pack_minimum_days").map_or(7, |d| d.parse().expect("a number of days"));
        Raw {
            today,
            people,
            cycles,
            events,
            invitations,
            contact1,
            red,
            plans,
            forms,
            cohort,
            pack_minimum_days,
        }
    }

    fn events_of<'a>(&'a self, cycle: i64, transition: &'a str) -> impl Iterator<Item = &'a Event> {
        self.events.get(&cycle).into_iter().flatten().filter(move |e| e.transition == transition)
    }

    fn in_cohort(&self, person: &Person) -> bool {
        match &self.cohort {
            None => true,
            Some(chosen) => person.conditions.iter().any(|c| chosen.contains(c)),
        }
    }

    /// The figures for `from` to `to`, worked out from the definitions.
    fn figures(&self, from: NaiveDate, to: NaiveDate) -> Figures {
        let within = |d: NaiveDate| from <= d && d <= to;
        let range_months = months(from, to);
        let this_month = month_of(self.today);

        // The cohort due: reviews due in a month of the range, unless closed by the person
        // leaving or dying by its end; and people due with no review opened.
        let mut due: Vec<(i64, Option<i64>)> = Vec::new();
        let mut ended: Vec<i64> = Vec::new();
        for c in &self.cycles {
            if !range_months.contains(&c.due) {
                continue;
            }
            if self.events_of(c.id, "registration_ended").any(|e| e.on <= to) {
                ended.push(c.patient);
            } else {
                due.push((c.patient, Some(c.id)));
            }
        }
        for (id, person) in &self.people {
            if !person.registered || !self.in_cohort(person) {
                continue;
            }
            for &m in &range_months {
                let opened = self.cycles.iter().any(|c| c.patient == *id && c.year == m.0);
                if m.1 == person.review_month
                    && m <= this_month
                    && !opened
                    && person.added <= last_day(m)
                {
                    due.push((*id, None));
                }
            }
        }

        let mut out = Figures::nothing();
        for group in GROUPS {
            let member = |patient: &i64| self.people[patient].in_group(group);
            let cohort: Vec<&(i64, Option<i64>)> = due.iter().filter(|(p, _)| member(p)).collect();
            let cycles: Vec<&CycleRow> =
                self.cycles.iter().filter(|c| member(&c.patient)).collect();
            let set = |out: &mut Figures, key: &str, fig: Fig| out.set(group, key, fig);

            // Invitations and contact 1, for the cohort.
            let sent = |cycle: &Option<i64>| -> u64 {
                cycle.map_or(0, |c| {
                    self.invitations.get(&c).into_iter().flatten().filter(|d| **d <= to).count()
                        as u64
                })
            };
            let invited: Vec<Option<i64>> =
                cohort.iter().filter(|(_, c)| sent(c) > 0).map(|(_, c)| *c).collect();
            set(&mut out, "due", count(cohort.len() as u64));
            set(&mut out, "invited", share(invited.len() as u64, cohort.len() as u64));
            let letters: u64 = invited.iter().map(sent).sum();
            set(&mut out, "invitations_per_person", mean(invited.len() as u64, letters.into(), 1));
            set(&mut out, "left_or_died", count(ended.iter().filter(|p| member(p)).count() as u64));
            let attended: Vec<(i64, NaiveDate)> = invited
                .iter()
                .flatten()
                .filter_map(|c| {
                    self.events_of(*c, "attend_contact1").find(|e| e.on <= to).map(|e| (*c, e.on))
                })
                .collect();
            set(&mut out, "attended", share(attended.len() as u64, invited.len() as u64));
            let one_visit = attended
                .iter()
                .filter(|(c, on)| {
                    self.contact1.get(c).into_iter().flatten().all(|(taken, reason)| {
                        taken == on && reason.as_str() != "declined" && reason.as_str() != "unable"
                    })
                })
                .count();
            set(&mut out, "one_visit", share(one_visit as u64, attended.len() as u64));

            // Packs and triage, for packs sent in the range.
            let mut packs = 0;
            let mut triaged = 0;
            for c in &cycles {
                if let Some(pack) = self.events_of(c.id, "send_pack").find(|e| within(e.on)) {
                    packs += 1;
                    if self.events_of(c.id, "triage").any(|t| t.id < pack.id && t.on <= pack.on) {
                        triaged += 1;
                    }
                }
            }
            set(&mut out, "packs_sent", count(packs));
            set(&mut out, "triaged_before_pack", share(triaged, packs));

            // Red findings, by when their result was recorded.
            let hours: Vec<f64> = self
                .red
                .iter()
                .filter(|r| member(&r.patient) && within(r.recorded_at.date()))
                .map(|r| {
                    (r.acknowledged_at - r.recorded_at).num_milliseconds() as f64 / 3_600_000.0
                })
                .collect();
            set(&mut out, "red_findings", count(hours.len() as u64));
            set(&mut out, "red_hours_median", median_of(hours));

            // Conversations held in the range, and the pack before each.
            let mut held = 0;
            let mut in_time = 0;
            let mut gaps = Vec::new();
            for c in &cycles {
                let Some(conversation) =
                    self.events_of(c.id, "hold_conversation").find(|e| within(e.on))
                else {
                    continue;
                };
                held += 1;
                let gap = self
                    .events_of(c.id, "send_pack")
                    .next()
                    .filter(|p| p.on <= conversation.on)
                    .map(|p| (conversation.on - p.on).num_days());
                let timely = gap.is_some_and(|g| g >= self.pack_minimum_days);
                in_time += u64::from(timely);
                if let Some(g) = gap {
                    gaps.push(g);
                }
                if group == "all" {
                    let bar = match gap {
                        Some(g) if g >= 28 => 4,
                        Some(g) => (g / 7) as usize,
                        None => 5,
                    };
                    out.bars[bar] += 1;
                    let due = format!("{}-{:02}", c.due.0, c.due.1);
                    out.pack_in_time_people
                        .insert((self.people[&c.patient].nhs.clone(), due), timely);
                }
            }
            set(&mut out, "conversations", count(held));
            set(&mut out, "pack_in_time", share(in_time, held));
            set(&mut out, "pack_days_median", median_of_whole(gaps));

            // Plans agreed, declines and adjustments dated in the range.
            let dated = |transition: &str| -> u64 {
                cycles
                    .iter()
                    .map(|c| {
                        self.events_of(c.id, transition).filter(|e| within(e.on)).count() as u64
                    })
                    .sum()
            };
            set(&mut out, "plans_agreed", count(dated("agree_plan")));
            set(&mut out, "declined", count(dated("decline")));
            let mut pca = 0;
            let mut by_reason: BTreeMap<&str, u64> = BTreeMap::new();
            for c in &cycles {
                if c.pca_reason.is_empty() {
                    continue;
                }
                let n = self.events_of(c.id, "adjust").filter(|e| within(e.on)).count() as u64;
                pca += n;
                *by_reason.entry(c.pca_reason.as_str()).or_default() += n;
            }
            set(&mut out, "pca", count(pca));
            for reason in PCA_REASONS {
                let n = by_reason.get(reason).copied().unwrap_or(0);
                set(&mut out, &format!("pca_{reason}"), count(n));
            }

            // What the plans agreed in the range contain, as first agreed.
            let plans: Vec<&Json> = cycles
                .iter()
                .filter(|c| self.events_of(c.id, "agree_plan").any(|e| within(e.on)))
                .filter_map(|c| self.plans.get(&c.id))
                .collect();
            let qualities: Vec<PlanContent> = plans.iter().map(|p| PlanContent::of(p)).collect();
            let n = qualities.len() as u64;
            let tally =
                |has: fn(&PlanContent) -> bool| qualities.iter().filter(|&q| has(q)).count() as u64;
            set(&mut out, "plan_own_words_goal", share(tally(|q| q.own_words_goal), n));
            set(&mut out, "plan_action", share(tally(|q| q.action), n));
            set(&mut out, "plan_contingency", share(tally(|q| q.contingency), n));
            set(&mut out, "plan_review_date", share(tally(|q| q.review_date), n));
            set(
                &mut out,
                "plan_all_four",
                share(tally(|q| q.own_words_goal && q.action && q.contingency && q.review_date), n),
            );
            set(&mut out, "plan_signposting", share(tally(|q| q.signposting), n));
            let outcomes: Vec<&str> =
                qualities.iter().flat_map(|q| q.outcomes.iter().map(String::as_str)).collect();
            let reviewed = outcomes.len() as u64;
            set(&mut out, "goals_reviewed", count(reviewed));
            for outcome in GOAL_OUTCOMES {
                let n = outcomes.iter().filter(|o| **o == outcome).count() as u64;
                set(&mut out, &format!("goals_{outcome}"), share(n, reviewed));
            }
            let unmarked = outcomes.iter().filter(|o| o.is_empty()).count() as u64;
            set(&mut out, "goals_not_marked", share(unmarked, reviewed));

            // Feedback about the conversations held in the range.
            let conversations: Vec<&CycleRow> = cycles
                .iter()
                .copied()
                .filter(|c| self.events_of(c.id, "hold_conversation").any(|e| within(e.on)))
                .collect();
            let forms: Vec<&(String, String)> =
                conversations.iter().filter_map(|c| self.forms.get(&c.id)).collect();
            set(&mut out, "feedback_forms", share(forms.len() as u64, conversations.len() as u64));
            let collaborate: Vec<u32> =
                forms.iter().filter_map(|(c, _)| collaborate_total(c)).collect();
            let top = collaborate.iter().filter(|t| **t == 12).count() as u64;
            set(&mut out, "collaborate_top_score", share(top, collaborate.len() as u64));
            let sum: u32 = collaborate.iter().sum();
            set(&mut out, "collaborate_mean", mean(collaborate.len() as u64, sum.into(), 1));
            let care: Vec<Option<u128>> =
                forms.iter().map(|(_, care)| care_total_360(care)).collect();
            let scored: Vec<u128> = care.iter().flatten().copied().collect();
            set(&mut out, "care_mean", mean(scored.len() as u64, scored.iter().sum(), 360));
            set(
                &mut out,
                "care_not_scored",
                count(care.iter().filter(|c| c.is_none()).count() as u64),
            );
        }
        out
    }
}

/// What a plan contains, read from its stored JSON.
struct PlanContent {
    own_words_goal: bool,
    action: bool,
    contingency: bool,
    review_date: bool,
    signposting: bool,
    /// Each earlier goal's outcome; empty when not marked.
    outcomes: Vec<String>,
}

fn blank(value: &Json) -> bool {
    value.as_str().is_none_or(|s| s.trim().is_empty())
}

fn list(value: &Json) -> &[Json] {
    value.as_array().map_or(&[], Vec::as_slice)
}

impl PlanContent {
    fn of(doc: &Json) -> PlanContent {
        let goals: Vec<&Json> =
            list(&doc["needs"]).iter().flat_map(|n| list(&n["goals"])).collect();
        let own_words_goal = goals.iter().any(|g| g["own_words"] == true && !blank(&g["words"]));
        let with_who_and_when = |a: &Json| {
            !blank(&a["what"])
                && !blank(&a["when"])
                && (a["who"]["kind"] == "me" || !blank(&a["who"]["name"]))
        };
        let support = list(&doc["support"]);
        let action =
            goals.iter().flat_map(|g| list(&g["actions"])).chain(support).any(with_who_and_when);
        let c = &doc["contingency"];
        let contingency = !blank(&c["triggers"])
            || !blank(&c["what_to_do"])
            || !blank(&c["rescue"])
            || list(&c["contacts"]).iter().any(|k| !blank(&k["name"]) || !blank(&k["phone"]));
        let date = doc["review"]["date"].as_str().unwrap_or("").trim();
        let review_date = date.len() == 10 && NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok();
        let signposting = support.iter().any(|s| {
            !blank(&s["what"]) || !s["who"]["service"].is_null() || !blank(&s["who"]["name"])
        });
        let outcomes = list(&doc["earlier_goals"])
            .iter()
            .map(|g| g["outcome"].as_str().unwrap_or("").to_string())
            .collect();
        PlanContent { own_words_goal, action, contingency, review_date, signposting, outcomes }
    }
}

/// collaboRATE's total, when all three questions were answered.
fn collaborate_total(answers: &str) -> Option<u32> {
    let scores: Vec<u32> =
        answers.chars().filter_map(|c| c.to_digit(10).filter(|d| *d <= 4)).collect();
    (answers.chars().count() == 3 && scores.len() == 3).then(|| scores.iter().sum())
}

/// The CARE total times 360 (so that a total over 8, 9 or 10 answers is a whole number), when
/// no more than two of the ten were left unanswered; `None` when it is not scored.
fn care_total_360(answers: &str) -> Option<u128> {
    let scores: Vec<u128> = answers
        .chars()
        .filter_map(|c| c.to_digit(10).filter(|d| (1..=5).contains(d)))
        .map(u128::from)
        .collect();
    let answered = scores.len() as u128;
    let unanswered = 10 - answered;
    (unanswered <= 2).then(|| scores.iter().sum::<u128>() * 10 * 360 / answered)
}

// ---------------------------------------------------------------------------------------------
// Reading the report the binary prints, and comparing.
// ---------------------------------------------------------------------------------------------

fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn report(sandbox: &Sandbox, from: NaiveDate, to: NaiveDate) -> Json {
    sandbox.alongside(&["report", "--from", &iso(from), "--to", &iso(to)]).expect_code(0).json()
}

fn json_fig(figure: &Json) -> Fig {
    Fig {
        count: figure["count"].as_u64().expect("a count"),
        out_of: figure["out_of"].as_u64(),
        percent: figure["percent"].as_f64(),
        value: figure["value"].as_f64(),
    }
}

fn same(a: &Fig, b: &Fig) -> bool {
    let close = |x: Option<f64>, y: Option<f64>| match (x, y) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-9,
        (None, None) => true,
        _ => false,
    };
    a.count == b.count
        && a.out_of == b.out_of
        && close(a.percent, b.percent)
        && close(a.value, b.value)
}

/// Every way the printed report differs from `expected`, each naming the range, group and
/// figure. `trend` compares the month-by-month trend with `raw`'s figures for each month.
fn differences(name: &str, printed: &Json, expected: &Figures, trend: Option<&Raw>) -> Vec<String> {
    let mut out = Vec::new();
    let keys: Vec<&str> =
        printed["figure_keys"].as_array().unwrap().iter().map(|k| k.as_str().unwrap()).collect();
    let ours: Vec<&str> = FIGURES.iter().map(|(k, _)| *k).collect();
    if keys != ours {
        out.push(format!("{name}: the report's figures are {keys:?}, the definitions' {ours:?}"));
    }
    let groups: BTreeSet<&str> =
        printed["groups"].as_object().unwrap().keys().map(String::as_str).collect();
    if groups != GROUPS.into_iter().collect() {
        out.push(format!("{name}: the report's groups are {groups:?}"));
    }
    for group in GROUPS {
        for (key, _) in FIGURES {
            let want = expected.get(group, key);
            let figure = &printed["groups"][group]["figures"][key];
            if figure.is_null() {
                out.push(format!("{name}, group {group}, figure {key}: missing from the report"));
                continue;
            }
            let got = json_fig(figure);
            if !same(&want, &got) {
                out.push(format!(
                    "{name}, group {group}, figure {key}: expected {want}; got {got}"
                ));
            }
        }
    }
    let bars: Vec<u64> = printed["pack_days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["conversations"].as_u64().unwrap())
        .collect();
    if bars != expected.bars {
        out.push(format!(
            "{name}, pack days chart (0-6, 7-13, 14-20, 21-27, 28+, no pack): expected {:?}; got {bars:?}",
            expected.bars
        ));
    }
    if let Some(raw) = trend {
        out.extend(trend_differences(name, printed, raw));
    }
    out
}

/// The trend: every month of the range and at least the twelve up to its end, each month's
/// figures for everyone as that whole month's report would give them.
fn trend_differences(name: &str, printed: &Json, raw: &Raw) -> Vec<String> {
    let mut out = Vec::new();
    let from = day(printed["from"].as_str().unwrap());
    let to = day(printed["to"].as_str().unwrap());
    let mut first = month_of(to);
    for _ in 0..11 {
        first = month_of(first_day(first) - Days::new(1));
    }
    let want: Vec<Month> = months(first_day(first.min(month_of(from))), to);
    let trend = printed["trend"].as_array().unwrap();
    let got: Vec<Month> = trend
        .iter()
        .map(|m| {
            let text = m["month"].as_str().unwrap();
            (text[..4].parse().unwrap(), text[5..].parse().unwrap())
        })
        .collect();
    if got != want {
        out.push(format!("{name}, trend: months {got:?}, expected {want:?}"));
        return out;
    }
    for (entry, m) in trend.iter().zip(&want) {
        let expected = raw.figures(first_day(*m), last_day(*m));
        for key in TREND {
            let wanted = expected.get("all", key);
            let got = json_fig(&entry["figures"][key]);
            if !same(&wanted, &got) {
                out.push(format!(
                    "{name}, trend month {}-{:02}, figure {key}: expected {wanted}; got {got}",
                    m.0, m.1
                ));
            }
        }
    }
    out
}

fn assert_none(differences: Vec<String>) {
    assert!(
        differences.is_empty(),
        "{} figures differ from the definitions:\n{}",
        differences.len(),
        differences.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// The demonstration practice, over several ranges.
// ---------------------------------------------------------------------------------------------

const DEMO_SEED: &str = "3";

fn demo() -> Sandbox {
    let sandbox = Sandbox::new();
    let db = sandbox.db();
    sandbox
        .alongside_plain(&["demo", "--create", db.to_str().unwrap(), "--seed", DEMO_SEED])
        .expect_code(0);
    sandbox
}

/// The ranges the demonstration practice is checked over, named, relative to today.
fn demo_ranges(today: NaiveDate) -> Vec<(String, NaiveDate, NaiveDate)> {
    let this_month = first_day(month_of(today));
    let last_month = this_month - Months::new(1);
    // The last whole quarter before this one.
    let quarter_start = first_day((today.year(), (today.month() - 1) / 3 * 3 + 1));
    let quarter = (quarter_start - Months::new(3), quarter_start - Days::new(1));
    vec![
        ("the last whole quarter".into(), quarter.0, quarter.1),
        ("the twelve months to today".into(), today - Months::new(12) + Days::new(1), today),
        ("three years to today".into(), first_day((today.year() - 2, 1)), today),
        ("last month".into(), last_month, this_month - Days::new(1)),
        (
            "two months ending mid-month".into(),
            last_month - Months::new(1),
            last_month + Days::new(14),
        ),
        (
            "a range ending on the third, as the month's first invitations go".into(),
            last_month - Months::new(2),
            last_month + Days::new(2),
        ),
    ]
    .into_iter()
    .map(|(name, from, to): (String, NaiveDate, NaiveDate)| {
        (format!("{name} ({from} to {to})"), from, to)
    })
    .collect()
}

#[test]
fn every_figure_of_every_group_matches_the_definitions_on_the_demonstration_practice() {
    let sandbox = demo();
    let today = today();
    let raw = Raw::read(&sandbox.db(), today);
    let mut all = Vec::new();
    for (name, from, to) in demo_ranges(today) {
        let printed = report(&sandbox, from, to);
        assert_eq!(printed["from"], iso(from), "{name}: the report says its range");
        assert_eq!(printed["to"], iso(to), "{name}: the report says its range");
        assert_eq!(printed["pack_minimum_days"], raw.pack_minimum_days, "{name}");
        all.extend(differences(&name, &printed, &raw.figures(from, to), Some(&raw)));
    }
    assert_none(all);
}

#[test]
fn the_demonstration_practice_gives_figures_worth_reading() {
    let sandbox = demo();
    let today = today();
    let printed = report(&sandbox, today - Months::new(12) + Days::new(1), today);
    let all = &printed["groups"]["all"]["figures"];
    let mut trivial = Vec::new();
    for key in
        ["invited", "attended", "one_visit", "pack_in_time", "plan_contingency", "feedback_forms"]
    {
        let percent = all[key]["percent"].as_f64();
        if !percent.is_some_and(|p| 0.0 < p && p < 100.0) {
            trivial.push(format!("{key}: {}", all[key]));
        }
    }
    let forms = all["feedback_forms"]["count"].as_u64().unwrap();
    if forms == 0 {
        trivial.push("feedback_forms: no form has been entered".into());
    }
    assert!(
        trivial.is_empty(),
        "for the twelve months to today the demo should give each of these a share strictly \
         between 0 and 100: {trivial:#?}"
    );
    for key in ["red_hours_median", "pack_days_median", "collaborate_mean", "care_mean"] {
        let value = all[key]["value"].as_f64();
        assert!(value.is_some_and(|v| v > 0.0), "the demo's {key} is worth reading: {}", all[key]);
    }
    for group in GROUPS {
        assert!(
            printed["groups"][group]["figures"]["due"]["count"].as_u64().unwrap() > 0,
            "the demo has reviews due in group {group}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// A small practice, driven through the app's own steps, for the edge cases.
// ---------------------------------------------------------------------------------------------

const ANN: &str = "9990000018";
const BOB: &str = "9990000026";
const CARA: &str = "9990000034";
const DEE: &str = "9990000042";
const FRED: &str = "9990000050";
const GUS: &str = "9990000069";
const HAL: &str = "9990000077";
const IVY: &str = "9990000085";
const KIM: &str = "9990000093";
const JO: &str = "9990000107";

const HEADER: &str =
    "nhs_number,family_name,given_name,date_of_birth,conditions,address_line_1,town,postcode,status";

/// The register rows: everyone has high blood pressure. Bob and Fred also have type 2
/// diabetes (two conditions); Dee and Gus live with mild frailty. Kim has no address, so no
/// letter can be sent to her. Jo is due in May and only one test acts on her review.
fn register_row(who: &str, status: &str) -> String {
    let (family, given, born, conditions, address) = match who {
        ANN => ("Archer", "Ann", "1950-03-02", "38341003", "1 Willow Road,Ashby Marsh,AM1 2BD"),
        BOB => {
            ("Baker", "Bob", "1952-02-10", "38341003;44054006", "2 Heron Close,Kettleby,KE2 3EF")
        }
        CARA => ("Cole", "Cara", "1954-03-14", "38341003", "3 Quarry Lane,Lowfield,LO3 4GH"),
        DEE => (
            "Dunn",
            "Dee",
            "1956-03-20",
            "38341003;925791000000100",
            "4 Orchard Way,Brindle,BR4 5JL",
        ),
        FRED => {
            ("Fox", "Fred", "1958-03-25", "38341003;44054006", "5 Mill Lane,Ashby Marsh,AM1 1AB")
        }
        GUS => (
            "Gray",
            "Gus",
            "1949-04-05",
            "38341003;925791000000100",
            "6 Mill Lane,Ashby Marsh,AM1 1AB",
        ),
        HAL => ("Hill", "Hal", "1960-02-15", "38341003", "7 Mill Lane,Ashby Marsh,AM1 1AB"),
        IVY => ("Ince", "Ivy", "1962-03-08", "38341003", "8 Mill Lane,Ashby Marsh,AM1 1AB"),
        KIM => ("Kerr", "Kim", "1964-03-11", "38341003", ",,"),
        JO => ("Lowe", "Jo", "1966-05-09", "38341003", "10 Mill Lane,Ashby Marsh,AM1 1AB"),
        other => panic!("no one with NHS number {other} in this practice"),
    };
    format!("{who},{family},{given},{born},{conditions},{address},{status}")
}

fn register_file(rows: &[(&str, &str)]) -> String {
    let mut text = String::from(HEADER);
    for (who, status) in rows {
        text.push('\n');
        text.push_str(&register_row(who, status));
    }
    text.push('\n');
    text
}

fn people(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|w| w.to_string()).collect()
}

fn nhs(text: &str) -> NhsNumber {
    NhsNumber::parse(text).unwrap()
}

fn coordinator() -> Actor {
    Actor::new("sam.coordinator")
}

fn hca() -> Actor {
    Actor::new("jo.hart")
}

fn gp() -> Actor {
    Actor::new("dr.rahman")
}

fn nurse() -> Actor {
    Actor::new("nurse.okoye")
}

/// The small practice, its steps each dated in last year.
struct Small {
    sandbox: Sandbox,
    store: Store,
    catalogue: Catalogue,
    rules: RuleSet,
    year: i32,
}

impl Small {
    fn on(&self, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, month, day).unwrap()
    }

    fn month(&self, month: u32) -> YearMonth {
        YearMonth::new(self.year, month).unwrap()
    }

    fn import(&mut self, on: NaiveDate, rows: &[(&str, &str)]) {
        let text = register_file(rows);
        let file = RegisterFile::read(text.as_bytes()).unwrap();
        let report = import_register(
            &mut self.store,
            &coordinator(),
            &self.catalogue,
            on,
            &file,
            "register.csv",
            false,
        )
        .unwrap();
        assert!(report.rejected.is_empty(), "register on {on}: {:?}", report.rejected);
    }

    /// The month's invitations printed and confirmed on `on`; returns who was sent one.
    fn invite(&mut self, month: u32, on: NaiveDate) -> BTreeSet<String> {
        let texts = alongside::assets::invitation_texts().unwrap();
        let created = on.and_hms_opt(9, 0, 0).unwrap();
        let prepared = prepare_invitations(
            &self.store,
            &self.catalogue,
            &texts,
            self.month(month),
            on,
            created,
        )
        .unwrap();
        let batch =
            record_prepared(&mut self.store, &coordinator(), &prepared, "letters.pdf").unwrap();
        let confirmed = confirm_batch(&mut self.store, &coordinator(), batch, on).unwrap();
        assert!(confirmed.refused.is_empty(), "{:?}", confirmed.refused);
        prepared
            .items
            .iter()
            .map(|i| {
                self.store
                    .patient_by_id(i.patient_id)
                    .unwrap()
                    .details
                    .nhs_number
                    .as_str()
                    .to_string()
            })
            .collect()
    }

    fn act(&mut self, who: &str, month: u32, action: ReviewAction, on: NaiveDate) {
        let settings = self.store.practice_settings(&self.catalogue).unwrap();
        let month = self.month(month);
        act_on_review(&mut self.store, &coordinator(), &settings, &nhs(who), month, action, on)
            .unwrap_or_else(|e| panic!("{who} on {on}: {e}"));
    }

    fn book_contact1(&mut self, who: &str, month: u32, booked: NaiveDate, at: NaiveDate) {
        let booking =
            Booking::new(at.and_hms_opt(10, 0, 0).unwrap(), "Jo Hart (HCA)", "Room 2").unwrap();
        self.act(who, month, ReviewAction::BookContact1(booking), booked);
    }

    fn book_conversation(&mut self, who: &str, month: u32, booked: NaiveDate, at: NaiveDate) {
        let booking =
            Booking::new(at.and_hms_opt(10, 15, 0).unwrap(), "Nurse J Okoye", "Riverside Surgery")
                .unwrap();
        self.act(who, month, ReviewAction::BookConversation(booking), booked);
    }

    /// Contact 1 on `on`: every item typed with an ordinary value (or the one in `typed`),
    /// the items in `declined` marked declined, every blood sent to the lab, and finished.
    /// Returns the items sent to the lab.
    fn attend(
        &mut self,
        who: &str,
        on: NaiveDate,
        typed: &[(&str, &str)],
        declined: &[&str],
    ) -> Vec<String> {
        let results = PersonResults::load(&self.store, &nhs(who)).unwrap().unwrap();
        let checklist = results.checklist(&self.catalogue, on);
        let mut lab = Vec::new();
        let mut entries: Vec<(String, Typed)> = Vec::new();
        for line in &checklist.lines {
            let item = line.item.id().to_string();
            if line.item.is_lab() {
                lab.push(item);
                continue;
            }
            if declined.contains(&item.as_str()) {
                continue;
            }
            if matches!(line.item.kind(), ItemKind::Date(_)) {
                panic!("{who}: {item} is a date; this practice has none");
            }
            let given = typed.iter().find(|(i, _)| *i == item).map(|(_, v)| v.to_string());
            let Some(entry) = ordinary_entry(line.item, given, "") else { continue };
            entries.push((item, entry));
        }
        drop(checklist);
        for (item, (value, option, answers)) in &entries {
            let entry = Entry { value, option: option.as_deref(), answers };
            record_value(&mut self.store, &hca(), &self.catalogue, &nhs(who), item, entry, on)
                .unwrap_or_else(|e| panic!("{who} {item}: {e}"));
        }
        if !declined.is_empty() {
            mark_not_done(
                &mut self.store,
                &hca(),
                &self.catalogue,
                &nhs(who),
                declined,
                NotDoneReason::Declined,
                "",
                on,
            )
            .unwrap();
        }
        let items: Vec<&str> = lab.iter().map(String::as_str).collect();
        mark_not_done(
            &mut self.store,
            &hca(),
            &self.catalogue,
            &nhs(who),
            &items,
            NotDoneReason::SentToLab,
            "",
            on,
        )
        .unwrap();
        finish_contact1(&mut self.store, &hca(), &self.catalogue, &nhs(who), on).unwrap();
        lab
    }

    /// The bloods taken on `taken` come back in a lab file imported on `on`: ordinary values,
    /// or those in `given`.
    fn lab(
        &mut self,
        who: &str,
        items: &[String],
        given: &[(&str, &str)],
        taken: NaiveDate,
        on: NaiveDate,
    ) {
        let mut csv = String::from("nhs_number,code,value,unit,taken_on\n");
        for item in items {
            let (ordinary, unit) = normal_lab(item);
            let value = given.iter().find(|(i, _)| i == item).map_or(ordinary, |(_, v)| *v);
            csv.push_str(&format!("{who},{item},{value},{unit},{}\n", iso(taken)));
        }
        let file = ResultsFile::read(csv.as_bytes()).unwrap();
        let report =
            import_results(&mut self.store, &hca(), &self.catalogue, on, &file, "lab.csv", false)
                .unwrap();
        assert!(report.rejected.is_empty(), "{who}: {:?}", report.rejected);
    }

    /// The clinician acknowledges every red finding waiting (amber ones are for the
    /// conversation), routes the conversation to the nurse and approves the pack on `on`.
    fn triage(&mut self, who: &str, on: NaiveDate) {
        let found = review(&self.store, &self.catalogue, &self.rules, &nhs(who))
            .unwrap()
            .expect("an open review");
        let waiting: Vec<(i64, String)> = found
            .results
            .iter()
            .flat_map(|r| r.findings.iter())
            .filter(|f| f.severity == Severity::Red && f.acknowledgement.is_none())
            .map(|f| (f.observation_id, f.rule.clone()))
            .collect();
        for (observation, rule) in waiting {
            acknowledge(
                &mut self.store,
                &gp(),
                &self.catalogue,
                &self.rules,
                &nhs(who),
                observation,
                &rule,
                AckAction::ContactedToday,
                "",
            )
            .unwrap_or_else(|e| panic!("{who} {rule}: {e}"));
        }
        route(&mut self.store, &gp(), &nhs(who), TriageRole::Nurse, "Nurse J Okoye", "").unwrap();
        approve_pack(&mut self.store, &gp(), &self.catalogue, &self.rules, &nhs(who), on)
            .unwrap_or_else(|e| panic!("{who}: {e}"));
    }

    fn open_cycle(&self, who: &str) -> i64 {
        let patient = self.store.patient(&nhs(who)).unwrap().unwrap();
        self.store.open_cycle_of(patient.id).unwrap().expect("an open review").id
    }

    /// The person's pack printed and confirmed as posted on `on`.
    fn send_pack(&mut self, who: &str, on: NaiveDate) {
        let cycle = self.open_cycle(who);
        let texts = alongside::assets::pack_texts(&self.catalogue).unwrap();
        let prepared = prepare_packs(
            &self.store,
            &self.catalogue,
            &self.rules,
            &texts,
            Some(&[cycle]),
            on,
            on.and_hms_opt(9, 30, 0).unwrap(),
        )
        .unwrap();
        assert_eq!(prepared.items.len(), 1, "{who}'s pack is ready on {on}: {:?}", prepared.held);
        let batch =
            record_prepared_packs(&mut self.store, &coordinator(), &prepared, "packs.pdf").unwrap();
        let confirmed = confirm_pack_batch(
            &mut self.store,
            &coordinator(),
            &self.catalogue,
            &self.rules,
            batch,
            on,
        )
        .unwrap();
        assert_eq!(confirmed.recorded, 1, "{who}: {:?}", confirmed.refused);
    }

    /// The plan saved and agreed with the person on `on` (a change needs `reason`).
    fn agree(&mut self, who: &str, doc: &PlanDocument, reason: &str, on: NaiveDate) {
        let draft = open_draft(&mut self.store, &nurse(), &nhs(who)).unwrap();
        let revision =
            save_draft(&mut self.store, &nurse(), draft.id, draft.revision, doc).unwrap();
        let agreement = Agreement {
            with: AgreedWith::Person,
            no_contingency_confirmed: doc.contingency.is_empty(),
            reason: reason.into(),
        };
        agree(&mut self.store, &nurse(), draft.id, revision, &agreement, on)
            .unwrap_or_else(|e| panic!("{who}'s plan on {on}: {e}"));
    }

    /// `alongside feedback add` for the person; returns the run.
    fn feedback(
        &self,
        who: &str,
        on: NaiveDate,
        collaborate: &str,
        care: &str,
        replaces: Option<(i64, &str)>,
    ) -> Run {
        let on = iso(on);
        let id: String;
        // Written with '=' so that answers starting with a blank ('-') are not read as options.
        let (collaborate, care) =
            (format!("--collaborate={collaborate}"), format!("--care={care}"));
        let mut args = vec!["feedback", "add", who, "--on", &on, &collaborate, &care];
        if let Some((form, reason)) = replaces {
            id = form.to_string();
            args.extend(["--replaces", id.as_str(), "--reason", reason]);
        }
        self.sandbox.alongside(&args)
    }

    fn report(&self, from: NaiveDate, to: NaiveDate) -> Json {
        report(&self.sandbox, from, to)
    }
}

fn who_me() -> Who {
    Who { kind: WhoKind::Me, ..Who::default() }
}

fn action(id: u32, what: &str, who: Who, when: &str) -> Action {
    Action {
        id,
        what: what.into(),
        who,
        when: when.into(),
        confidence: Some(7),
        status: ActionStatus::Planned,
    }
}

/// Ann's plan as first agreed: her own goal and action, what to do if she gets worse, a review
/// date, and no local service yet.
fn anns_plan(review_on: NaiveDate) -> PlanDocument {
    PlanDocument {
        what_matters: "Getting back to my allotment.".into(),
        needs: vec![Need {
            id: 1,
            text: "Out of breath on the hill".into(),
            goals: vec![Goal {
                id: 2,
                words: "Walk up to the allotment without stopping".into(),
                own_words: true,
                importance: Some(8),
                actions: vec![action(
                    3,
                    "Walk to the end of the road and back",
                    who_me(),
                    "every morning",
                )],
            }],
        }],
        contingency: Contingency {
            triggers: "Breathless when sitting still".into(),
            what_to_do: "Ring the surgery the same day".into(),
            ..Contingency::default()
        },
        review: Review {
            date: iso(review_on),
            who: "Nurse J Okoye".into(),
            how: ReviewHow::Appointment,
        },
        ..PlanDocument::default()
    }
}

/// Gus's plan: his goal in his own words with the nurse's action, a befriending service named
/// with nothing else said about it, no contingency plan (confirmed), a review date, and last
/// plan's three goals: one achieved, one not, one not marked.
fn guss_plan(review_on: NaiveDate) -> PlanDocument {
    let service = Who {
        kind: WhoKind::Service,
        name: "Friendly Voices Befriending Line".into(),
        ..Who::default()
    };
    let professional =
        Who { kind: WhoKind::Professional, name: "Nurse J Okoye".into(), ..Who::default() };
    let earlier = |goal: u32, words: &str, outcome: Option<GoalOutcome>| GoalReview {
        version: 1,
        goal,
        words: words.into(),
        outcome,
        note: String::new(),
    };
    PlanDocument {
        what_matters: "Seeing my friends at the club.".into(),
        needs: vec![Need {
            id: 1,
            text: "Lonely since moving".into(),
            goals: vec![Goal {
                id: 2,
                words: "Get out of the house twice a week".into(),
                own_words: true,
                importance: Some(9),
                actions: vec![action(3, "Check how the walking is going", professional, "in May")],
            }],
        }],
        support: vec![Action {
            id: 4,
            what: String::new(),
            who: service,
            when: String::new(),
            confidence: None,
            status: ActionStatus::Planned,
        }],
        review: Review { date: iso(review_on), who: "Nurse J Okoye".into(), how: ReviewHow::Phone },
        earlier_goals: vec![
            earlier(1, "Walk to the shop", Some(GoalOutcome::Achieved)),
            earlier(2, "Cut down on salt", Some(GoalOutcome::NotAchieved)),
            earlier(3, "Sleep better", None),
        ],
        ..PlanDocument::default()
    }
}

/// The small practice's last year, step by step. Hal (February) gets two letters and no
/// reply; Bob (February) books and then leaves the practice on 20 February; Ann, Cara, Dee and
/// Ivy (March) are invited on 2 March and Fred, registered on 18 March, on 20 March; Kim
/// (March, no address) is booked by phone on 28 March; Gus is due in April.
///
/// Cara declined to be weighed at contact 1 on 10 March, then was weighed after all: the
/// mark is corrected to a value on 12 March. Dee declined to be weighed on 12 March. Ivy
/// declined her review on 10 March. Hal's review is adjusted for no response on 5 March.
///
/// Ann: contact 1 on 16 March, bloods back on 20 March, triaged on 23 March (conversation
/// booked for 8 April), pack posted 25 March, plan agreed at the conversation on 8 April and
/// changed on 1 May to add a walking group. Her feedback form, entered wrongly, is corrected.
///
/// Gus: invited 1 April, contact 1 on 10 April, a red potassium back on 12 April acknowledged
/// at triage on 15 April, pack posted 17 April, the conversation booked on 18 April for 21
/// April (4 days after the pack), plan agreed that day, a feedback form; he dies on 1 August.
struct Story {
    small: Small,
    anns_first_form: i64,
    anns_form: i64,
    guss_form: i64,
}

fn small_practice() -> Story {
    let sandbox = Sandbox::new();
    let mut store = Store::open(&sandbox.db()).unwrap();
    fill_in_letterhead(&mut store);
    let catalogue = catalogue();
    let rules = alongside::assets::rules(&catalogue).expect("the shipped rules are valid");
    let mut s = Small { sandbox, store, catalogue, rules, year: today().year() - 1 };
    let everyone_but_fred: Vec<(&str, &str)> =
        [ANN, BOB, CARA, DEE, GUS, HAL, IVY, KIM, JO].iter().map(|w| (*w, "registered")).collect();
    s.import(s.on(1, 2), &everyone_but_fred);

    // February: Bob and Hal.
    let sent = s.invite(2, s.on(2, 2));
    assert_eq!(sent, people(&[BOB, HAL]), "February's first letters");
    s.book_contact1(BOB, 2, s.on(2, 5), s.on(2, 25));
    let sent = s.invite(2, s.on(2, 16));
    assert_eq!(sent, people(&[HAL]), "Hal's reminder");
    let bob_left: Vec<(&str, &str)> = everyone_but_fred
        .iter()
        .map(|(w, st)| (*w, if *w == BOB { "left" } else { *st }))
        .collect();
    s.import(s.on(2, 20), &bob_left);

    // March: Ann, Cara, Dee, Ivy; Kim cannot be written to.
    let sent = s.invite(3, s.on(3, 2));
    assert_eq!(sent, people(&[ANN, CARA, DEE, IVY]), "March's first letters");
    s.book_contact1(CARA, 3, s.on(3, 4), s.on(3, 10));
    s.book_contact1(ANN, 3, s.on(3, 5), s.on(3, 16));
    s.book_contact1(DEE, 3, s.on(3, 5), s.on(3, 12));
    s.act(
        HAL,
        2,
        ReviewAction::Adjust(PcaReason::NoResponse, "no reply to two letters".into()),
        s.on(3, 5),
    );
    s.attend(CARA, s.on(3, 10), &[], &["weight"]);
    s.act(IVY, 3, ReviewAction::Decline("does not want a review this year".into()), s.on(3, 10));
    s.attend(DEE, s.on(3, 12), &[], &["weight"]);
    let declined = sql_rows(
        &s.sandbox.db(),
        &format!(
            "SELECT o.id FROM observation o JOIN patient p ON p.id = o.patient_id
             WHERE p.nhs_number = '{CARA}' AND o.item = 'weight' AND o.not_done_reason = 'declined'"
        ),
    );
    let weight = declined[0][0].parse().unwrap();
    let corrected_on = s.on(3, 12);
    correct(
        &mut s.store,
        &hca(),
        &s.catalogue,
        &nhs(CARA),
        weight,
        Correction::Replace(Entry { value: "72.5", ..Entry::default() }),
        "weighed after all before she left; the mark was on the wrong line",
        corrected_on,
    )
    .unwrap();
    let anns_bloods = s.attend(ANN, s.on(3, 16), &[], &[]);
    let with_fred: Vec<(&str, &str)> =
        bob_left.iter().copied().chain([(FRED, "registered")]).collect();
    s.import(s.on(3, 18), &with_fred);
    let sent = s.invite(3, s.on(3, 20));
    assert_eq!(sent, people(&[FRED]), "Fred's first letter");
    s.lab(ANN, &anns_bloods, &[], s.on(3, 16), s.on(3, 20));
    s.triage(ANN, s.on(3, 23));
    s.book_conversation(ANN, 3, s.on(3, 23), s.on(4, 8));
    s.send_pack(ANN, s.on(3, 25));
    s.book_contact1(KIM, 3, s.on(3, 28), s.on(4, 4));

    // April: Gus; Ann's conversation.
    let sent = s.invite(4, s.on(4, 1));
    assert_eq!(sent, people(&[GUS]), "April's letters");
    s.book_contact1(GUS, 4, s.on(4, 3), s.on(4, 10));
    s.agree(ANN, &anns_plan(s.on(10, 8)), "", s.on(4, 8));
    let guss_bloods = s.attend(GUS, s.on(4, 10), &[("bp-clinic", "150/95")], &[]);
    s.lab(GUS, &guss_bloods, &[("potassium", "6.2")], s.on(4, 10), s.on(4, 12));
    s.triage(GUS, s.on(4, 15));
    s.send_pack(GUS, s.on(4, 17));
    s.book_conversation(GUS, 4, s.on(4, 18), s.on(4, 21));
    s.agree(GUS, &guss_plan(s.on(10, 21)), "", s.on(4, 21));

    // Feedback forms from paper: Ann's typed from the wrong form, then corrected.
    let form = |run: Run| run.expect_code(0).json()["form"].as_i64().expect("the form's id");
    let anns_first_form = form(s.feedback(ANN, s.on(4, 10), "4-4", "1111111111", None));
    let anns_form = form(s.feedback(
        ANN,
        s.on(4, 10),
        "444",
        "4444n-4444",
        Some((anns_first_form, "typed from another person's form")),
    ));
    let guss_form = form(s.feedback(GUS, s.on(4, 25), "343", "3333333n33", None));

    // May: Ann's plan changed; August: Gus dies.
    let mut changed = anns_plan(s.on(10, 8));
    let walkers =
        Who { kind: WhoKind::Service, name: "Ashby Marsh Walkers".into(), ..Who::default() };
    changed.support = vec![action(4, "Join the Tuesday walking group", walkers, "Tuesdays")];
    s.agree(ANN, &changed, "added the walking group she found", s.on(5, 1));
    let gus_died: Vec<(&str, &str)> =
        with_fred.iter().map(|(w, st)| (*w, if *w == GUS { "deceased" } else { *st })).collect();
    s.import(s.on(8, 1), &gus_died);
    Story { small: s, anns_first_form, anns_form, guss_form }
}

/// A share written out by hand: `n` of `of`, `percent`.
fn sh(n: u64, of: u64, percent: f64) -> Fig {
    Fig { count: n, out_of: Some(of), percent: Some(percent), value: None }
}

/// A mean or median written out by hand: `n` values, `value`.
fn val(n: u64, value: f64) -> Fig {
    Fig { count: n, out_of: None, percent: None, value: Some(value) }
}

/// Checks the printed report against the hand-written figures, and this file's own
/// computation against them too (so the checker is checked).
fn check_by_hand(s: &Small, name: &str, from: NaiveDate, to: NaiveDate, by_hand: &Figures) {
    let raw = Raw::read(&s.sandbox.db(), today());
    let computed = raw.figures(from, to);
    let name = format!("{name} ({from} to {to})");
    let printed = s.report(from, to);
    let mut all = differences(&name, &printed, by_hand, None);
    let ours = differences(
        &format!("{name} [the hand-written figures against this file's own computation]"),
        &printed_from(&computed),
        by_hand,
        None,
    );
    all.extend(ours);
    assert_none(all);
}

/// Figures in the shape the report prints, for comparing two sets of expectations.
fn printed_from(figures: &Figures) -> Json {
    let mut groups = serde_json::Map::new();
    for group in GROUPS {
        let mut map = serde_json::Map::new();
        for (key, _) in FIGURES {
            let f = figures.get(group, key);
            map.insert(
                key.into(),
                serde_json::json!({"count": f.count, "out_of": f.out_of, "percent": f.percent, "value": f.value}),
            );
        }
        groups.insert(group.into(), serde_json::json!({ "figures": map }));
    }
    serde_json::json!({
        "figure_keys": FIGURES.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
        "groups": groups,
        "pack_days": figures.bars.iter().map(|n| serde_json::json!({"conversations": n})).collect::<Vec<_>>(),
    })
}

#[test]
fn an_empty_range_counts_nothing_and_gives_no_percentage() {
    let story = small_practice();
    let s = &story.small;
    // October: nothing was due, sent, held or agreed.
    check_by_hand(s, "an empty month", s.on(10, 1), s.on(10, 31), &Figures::nothing());
    let printed = s.report(s.on(10, 1), s.on(10, 31));
    for group in GROUPS {
        for (key, kind) in FIGURES {
            let figure = &printed["groups"][group]["figures"][key];
            assert_eq!(figure["count"], 0, "an empty range, group {group}, figure {key}: count");
            assert!(
                figure["percent"].is_null(),
                "an empty range, group {group}, figure {key}: percent"
            );
            assert!(
                figure["value"].is_null(),
                "an empty range, group {group}, figure {key}: value"
            );
            if kind == Kind::Share {
                assert_eq!(
                    figure["out_of"], 0,
                    "an empty range, group {group}, figure {key}: out of"
                );
            }
        }
    }
}

#[test]
fn someone_who_leaves_mid_cycle_is_due_until_they_leave_and_then_counted_as_left() {
    let story = small_practice();
    let s = &story.small;

    // 1 to 15 February: Bob has not left yet. Both February letters went out on 2 February;
    // Hal's reminder on the 16th is after the range.
    let mut before = Figures::nothing();
    before.set("all", "due", count(2));
    before.set("all", "invited", sh(2, 2, 100.0));
    before.set("all", "invitations_per_person", val(2, 1.0));
    before.set("all", "attended", sh(0, 2, 0.0));
    before.set("single", "due", count(1));
    before.set("single", "invited", sh(1, 1, 100.0));
    before.set("single", "invitations_per_person", val(1, 1.0));
    before.set("single", "attended", sh(0, 1, 0.0));
    before.copy_group("multiple", "single");
    check_by_hand(s, "before Bob left", s.on(2, 1), s.on(2, 15), &before);

    // The whole of February: Bob left on the 20th, so he is no longer due and is counted as
    // having left; Hal has had two letters.
    let mut after = Figures::nothing();
    after.set("all", "due", count(1));
    after.set("all", "invited", sh(1, 1, 100.0));
    after.set("all", "invitations_per_person", val(1, 2.0));
    after.set("all", "left_or_died", count(1));
    after.set("all", "attended", sh(0, 1, 0.0));
    after.copy_group("single", "all");
    after.set("single", "left_or_died", count(0));
    after.set("multiple", "left_or_died", count(1));
    let end_of_february = s.on(3, 1) - Days::new(1);
    check_by_hand(s, "after Bob left", s.on(2, 1), end_of_february, &after);
}

/// The first quarter: Hal, Ann, Cara, Dee, Fred, Ivy and Kim due (Bob left); Kim never
/// invited; Ann, Cara and Dee attended, Dee having declined to be weighed; Ann's pack posted.
fn first_quarter() -> Figures {
    let mut q1 = Figures::nothing();
    q1.set("all", "due", count(7));
    q1.set("all", "invited", sh(6, 7, 85.7));
    q1.set("all", "invitations_per_person", val(6, 1.2));
    q1.set("all", "left_or_died", count(1));
    q1.set("all", "attended", sh(3, 6, 50.0));
    q1.set("all", "one_visit", sh(2, 3, 66.7));
    q1.set("all", "packs_sent", count(1));
    q1.set("all", "triaged_before_pack", sh(1, 1, 100.0));
    q1.set("all", "declined", count(1));
    q1.set("all", "pca", count(1));
    q1.set("all", "pca_no_response", count(1));
    q1.copy_group("single", "all");
    q1.set("single", "due", count(6));
    q1.set("single", "invited", sh(5, 6, 83.3));
    q1.set("single", "invitations_per_person", val(5, 1.2));
    q1.set("single", "left_or_died", count(0));
    q1.set("single", "attended", sh(3, 5, 60.0));
    q1.set("multiple", "due", count(1));
    q1.set("multiple", "invited", sh(1, 1, 100.0));
    q1.set("multiple", "invitations_per_person", val(1, 1.0));
    q1.set("multiple", "left_or_died", count(1));
    q1.set("multiple", "attended", sh(0, 1, 0.0));
    q1.set("frailty", "due", count(1));
    q1.set("frailty", "invited", sh(1, 1, 100.0));
    q1.set("frailty", "invitations_per_person", val(1, 1.0));
    q1.set("frailty", "attended", sh(1, 1, 100.0));
    q1.set("frailty", "one_visit", sh(0, 1, 0.0));
    q1
}

/// The second quarter: Gus due; Ann's and Gus's conversations (14 and 4 days after their
/// packs), plans and feedback.
fn second_quarter() -> Figures {
    let mut q2 = Figures::nothing();
    q2.set("all", "due", count(1));
    q2.set("all", "invited", sh(1, 1, 100.0));
    q2.set("all", "invitations_per_person", val(1, 1.0));
    q2.set("all", "attended", sh(1, 1, 100.0));
    q2.set("all", "one_visit", sh(1, 1, 100.0));
    q2.set("all", "packs_sent", count(1));
    q2.set("all", "triaged_before_pack", sh(1, 1, 100.0));
    q2.set("all", "conversations", count(2));
    q2.set("all", "pack_in_time", sh(1, 2, 50.0));
    q2.set("all", "pack_days_median", val(2, 9.0));
    q2.set("all", "plans_agreed", count(2));
    q2.set("all", "plan_own_words_goal", sh(2, 2, 100.0));
    q2.set("all", "plan_action", sh(2, 2, 100.0));
    q2.set("all", "plan_contingency", sh(1, 2, 50.0));
    q2.set("all", "plan_review_date", sh(2, 2, 100.0));
    q2.set("all", "plan_all_four", sh(1, 2, 50.0));
    q2.set("all", "plan_signposting", sh(1, 2, 50.0));
    q2.set("all", "goals_reviewed", count(3));
    q2.set("all", "goals_achieved", sh(1, 3, 33.3));
    q2.set("all", "goals_partly_achieved", sh(0, 3, 0.0));
    q2.set("all", "goals_not_achieved", sh(1, 3, 33.3));
    q2.set("all", "goals_changed", sh(0, 3, 0.0));
    q2.set("all", "goals_no_longer_relevant", sh(0, 3, 0.0));
    q2.set("all", "goals_not_marked", sh(1, 3, 33.3));
    q2.set("all", "feedback_forms", sh(2, 2, 100.0));
    q2.set("all", "collaborate_top_score", sh(1, 2, 50.0));
    q2.set("all", "collaborate_mean", val(2, 11.0));
    q2.set("all", "care_mean", val(2, 35.0));
    q2.copy_group("single", "all");
    q2.copy_group("frailty", "all");
    q2.set("frailty", "conversations", count(1));
    q2.set("frailty", "pack_in_time", sh(0, 1, 0.0));
    q2.set("frailty", "pack_days_median", val(1, 4.0));
    q2.set("frailty", "plans_agreed", count(1));
    q2.set("frailty", "plan_own_words_goal", sh(1, 1, 100.0));
    q2.set("frailty", "plan_action", sh(1, 1, 100.0));
    q2.set("frailty", "plan_contingency", sh(0, 1, 0.0));
    q2.set("frailty", "plan_review_date", sh(1, 1, 100.0));
    q2.set("frailty", "plan_all_four", sh(0, 1, 0.0));
    q2.set("frailty", "plan_signposting", sh(1, 1, 100.0));
    q2.set("frailty", "feedback_forms", sh(1, 1, 100.0));
    q2.set("frailty", "collaborate_top_score", sh(0, 1, 0.0));
    q2.set("frailty", "collaborate_mean", val(1, 10.0));
    q2.set("frailty", "care_mean", val(1, 30.0));
    q2.bars = [1, 0, 1, 0, 0, 0];
    q2
}

#[test]
fn a_review_due_in_one_quarter_with_its_conversation_in_the_next_counts_in_each_for_its_own_steps()
{
    let story = small_practice();
    let s = &story.small;
    let end_of_march = s.on(3, 31);
    check_by_hand(s, "the first quarter", s.on(1, 1), end_of_march, &first_quarter());
    check_by_hand(s, "the second quarter", s.on(4, 1), s.on(6, 30), &second_quarter());
}

#[test]
fn only_the_corrected_feedback_form_counts() {
    let story = small_practice();
    let s = &story.small;
    let forms = sql_rows(
        &s.sandbox.db(),
        &format!(
            "SELECT r.form_id, r.kind, r.replaced_by FROM feedback_form_retraction r
             WHERE r.form_id = {}",
            story.anns_first_form
        ),
    );
    assert_eq!(
        forms,
        vec![vec![
            story.anns_first_form.to_string(),
            "superseded".into(),
            story.anns_form.to_string()
        ]],
        "Ann's first form is kept, superseded by the correction"
    );
    // Ann's first form (collaboRATE 4-4, CARE all 1s) would give no collaboRATE score and a CARE
    // total of 10; only the correction (444, CARE 40) counts beside Gus's (343, CARE 30).
    let printed = s.report(s.on(4, 1), s.on(6, 30));
    let all = &printed["groups"]["all"]["figures"];
    assert_eq!(
        json_fig(&all["collaborate_mean"]),
        val(2, 11.0),
        "the second quarter, all, collaborate_mean"
    );
    assert_eq!(json_fig(&all["care_mean"]), val(2, 35.0), "the second quarter, all, care_mean");
    assert_eq!(
        json_fig(&all["collaborate_top_score"]),
        sh(1, 2, 50.0),
        "the second quarter, all, collaborate_top_score"
    );
    assert!(story.guss_form > story.anns_form, "forms are numbered as entered");
}

#[test]
fn a_corrected_contact_1_value_is_judged_as_corrected() {
    let story = small_practice();
    let s = &story.small;
    // Cara's weight, marked declined, was corrected to a value taken at the same visit: her
    // contact 1 was all done in one visit. Dee's declined weight stands.
    let mut mid_march = Figures::nothing();
    let printed = s.report(s.on(3, 1), s.on(3, 11));
    let all = &printed["groups"]["all"]["figures"];
    assert_eq!(
        json_fig(&all["one_visit"]),
        sh(1, 1, 100.0),
        "1 to 11 March, all, one_visit: Cara attended on the 10th and her declined weight was corrected"
    );
    let printed = s.report(s.on(3, 12), s.on(3, 12));
    assert_eq!(
        json_fig(&printed["groups"]["frailty"]["figures"]["one_visit"]),
        sh(0, 1, 0.0),
        "12 March, frailty, one_visit: Dee declined to be weighed"
    );
    // The whole of 1 to 15 March, by hand, including Fred and Kim whose reviews were opened
    // after the 15th (Fred's first letter on the 20th, Kim booked on the 28th): both were due.
    mid_march.set("all", "due", count(6));
    mid_march.set("all", "invited", sh(4, 6, 66.7));
    mid_march.set("all", "invitations_per_person", val(4, 1.0));
    mid_march.set("all", "attended", sh(2, 4, 50.0));
    mid_march.set("all", "one_visit", sh(1, 2, 50.0));
    mid_march.set("all", "declined", count(1));
    mid_march.set("all", "pca", count(1));
    mid_march.set("all", "pca_no_response", count(1));
    mid_march.copy_group("single", "all");
    mid_march.set("single", "due", count(5));
    mid_march.set("single", "invited", sh(4, 5, 80.0));
    mid_march.set("multiple", "due", count(1));
    mid_march.set("multiple", "invited", sh(0, 1, 0.0));
    mid_march.set("frailty", "due", count(1));
    mid_march.set("frailty", "invited", sh(1, 1, 100.0));
    mid_march.set("frailty", "invitations_per_person", val(1, 1.0));
    mid_march.set("frailty", "attended", sh(1, 1, 100.0));
    mid_march.set("frailty", "one_visit", sh(0, 1, 0.0));
    check_by_hand(s, "a range ending mid-March", s.on(3, 1), s.on(3, 15), &mid_march);
}

#[test]
fn a_red_finding_counts_on_the_day_its_result_was_recorded() {
    let story = small_practice();
    let s = &story.small;
    let acknowledged =
        sql_rows(&s.sandbox.db(), "SELECT rule_id FROM finding_acknowledgement ORDER BY id");
    let red = red_rule_ids();
    let reds: Vec<&Vec<String>> = acknowledged.iter().filter(|r| red.contains(&r[0])).collect();
    assert_eq!(reds.len(), 1, "Gus's potassium is the one red finding: {acknowledged:?}");
    // The result was recorded in Alongside today (the lab file was imported today, dated last
    // April), so the second quarter has no red finding and today has one. (A day either side,
    // for a clock near midnight: times are stored in UTC.)
    let q2 = s.report(s.on(4, 1), s.on(6, 30));
    assert_eq!(
        json_fig(&q2["groups"]["all"]["figures"]["red_findings"]),
        count(0),
        "the second quarter, all, red_findings"
    );
    let now = s.report(today() - Days::new(1), today() + Days::new(1));
    for group in ["all", "single", "frailty"] {
        let figures = &now["groups"][group]["figures"];
        assert_eq!(
            json_fig(&figures["red_findings"]),
            count(1),
            "around today, {group}, red_findings"
        );
        assert_eq!(
            json_fig(&figures["red_hours_median"]),
            val(1, 0.0),
            "around today, {group}, red_hours_median"
        );
    }
    assert_eq!(
        json_fig(&now["groups"]["multiple"]["figures"]["red_findings"]),
        count(0),
        "around today, multiple, red_findings"
    );
}

#[test]
fn someone_marked_attended_with_nothing_recorded_at_contact_1_counts_as_one_visit() {
    // "Every contact 1 value was taken on the day attended, none declined": true of a visit
    // that recorded nothing in Alongside (the HCA pressed "attended" on the recall screen).
    let mut story = small_practice();
    let s = &mut story.small;
    let sent = s.invite(5, s.on(5, 1));
    assert_eq!(sent, people(&[JO]), "May's letters");
    s.book_contact1(JO, 5, s.on(5, 2), s.on(5, 9));
    s.act(JO, 5, ReviewAction::AttendContact1, s.on(5, 9));
    let printed = s.report(s.on(4, 1), s.on(6, 30));
    let all = &printed["groups"]["all"]["figures"];
    assert_eq!(
        json_fig(&all["attended"]),
        sh(2, 2, 100.0),
        "the second quarter, all, attended: Gus and Jo"
    );
    assert_eq!(
        json_fig(&all["one_visit"]),
        sh(2, 2, 100.0),
        "the second quarter, all, one_visit: Gus's values were all taken at his visit and Jo's \
         visit recorded none, so none was taken on another day or declined"
    );
}

#[test]
fn a_care_measure_left_blank_is_a_form_not_scored() {
    // More than two CARE answers unanswered: not scored. A CARE side left wholly blank has ten.
    let story = small_practice();
    let s = &story.small;
    s.feedback(
        ANN,
        s.on(4, 10),
        "444",
        "----------",
        Some((story.anns_form, "the CARE side was blank")),
    )
    .expect_code(0);
    let printed = s.report(s.on(4, 1), s.on(6, 30));
    let all = &printed["groups"]["all"]["figures"];
    assert_eq!(
        json_fig(&all["feedback_forms"]),
        sh(2, 2, 100.0),
        "the second quarter, all, feedback_forms"
    );
    assert_eq!(
        json_fig(&all["collaborate_mean"]),
        val(2, 11.0),
        "the second quarter, all, collaborate_mean"
    );
    assert_eq!(
        json_fig(&all["care_mean"]),
        val(1, 30.0),
        "the second quarter, all, care_mean: Gus's form only"
    );
    assert_eq!(
        json_fig(&all["care_not_scored"]),
        count(1),
        "the second quarter, all, care_not_scored: Ann's CARE answers were all left blank"
    );
}

#[test]
fn the_people_behind_pack_in_time_are_exactly_those_the_definitions_find() {
    let sandbox = demo();
    let today = today();
    let raw = Raw::read(&sandbox.db(), today);
    let frail: BTreeSet<&str> =
        raw.people.values().filter(|p| p.frail).map(|p| p.nhs.as_str()).collect();
    for (name, from, to) in demo_ranges(today) {
        let expected = raw.figures(from, to).pack_in_time_people;
        for group in ["all", "frailty"] {
            let listed = sandbox
                .alongside(&[
                    "report",
                    "--from",
                    &iso(from),
                    "--to",
                    &iso(to),
                    "--people",
                    "pack_in_time",
                    "--group",
                    group,
                ])
                .expect_code(0)
                .json();
            let entries = listed["people"].as_array().unwrap();
            let got: BTreeMap<(String, String), bool> = entries
                .iter()
                .map(|p| {
                    let who = p["nhs_number"].as_str().unwrap().to_string();
                    let due = p["due_month"].as_str().unwrap().to_string();
                    ((who, due), p["counted"].as_bool().unwrap())
                })
                .collect();
            assert_eq!(got.len(), entries.len(), "{name}, group {group}: each review listed once");
            let want: BTreeMap<(String, String), bool> = expected
                .iter()
                .filter(|((nhs, _), _)| group == "all" || frail.contains(nhs.as_str()))
                .map(|(n, c)| (n.clone(), *c))
                .collect();
            assert_eq!(got, want, "{name}, group {group}, pack_in_time: the reviews listed ((NHS number, due) → counted)");
            assert_eq!(
                listed["counted"].as_u64().unwrap(),
                want.values().filter(|c| **c).count() as u64,
                "{name}, group {group}, pack_in_time: how many counted"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The command line as a practice meets it.
// ---------------------------------------------------------------------------------------------

fn audit_count(db: &Path) -> usize {
    sql_rows(db, "SELECT count(*) FROM audit_event")[0][0].parse().unwrap()
}

#[test]
fn report_refuses_a_backwards_range_a_malformed_date_and_an_unknown_group_and_writes_nothing() {
    let sandbox = demo();
    let figures = sandbox.path("figures.csv");
    let rows = sandbox.path("rows.csv");
    let files = ["--csv", figures.to_str().unwrap(), "--rows", rows.to_str().unwrap()];
    let before = audit_count(&sandbox.db());
    let cases: [(&str, Vec<&str>, Vec<&str>); 4] = [
        (
            "a range that ends before it starts",
            vec!["--from", "2025-06-30", "--to", "2025-04-01"],
            vec!["2025-06-30", "2025-04-01", "range"],
        ),
        (
            "30 February",
            vec!["--from", "2025-02-30", "--to", "2025-04-01"],
            vec!["--from", "2025-02-30"],
        ),
        (
            "a day written the other way round",
            vec!["--from", "2025-01-01", "--to", "1/4/2025"],
            vec!["--to", "1/4/2025"],
        ),
        (
            "a group that does not exist",
            vec!["--from", "2025-01-01", "--to", "2025-03-31", "--group", "elderly"],
            vec!["elderly"],
        ),
    ];
    for (what, args, named) in cases {
        let mut all = vec!["report"];
        all.extend(&args);
        all.extend(files);
        let run = sandbox.alongside(&all).expect_code(2);
        for word in named {
            assert!(
                run.stderr.contains(word),
                "{what}: the message names '{word}': {}",
                run.stderr
            );
        }
        assert!(run.stdout.trim().is_empty(), "{what}: no report printed: {}", run.stdout);
        assert!(!figures.exists() && !rows.exists(), "{what}: no file written");
        assert_eq!(audit_count(&sandbox.db()), before, "{what}: nothing audited");
    }
}

#[test]
fn the_people_behind_pack_in_time_in_the_small_practice_are_ann_counted_and_gus_not() {
    let story = small_practice();
    let s = &story.small;
    let (from, to) = (iso(s.on(4, 1)), iso(s.on(6, 30)));
    let listed = s
        .sandbox
        .alongside(&["report", "--from", &from, "--to", &to, "--people", "pack_in_time"])
        .expect_code(0)
        .json();
    let got: Vec<(String, bool)> = listed["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["nhs_number"].as_str().unwrap().to_string(), p["counted"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        got,
        vec![(ANN.to_string(), true), (GUS.to_string(), false)],
        "the second quarter, pack_in_time: Ann's pack 14 days before, Gus's 4"
    );
}

#[test]
fn feedback_figures_are_reported_only_in_aggregate() {
    let sandbox = demo();
    for key in [
        "care_mean",
        "collaborate_mean",
        "collaborate_top_score",
        "feedback_forms",
        "care_not_scored",
    ] {
        let run = sandbox
            .alongside(&["report", "--from", "2025-01-01", "--to", "2025-12-31", "--people", key])
            .expect_code(2);
        assert!(run.stderr.contains("aggregate"), "--people {key}: says why: {}", run.stderr);
        assert!(run.stdout.trim().is_empty(), "--people {key}: nobody listed: {}", run.stdout);
    }
    let run = sandbox
        .alongside(&[
            "report",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--people",
            "happiness",
        ])
        .expect_code(2);
    assert!(run.stderr.contains("happiness"), "an unknown figure is named: {}", run.stderr);
}

#[test]
fn a_refused_list_of_people_writes_no_file() {
    let sandbox = demo();
    let figures = sandbox.path("figures.csv");
    let before = audit_count(&sandbox.db());
    sandbox
        .alongside(&[
            "report",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--people",
            "care_mean",
            "--csv",
            figures.to_str().unwrap(),
        ])
        .expect_code(2);
    assert!(
        !figures.exists(),
        "--people care_mean --csv: the refused command wrote the figures file"
    );
    assert_eq!(
        audit_count(&sandbox.db()),
        before,
        "--people care_mean --csv: the refused command audited an export"
    );
}

/// A CSV file written for Excel: its header and rows, the byte-order mark checked.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{}: UTF-8 with a byte-order mark", path.display());
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
    (header, rows)
}

#[test]
fn the_figures_and_rows_files_match_the_report_name_nobody_and_are_audited() {
    let sandbox = demo();
    let db = sandbox.db();
    let today = today();
    let (from, to) = (iso(today - Months::new(12) + Days::new(1)), iso(today));
    let figures = sandbox.path("figures.csv");
    let rows = sandbox.path("rows.csv");
    let printed = sandbox
        .alongside(&[
            "report",
            "--from",
            &from,
            "--to",
            &to,
            "--csv",
            figures.to_str().unwrap(),
            "--rows",
            rows.to_str().unwrap(),
        ])
        .expect_code(0)
        .json();

    // One row per group and figure, each saying what the JSON says.
    let (header, lines) = read_csv(&figures);
    let column = |name: &str| {
        header.iter().position(|h| h == name).unwrap_or_else(|| panic!("a '{name}' column"))
    };
    let (g, f, c, o, p, v) = (
        column("group"),
        column("figure"),
        column("count"),
        column("out_of"),
        column("percent"),
        column("value"),
    );
    assert_eq!(lines.len(), GROUPS.len() * FIGURES.len(), "one row per group and figure");
    let mut seen = BTreeSet::new();
    let number = |text: &str| (!text.is_empty()).then(|| text.parse::<f64>().expect("a number"));
    for line in &lines {
        assert!(
            seen.insert((line[g].clone(), line[f].clone())),
            "{} {} appears twice",
            line[g],
            line[f]
        );
        let figure = &printed["groups"][line[g].as_str()]["figures"][line[f].as_str()];
        assert!(
            !figure.is_null(),
            "the figures file has {} {} the report does not",
            line[g],
            line[f]
        );
        let from_file = Fig {
            count: line[c].parse().expect("a count"),
            out_of: number(&line[o]).map(|n| n as u64),
            percent: number(&line[p]),
            value: number(&line[v]),
        };
        let from_json = json_fig(figure);
        assert!(
            same(&from_file, &from_json),
            "group {}, figure {}: the file says {from_file}, the report {from_json}",
            line[g],
            line[f]
        );
    }

    // The rows name nobody: no NHS number, name, birth date or postcode from the register.
    let (_, rows_lines) = read_csv(&rows);
    assert!(!rows_lines.is_empty(), "the rows file has the reviews behind the figures");
    let register =
        sql_rows(&db, "SELECT nhs_number, family_name, given_name, date_of_birth, coalesce(postcode, '') FROM patient");
    let cells: Vec<&String> = rows_lines.iter().flatten().collect();
    let text = std::fs::read_to_string(&rows).unwrap();
    for person in &register {
        let (number, family, given, born, postcode) =
            (&person[0], &person[1], &person[2], &person[3], &person[4]);
        let spaced = format!("{} {} {}", &number[..3], &number[3..6], &number[6..]);
        for identifier in [number, &spaced, born, postcode].into_iter().filter(|i| !i.is_empty()) {
            assert!(
                !text.contains(identifier.as_str()),
                "the rows file holds {identifier} from the register"
            );
        }
        for name in [family, given] {
            let name = name.to_lowercase();
            assert!(
                !cells.iter().any(|cell| cell.to_lowercase().contains(&name)),
                "the rows file holds the name {name}"
            );
        }
    }

    // Both files are recorded as exports, naming where they went.
    let exported: Vec<String> = sql_rows(
        &db,
        "SELECT summary FROM audit_event WHERE action = 'report.exported' ORDER BY id",
    )
    .into_iter()
    .map(|r| r[0].clone())
    .collect();
    assert_eq!(exported.len(), 2, "each file is one audited export: {exported:?}");
    for file in [&figures, &rows] {
        let full = std::fs::canonicalize(file).unwrap();
        assert!(
            exported.iter().any(|s| s.contains(full.to_str().unwrap())),
            "an audit entry names {}: {exported:?}",
            full.display()
        );
    }
}

#[test]
fn feedback_add_refuses_bad_answers_wrong_dates_no_conversation_a_death_and_a_second_form() {
    let story = small_practice();
    let s = &story.small;
    let db = s.sandbox.db();
    let forms = || sql_rows(&db, "SELECT count(*) FROM feedback_form")[0][0].clone();
    let (forms_before, audit_before) = (forms(), audit_count(&db));
    let conversation = s.on(4, 8);
    let day_before = s.on(4, 7);
    let cases: [(&str, Run, Vec<String>); 6] = [
        (
            "a collaboRATE answer of 5",
            s.feedback(ANN, s.on(4, 10), "453", "5555555555", Some((story.anns_form, "retyped"))),
            vec!["collaboRATE question 2".into()],
        ),
        (
            "a CARE answer of 0",
            s.feedback(ANN, s.on(4, 10), "444", "5555505555", Some((story.anns_form, "retyped"))),
            vec!["CARE question 6".into()],
        ),
        (
            "a form dated the day before the conversation",
            s.feedback(ANN, day_before, "444", "5555555555", Some((story.anns_form, "retyped"))),
            vec![iso(day_before), iso(conversation)],
        ),
        (
            "Cara, whose conversation has not been held",
            s.feedback(CARA, s.on(4, 10), "444", "5555555555", None),
            vec!["conversation".into(), "Cara Cole".into()],
        ),
        (
            "Gus, who has died",
            s.feedback(GUS, s.on(4, 25), "444", "5555555555", None),
            vec!["died".into()],
        ),
        (
            "a second form for Ann without --replaces",
            s.feedback(ANN, s.on(4, 12), "444", "5555555555", None),
            vec!["already".into()],
        ),
    ];
    for (what, run, named) in cases {
        assert_ne!(run.code, 0, "{what}: refused");
        assert!(!run.stderr.contains("panicked"), "{what}: {}", run.stderr);
        for word in named {
            assert!(
                run.stderr.contains(&word),
                "{what}: the message names '{word}': {}",
                run.stderr
            );
        }
        // The second form is refused by the store, which the command line reports as a failure
        // (1) rather than a mistake in what was typed (2); either way nothing is kept.
        if !what.starts_with("a second form") {
            assert_eq!(run.code, 2, "{what}: a mistake in what was typed: {}", run.stderr);
        }
    }
    assert_eq!(forms(), forms_before, "no refused form was kept");
    assert_eq!(audit_count(&db), audit_before, "no refused form was audited");
}
