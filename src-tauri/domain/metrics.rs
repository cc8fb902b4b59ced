//! Is personalised care and support planning really happening? The practice's fidelity figures
//! for any range of dates, overall and by condition group, worked out from each review's stored
//! events (never from counters), with the people behind every figure for staff to open.
//!
//! Each figure says what it counts and what it counts out of. Figures about the people due
//! (invited, attended, everything done in one visit) follow the reviews due in a month that
//! overlaps the range, as things stood at the end of the range; figures about what happened
//! (packs, red findings, conversations, plans, feedback) count events dated within the range.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::calendar::YearMonth;
use super::careplan::{GoalOutcome, PlanDocument};
use super::cycle::PcaReason;
use super::feedback::{CareScore, FeedbackScores};

/// The dates a report covers, both days included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    from: NaiveDate,
    to: NaiveDate,
}

impl Range {
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Range, String> {
        if from > to {
            return Err(format!(
                "the range starts on {from} after it ends on {to}: give the earlier date first"
            ));
        }
        Ok(Range { from, to })
    }

    /// The whole of one month.
    pub fn month(month: YearMonth) -> Range {
        let next = if month.month() == 12 {
            YearMonth::new(month.year() + 1, 1)
        } else {
            YearMonth::new(month.year(), month.month() + 1)
        };
        let to = next.map_or(NaiveDate::MAX, |n| n.first_day().pred_opt().expect("a day"));
        Range { from: month.first_day(), to }
    }

    pub fn from(&self) -> NaiveDate {
        self.from
    }

    pub fn to(&self) -> NaiveDate {
        self.to
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// Whether any day of the month lies in the range.
    pub fn overlaps(&self, month: YearMonth) -> bool {
        YearMonth::of(self.from) <= month && month <= YearMonth::of(self.to)
    }

    /// Every month the range touches, in order.
    pub fn months(&self) -> Vec<YearMonth> {
        let mut months = Vec::new();
        let mut month = YearMonth::of(self.from);
        while month <= YearMonth::of(self.to) {
            months.push(month);
            month = match YearMonth::new(month.year(), month.month() + 1) {
                Some(next) => next,
                None => match YearMonth::new(month.year() + 1, 1) {
                    Some(next) => next,
                    None => break,
                },
            };
        }
        months
    }

    /// The months a trend shows: every month of the range, and at least the twelve months up
    /// to its end, so a quarter is seen against the year before it.
    pub fn trend_months(&self) -> Vec<YearMonth> {
        let end = YearMonth::of(self.to);
        let mut year_before = end.first_day();
        for _ in 0..11 {
            year_before = year_before.pred_opt().expect("a day").with_day(1).expect("a day");
        }
        let from = self.from.min(year_before);
        Range { from, to: self.to }.months()
    }
}

/// The condition groups the figures are given for. A person living with frailty is also in the
/// group for their number of long-term conditions (frailty itself is not counted as one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    All,
    Single,
    Multiple,
    Frailty,
}

impl Group {
    pub const EVERY: [Group; 4] = [Group::All, Group::Single, Group::Multiple, Group::Frailty];

    pub fn key(self) -> &'static str {
        match self {
            Group::All => "all",
            Group::Single => "single",
            Group::Multiple => "multiple",
            Group::Frailty => "frailty",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Group::All => "Everyone",
            Group::Single => "One long-term condition",
            Group::Multiple => "Two or more long-term conditions",
            Group::Frailty => "Living with frailty",
        }
    }

    pub fn parse(key: &str) -> Option<Group> {
        Group::EVERY.into_iter().find(|g| g.key() == key)
    }

    /// Whether a person with `ltc_count` long-term conditions, frail or not, is in the group.
    pub fn holds(self, ltc_count: u32, frail: bool) -> bool {
        match self {
            Group::All => true,
            Group::Single => ltc_count == 1,
            Group::Multiple => ltc_count >= 2,
            Group::Frailty => frail,
        }
    }
}

