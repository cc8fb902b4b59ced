//! The person's care and support plan: what the care and support planning conversation
//! produces, in the structure of the PRSB Personalised Care and Support Plan standard (about
//! me; needs, goals and hopes, actions; support and signposting; a contingency plan; looking
//! ahead; the review), with the rules for agreeing it, its versions, and the printed plan the
//! person takes home ("My care and support plan").
//!
//! `PlanDocument` is the plan's content and also its stored and exchanged format (JSON, format
//! 1): the screen edits it, the store keeps it as written, and it only ever gains fields. Every
//! text is kept exactly as typed.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::letters::{fill, placeholders, Block, Letter, PrintSize, Recipient};
use super::person::format_date;
use super::practice::PracticeSettings;
use super::register::PatientDetails;

/// The plan's content, as the conversation screen edits it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlanDocument {
    /// The things the person brought to talk about, typed as said.
    pub agenda: Vec<String>,
    /// About me, in the person's words.
    pub what_matters: String,
    pub people: String,
    pub communication: String,
    /// Needs, concerns or problems, each with its goals and their actions.
    pub needs: Vec<Need>,
    /// Support and signposting: services, most from the directory, recorded as actions.
    pub support: Vec<Action>,
    pub contingency: Contingency,
    pub looking_ahead: LookingAhead,
    pub review: Review,
    /// The last plan's goals, each marked with how it went.
    pub earlier_goals: Vec<GoalReview>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Need {
    pub id: u32,
    pub text: String,
    pub goals: Vec<Goal>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Goal {
    pub id: u32,
    /// The goal or hope, as the person said it.
    pub words: String,
    /// Whether `words` are the person's own (a goal a clinician phrased is not).
    pub own_words: bool,
    /// How important it is to the person, 1 to 10.
    pub importance: Option<u8>,
    pub actions: Vec<Action>,
}

impl Default for Goal {
    fn default() -> Goal {
        Goal { id: 0, words: String::new(), own_words: true, importance: None, actions: Vec::new() }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Action {
    pub id: u32,
    pub what: String,
    pub who: Who,
    /// When, as agreed: "every morning", "by the end of March", a date.
    pub when: String,
    /// How confident the person feels about it, 1 to 10.
    pub confidence: Option<u8>,
    pub status: ActionStatus,
}

impl Action {
    /// An action says who will do it and when.
    pub fn has_who_and_when(&self) -> bool {
        let who = match self.who.kind {
            WhoKind::Me => true,
            _ => !self.who.name.trim().is_empty(),
        };
        who && !self.when.trim().is_empty() && !self.what.trim().is_empty()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Who {
    pub kind: WhoKind,
    /// A named professional or a service; for the person themself, empty.
    pub name: String,
    pub role: String,
    /// How to reach them: phone, email, address, opening times.
    pub contact: String,
    /// The directory service, when one was chosen.
    pub service: Option<i64>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WhoKind {
    /// The person themself.
    #[default]
    Me,
    Professional,
    Service,
    /// Family, a friend, a carer.
    Someone,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    #[default]
    Planned,
    InProgress,
    Done,
    Stopped,
}

impl ActionStatus {
    pub fn label(self) -> &'static str {
        match self {
            ActionStatus::Planned => "Planned",
            ActionStatus::InProgress => "In progress",
            ActionStatus::Done => "Done",
            ActionStatus::Stopped => "Stopped",
        }
    }
}

/// What to do if things get worse.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Contingency {
    /// Warning signs, one a line.
    pub triggers: String,
    pub what_to_do: String,
    pub contacts: Vec<Contact>,
    /// Rescue medicines or equipment, and where they are kept.
    pub rescue: String,
}

impl Contingency {
    pub fn is_empty(&self) -> bool {
        self.triggers.trim().is_empty()
            && self.what_to_do.trim().is_empty()
            && self.rescue.trim().is_empty()
            && self.contacts.iter().all(|c| c.name.trim().is_empty() && c.phone.trim().is_empty())
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    pub role: String,
    pub phone: String,
}

/// Wishes for the future, recorded only where it is right to talk about them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LookingAhead {
    pub wishes: String,
    pub advance_care_planning: String,
    pub documents_kept: String,
}

impl LookingAhead {
    pub fn is_empty(&self) -> bool {
        self.wishes.trim().is_empty()
            && self.advance_care_planning.trim().is_empty()
            && self.documents_kept.trim().is_empty()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Review {
    /// `YYYY-MM-DD`, or empty until agreed.
    pub date: String,
    /// Who is responsible for the review.
    pub who: String,
    pub how: ReviewHow,
}

impl Review {
    pub fn date(&self) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(self.date.trim(), "%Y-%m-%d").ok()
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewHow {
    #[default]
    Appointment,
    Phone,
    Video,
    HomeVisit,
}

impl ReviewHow {
    pub fn words(self) -> &'static str {
        match self {
            ReviewHow::Appointment => "an appointment at the practice",
            ReviewHow::Phone => "phone",
            ReviewHow::Video => "video call",
            ReviewHow::HomeVisit => "a home visit",
        }
    }
}

/// One goal of the last plan, and how it went.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GoalReview {
    /// The version of the plan the goal came from, and its id there.
    pub version: u32,
    pub goal: u32,
    pub words: String,
    pub outcome: Option<GoalOutcome>,
    pub note: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalOutcome {
    Achieved,
    PartlyAchieved,
    NotAchieved,
    Changed,
    NoLongerRelevant,
}

impl GoalOutcome {
    pub fn label(self) -> &'static str {
        match self {
            GoalOutcome::Achieved => "Achieved",
            GoalOutcome::PartlyAchieved => "Partly achieved",
            GoalOutcome::NotAchieved => "Not achieved",
            GoalOutcome::Changed => "Changed",
            GoalOutcome::NoLongerRelevant => "No longer relevant",
        }
    }
}

/// The longest a plan may be written as JSON: far beyond any conversation, short of a mistake.
pub const LONGEST_DOCUMENT: usize = 1_000_000;

impl PlanDocument {
    /// Reads a plan from its JSON, refusing unknown fields and values out of range.
    pub fn from_json(text: &str) -> Result<PlanDocument, String> {
        if text.len() > LONGEST_DOCUMENT {
            return Err("the plan is too long to save".into());
        }
        let doc: PlanDocument =
            serde_json::from_str(text).map_err(|e| format!("the plan cannot be read: {e}"))?;
        let problems = doc.problems();
        if problems.is_empty() {
            Ok(doc)
        } else {
            Err(problems.join("; "))
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a plan always serialises")
    }

    /// Values that cannot be kept, each named so the clinician can find it: scores outside 1
    /// to 10, a review date that is not a date, two items with one id.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let score = |what: String, value: Option<u8>, problems: &mut Vec<String>| {
            if let Some(v) = value.filter(|v| !(1..=10).contains(v)) {
                problems.push(format!("{what} must be from 1 to 10, not {v}"));
            }
        };
        let mut ids = BTreeSet::new();
        let mut unique = |kind: &str, id: u32, problems: &mut Vec<String>| {
            if !ids.insert((kind.to_string(), id)) {
                problems.push(format!("two {kind}s have the number {id}"));
            }
        };
        for (n, need) in self.needs.iter().enumerate() {
            unique("need", need.id, &mut problems);
            for (g, goal) in need.goals.iter().enumerate() {
                unique("goal", goal.id, &mut problems);
                let name = goal_name(n, g, goal);
                score(format!("{name}: how important"), goal.importance, &mut problems);
                for (a, action) in goal.actions.iter().enumerate() {
                    unique("action", action.id, &mut problems);
                    score(
                        format!("{name}, action {}: how confident", a + 1),
                        action.confidence,
                        &mut problems,
                    );
                }
            }
        }
        for (s, action) in self.support.iter().enumerate() {
            unique("action", action.id, &mut problems);
            score(format!("support {}: how confident", s + 1), action.confidence, &mut problems);
        }
        if !self.review.date.trim().is_empty() && self.review.date().is_none() {
            problems.push(format!(
                "the review date '{}' is not a date (YYYY-MM-DD)",
                self.review.date.trim()
            ));
        }
        problems
    }

    pub fn goals(&self) -> impl Iterator<Item = &Goal> {
        self.needs.iter().flat_map(|n| n.goals.iter())
    }

    /// Every action: those under goals, then support and signposting.
    pub fn actions(&self) -> impl Iterator<Item = &Action> {
        self.goals().flat_map(|g| g.actions.iter()).chain(self.support.iter())
    }

    /// The directory services the plan points to.
    pub fn services(&self) -> BTreeSet<i64> {
        self.actions().filter_map(|a| a.who.service).collect()
    }

    /// The draft for the next year's conversation, which starts from this plan: what the
    /// person said about themself and their contingency plan carry over to be checked, and
    /// each goal waits to be marked with how it went. Needs, goals and actions start afresh.
    pub fn next_review(&self, version: u32) -> PlanDocument {
        PlanDocument {
            what_matters: self.what_matters.clone(),
            people: self.people.clone(),
            communication: self.communication.clone(),
            contingency: self.contingency.clone(),
            looking_ahead: self.looking_ahead.clone(),
            earlier_goals: self
                .goals()
                .filter(|g| !g.words.trim().is_empty())
                .map(|g| GoalReview {
                    version,
                    goal: g.id,
                    words: g.words.clone(),
                    outcome: None,
                    note: String::new(),
                })
                .collect(),
            ..PlanDocument::default()
        }
    }
}

fn goal_name(need: usize, goal: usize, g: &Goal) -> String {
    let words = g.words.trim();
    if words.is_empty() {
        format!("need {}, goal {}", need + 1, goal + 1)
    } else {
        let mut short: String = words.chars().take(40).collect();
        if short.len() < words.len() {
            short.push('…');
        }
        format!("goal '{short}'")
    }
}

/// With whom the plan was agreed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AgreedWith {
    Person,
    Representative { name: String, relationship: String },
}

/// What the clinician gives when marking the plan agreed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agreement {
    pub with: AgreedWith,
    /// The clinician has seen that there is no contingency plan and agrees the plan anyway.
    pub no_contingency_confirmed: bool,
    /// Why an agreed plan is being changed (needed from the second version).
    pub reason: String,
}

/// Why a plan cannot be marked agreed yet: what is missing, and warnings the clinician must
/// confirm. Both in words a clinician can act on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NotYetAgreed {
    pub missing: Vec<String>,
    pub to_confirm: Vec<String>,
}

impl std::fmt::Display for NotYetAgreed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = self.missing.clone();
        parts.extend(self.to_confirm.iter().map(|w| format!("{w} (confirm to go on)")));
        write!(f, "the plan cannot be agreed yet: {}", parts.join("; "))
    }
}

