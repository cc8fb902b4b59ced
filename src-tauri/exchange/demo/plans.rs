//! The demonstration practice's care and support plans and its "more than medicine" directory:
//! a fictional directory imported like any practice's file, an agreed plan for every review
//! that ended with one (a later year's plan reviewing the earlier one's goals), plans in draft
//! for some conversations booked or held this year, and everybody else with no plan yet.

use chrono::{Datelike, Duration, NaiveDate};

use super::Dice;
use crate::domain::careplan::{
    Action, ActionStatus, AgreedWith, Contact, Contingency, Goal, GoalOutcome, Need, PlanDocument,
    Review, ReviewHow, Who, WhoKind,
};
use crate::domain::cycle::CycleStatus;
use crate::domain::directory::Category;
use crate::exchange::directory::{import_directory, DirectoryError};
use crate::store::{Actor, NewPlan, Store, StoreError, StoredService};

const WHAT_MATTERS: &[&str] = &[
    "Looking after my grandchildren on Tuesdays and Thursdays.",
    "Getting back to my allotment. It is where I see my friends.",
    "Keeping my job at the bakery. I do not want to let them down.",
    "Walking Bess, my dog, every day, whatever the weather.",
    "Singing in the church choir again.",
    "Staying in my own home for as long as I can.",
    "Going to the match with my son on Saturdays.",
    "Being well enough to visit my sister in Leeds.",
];

const PEOPLE: &[&str] = &[
    "My daughter Sarah helps with shopping; she would like to come to appointments.",
    "My husband, Dev. He worries, so please tell him what is going on.",
    "My neighbour Pat checks on me most days.",
    "My son lives nearby and has a key.",
];

const COMMUNICATION: &[&str] = &[
    "Please speak clearly; I do not hear well on my left side.",
    "Phone calls in the morning are best. Texts are fine.",
    "Write things down for me; I forget what was said.",
];

/// A need, the person's goal for it, and what will be done.
struct Story {
    need: &'static str,
    goal: &'static str,
    own_words: bool,
    mine: (&'static str, &'static str),
    helper: Option<(&'static str, &'static str, &'static str, &'static str)>,
    service: Option<Category>,
}

const STORIES: &[Story] = &[
    Story {
        need: "Out of breath going up hills",
        goal: "Walk up to the allotment without stopping",
        own_words: true,
        mine: ("Walk to the end of the road and back, a bit further each week", "every morning"),
        helper: Some((
            "Breathing exercises and pacing",
            "Respiratory nurse",
            "Nurse P Gallagher",
            "at the next clinic, in January",
        )),
        service: Some(Category::PeerSupport),
    },
    Story {
        need: "Tired all afternoon; my sugars have crept up",
        goal: "Have the energy to play with my grandchildren after school",
        own_words: true,
        mine: ("Swap the afternoon biscuits for fruit", "from this week"),
        helper: None,
        service: Some(Category::Education),
    },
    Story {
        need: "Feeling low and on my own since my wife died",
        goal: "Get out of the house and see people twice a week",
        own_words: true,
        mine: ("Go along to the lunch club with Pat", "Wednesdays"),
        helper: None,
        service: Some(Category::SocialAndLoneliness),
    },
    Story {
        need: "Worried about my weight",
        goal: "Lose half a stone by the summer",
        own_words: true,
        mine: ("Drink water instead of fizzy drinks", "starting today"),
        helper: None,
        service: Some(Category::WeightAndEating),
    },
    Story {
        need: "Dizzy when I stand up",
        goal: "Feel steady on my feet",
        own_words: true,
        mine: ("Stand up slowly and sit for a minute if dizzy", "every day"),
        helper: Some((
            "Review my blood pressure tablets",
            "Practice pharmacist",
            "Mr K Osei",
            "within four weeks",
        )),
        service: Some(Category::PhysicalActivity),
    },
    Story {
        need: "Still smoking about 15 a day",
        goal: "Stop smoking before my granddaughter is born in May",
        own_words: true,
        mine: ("Set a quit date and tell the family", "by 1 February"),
        helper: None,
        service: Some(Category::StoppingSmoking),
    },
    Story {
        need: "Blood pressure above target",
        goal: "Blood pressure under 140/90",
        own_words: false,
        mine: ("Check my blood pressure at home and write it down", "twice a week"),
        helper: Some((
            "Look at the home readings and the tablets",
            "Practice nurse",
            "Nurse J Okoye",
            "in three months",
        )),
        service: None,
    },
    Story {
        need: "Money worries since I stopped work",
        goal: "Stop worrying about the heating bills this winter",
        own_words: true,
        mine: ("Ring the advice line with my letters to hand", "this week"),
        helper: None,
        service: Some(Category::MoneyAndBenefits),
    },
];