/// What an agreed plan contains, for the report: the plan's own content in another form,
/// worked out once when it is agreed (a plan is never changed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PlanQuality {
    /// At least one goal in the person's own words.
    pub own_words_goal: bool,
    /// At least one action saying who will do what and when.
    pub action_with_who_and_when: bool,
    /// A contingency plan (a plan agreed with none confirmed does not count).
    pub contingency: bool,
    pub review_date: bool,
    /// At least one "more than medicine" service or activity in support and signposting.
    pub signposting: bool,
    /// The last plan's goals, by how they went.
    pub goals: GoalTally,
}

/// The last plan's goals reviewed in a plan, by outcome.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GoalTally {
    pub achieved: u32,
    pub partly_achieved: u32,
    pub not_achieved: u32,
    pub changed: u32,
    pub no_longer_relevant: u32,
    pub not_marked: u32,
}

impl GoalTally {
    pub fn total(&self) -> u32 {
        self.achieved
            + self.partly_achieved
            + self.not_achieved
            + self.changed
            + self.no_longer_relevant
            + self.not_marked
    }
}

impl PlanQuality {
    pub fn of(doc: &PlanDocument) -> PlanQuality {
        let goals = doc.needs.iter().flat_map(|n| &n.goals);
        let own_words_goal = goals.clone().any(|g| g.own_words && !g.words.trim().is_empty());
        let action_with_who_and_when =
            goals.flat_map(|g| &g.actions).chain(&doc.support).any(|a| a.has_who_and_when());
        let signposting = doc.support.iter().any(|a| {
            !a.what.trim().is_empty() || a.who.service.is_some() || !a.who.name.trim().is_empty()
        });
        let mut tally = GoalTally::default();
        for goal in &doc.earlier_goals {
            let slot = match goal.outcome {
                Some(GoalOutcome::Achieved) => &mut tally.achieved,
                Some(GoalOutcome::PartlyAchieved) => &mut tally.partly_achieved,
                Some(GoalOutcome::NotAchieved) => &mut tally.not_achieved,
                Some(GoalOutcome::Changed) => &mut tally.changed,
                Some(GoalOutcome::NoLongerRelevant) => &mut tally.no_longer_relevant,
                None => &mut tally.not_marked,
            };
            *slot += 1;
        }
        PlanQuality {
            own_words_goal,
            action_with_who_and_when,
            contingency: !doc.contingency.is_empty(),
            review_date: doc.review.date().is_some(),
            signposting,
            goals: tally,
        }
    }

    /// The four things every plan should have (PRSB; NHS England's criteria).
    pub fn has_all_four(&self) -> bool {
        self.own_words_goal && self.action_with_who_and_when && self.contingency && self.review_date
    }
}

/// A step of a review: the day it happened and its place in the order things were recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    pub on: NaiveDate,
    pub order: i64,
}

/// A red finding that a clinician acknowledged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RedFinding {
    /// When the result was recorded in Alongside (entered or imported).
    pub recorded_at: NaiveDateTime,
    pub acknowledged_at: NaiveDateTime,
}

impl RedFinding {
    pub fn hours(&self) -> f64 {
        (self.acknowledged_at - self.recorded_at).num_seconds() as f64 / 3600.0
    }
}

/// Everything the report needs about one person's review in one year, read from its stored
/// events. A person due with no review opened yet has no `cycle_id` and no events.
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewFacts {
    pub cycle_id: Option<i64>,
    pub patient_id: i64,
    pub ltc_count: u32,
    pub frail: bool,
    pub due: YearMonth,
    /// The days invitations were sent, in order.
    pub invitations: Vec<NaiveDate>,
    pub attended: Option<NaiveDate>,
    /// At contact 1, every item was taken (or its sample sent to the lab) at that one visit:
    /// nothing taken on another day, nothing left undone because the person declined or could
    /// not. Items recorded with their own date (a screening done elsewhere) do not count.
    pub one_visit: bool,
    pub triaged: Option<Step>,
    pub pack_sent: Option<Step>,
    pub conversation: Option<NaiveDate>,
    pub agreed: Option<NaiveDate>,
    pub declined: Option<NaiveDate>,
    pub adjusted: Option<(NaiveDate, PcaReason)>,
    /// The day the review closed because the person left the practice or died.
    pub ended: Option<NaiveDate>,
    /// The plan agreed at this review, as first agreed.
    pub plan: Option<PlanQuality>,
    pub red_findings: Vec<RedFinding>,
    pub feedback: Option<FeedbackScores>,
}

