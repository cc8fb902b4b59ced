//! One person's contact 1 checklist: the union of the surveillance items their conditions
//! want, each item once with the conditions that want it, and where each stands this year.

use chrono::{Months, NaiveDate};

use super::catalogue::{Catalogue, ConditionDef};
use super::measures::{ItemDef, ItemKind, Value};

/// Why an item was not done at the appointment.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum NotDoneReason {
    Declined,
    NotApplicable,
    Unable,
    /// Taken and sent to the lab: outstanding until the result arrives.
    SentToLab,
}

impl NotDoneReason {
    pub const ALL: [NotDoneReason; 4] = [
        NotDoneReason::Declined,
        NotDoneReason::NotApplicable,
        NotDoneReason::Unable,
        NotDoneReason::SentToLab,
    ];

    pub fn code(self) -> &'static str {
        match self {
            NotDoneReason::Declined => "declined",
            NotDoneReason::NotApplicable => "not_applicable",
            NotDoneReason::Unable => "unable",
            NotDoneReason::SentToLab => "sent_to_lab",
        }
    }

    pub fn parse(code: &str) -> Option<NotDoneReason> {
        NotDoneReason::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            NotDoneReason::Declined => "Declined",
            NotDoneReason::NotApplicable => "Not applicable",
            NotDoneReason::Unable => "Unable to do",
            NotDoneReason::SentToLab => "Sent to lab — awaiting result",
        }
    }
}

/// What is on record for an item: a value, or why there is none.
#[derive(Clone, PartialEq, Debug)]
pub enum Recorded {
    Value(Value),
    NotDone(NotDoneReason),
}

/// A current (not superseded, not entered-in-error) observation of the person.
#[derive(Clone, PartialEq, Debug)]
pub struct Observation {
    pub id: i64,
    pub item: String,
    pub taken_on: NaiveDate,
    pub recorded: Recorded,
    /// Part of the review the checklist is for.
    pub this_cycle: bool,
}

/// Where one item stands.
#[derive(Clone, PartialEq, Debug)]
pub enum LineState {
    Missing,
    /// Recorded in this review; the observation's id.
    Recorded(i64),
    /// Recorded in an earlier review recently enough to count (height).
    StillValid(i64),
    NotDone(NotDoneReason),
    /// A worked-out item (BMI) whose inputs were not done.
    CannotWorkOut(String),
}

impl LineState {
    /// Still to do: nothing recorded, or a sample at the lab.
    pub fn is_outstanding(&self) -> bool {
        matches!(self, LineState::Missing | LineState::NotDone(NotDoneReason::SentToLab))
    }
}

/// One line of the checklist.
#[derive(Debug)]
pub struct Line<'c> {
    pub item: &'c ItemDef,
    pub wanted_by: Vec<&'c ConditionDef>,
    pub state: LineState,
}

/// The person's checklist for this review, in the order of `items.json`.
#[derive(Debug)]
pub struct Checklist<'c> {
    pub lines: Vec<Line<'c>>,
}

impl<'c> Checklist<'c> {
    /// Works out the checklist for someone with `condition_ids`, from their current
    /// observations. `today` decides whether an earlier height still counts.
    pub fn build(
        catalogue: &'c Catalogue,
        condition_ids: &[&str],
        observations: &[Observation],
        today: NaiveDate,
    ) -> Checklist<'c> {
        let mut lines: Vec<Line<'c>> = catalogue
            .items_for(condition_ids.iter().copied())
            .into_iter()
            .map(|(item, wanted_by)| Line { item, wanted_by, state: LineState::Missing })
            .collect();
        // A follow-up questionnaire joins when its trigger scored high enough this year.
        let mut follow_ups = Vec::new();
        for line in &lines {
            let Some((next, at_least)) = line.item.follow_up() else { continue };
            let triggered = latest(observations, line.item.id(), true).is_some_and(|o| {
                matches!(&o.recorded, Recorded::Value(Value::Questionnaire { score, .. }) if *score >= at_least)
            });
            let already = lines.iter().any(|l| l.item.id() == next);
            if let (true, false, Some(item)) = (triggered, already, catalogue.measures().item(next))
            {
                follow_ups.push(Line {
                    item,
                    wanted_by: line.wanted_by.clone(),
                    state: LineState::Missing,
                });
            }
        }
        lines.extend(follow_ups);
        let order = |item: &ItemDef| {
            catalogue
                .measures()
                .items()
                .iter()
                .position(|i| i.id() == item.id())
                .unwrap_or(usize::MAX)
        };
        lines.sort_by_key(|l| order(l.item));
        for index in 0..lines.len() {
            let state = state_of(lines[index].item, observations, today, &lines);
            lines[index].state = state;
        }
        Checklist { lines }
    }

    /// Nothing outstanding: every item recorded, still valid, or not done for a reason other
    /// than waiting for the lab.
    pub fn is_complete(&self) -> bool {
        !self.lines.iter().any(|l| l.state.is_outstanding())
    }

    /// Items with nothing recorded at all (neither a value nor a reason), leaving out those
    /// worked out from others (BMI), which follow their inputs.
    pub fn missing(&self) -> Vec<&'c ItemDef> {
        self.lines
            .iter()
            .filter(|l| l.state == LineState::Missing)
            .filter(|l| !matches!(l.item.kind(), ItemKind::Computed(_)))
            .map(|l| l.item)
            .collect()
    }

    /// Samples at the lab.
    pub fn awaiting_lab(&self) -> Vec<&'c ItemDef> {
        self.lines
            .iter()
            .filter(|l| l.state == LineState::NotDone(NotDoneReason::SentToLab))
            .map(|l| l.item)
            .collect()
    }
}

fn state_of(
    item: &ItemDef,
    observations: &[Observation],
    today: NaiveDate,
    lines: &[Line<'_>],
) -> LineState {
    if let Some(current) = latest(observations, item.id(), true) {
        return match &current.recorded {
            Recorded::Value(_) => LineState::Recorded(current.id),
            Recorded::NotDone(reason) => LineState::NotDone(*reason),
        };
    }
    if let Some(months) = item.valid_for_months() {
        let since = today.checked_sub_months(Months::new(months)).unwrap_or(NaiveDate::MIN);
        let earlier = observations
            .iter()
            .filter(|o| o.item == item.id() && o.taken_on >= since)
            .filter(|o| matches!(o.recorded, Recorded::Value(_)))
            .max_by_key(|o| (o.taken_on, o.id));
        if let Some(earlier) = earlier {
            return LineState::StillValid(earlier.id);
        }
    }
    if let ItemKind::Computed(_) = item.kind() {
        let not_done: Vec<&str> = ["weight", "height"]
            .into_iter()
            .filter(|input| {
                let line = lines.iter().find(|l| l.item.id() == *input);
                let recorded = latest(observations, input, true);
                matches!(recorded.map(|o| &o.recorded), Some(Recorded::NotDone(_)))
                    && !line.is_some_and(|l| matches!(l.state, LineState::StillValid(_)))
            })
            .collect();
        if !not_done.is_empty() {
            return LineState::CannotWorkOut(format!("{} not done", not_done.join(" and ")));
        }
    }
    LineState::Missing
}

/// The latest current observation of an item, in this review only or in any.
pub fn latest<'o>(
    observations: &'o [Observation],
    item: &str,
    this_cycle: bool,
) -> Option<&'o Observation> {
    observations
        .iter()
        .filter(|o| o.item == item && (!this_cycle || o.this_cycle))
        .max_by_key(|o| (o.taken_on, o.id))
}

#[cfg(test)]
mod tests;
