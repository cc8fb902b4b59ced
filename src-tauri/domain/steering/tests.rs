//! The steering group's page on hand-made reviews: which figures it shows and in which words,
//! what an empty range says, percentages, the range in words, the charts and their marks.

use super::*;
use crate::domain::calendar::YearMonth;
use crate::domain::feedback::FeedbackForm;
use crate::domain::metrics::{
    report, Context, GoalTally, PlanQuality, Range, ReviewFacts, Step, FIGURES,
};

fn day(d: &str) -> NaiveDate {
    NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()
}

fn context(from: &str, to: &str, pack_minimum_days: u32) -> Context {
    Context { range: Range::new(day(from), day(to)).unwrap(), pack_minimum_days }
}

/// A plan with all four essentials and a service, reviewing two of last year's goals.
fn good_plan() -> PlanQuality {
    PlanQuality {
        own_words_goal: true,
        action_with_who_and_when: true,
        contingency: true,
        review_date: true,
        signposting: true,
        goals: GoalTally { achieved: 1, partly_achieved: 1, ..GoalTally::default() },
    }
}

/// A review due in September 2026: invited, seen, triaged, the pack sent `pack_days` before a
/// conversation on `held`, and the plan agreed that day.
fn held(id: i64, held: &str, pack_days: i64, plan: PlanQuality) -> ReviewFacts {
    let on = day(held);
    ReviewFacts {
        cycle_id: Some(id),
        invitations: vec![day("2026-09-01")],
        attended: Some(day("2026-09-10")),
        one_visit: true,
        triaged: Some(Step { on: on - chrono::Duration::days(pack_days + 1), order: 5 }),
        pack_sent: Some(Step { on: on - chrono::Duration::days(pack_days), order: 6 }),
        conversation: Some(on),
        agreed: Some(on),
        plan: Some(plan),
        ..ReviewFacts::not_opened(id, 1, false, YearMonth::new(2026, 9).unwrap())
    }
}

/// Four conversations in October: three with the pack two weeks before, one with it three days
/// before; one plan without a contingency plan; two feedback forms.
fn october() -> Vec<ReviewFacts> {
    let mut facts = vec![
        held(1, "2026-10-05", 14, good_plan()),
        held(2, "2026-10-12", 14, good_plan()),
        held(3, "2026-10-19", 14, good_plan()),
        held(4, "2026-10-26", 3, PlanQuality { contingency: false, ..good_plan() }),
    ];
    facts[0].feedback = Some(FeedbackForm::from_codes("444", "5555555555").unwrap().scores());
    facts[1].feedback = Some(FeedbackForm::from_codes("432", "44444n444-").unwrap().scores());
    facts
}

fn page(facts: &[ReviewFacts], from: &str, to: &str) -> SteeringPage {
    let report = report(facts, context(from, to, 7));
    steering_page(&report, " Riverside Surgery ", day("2026-11-23"))
}

fn headline<'p>(page: &'p SteeringPage, key: &str) -> &'p Headline {
    page.headlines.iter().find(|h| h.key == key).unwrap()
}

fn row<'p>(page: &'p SteeringPage, key: &str) -> &'p TableRow {
    page.table.sections.iter().flat_map(|s| &s.rows).find(|r| r.key == key).unwrap()
}

/// Every piece of text on the page, to look for words that must never be printed.
fn all_text(page: &SteeringPage) -> Vec<String> {
    let mut text = vec![page.title.clone(), page.range.clone(), page.made_on.clone()];
    for h in &page.headlines {
        text.extend([h.label.clone(), h.number.clone(), h.detail.clone()]);
    }
    for section in &page.table.sections {
        for row in &section.rows {
            for cell in &row.cells {
                text.push(cell.value.clone());
                text.extend(cell.out_of.clone());
            }
        }
    }
    for chart in [&page.pack_days, &page.trend] {
        text.extend([chart.title.clone(), chart.caption.clone()]);
        text.extend(chart.empty.clone());
        text.extend(
            chart.bars.iter().flat_map(|b| [b.label.clone()].into_iter().chain(b.shown.clone())),
        );
    }
    text.extend(page.notes.iter().cloned());
    text
}