pub const NO_CONTINGENCY: &str =
    "there is no contingency plan: what to do and who to contact if things get worse";

/// Whether `doc` may be agreed today as the version after `latest` (none for a first plan).
/// A care plan, not a treatment plan: it needs a goal in the person's own words, an action with
/// who and when, and a review date after today; a missing contingency plan must be confirmed.
pub fn check_agreement(
    doc: &PlanDocument,
    agreement: &Agreement,
    latest: Option<u32>,
    today: NaiveDate,
) -> Result<u32, NotYetAgreed> {
    let mut not_yet = NotYetAgreed::default();
    let problems = doc.problems();
    not_yet.missing.extend(problems);
    if !doc.goals().any(|g| g.own_words && !g.words.trim().is_empty()) {
        not_yet.missing.push("at least one goal in the person's own words".into());
    }
    if !doc.actions().any(Action::has_who_and_when) {
        not_yet.missing.push("at least one action that says what, who and when".into());
    }
    match doc.review.date() {
        None => not_yet.missing.push("a review date".into()),
        Some(date) if date <= today => not_yet
            .missing
            .push(format!("a review date after today (it says {})", format_date(date))),
        Some(_) => {}
    }
    if let AgreedWith::Representative { name, relationship } = &agreement.with {
        if name.trim().is_empty() || relationship.trim().is_empty() {
            not_yet
                .missing
                .push("the representative's name and their relationship to the person".into());
        }
    }
    if latest.is_some() && agreement.reason.trim().is_empty() {
        not_yet.missing.push("why the plan is changing (this will be a new version)".into());
    }
    if doc.contingency.is_empty() && !agreement.no_contingency_confirmed {
        not_yet.to_confirm.push(NO_CONTINGENCY.into());
    }
    if not_yet.missing.is_empty() && not_yet.to_confirm.is_empty() {
        Ok(latest.map_or(1, |v| v + 1))
    } else {
        Err(not_yet)
    }
}