impl ReviewFacts {
    /// A person due in `due` with no review opened.
    pub fn not_opened(patient_id: i64, ltc_count: u32, frail: bool, due: YearMonth) -> ReviewFacts {
        ReviewFacts {
            cycle_id: None,
            patient_id,
            ltc_count,
            frail,
            due,
            invitations: Vec::new(),
            attended: None,
            one_visit: false,
            triaged: None,
            pack_sent: None,
            conversation: None,
            agreed: None,
            declined: None,
            adjusted: None,
            ended: None,
            plan: None,
            red_findings: Vec::new(),
            feedback: None,
        }
    }

    /// In the cohort due in the range: due in a month of the range, and not closed because the
    /// person left or died by its end.
    fn due_in(&self, c: &Context) -> bool {
        c.range.overlaps(self.due) && self.ended.is_none_or(|d| d > c.range.to)
    }

    fn invited_by(&self, day: NaiveDate) -> usize {
        self.invitations.iter().filter(|d| **d <= day).count()
    }

    fn conversation_in(&self, c: &Context) -> Option<NaiveDate> {
        self.conversation.filter(|d| c.range.contains(*d))
    }

    /// Days from the pack going to the conversation, for a conversation held in the range.
    fn pack_days(&self, c: &Context) -> Option<i64> {
        let held = self.conversation_in(c)?;
        let pack = self.pack_sent?;
        (pack.on <= held).then(|| (held - pack.on).num_days())
    }

    fn plan_in(&self, c: &Context) -> Option<&PlanQuality> {
        self.agreed.filter(|d| c.range.contains(*d)).and(self.plan.as_ref())
    }
}

/// What a figure is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Measure {
    Count(u32),
    /// `count` out of `of`.
    Share {
        count: u32,
        of: u32,
    },
    /// The mean of `of` values.
    Mean {
        total: f64,
        of: u32,
    },
    /// The median of `of` values (none when there are none).
    Median {
        value: Option<f64>,
        of: u32,
    },
}

impl Measure {
    /// The percentage of a share to one decimal place; none when there is nothing to count.
    /// Never 100 unless it is everyone, never 0 unless it is no one (1,999 of 2,000 is 99.9).
    pub fn percent(&self) -> Option<f64> {
        match *self {
            Measure::Share { count, of } if of > 0 => {
                let tenths = (f64::from(count) * 1000.0 / f64::from(of)).round();
                let tenths = match (count, tenths) {
                    (0, _) => 0.0,
                    (_, t) if count == of => t,
                    (_, t) => t.clamp(1.0, 999.0),
                };
                Some(tenths / 10.0)
            }
            _ => None,
        }
    }

    /// A mean or median to one decimal place.
    pub fn value(&self) -> Option<f64> {
        let round = |v: f64| (v * 10.0).round() / 10.0;
        match *self {
            Measure::Mean { total, of } if of > 0 => Some(round(total / f64::from(of))),
            Measure::Median { value, .. } => value.map(round),
            _ => None,
        }
    }

    /// The count and what it is out of, for showing both.
    pub fn count(&self) -> u32 {
        match *self {
            Measure::Count(n) => n,
            Measure::Share { count, .. } => count,
            Measure::Mean { of, .. } | Measure::Median { of, .. } => of,
        }
    }

    pub fn of(&self) -> Option<u32> {
        match *self {
            Measure::Share { of, .. } => Some(of),
            _ => None,
        }
    }
}

