//! The figures on hand-made reviews: each figure's population and count, the range's edges,
//! groups, medians, the trend and the people behind a figure.

use super::*;
use crate::domain::careplan::tests::complete;
use crate::domain::careplan::{Action, GoalReview, Review, Who, WhoKind};
use crate::domain::feedback::FeedbackForm;

fn day(d: &str) -> NaiveDate {
    NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()
}

fn at(d: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(d, "%Y-%m-%d %H:%M").unwrap()
}

fn month(m: &str) -> YearMonth {
    YearMonth::parse(m).unwrap()
}

fn context(from: &str, to: &str) -> Context {
    Context { range: Range::new(day(from), day(to)).unwrap(), pack_minimum_days: 7 }
}

/// The careplan tests' complete plan, with a walking group in support and signposting.
fn signposted() -> PlanDocument {
    let mut doc = complete();
    doc.support.push(Action {
        what: "Join the walking group".into(),
        who: Who { kind: WhoKind::Service, name: "Ashby Walkers".into(), ..Who::default() },
        when: "Tuesdays at 10".into(),
        ..Action::default()
    });
    doc
}

/// A review due in `due` that went all the way: invited, contact 1 in one visit, triaged, pack
/// 14 days before the conversation, plan agreed the same day.
fn whole(id: i64, due: &str) -> ReviewFacts {
    let start = month(due).first_day();
    let d = |n: i64| start + chrono::Duration::days(n);
    ReviewFacts {
        cycle_id: Some(id),
        invitations: vec![d(0)],
        attended: Some(d(10)),
        one_visit: true,
        triaged: Some(Step { on: d(16), order: 5 }),
        pack_sent: Some(Step { on: d(18), order: 6 }),
        conversation: Some(d(32)),
        agreed: Some(d(32)),
        plan: Some(PlanQuality::of(&signposted())),
        ..ReviewFacts::not_opened(id, 1, false, month(due))
    }
}

fn value(report: &Report, group: Group, key: &str) -> Measure {
    report.figure(group, key).unwrap().measure
}

#[test]
fn a_range_is_whole_days_from_the_first_to_the_last_and_refused_backwards() {
    let range = Range::new(day("2026-08-01"), day("2026-10-31")).unwrap();
    assert!(range.contains(day("2026-08-01")) && range.contains(day("2026-10-31")));
    assert!(!range.contains(day("2026-07-31")) && !range.contains(day("2026-11-01")));
    assert_eq!(range.months(), vec![month("2026-08"), month("2026-09"), month("2026-10")]);
    let error = Range::new(day("2026-10-31"), day("2026-08-01")).unwrap_err();
    assert!(error.contains("give the earlier date first"), "{error}");
    assert_eq!(Range::month(month("2024-02")).to(), day("2024-02-29"));
    assert_eq!(Range::month(month("2026-12")).to(), day("2026-12-31"));
    // A quarter's trend shows the twelve months up to its end; a longer range shows all of it.
    let trend = range.trend_months();
    assert_eq!((trend.len(), trend[0], trend[11]), (12, month("2025-11"), month("2026-10")));
    let long = Range::new(day("2024-01-15"), day("2026-10-31")).unwrap().trend_months();
    assert_eq!((long.len(), long[0]), (34, month("2024-01")));
}

#[test]
fn a_percentage_is_never_all_or_none_unless_it_is() {
    let cases = [
        (1999, 2000, 99.9),
        (1, 3000, 0.1),
        (2000, 2000, 100.0),
        (0, 3000, 0.0),
        (2, 3, 66.7),
        (1, 8, 12.5),
    ];
    for (count, of, expected) in cases {
        assert_eq!(Measure::Share { count, of }.percent(), Some(expected), "{count} of {of}");
    }
}

#[test]
fn groups_count_conditions_and_frailty_apart() {
    let cases = [
        (1, false, [true, true, false, false]),
        (3, false, [true, false, true, false]),
        (2, true, [true, false, true, true]),
        (0, true, [true, false, false, true]),
    ];
    for (ltcs, frail, expected) in cases {
        let got = Group::EVERY.map(|g| g.holds(ltcs, frail));
        assert_eq!(got, expected, "{ltcs} conditions, frail {frail}");
    }
}