const SUPPORT_WHAT: &[&str] = &[
    "Ring them and go along to a first session",
    "The practice sends a referral; they will be in touch",
    "Talk to the social prescriber about it first",
];

const NOTES: &[&str] = &[
    "Walks most days now.",
    "Managed it in the summer, harder in the cold.",
    "Did not get going with this; would like to try again.",
    "Wants to aim for something different this year.",
    "Moved house, so no longer needed.",
];

const OUTCOMES: [GoalOutcome; 5] = [
    GoalOutcome::Achieved,
    GoalOutcome::PartlyAchieved,
    GoalOutcome::NotAchieved,
    GoalOutcome::Changed,
    GoalOutcome::NoLongerRelevant,
];

/// Imports the demonstration directory, then writes the plans.
pub(super) fn stage_plans(
    store: &mut Store,
    actor: &Actor,
    today: NaiveDate,
    seed: u64,
) -> Result<(), StoreError> {
    import_directory(store, actor, crate::assets::DEMO_DIRECTORY.as_bytes(), today, false)
        .map_err(|e| match e {
            DirectoryError::Store(e) => e,
            other => StoreError::Refused(format!("the demonstration directory: {other}")),
        })?;
    let directory = store.directory(false)?;
    let patients = store.all_patients()?;
    let mut people = Vec::new();
    for patient in patients {
        let cycles = store.cycles_of(patient.id)?;
        people.push((patient, cycles));
    }
    let mut dice = Dice(seed ^ 0xCA5E_91A4);
    store.write(actor, |w| {
        w.audit("demo.plans", None, "the demonstration practice's care plans were written")?;
        let mut booked = 0;
        for (patient, cycles) in &people {
            let mut latest: Option<(u32, PlanDocument)> = None;
            let mut cycles: Vec<_> = cycles.iter().collect();
            cycles.sort_by_key(|c| c.cycle.due_month());
            for record in cycles {
                let status = record.cycle.status();
                if status == CycleStatus::PlanAgreed {
                    let agreed_on =
                        record.cycle.closure().map(|c| c.on).unwrap_or(today - Duration::days(30));
                    let clinician = record
                        .cycle
                        .conversation()
                        .map(|b| b.with_whom().to_string())
                        .unwrap_or_else(|| "Nurse J Okoye".into());
                    let doc = plan(&mut dice, latest.as_ref(), &directory, agreed_on, &clinician);
                    let version = latest.as_ref().map_or(1, |(v, _)| v + 1);
                    let representative = dice.below(12) == 0;
                    let with = if representative {
                        AgreedWith::Representative {
                            name: "Sarah (daughter)".into(),
                            relationship: "daughter".into(),
                        }
                    } else {
                        AgreedWith::Person
                    };
                    w.record_agreed_plan(
                        &NewPlan {
                            patient_id: patient.id,
                            cycle_id: Some(record.id),
                            version,
                            doc: &doc,
                            agreed_on,
                            with: &with,
                            clinician: &clinician,
                            no_contingency_confirmed: doc.contingency.is_empty(),
                            change_reason: if version > 1 { "agreed at the review" } else { "" },
                        },
                        None,
                    )?;
                    latest = Some((version, doc));
                } else if status == CycleStatus::ConversationHeld
                    || (status == CycleStatus::ConversationBooked && {
                        // The first conversation booked is left with no plan started.
                        booked += 1;
                        booked > 1
                    })
                {
                    let mut doc = match &latest {
                        Some((version, last)) => last.next_review(*version),
                        None => PlanDocument::default(),
                    };
                    doc.agenda = vec![
                        WHAT_MATTERS[dice.below(WHAT_MATTERS.len())]
                            .trim_end_matches('.')
                            .to_string(),
                        "My feet feel numb at night".into(),
                    ];
                    if let Some(first) = doc.earlier_goals.first_mut() {
                        first.outcome = Some(GoalOutcome::PartlyAchieved);
                        first.note = "Better in the summer.".into();
                    }
                    if doc.what_matters.is_empty() {
                        doc.what_matters = WHAT_MATTERS[dice.below(WHAT_MATTERS.len())].into();
                    }
                    let why = "a conversation in progress (demonstration)";
                    w.start_draft(patient.id, Some(record.id), None, &doc, why)?;
                }
            }
        }
        Ok(())
    })
}

fn service_of(directory: &[StoredService], category: Category) -> Option<&StoredService> {
    directory.iter().find(|s| s.service.category == category)
}