/// The parts of the report, in the order the screen and the printed report show them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Invitations,
    Contact1,
    ProfessionalPreparation,
    PatientPreparation,
    Conversations,
    PlanQuality,
    Goals,
    Feedback,
}

impl Section {
    pub const EVERY: [Section; 8] = [
        Section::Invitations,
        Section::Contact1,
        Section::ProfessionalPreparation,
        Section::PatientPreparation,
        Section::Conversations,
        Section::PlanQuality,
        Section::Goals,
        Section::Feedback,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Section::Invitations => "invitations",
            Section::Contact1 => "contact1",
            Section::ProfessionalPreparation => "professional_preparation",
            Section::PatientPreparation => "patient_preparation",
            Section::Conversations => "conversations",
            Section::PlanQuality => "plan_quality",
            Section::Goals => "goals",
            Section::Feedback => "feedback",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Section::Invitations => "Invitations",
            Section::Contact1 => "Contact 1: one appointment for everything",
            Section::ProfessionalPreparation => "Professional preparation: results triaged",
            Section::PatientPreparation => "Patient preparation: results in time",
            Section::Conversations => "Conversations and plans",
            Section::PlanQuality => "What the plans contain",
            Section::Goals => "Goals from the last plan",
            Section::Feedback => "What people said",
        }
    }
}

/// How a figure is tallied.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Count,
    Share,
    Mean,
    Median,
}

/// A figure's definition: what one review adds to it.
#[derive(Clone, Copy, Debug)]
pub struct Definition {
    pub key: &'static str,
    pub label: &'static str,
    pub section: Section,
    /// Whether staff may open it to the people behind it (feedback is reported only in
    /// aggregate).
    pub drillable: bool,
    kind: Kind,
    add: fn(&ReviewFacts, &Context, &mut Tally),
}

/// What the figures are worked out against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Context {
    pub range: Range,
    /// The practice's least days between the pack and the conversation.
    pub pack_minimum_days: u32,
}

/// One figure's running tally.
#[derive(Clone, Debug, Default)]
struct Tally {
    of: u32,
    count: u32,
    values: Vec<f64>,
}

impl Tally {
    /// One member of the population, counted or not.
    fn one(&mut self, counted: bool) {
        self.of += 1;
        self.count += u32::from(counted);
    }

    fn many(&mut self, of: u32, count: u32) {
        self.of += of;
        self.count += count;
    }

    fn value(&mut self, value: f64) {
        self.of += 1;
        self.count += 1;
        self.values.push(value);
    }

    fn measure(mut self, kind: Kind) -> Measure {
        match kind {
            Kind::Count => Measure::Count(self.count),
            Kind::Share => Measure::Share { count: self.count, of: self.of },
            Kind::Mean => Measure::Mean { total: self.values.iter().sum(), of: self.of },
            Kind::Median => {
                self.values.sort_by(f64::total_cmp);
                let n = self.values.len();
                let value = match n {
                    0 => None,
                    _ if n % 2 == 1 => Some(self.values[n / 2]),
                    _ => Some((self.values[n / 2 - 1] + self.values[n / 2]) / 2.0),
                };
                Measure::Median { value, of: n as u32 }
            }
        }
    }
}

macro_rules! figure {
    ($key:literal, $label:literal, $section:ident, $kind:ident, $drill:literal, $add:expr) => {
        Definition {
            key: $key,
            label: $label,
            section: Section::$section,
            drillable: $drill,
            kind: Kind::$kind,
            add: $add,
        }
    };
}

fn pca(f: &ReviewFacts, c: &Context, reason: Option<PcaReason>, t: &mut Tally) {
    if let Some((on, why)) = &f.adjusted {
        if c.range.contains(*on) && reason.is_none_or(|r| r == *why) {
            t.one(true);
        }
    }
}

fn plan(f: &ReviewFacts, c: &Context, t: &mut Tally, has: fn(&PlanQuality) -> bool) {
    if let Some(plan) = f.plan_in(c) {
        t.one(has(plan));
    }
}