#[test]
fn a_whole_review_counts_once_in_every_figure_of_its_groups() {
    let facts = vec![whole(1, "2026-09")];
    let report = report(&facts, context("2026-09-01", "2026-12-31"));
    for key in ["invited", "attended", "one_visit", "triaged_before_pack", "pack_in_time"] {
        assert_eq!(value(&report, Group::All, key), Measure::Share { count: 1, of: 1 }, "{key}");
        assert_eq!(value(&report, Group::Single, key), Measure::Share { count: 1, of: 1 }, "{key}");
        assert_eq!(
            value(&report, Group::Multiple, key),
            Measure::Share { count: 0, of: 0 },
            "{key}"
        );
    }
    for key in ["due", "packs_sent", "conversations", "plans_agreed"] {
        assert_eq!(value(&report, Group::All, key), Measure::Count(1), "{key}");
    }
    assert_eq!(
        value(&report, Group::All, "pack_days_median"),
        Measure::Median { value: Some(14.0), of: 1 }
    );
    assert_eq!(report.pack_days[2], ("14 to 20 days", 1));
    assert_eq!(value(&report, Group::All, "plan_all_four"), Measure::Share { count: 1, of: 1 });
    assert_eq!(value(&report, Group::All, "invitations_per_person").value(), Some(1.0));
}

#[test]
fn figures_about_the_people_due_follow_the_due_month_and_events_follow_their_day() {
    // Due in September; its conversation is in early October. A range of October–December
    // counts the conversation and plan but not the invitation; September counts the invitation.
    let facts = vec![whole(1, "2026-09")];
    let autumn = report(&facts, context("2026-10-01", "2026-12-31"));
    assert_eq!(value(&autumn, Group::All, "due"), Measure::Count(0));
    assert_eq!(value(&autumn, Group::All, "invited"), Measure::Share { count: 0, of: 0 });
    assert_eq!(value(&autumn, Group::All, "conversations"), Measure::Count(1));
    assert_eq!(value(&autumn, Group::All, "plans_agreed"), Measure::Count(1));
    assert_eq!(value(&autumn, Group::All, "packs_sent"), Measure::Count(0));
    let september = report(&facts, context("2026-09-01", "2026-09-30"));
    assert_eq!(value(&september, Group::All, "invited"), Measure::Share { count: 1, of: 1 });
    assert_eq!(value(&september, Group::All, "packs_sent"), Measure::Count(1));
    assert_eq!(value(&september, Group::All, "conversations"), Measure::Count(0));
    // As things stood at the end of a range: attended on the 11th is not attended by the 5th.
    let early = report(&facts, context("2026-09-01", "2026-09-05"));
    assert_eq!(value(&early, Group::All, "attended"), Measure::Share { count: 0, of: 1 });
    // Nothing in range: every share is 0 of 0 with no percentage, every median empty.
    let empty = report(&facts, context("2030-01-01", "2030-01-31"));
    for figure in empty.figures(Group::All) {
        assert_eq!(figure.measure.count(), 0, "{}", figure.definition.key);
        assert_eq!(figure.measure.percent(), None);
        assert_eq!(figure.measure.value(), None);
    }
}

#[test]
fn someone_who_left_mid_review_leaves_the_cohort_only_once_they_have_left() {
    let mut left = ReviewFacts {
        cycle_id: Some(2),
        invitations: vec![day("2026-09-02")],
        ended: Some(day("2026-10-20")),
        ..ReviewFacts::not_opened(2, 2, false, month("2026-09"))
    };
    let september = report(std::slice::from_ref(&left), context("2026-09-01", "2026-09-30"));
    assert_eq!(value(&september, Group::All, "invited"), Measure::Share { count: 1, of: 1 });
    assert_eq!(value(&september, Group::All, "left_or_died"), Measure::Count(0));
    let autumn = report(std::slice::from_ref(&left), context("2026-09-01", "2026-12-31"));
    assert_eq!(value(&autumn, Group::All, "invited"), Measure::Share { count: 0, of: 0 });
    assert_eq!(value(&autumn, Group::All, "left_or_died"), Measure::Count(1));
    left.ended = None;
    let stayed = report(&[left], context("2026-09-01", "2026-12-31"));
    assert_eq!(value(&stayed, Group::All, "attended"), Measure::Share { count: 0, of: 1 });
}