#[test]
fn the_title_names_the_practice_the_range_and_the_day_it_was_made() {
    let page = page(&october(), "2026-08-01", "2026-10-31");
    assert_eq!(page.title, "Personalised care and support planning: Riverside Surgery");
    assert_eq!(page.range, "1 August to 31 October 2026");
    assert_eq!(page.made_on, "Made on 23 November 2026");
}

#[test]
fn the_headlines_are_the_figures_asked_about_each_with_what_it_counts_out_of() {
    let page = page(&october(), "2026-10-01", "2026-10-31");
    let keys: Vec<&str> = page.headlines.iter().map(|h| h.key).collect();
    assert_eq!(
        keys,
        [
            "conversations",
            "plans_agreed",
            "pack_in_time",
            "plan_all_four",
            "collaborate_top_score",
            "care_mean"
        ]
    );
    let held = headline(&page, "conversations");
    assert_eq!((held.label.as_str(), held.number.as_str()), ("Conversations held", "4"));
    assert_eq!(held.detail, "people had a care and support planning conversation");
    assert_eq!(headline(&page, "plans_agreed").number, "4");

    // Three of the four packs went at least 7 days before: the one 3 days before did not.
    let in_time = headline(&page, "pack_in_time");
    assert_eq!(in_time.number, "75%");
    assert_eq!(
        in_time.detail,
        "3 of 4 conversations had their results pack at least 7 days before"
    );
    let four = headline(&page, "plan_all_four");
    assert_eq!(four.number, "75%");
    assert!(four.detail.starts_with("3 of 4 plans: a goal in their words"), "{}", four.detail);

    // collaboRATE: 444 is the top score (12), 432 is not (9). CARE: 50, and 40 for a form with
    // two items unanswered (each replaced by the mean of the others).
    let collaborate = headline(&page, "collaborate_top_score");
    assert_eq!(collaborate.number, "50%");
    assert_eq!(
        collaborate.detail,
        "1 of 2 forms: every effort made, all three questions (mean 10.5 of 12)"
    );
    let care = headline(&page, "care_mean");
    assert_eq!((care.label.as_str(), care.number.as_str()), ("CARE measure", "45.0"));
    assert_eq!(care.detail, "mean score (10 to 50) from 2 forms");
}

#[test]
fn one_of_something_is_singular_and_unscored_care_forms_are_said() {
    let mut facts = vec![held(1, "2026-10-05", 3, good_plan())];
    facts[0].feedback = Some(FeedbackForm::from_codes("444", "nnn5555555").unwrap().scores());
    let page = page(&facts, "2026-10-01", "2026-10-31");
    assert_eq!(
        headline(&page, "conversations").detail,
        "person had a care and support planning conversation"
    );
    let in_time = headline(&page, "pack_in_time");
    assert_eq!(in_time.number, "0%", "one conversation, pack too late: none in time");
    assert!(in_time.detail.starts_with("0 of 1 conversation had"), "{}", in_time.detail);
    let care = headline(&page, "care_mean");
    assert_eq!(care.number, NOTHING);
    assert_eq!(care.detail, "no form scored: 1 form had too many items unanswered");
    // A form with the CARE part left blank altogether cannot be scored either.
    facts[0].feedback = Some(FeedbackForm::from_codes("444", "----------").unwrap().scores());
    let page = super::steering_page(
        &report(&facts, context("2026-10-01", "2026-10-31", 7)),
        "Riverside",
        day("2026-11-23"),
    );
    assert_eq!(
        headline(&page, "care_mean").detail,
        "no form scored: 1 form had too many items unanswered"
    );
    assert_eq!(headline(&page, "collaborate_top_score").number, "100%");
}