fn goals(f: &ReviewFacts, c: &Context, t: &mut Tally, count: fn(&GoalTally) -> u32) {
    if let Some(plan) = f.plan_in(c) {
        t.many(plan.goals.total(), count(&plan.goals));
    }
}

fn feedback_in<'f>(f: &'f ReviewFacts, c: &Context) -> Option<&'f FeedbackScores> {
    f.conversation_in(c).and(f.feedback.as_ref())
}

/// Every figure of the report, in order. The keys are the report's stable names (README).
pub const FIGURES: &[Definition] = &[
    figure!("due", "Reviews due", Invitations, Count, true, |f, c, t| {
        if f.due_in(c) {
            t.one(true)
        }
    }),
    figure!("invited", "Invited", Invitations, Share, true, |f, c, t| {
        if f.due_in(c) {
            t.one(f.invited_by(c.range.to) > 0)
        }
    }),
    figure!(
        "invitations_per_person",
        "Invitations per person invited",
        Invitations,
        Mean,
        true,
        |f, c, t| {
            let n = f.invited_by(c.range.to);
            if f.due_in(c) && n > 0 {
                t.value(n as f64)
            }
        }
    ),
    figure!(
        "left_or_died",
        "Left the practice or died before the review ended",
        Invitations,
        Count,
        true,
        |f, c, t| {
            if c.range.overlaps(f.due) && f.ended.is_some_and(|d| d <= c.range.to) {
                t.one(true)
            }
        }
    ),
    figure!(
        "attended",
        "Invited people who came to contact 1",
        Contact1,
        Share,
        true,
        |f, c, t| {
            if f.due_in(c) && f.invited_by(c.range.to) > 0 {
                t.one(f.attended.is_some_and(|d| d <= c.range.to))
            }
        }
    ),
    figure!(
        "one_visit",
        "Everything due done in that one visit",
        Contact1,
        Share,
        true,
        |f, c, t| {
            if f.due_in(c) && f.attended.is_some_and(|d| d <= c.range.to) {
                t.one(f.one_visit)
            }
        }
    ),
    figure!(
        "packs_sent",
        "Preparation packs sent",
        ProfessionalPreparation,
        Count,
        true,
        |f, c, t| {
            if f.pack_sent.is_some_and(|p| c.range.contains(p.on)) {
                t.one(true)
            }
        }
    ),
    figure!(
        "triaged_before_pack",
        "Triaged by a clinician before the pack was sent",
        ProfessionalPreparation,
        Share,
        true,
        |f, c, t| {
            if let Some(pack) = f.pack_sent.filter(|p| c.range.contains(p.on)) {
                t.one(f.triaged.is_some_and(|tr| tr.order < pack.order && tr.on <= pack.on))
            }
        }
    ),
    figure!(
        "red_findings",
        "Red findings acknowledged",
        ProfessionalPreparation,
        Count,
        true,
        |f, c, t| {
            let n = f.red_findings.iter().filter(|r| c.range.contains(r.recorded_at.date())).count()
                as u32;
            t.many(n, n)
        }
    ),
    figure!(
        "red_hours_median",
        "Median hours from a red result to its acknowledgement",
        ProfessionalPreparation,
        Median,
        true,
        |f, c, t| {
            for r in f.red_findings.iter().filter(|r| c.range.contains(r.recorded_at.date())) {
                t.value(r.hours())
            }
        }
    ),
    figure!(
        "conversations",
        "Care and support planning conversations held",
        PatientPreparation,
        Count,
        true,
        |f, c, t| {
            if f.conversation_in(c).is_some() {
                t.one(true)
            }
        }
    ),
    figure!(
        "pack_in_time",
        "Pack sent in time before the conversation",
        PatientPreparation,
        Share,
        true,
        |f, c, t| {
            if f.conversation_in(c).is_some() {
                t.one(f.pack_days(c).is_some_and(|d| d >= i64::from(c.pack_minimum_days)))
            }
        }
    ),
    figure!(
        "pack_days_median",
        "Median days between pack and conversation",
        PatientPreparation,
        Median,
        true,
        |f, c, t| {
            if let Some(days) = f.pack_days(c) {
                t.value(days as f64)
            }
        }
    ),
    figure!(
        "plans_agreed",
        "Care and support plans agreed",
        Conversations,
        Count,
        true,
        |f, c, t| {
            if f.agreed.is_some_and(|d| c.range.contains(d)) {
                t.one(true)
            }
        }
    ),
    figure!("declined", "Declined their review", Conversations, Count, true, |f, c, t| {
        if f.declined.is_some_and(|d| c.range.contains(d)) {
            t.one(true)
        }
    }),
    figure!("pca", "Personalised care adjustments", Conversations, Count, true, |f, c, t| pca(
        f, c, None, t
    )),
    figure!("pca_unsuitable", "Adjustment: unsuitable", Conversations, Count, true, |f, c, t| pca(
        f,
        c,
        Some(PcaReason::Unsuitable),
        t
    )),
    figure!("pca_declined", "Adjustment: declined", Conversations, Count, true, |f, c, t| pca(
        f,
        c,
        Some(PcaReason::Declined),
        t
    )),
    figure!(
        "pca_no_response",
        "Adjustment: no response to invitations",
        Conversations,
        Count,
        true,
        |f, c, t| pca(f, c, Some(PcaReason::NoResponse), t)
    ),
    figure!(
        "pca_newly_diagnosed_or_registered",
        "Adjustment: newly diagnosed or registered",
        Conversations,
        Count,
        true,
        |f, c, t| pca(f, c, Some(PcaReason::NewlyDiagnosedOrRegistered), t)
    ),
    figure!("pca_other", "Adjustment: other reason", Conversations, Count, true, |f, c, t| pca(
        f,
        c,
        Some(PcaReason::Other),
        t
    )),
    figure!(
        "plan_own_words_goal",
        "A goal in the person's own words",
        PlanQuality,
        Share,
        true,
        |f, c, t| plan(f, c, t, |p| p.own_words_goal)
    ),
    figure!(
        "plan_action",
        "An action saying who will do what and when",
        PlanQuality,
        Share,
        true,
        |f, c, t| plan(f, c, t, |p| p.action_with_who_and_when)
    ),
    figure!("plan_contingency", "A contingency plan", PlanQuality, Share, true, |f, c, t| plan(
        f,
        c,
        t,
        |p| p.contingency
    )),
    figure!("plan_review_date", "A review date", PlanQuality, Share, true, |f, c, t| plan(
        f,
        c,
        t,
        |p| p.review_date
    )),
    figure!("plan_all_four", "All four of these", PlanQuality, Share, true, |f, c, t| plan(
        f,
        c,
        t,
        PlanQuality::has_all_four
    )),
    figure!(
        "plan_signposting",
        "\"More than medicine\": a local service or activity",
        PlanQuality,
        Share,
        true,
        |f, c, t| plan(f, c, t, |p| p.signposting)
    ),
    figure!(
        "goals_reviewed",
        "Goals from the last plan reviewed",
        Goals,
        Count,
        true,
        |f, c, t| goals(f, c, t, GoalTally::total)
    ),
    figure!("goals_achieved", "Achieved", Goals, Share, true, |f, c, t| goals(f, c, t, |g| g
        .achieved)),
    figure!("goals_partly_achieved", "Partly achieved", Goals, Share, true, |f, c, t| goals(
        f,
        c,
        t,
        |g| g.partly_achieved
    )),
    figure!("goals_not_achieved", "Not achieved", Goals, Share, true, |f, c, t| goals(
        f,
        c,
        t,
        |g| g.not_achieved
    )),
    figure!("goals_changed", "Changed", Goals, Share, true, |f, c, t| goals(f, c, t, |g| g
        .changed)),
    figure!("goals_no_longer_relevant", "No longer relevant", Goals, Share, true, |f, c, t| goals(
        f,
        c,
        t,
        |g| g.no_longer_relevant
    )),
    figure!("goals_not_marked", "Not marked", Goals, Share, true, |f, c, t| goals(f, c, t, |g| g
        .not_marked)),
    figure!("feedback_forms", "Feedback forms returned", Feedback, Share, false, |f, c, t| {
        if f.conversation_in(c).is_some() {
            t.one(f.feedback.is_some())
        }
    }),
    figure!(
        "collaborate_top_score",
        "collaboRATE top score (every effort made, all three questions)",
        Feedback,
        Share,
        false,
        |f, c, t| {
            if let Some(score) = feedback_in(f, c).and_then(|s| s.collaborate) {
                t.one(score.top)
            }
        }
    ),
    figure!(
        "collaborate_mean",
        "collaboRATE mean score (0 to 12)",
        Feedback,
        Mean,
        false,
        |f, c, t| {
            if let Some(score) = feedback_in(f, c).and_then(|s| s.collaborate) {
                t.value(f64::from(score.total))
            }
        }
    ),
    figure!("care_mean", "CARE measure mean score (10 to 50)", Feedback, Mean, false, |f, c, t| {
        if let Some(CareScore::Total(total)) = feedback_in(f, c).map(|s| s.care) {
            t.value(total.value())
        }
    }),
    figure!(
        "care_not_scored",
        "CARE forms not scored (more than two items unanswered)",
        Feedback,
        Count,
        false,
        |f, c, t| {
            if let Some(CareScore::TooManyUnanswered(_) | CareScore::NotAnswered) =
                feedback_in(f, c).map(|s| s.care)
            {
                t.one(true)
            }
        }
    ),
];