/// The wording of the printed plan (`assets/texts/careplan.json`).
#[derive(Clone, Debug)]
pub struct CarePlanTexts {
    texts: BTreeMap<String, String>,
}

const TEXT_KEYS: &[&str] = &[
    "subject",
    "intro",
    "representative",
    "agenda_heading",
    "what_matters_heading",
    "people_heading",
    "communication_heading",
    "earlier_goals_heading",
    "goals_heading",
    "importance",
    "my_actions_heading",
    "confidence",
    "helpers_heading",
    "support_heading",
    "worse_heading",
    "triggers",
    "what_to_do",
    "contacts",
    "rescue",
    "no_contingency",
    "ahead_heading",
    "wishes",
    "advance_care_planning",
    "documents_kept",
    "review_heading",
    "review",
    "practice_contact",
    "version",
];

const TEXT_PLACEHOLDERS: &[&str] = &[
    "name",
    "practice",
    "phone",
    "date",
    "with_whom",
    "representative",
    "relationship",
    "score",
    "how",
    "who",
    "version",
];

impl CarePlanTexts {
    pub fn from_json(text: &str) -> Result<CarePlanTexts, String> {
        let texts: BTreeMap<String, String> =
            serde_json::from_str(text).map_err(|e| format!("care plan texts: not valid: {e}"))?;
        for key in TEXT_KEYS {
            match texts.get(*key) {
                None => return Err(format!("care plan texts: {key} is missing")),
                Some(t) if t.trim().is_empty() => {
                    return Err(format!("care plan texts: {key} has an empty text"))
                }
                Some(t) => {
                    if let Some(unknown) =
                        placeholders(t).into_iter().find(|p| !TEXT_PLACEHOLDERS.contains(p))
                    {
                        return Err(format!(
                            "care plan texts: in {key}, {{{unknown}}} is not a placeholder"
                        ));
                    }
                }
            }
        }
        if let Some(key) = texts.keys().find(|k| *k != "about" && !TEXT_KEYS.contains(&k.as_str()))
        {
            return Err(format!("care plan texts: {key} is not a text the plan uses"));
        }
        Ok(CarePlanTexts { texts })
    }