#[test]
fn an_empty_range_reads_as_nothing_there_never_as_nan_or_zero_of_zero() {
    // The reviews happened, but not in this range; and a practice with none at all.
    for facts in [october(), Vec::new()] {
        let page = page(&facts, "2030-01-01", "2030-03-31");
        let held = headline(&page, "conversations");
        assert_eq!(
            (held.number.as_str(), held.detail.as_str()),
            ("0", "no conversations in this range")
        );
        assert_eq!(
            headline(&page, "plans_agreed").detail,
            "no care and support plans agreed in this range"
        );
        for key in ["pack_in_time", "plan_all_four", "collaborate_top_score", "care_mean"] {
            assert_eq!(headline(&page, key).number, NOTHING, "{key}");
        }
        assert_eq!(headline(&page, "pack_in_time").detail, "no conversations in this range");
        assert_eq!(headline(&page, "plan_all_four").detail, "no plans agreed in this range");
        assert_eq!(headline(&page, "care_mean").detail, "no conversations in this range");
        let invited = row(&page, "invited");
        assert!(invited.cells.iter().all(|c| c.value == NOTHING && c.out_of.is_none()));
        assert!(row(&page, "red_hours_median").cells.iter().all(|c| c.value == NOTHING));
        assert!(row(&page, "due").cells.iter().all(|c| c.value == "0"));
        assert_eq!(page.pack_days.empty.as_deref(), Some("No conversations in this range"));
        assert_eq!(page.trend.empty.as_deref(), Some("No conversations in these months"));
        for text in all_text(&page) {
            for never in ["NaN", "inf", "0 of 0", "None", "Some("] {
                assert!(!text.contains(never), "{never:?} in {text:?}");
            }
        }
    }
}

#[test]
fn conversations_with_no_forms_back_say_so() {
    let facts =
        vec![held(1, "2026-10-05", 14, good_plan()), held(2, "2026-10-06", 14, good_plan())];
    let page = page(&facts, "2026-10-01", "2026-10-31");
    for key in ["collaborate_top_score", "care_mean"] {
        let h = headline(&page, key);
        assert_eq!(h.number, NOTHING);
        assert_eq!(h.detail, "no feedback forms returned (2 conversations held)");
    }
}

#[test]
fn percentages_are_the_reports_own_and_never_round_to_all_or_none() {
    let share = |count, of| Measure::Share { count, of };
    let cases = [
        ((1, 3), "33.3%", Some("1 of 3")),
        ((2, 4), "50%", Some("2 of 4")),
        ((0, 5), "0%", Some("0 of 5")),
        ((5, 5), "100%", Some("5 of 5")),
        ((1999, 2000), "99.9%", Some("1999 of 2000")),
        ((1, 3000), "0.1%", Some("1 of 3000")),
        ((0, 0), NOTHING, None),
    ];
    for ((count, of), shown, n_of_m) in cases {
        assert_eq!(percent(&share(count, of)), shown, "{count} of {of}");
        assert_eq!(out_of(&share(count, of)).as_deref(), n_of_m, "{count} of {of}");
    }
    assert_eq!(percent(&Measure::Count(3)), NOTHING, "a count is no percentage");
}

#[test]
fn the_range_is_written_in_words() {
    let cases = [
        ("2026-10-05", "2026-10-05", "5 October 2026"),
        ("2026-10-01", "2026-10-31", "1 to 31 October 2026"),
        ("2026-08-01", "2026-10-31", "1 August to 31 October 2026"),
        ("2025-11-01", "2026-01-31", "1 November 2025 to 31 January 2026"),
    ];
    for (from, to, words) in cases {
        assert_eq!(range_in_words(day(from), day(to)), words);
    }
}