/// The figures the month-by-month trend follows.
pub const TREND: [&str; 6] =
    ["due", "invited", "attended", "conversations", "pack_in_time", "plans_agreed"];

pub fn definition(key: &str) -> Option<&'static Definition> {
    FIGURES.iter().find(|d| d.key == key)
}

/// One figure as reported.
#[derive(Clone, Copy, Debug)]
pub struct Figure {
    pub definition: &'static Definition,
    pub measure: Measure,
}

/// The bars of the "days between pack and conversation" chart.
pub const PACK_DAY_BARS: [(&str, i64, i64); 6] = [
    ("0 to 6 days", 0, 6),
    ("7 to 13 days", 7, 13),
    ("14 to 20 days", 14, 20),
    ("21 to 27 days", 21, 27),
    ("28 days or more", 28, i64::MAX),
    ("No pack before the conversation", -1, -1),
];

/// The report for a range.
#[derive(Clone, Debug)]
pub struct Report {
    pub context: Context,
    /// Each group's figures, in the order of `FIGURES`.
    pub groups: Vec<(Group, Vec<Figure>)>,
    /// Conversations held in the range by days between pack and conversation (everyone).
    pub pack_days: Vec<(&'static str, u32)>,
    /// The trend figures for each month.
    pub trend: Vec<(YearMonth, Vec<Figure>)>,
}

impl Report {
    pub fn figures(&self, group: Group) -> &[Figure] {
        self.groups.iter().find(|(g, _)| *g == group).map_or(&[], |(_, f)| f.as_slice())
    }