#[test]
fn a_late_pack_or_none_is_not_in_time_and_medians_take_the_middle() {
    let mut facts: Vec<ReviewFacts> = (1..=4).map(|id| whole(id, "2026-09")).collect();
    // Packs 14, 3, 10 days before; the fourth conversation had no pack at all.
    facts[1].pack_sent = Some(Step { on: day("2026-09-30"), order: 6 });
    facts[2].pack_sent = Some(Step { on: day("2026-09-23"), order: 6 });
    facts[3].pack_sent = None;
    let report = report(&facts, context("2026-10-01", "2026-10-31"));
    assert_eq!(value(&report, Group::All, "pack_in_time"), Measure::Share { count: 2, of: 4 });
    assert_eq!(
        value(&report, Group::All, "pack_days_median"),
        Measure::Median { value: Some(10.0), of: 3 }
    );
    let bars: Vec<u32> = report.pack_days.iter().map(|(_, n)| *n).collect();
    assert_eq!(bars, vec![1, 1, 1, 0, 0, 1]);
    // An even number of values: the mean of the middle two.
    let two = super::report(&facts[..2], context("2026-10-01", "2026-10-31"));
    assert_eq!(value(&two, Group::All, "pack_days_median").value(), Some(8.5));
}

#[test]
fn a_pack_sent_before_triage_is_counted_against_professional_preparation() {
    let mut facts = vec![whole(1, "2026-09"), whole(2, "2026-09")];
    facts[1].triaged = Some(Step { on: day("2026-09-20"), order: 9 });
    let report = report(&facts, context("2026-09-01", "2026-09-30"));
    assert_eq!(
        value(&report, Group::All, "triaged_before_pack"),
        Measure::Share { count: 1, of: 2 }
    );
    let behind = behind(&facts, report.context, Group::All, "triaged_before_pack").unwrap();
    let counted: Vec<(usize, u32)> = behind.iter().map(|b| (b.index, b.counted)).collect();
    assert_eq!(counted, vec![(0, 1), (1, 0)]);
}

#[test]
fn red_findings_count_each_and_take_the_median_hours() {
    let mut facts = vec![whole(1, "2026-09")];
    facts[0].red_findings = vec![
        RedFinding { recorded_at: at("2026-09-11 09:00"), acknowledged_at: at("2026-09-11 11:30") },
        RedFinding { recorded_at: at("2026-09-11 09:00"), acknowledged_at: at("2026-09-12 09:00") },
        RedFinding { recorded_at: at("2026-08-31 09:00"), acknowledged_at: at("2026-09-01 09:00") },
    ];
    let report = report(&facts, context("2026-09-01", "2026-09-30"));
    assert_eq!(value(&report, Group::All, "red_findings"), Measure::Count(2));
    assert_eq!(value(&report, Group::All, "red_hours_median").value(), Some(13.3));
}

#[test]
fn plans_are_judged_by_what_they_contain_and_goals_by_how_they_went() {
    let mut thin = signposted();
    thin.contingency = Default::default();
    thin.review = Review::default();
    thin.support.clear();
    thin.earlier_goals = [
        Some(GoalOutcome::Achieved),
        Some(GoalOutcome::Achieved),
        None,
        Some(GoalOutcome::Changed),
    ]
    .into_iter()
    .map(|outcome| GoalReview { outcome, words: "Walk".into(), ..Default::default() })
    .collect();
    for goal in thin.needs.iter_mut().flat_map(|n| n.goals.iter_mut()) {
        goal.own_words = false;
    }
    let quality = PlanQuality::of(&thin);
    assert!(!quality.own_words_goal && quality.action_with_who_and_when);
    assert!(!quality.contingency && !quality.review_date && !quality.signposting);
    assert_eq!(
        (quality.goals.achieved, quality.goals.changed, quality.goals.not_marked),
        (2, 1, 1)
    );
    let full = PlanQuality::of(&signposted());
    assert!(full.has_all_four() && full.signposting, "{full:?}");

    let mut facts = vec![whole(1, "2026-09"), whole(2, "2026-09")];
    facts[1].plan = Some(quality);
    let report = report(&facts, context("2026-10-01", "2026-10-31"));
    assert_eq!(
        value(&report, Group::All, "plan_own_words_goal"),
        Measure::Share { count: 1, of: 2 }
    );
    assert_eq!(value(&report, Group::All, "plan_all_four"), Measure::Share { count: 1, of: 2 });
    assert_eq!(value(&report, Group::All, "goals_reviewed"), Measure::Count(4));
    assert_eq!(value(&report, Group::All, "goals_achieved"), Measure::Share { count: 2, of: 4 });
    assert_eq!(value(&report, Group::All, "goals_not_marked").percent(), Some(25.0));
}