/// A plausible plan agreed on `agreed_on`, reviewing the goals of `last` if there was one.
fn plan(
    dice: &mut Dice,
    last: Option<&(u32, PlanDocument)>,
    directory: &[StoredService],
    agreed_on: NaiveDate,
    clinician: &str,
) -> PlanDocument {
    let mut doc = match last {
        Some((version, last)) => last.next_review(*version),
        None => PlanDocument {
            what_matters: WHAT_MATTERS[dice.below(WHAT_MATTERS.len())].into(),
            people: PEOPLE[dice.below(PEOPLE.len())].into(),
            communication: if dice.chance(0.4) {
                COMMUNICATION[dice.below(COMMUNICATION.len())].into()
            } else {
                String::new()
            },
            ..PlanDocument::default()
        },
    };
    for review in &mut doc.earlier_goals {
        let k = dice.below(OUTCOMES.len());
        review.outcome = Some(OUTCOMES[k]);
        review.note = NOTES[k].into();
    }
    doc.agenda = vec![WHAT_MATTERS[dice.below(WHAT_MATTERS.len())].trim_end_matches('.').into()];
    let mut next_id = 1;
    let mut id = || {
        next_id += 1;
        next_id
    };
    let first = dice.below(STORIES.len());
    // Every agreed plan has a goal in the person's own words, as agreeing requires.
    let extra = dice.below(2);
    let count = if STORIES[first].own_words { 1 + extra } else { 2 };
    for k in 0..count {
        let story = &STORIES[(first + k * 3) % STORIES.len()];
        let mut actions = vec![Action {
            id: id(),
            what: story.mine.0.into(),
            who: Who { kind: WhoKind::Me, ..Who::default() },
            when: story.mine.1.into(),
            confidence: Some(5 + dice.below(5) as u8),
            status: ActionStatus::InProgress,
        }];
        if let Some((what, role, name, when)) = story.helper {
            actions.push(Action {
                id: id(),
                what: what.into(),
                who: Who {
                    kind: WhoKind::Professional,
                    name: name.into(),
                    role: role.into(),
                    contact: "Riverside Surgery, 0113 496 0000".into(),
                    service: None,
                },
                when: when.into(),
                confidence: None,
                status: ActionStatus::Planned,
            });
        }
        let need_id = id();
        let goal_id = id();
        doc.needs.push(Need {
            id: need_id,
            text: story.need.into(),
            goals: vec![Goal {
                id: goal_id,
                words: story.goal.into(),
                own_words: story.own_words,
                importance: Some(6 + dice.below(5) as u8),
                actions,
            }],
        });
        // Most plans point to something beyond the practice; some do not yet.
        // (Its own dice, so the rest of the demonstration stays as it was.)
        let mut own = Dice(u64::from(need_id) ^ agreed_on.num_days_from_ce() as u64 ^ 0x516E);
        let signposted = story.service.filter(|_| own.chance(0.8));
        if let Some(found) = signposted.and_then(|c| service_of(directory, c)) {
            doc.support.push(Action {
                id: id(),
                what: SUPPORT_WHAT[dice.below(SUPPORT_WHAT.len())].into(),
                who: Who {
                    kind: WhoKind::Service,
                    name: found.service.name.clone(),
                    role: found.service.category.label().into(),
                    contact: found.service.contact_line(),
                    service: Some(found.id),
                },
                when: "in the next month".into(),
                confidence: Some(5 + dice.below(5) as u8),
                status: ActionStatus::Planned,
            });
        }
    }
    if dice.chance(0.75) {
        doc.contingency = Contingency {
            triggers: "More breathless or tired than usual\nFeeling dizzy or muddled\nSugars above 15 for two days"
                .into(),
            what_to_do: "Ring the surgery the same day. If it is an emergency, call 999.".into(),
            contacts: vec![
                Contact {
                    name: "Riverside Surgery".into(),
                    role: "my practice".into(),
                    phone: "0113 496 0000".into(),
                },
                Contact { name: "NHS 111".into(), role: "when the surgery is closed".into(), phone: "111".into() },
            ],
            rescue: if dice.chance(0.4) {
                "Rescue pack (steroid tablets and antibiotics) in the kitchen cupboard.".into()
            } else {
                String::new()
            },
        };
    } else {
        doc.contingency = Contingency::default();
    }
    let review_on =
        agreed_on.with_year(agreed_on.year() + 1).unwrap_or(agreed_on + Duration::days(365));
    doc.review = Review {
        date: review_on.format("%Y-%m-%d").to_string(),
        who: clinician.into(),
        how: ReviewHow::Appointment,
    };
    doc
}