    pub fn figure(&self, group: Group, key: &str) -> Option<&Figure> {
        self.figures(group).iter().find(|f| f.definition.key == key)
    }
}

/// Works out every figure for every group, the pack-days chart and the trend.
pub fn report(facts: &[ReviewFacts], context: Context) -> Report {
    let mut tallies: Vec<Vec<Tally>> =
        Group::EVERY.iter().map(|_| FIGURES.iter().map(|_| Tally::default()).collect()).collect();
    let mut bars = [0u32; PACK_DAY_BARS.len()];
    for fact in facts {
        for (g, group) in Group::EVERY.iter().enumerate() {
            if group.holds(fact.ltc_count, fact.frail) {
                for (definition, tally) in FIGURES.iter().zip(tallies[g].iter_mut()) {
                    (definition.add)(fact, &context, tally);
                }
            }
        }
        if fact.conversation_in(&context).is_some() {
            let days = fact.pack_days(&context).unwrap_or(-1);
            let bar = PACK_DAY_BARS.iter().position(|(_, lo, hi)| *lo <= days && days <= *hi);
            bars[bar.expect("every day count has a bar")] += 1;
        }
    }
    let groups = Group::EVERY
        .iter()
        .zip(tallies)
        .map(|(group, tallies)| {
            let figures = FIGURES
                .iter()
                .zip(tallies)
                .map(|(definition, tally)| Figure {
                    definition,
                    measure: tally.measure(definition.kind),
                })
                .collect();
            (*group, figures)
        })
        .collect();
    let trend_definitions: Vec<&'static Definition> =
        TREND.iter().map(|k| definition(k).expect("a trend figure is a figure")).collect();
    // Each month's trend figures come from the reviews that month can touch: due in it, or with
    // their conversation or plan in it (what the trend's figures count).
    let months = context.range.trend_months();
    let mut touching: std::collections::HashMap<YearMonth, Vec<usize>> =
        months.iter().map(|m| (*m, Vec::new())).collect();
    for (index, fact) in facts.iter().enumerate() {
        let mut seen: [Option<YearMonth>; 3] = [None; 3];
        let candidates =
            [Some(fact.due), fact.conversation.map(YearMonth::of), fact.agreed.map(YearMonth::of)];
        for (slot, month) in candidates.into_iter().enumerate() {
            let Some(month) = month else { continue };
            if seen[..slot].contains(&Some(month)) {
                continue;
            }
            seen[slot] = Some(month);
            if let Some(list) = touching.get_mut(&month) {
                list.push(index);
            }
        }
    }
    let trend = months
        .into_iter()
        .map(|month| {
            let context = Context { range: Range::month(month), ..context };
            let mut tallies: Vec<Tally> =
                trend_definitions.iter().map(|_| Tally::default()).collect();
            for &index in &touching[&month] {
                for (definition, tally) in trend_definitions.iter().zip(tallies.iter_mut()) {
                    (definition.add)(&facts[index], &context, tally);
                }
            }
            let figures = trend_definitions
                .iter()
                .zip(tallies)
                .map(|(definition, tally)| Figure {
                    definition,
                    measure: tally.measure(definition.kind),
                })
                .collect();
            (month, figures)
        })
        .collect();
    let pack_days = PACK_DAY_BARS.iter().zip(bars).map(|((label, _, _), n)| (*label, n)).collect();
    Report { context, groups, pack_days, trend }
}

/// One review behind a figure: whether the figure counted it, and how many times (goals and red
/// findings count each one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Behind {
    /// The index of the review in the facts given.
    pub index: usize,
    pub counted: u32,
    pub of: u32,
}

/// Whether a review is in a figure's population at all (counted or not).
pub fn counts(definition: &Definition, fact: &ReviewFacts, context: &Context) -> bool {
    let mut tally = Tally::default();
    (definition.add)(fact, context, &mut tally);
    tally.of > 0
}

/// The reviews behind a figure for a group: everyone it counts out of, each marked counted or
/// not. Refused for a figure reported only in aggregate.
pub fn behind(
    facts: &[ReviewFacts],
    context: Context,
    group: Group,
    key: &str,
) -> Result<Vec<Behind>, String> {
    let definition = definition(key).ok_or_else(|| format!("there is no figure called '{key}'"))?;
    if !definition.drillable {
        return Err(format!(
            "\"{}\" is patient feedback, reported only in aggregate: who said what is not shown",
            definition.label
        ));
    }
    Ok(facts
        .iter()
        .enumerate()
        .filter(|(_, f)| group.holds(f.ltc_count, f.frail))
        .filter_map(|(index, fact)| {
            let mut tally = Tally::default();
            (definition.add)(fact, &context, &mut tally);
            (tally.of > 0).then_some(Behind { index, counted: tally.count, of: tally.of })
        })
        .collect())
}

#[cfg(test)]
mod tests;