#[test]
fn feedback_is_counted_with_each_measures_rules_and_never_opened_to_people() {
    let forms = [("444", "5555555555"), ("432", "44444n444-"), ("4-4", "nnn5555555")];
    let mut facts: Vec<ReviewFacts> = (1..=4).map(|id| whole(id, "2026-09")).collect();
    for (fact, (a, b)) in facts.iter_mut().zip(forms) {
        fact.feedback = Some(FeedbackForm::from_codes(a, b).unwrap().scores());
    }
    let report = report(&facts, context("2026-10-01", "2026-10-31"));
    assert_eq!(value(&report, Group::All, "feedback_forms"), Measure::Share { count: 3, of: 4 });
    assert_eq!(
        value(&report, Group::All, "collaborate_top_score"),
        Measure::Share { count: 1, of: 2 }
    );
    assert_eq!(value(&report, Group::All, "collaborate_mean").value(), Some(10.5));
    assert_eq!(value(&report, Group::All, "care_mean").value(), Some(45.0));
    assert_eq!(value(&report, Group::All, "care_not_scored"), Measure::Count(1));
    let refusal = behind(&facts, report.context, Group::All, "care_mean").unwrap_err();
    assert!(refusal.contains("only in aggregate"), "{refusal}");
    assert!(behind(&facts, report.context, Group::All, "nonsense").is_err());
}

#[test]
fn personalised_care_adjustments_are_counted_by_reason() {
    let mut facts: Vec<ReviewFacts> =
        (1..=3).map(|id| ReviewFacts::not_opened(id, 1, true, month("2026-09"))).collect();
    facts[0].adjusted = Some((day("2026-09-20"), PcaReason::NoResponse));
    facts[1].adjusted = Some((day("2026-09-21"), PcaReason::Unsuitable));
    facts[2].declined = Some(day("2026-09-22"));
    let report = report(&facts, context("2026-09-01", "2026-09-30"));
    assert_eq!(value(&report, Group::Frailty, "pca"), Measure::Count(2));
    assert_eq!(value(&report, Group::Frailty, "pca_no_response"), Measure::Count(1));
    assert_eq!(value(&report, Group::Frailty, "pca_other"), Measure::Count(0));
    assert_eq!(value(&report, Group::Frailty, "declined"), Measure::Count(1));
}

#[test]
fn the_trend_gives_each_month_its_own_figures() {
    let facts = vec![whole(1, "2026-08"), whole(2, "2026-09"), whole(3, "2026-09")];
    let report = report(&facts, context("2026-08-01", "2026-10-31"));
    let due: Vec<(String, u32)> = report
        .trend
        .iter()
        .map(|(m, figures)| (m.to_string(), figures[0].measure.count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    assert_eq!(due, vec![("2026-08".into(), 1), ("2026-09".into(), 2)]);
    let september = &report.trend.iter().find(|(m, _)| *m == month("2026-09")).unwrap().1;
    let conversations = september.iter().find(|f| f.definition.key == "conversations").unwrap();
    assert_eq!(conversations.measure, Measure::Count(1), "the August review's conversation");
}

#[test]
fn every_figure_has_a_unique_key_and_the_trend_names_real_figures() {
    let mut keys: Vec<&str> = FIGURES.iter().map(|d| d.key).collect();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), FIGURES.len());
    for key in TREND {
        assert!(definition(key).is_some(), "{key}");
    }
}