    fn get(&self, key: &str) -> &str {
        self.texts.get(key).map(String::as_str).unwrap_or_default()
    }
}

/// An agreed plan, as the printed plan describes it.
#[derive(Clone, Debug)]
pub struct AgreedPlan<'a> {
    pub version: u32,
    pub agreed_on: NaiveDate,
    pub with: &'a AgreedWith,
    /// Who held the conversation.
    pub clinician: &'a str,
    pub doc: &'a PlanDocument,
}

/// "My care and support plan": the person's own copy, in their words, with who will help and
/// how to reach them, what to do if things get worse, and when the plan will be looked at again.
pub fn plan_letter(
    person: &PatientDetails,
    plan: &AgreedPlan<'_>,
    texts: &CarePlanTexts,
    settings: &PracticeSettings,
    today: NaiveDate,
) -> Letter {
    let doc = plan.doc;
    let letterhead = &settings.letterhead;
    let name = format!("{} {}", person.name.given(), person.name.family());
    let (representative, relationship) = match plan.with {
        AgreedWith::Representative { name, relationship } => (name.as_str(), relationship.as_str()),
        AgreedWith::Person => ("", ""),
    };
    let agreed_on = format_date(plan.agreed_on);
    let version = plan.version.to_string();
    let base = [
        ("name", name.as_str()),
        ("practice", letterhead.practice_name.as_str()),
        ("phone", letterhead.phone.as_str()),
        ("date", agreed_on.as_str()),
        ("with_whom", plan.clinician),
        ("representative", representative),
        ("relationship", relationship),
        ("version", version.as_str()),
    ];
    let text = |key: &str| fill(texts.get(key), &base);
    let with = |key: &str, extra: &[(&str, &str)]| {
        // The extra values first: they replace a base value of the same name ({date}).
        let mut values: Vec<(&str, &str)> = extra.to_vec();
        values.extend_from_slice(&base);
        fill(texts.get(key), &values)
    };
    let mut blocks = vec![Block::Paragraph(text("intro"))];
    if !representative.is_empty() {
        blocks.push(Block::Paragraph(text("representative")));
    }
    let section = |heading: &str, body: &str, blocks: &mut Vec<Block>| {
        if !body.trim().is_empty() {
            blocks.push(Block::Heading(text(heading)));
            blocks.extend(paragraphs(body));
        }
    };
    section("what_matters_heading", &doc.what_matters, &mut blocks);
    section("people_heading", &doc.people, &mut blocks);
    section("communication_heading", &doc.communication, &mut blocks);
    let agenda: Vec<String> =
        doc.agenda.iter().map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect();
    if !agenda.is_empty() {
        blocks.push(Block::Heading(text("agenda_heading")));
        blocks.push(Block::Bullets(agenda));
    }
    let reviewed: Vec<String> = doc
        .earlier_goals
        .iter()
        .filter_map(|r| {
            let outcome = r.outcome?;
            let mut line = format!("{}: {}", r.words.trim(), outcome.label().to_lowercase());
            if !r.note.trim().is_empty() {
                line.push_str(&format!(". {}", r.note.trim()));
            }
            Some(line)
        })
        .collect();
    if !reviewed.is_empty() {
        blocks.push(Block::Heading(text("earlier_goals_heading")));
        blocks.push(Block::Bullets(reviewed));
    }

    let goals: Vec<&Goal> = doc.goals().filter(|g| !g.words.trim().is_empty()).collect();
    if !goals.is_empty() {
        blocks.push(Block::Heading(text("goals_heading")));
        let lines = goals
            .iter()
            .map(|goal| {
                let mut line = goal.words.trim().to_string();
                if let Some(score) = goal.importance {
                    let score = score.to_string();
                    line.push_str(&format!(". {}", with("importance", &[("score", &score)])));
                }
                line
            })
            .collect();
        blocks.push(Block::Bullets(lines));
    }

    let mine: Vec<String> = doc
        .actions()
        .filter(|a| a.who.kind == WhoKind::Me && !a.what.trim().is_empty())
        .map(|a| action_line(a, &with))
        .collect();
    if !mine.is_empty() {
        blocks.push(Block::Heading(text("my_actions_heading")));
        blocks.push(Block::Bullets(mine));
    }
    let helpers: Vec<String> = doc
        .goals()
        .flat_map(|g| g.actions.iter())
        .filter(|a| a.who.kind != WhoKind::Me && !a.what.trim().is_empty())
        .map(|a| helper_line(a, &with))
        .collect();
    if !helpers.is_empty() {
        blocks.push(Block::Heading(text("helpers_heading")));
        blocks.push(Block::Bullets(helpers));
    }
    let support: Vec<String> = doc
        .support
        .iter()
        .filter(|a| !a.who.name.trim().is_empty() || !a.what.trim().is_empty())
        .map(|a| helper_line(a, &with))
        .collect();
    if !support.is_empty() {
        blocks.push(Block::Heading(text("support_heading")));
        blocks.push(Block::Bullets(support));
    }

    blocks.push(Block::Heading(text("worse_heading")));
    let c = &doc.contingency;
    if c.is_empty() {
        blocks.push(Block::Paragraph(text("no_contingency")));
    } else {
        let triggers: Vec<String> = c
            .triggers
            .lines()
            .map(|l| l.trim().trim_start_matches(['-', '•']).trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
        if !triggers.is_empty() {
            blocks.push(Block::Paragraph(text("triggers")));
            blocks.push(Block::Bullets(triggers));
        }
        if !c.what_to_do.trim().is_empty() {
            blocks.push(Block::Paragraph(text("what_to_do")));
            blocks.extend(paragraphs(&c.what_to_do));
        }
        let contacts: Vec<String> = c
            .contacts
            .iter()
            .filter(|p| !p.name.trim().is_empty() || !p.phone.trim().is_empty())
            .map(|p| {
                let mut line = p.name.trim().to_string();
                if !p.role.trim().is_empty() {
                    line.push_str(&format!(" ({})", p.role.trim()));
                }
                if !p.phone.trim().is_empty() {
                    line.push_str(&format!(": {}", p.phone.trim()));
                }
                line
            })
            .collect();
        if !contacts.is_empty() {
            blocks.push(Block::Paragraph(text("contacts")));
            blocks.push(Block::Bullets(contacts));
        }
        if !c.rescue.trim().is_empty() {
            blocks.push(Block::Paragraph(text("rescue")));
            blocks.extend(paragraphs(&c.rescue));
        }
    }

    let ahead = &doc.looking_ahead;
    if !ahead.is_empty() {
        blocks.push(Block::Heading(text("ahead_heading")));
        for (key, body) in [
            ("wishes", &ahead.wishes),
            ("advance_care_planning", &ahead.advance_care_planning),
            ("documents_kept", &ahead.documents_kept),
        ] {
            if !body.trim().is_empty() {
                blocks.push(Block::Paragraph(text(key)));
                blocks.extend(paragraphs(body));
            }
        }
    }

    blocks.push(Block::Heading(text("review_heading")));
    let review_date = doc.review.date().map(format_date).unwrap_or_default();
    let who = if doc.review.who.trim().is_empty() {
        letterhead.practice_name.clone()
    } else {
        doc.review.who.trim().to_string()
    };
    blocks.push(Block::Paragraph(with(
        "review",
        &[("date", &review_date), ("how", doc.review.how.words()), ("who", &who)],
    )));
    blocks.push(Block::Paragraph(text("practice_contact")));
    blocks.push(Block::Paragraph(text("version")));

    let recipient = Recipient::of(person)
        .unwrap_or_else(|_| Recipient { name: name.clone(), address: Vec::new() });
    Letter {
        letterhead: letterhead.clone(),
        date: today,
        continuation: format!("{name}, NHS number {}", person.nhs_number),
        reference: vec![format!("NHS number: {}", person.nhs_number)],
        recipient,
        print: PrintSize::for_needs(&person.communication_needs),
        subject: text("subject"),
        blocks,
    }
}

/// Text typed with blank lines becomes paragraphs; single line breaks are kept as spaces.
fn paragraphs(text: &str) -> Vec<Block> {
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .map(Block::Paragraph)
        .collect()
}

/// Fills a text's placeholders with the plan's values and some of its own.
type Fill<'a> = dyn Fn(&str, &[(&str, &str)]) -> String + 'a;

fn action_line(action: &Action, with: &Fill<'_>) -> String {
    let mut line = action.what.trim().to_string();
    if !action.when.trim().is_empty() {
        line.push_str(&format!(": {}", action.when.trim()));
    }
    if let Some(score) = action.confidence {
        line.push_str(&format!(". {}", with("confidence", &[("score", &score.to_string())])));
    }
    line
}

fn helper_line(action: &Action, with: &Fill<'_>) -> String {
    let who = &action.who;
    let mut line = who.name.trim().to_string();
    if !who.role.trim().is_empty() {
        line.push_str(&format!(" ({})", who.role.trim()));
    }
    let what = action_line(action, with);
    if !what.is_empty() {
        if line.is_empty() {
            line = what;
        } else {
            line.push_str(&format!(": {what}"));
        }
    }
    if !who.contact.trim().is_empty() {
        line.push_str(&format!(". Contact: {}", who.contact.trim()));
    }
    line
}

#[cfg(test)]
pub(crate) mod tests;
