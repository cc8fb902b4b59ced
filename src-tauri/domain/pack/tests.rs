//! The preparation pack's choices: what a result means for the person, by where it falls
//! and how a red finding was acknowledged, and which needs no printed pack meets.

use super::*;

fn red<'a>(meaning: &'a str, acknowledged: Option<AckAction>) -> FoundWords<'a> {
    FoundWords { red: true, meaning, acknowledged }
}

fn amber(meaning: &str) -> FoundWords<'_> {
    FoundWords { red: false, meaning, acknowledged: None }
}

fn target<'a>(exceeded: bool, within: Option<&'a str>) -> Option<TargetWords<'a>> {
    Some(TargetWords { exceeded, above: "above target", within })
}

#[test]
fn a_red_finding_not_yet_acknowledged_stops_the_pack() {
    let found = [red("in touch", None)];
    assert_eq!(
        choose_meaning(&found, target(true, Some("within")), "what it is"),
        Meaning::Waiting
    );
}

#[test]
fn a_red_finding_acted_on_says_the_practice_has_been_in_touch() {
    for action in [AckAction::ContactedToday, AckAction::Referred, AckAction::RepeatTest] {
        let found = [red("already in touch", Some(action))];
        assert_eq!(
            choose_meaning(&found, target(true, Some("within")), "what it is"),
            Meaning::Said("already in touch".into())
        );
    }
}

#[test]
fn a_red_finding_with_no_action_never_claims_contact() {
    // The rules give a red finding in place of the amber one, so the target says it was above.
    let found = [red("already in touch", Some(AckAction::NoAction))];
    assert_eq!(
        choose_meaning(&found, target(true, Some("within")), "what it is"),
        Meaning::Said("above target".into())
    );
    // A red rule with no target (oxygen level, say) falls back to what the test is.
    assert_eq!(
        choose_meaning(&found, None, "what it is"),
        Meaning::Explanation("what it is".into())
    );
}

#[test]
fn words_follow_where_the_value_falls() {
    assert_eq!(
        choose_meaning(&[amber("above")], target(true, Some("within")), "x"),
        Meaning::Said("above".into())
    );
    assert_eq!(
        choose_meaning(&[], target(true, Some("within")), "x"),
        Meaning::Said("above target".into())
    );
    assert_eq!(
        choose_meaning(&[], target(false, Some("within")), "x"),
        Meaning::Said("within".into())
    );
    assert_eq!(choose_meaning(&[], target(false, None), "x"), Meaning::Explanation("x".into()));
    assert_eq!(choose_meaning(&[], None, "x"), Meaning::Explanation("x".into()));
}

#[test]
fn formats_no_printed_pack_meets_are_named() {
    assert!(format_needed(&[CommunicationNeed::LargePrint]).is_none());
    assert!(format_needed(&[CommunicationNeed::EasyRead]).unwrap().contains("easy read"));
    assert!(format_needed(&[CommunicationNeed::Braille]).unwrap().contains("braille"));
    let polish = CommunicationNeed::Interpreter { language: "Polish".into() };
    assert!(format_needed(&[CommunicationNeed::LargePrint, polish]).unwrap().contains("Polish"));
}