#[test]
fn the_table_gives_every_group_its_own_figures_under_plain_headings() {
    let mut facts = october();
    // A frail person with two conditions is in both of those columns, not in "One condition".
    facts[3].ltc_count = 2;
    facts[3].frail = true;
    let page = page(&facts, "2026-10-01", "2026-10-31");
    assert_eq!(
        page.table.columns,
        ["Everyone", "One condition", "Two or more conditions", "Living with frailty"]
    );
    let headings: Vec<&str> = page.table.sections.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(
        headings,
        [
            "Invitations and contact 1",
            "Professional preparation",
            "Declined and adjusted",
            "What the plans agreed contain",
            "Goals from the last plan"
        ]
    );
    for section in &page.table.sections {
        for row in &section.rows {
            assert_eq!(row.cells.len(), 4, "{}", row.key);
            assert!(FIGURES.iter().any(|d| d.key == row.key), "{} is a report figure", row.key);
        }
    }
    let contingency = row(&page, "plan_contingency");
    let values: Vec<(&str, Option<&str>)> =
        contingency.cells.iter().map(|c| (c.value.as_str(), c.out_of.as_deref())).collect();
    assert_eq!(
        values,
        [
            ("75%", Some("3 of 4")),
            ("100%", Some("3 of 3")),
            ("0%", Some("0 of 1")),
            ("0%", Some("0 of 1"))
        ]
    );
    // Goals are counted one by one: two reviewed in each of the four plans.
    let reviewed = row(&page, "goals_reviewed");
    assert_eq!(
        (reviewed.cells[0].value.as_str(), reviewed.cells[0].out_of.as_deref()),
        ("8", None)
    );
    let achieved = row(&page, "goals_achieved");
    assert!(achieved.part, "an outcome is part of the goals reviewed");
    assert_eq!(achieved.cells[0].out_of.as_deref(), Some("4 of 8"));
    let reasons: Vec<&str> =
        page.table.sections[2].rows.iter().filter(|r| r.part).map(|r| r.key).collect();
    assert_eq!(reasons.len(), 5, "every adjustment reason has its row: {reasons:?}");
}

#[test]
fn the_pack_chart_darkens_the_bars_in_time_and_marks_the_practices_minimum() {
    let facts = october();
    let chart = page(&facts, "2026-10-01", "2026-10-31").pack_days;
    let bars: Vec<(&str, u32, bool)> =
        chart.bars.iter().map(|b| (b.label.as_str(), b.value, b.strong)).collect();
    assert_eq!(
        bars,
        [
            ("0–6", 1, false),
            ("7–13", 0, true),
            ("14–20", 3, true),
            ("21–27", 0, true),
            ("28 or\nmore", 0, true),
            ("No pack\nbefore", 0, false)
        ]
    );
    assert_eq!(chart.marker, Some(Marker { at: 1.0, label: "at least 7 days".into() }));
    assert_eq!(chart.caption, "Dark bars: in time. Median 14 days between pack and conversation.");
    assert!(chart.empty.is_none());

    // A practice that asks for 10 days: the line falls three days into "7 to 13", and that bar
    // is no longer all in time.
    let minimum = |days: u32| {
        let report = report(&facts, context("2026-10-01", "2026-10-31", days));
        steering_page(&report, "Riverside", day("2026-11-23")).pack_days
    };
    let ten = minimum(10);
    assert_eq!(ten.marker.as_ref().unwrap().at, 1.0 + 3.0 / 7.0);
    assert!(!ten.bars[1].strong && ten.bars[2].strong);
    assert_eq!(minimum(30).marker.unwrap().at, 4.0, "past 28, at the open-ended bar's start");
    assert_eq!(minimum(1).marker.unwrap().label, "at least 1 day");
}

#[test]
fn the_trend_darkens_the_months_of_the_range_and_names_a_long_trend_by_quarter() {
    let trend = page(&october(), "2026-08-01", "2026-10-31").trend;
    assert_eq!(trend.bars.len(), 12, "a quarter is seen against the year before it");
    assert_eq!(trend.bars[0].label, "Nov\n2025");
    assert_eq!(trend.bars[1].label, "Dec");
    assert_eq!(trend.bars[2].label, "Jan\n2026", "a new year says so");
    let strong: Vec<bool> = trend.bars.iter().map(|b| b.strong).collect();
    assert_eq!(strong, [vec![false; 9], vec![true; 3]].concat());
    let last = &trend.bars[11];
    assert_eq!((last.label.as_str(), last.value, last.shown.as_deref()), ("Oct", 4, Some("4")));
    assert!(trend.empty.is_none());

    let long = page(&october(), "2024-01-15", "2026-10-31").trend;
    assert_eq!(long.bars.len(), 34);
    let named: Vec<&str> =
        long.bars.iter().map(|b| b.label.as_str()).filter(|l| !l.is_empty()).collect();
    assert_eq!(named[..4], ["Jan\n2024", "Apr", "Jul", "Oct"]);
    assert!(long.bars.iter().all(|b| b.shown.is_none()), "too many bars to number each");
    assert!(long.bars.iter().all(|b| b.strong), "every month is in the range");
}
