//! The preparation pack's choices: what a result means for the person, by where it falls
//! and how a red finding was acknowledged, and which needs no printed pack meets.

use super::*;

fn red<'a>(meaning: &'a str, acknowledged: Option<AckAction>) -> FoundWords<'a> {
    FoundWords { red: true, meaning, acknowledged }
}

fn amber(meaning: &str) -> FoundWords<'_> {
    FoundWords { red: false, meaning, acknowledged: None }
}

#[test]
fn a_red_finding_not_yet_acknowledged_stops_the_pack() {
    let found = [red("in touch", None), amber("above")];
    assert_eq!(choose_meaning(&found, Some(Some("within")), "what it is"), Meaning::Waiting);
}

#[test]
fn a_red_finding_acted_on_says_the_practice_has_been_in_touch() {
    for action in [AckAction::ContactedToday, AckAction::Referred, AckAction::RepeatTest] {
        let found = [red("already in touch", Some(action)), amber("above")];
        assert_eq!(
            choose_meaning(&found, None, "what it is"),
            Meaning::Said("already in touch".into())
        );
    }
}

#[test]
fn a_red_finding_with_no_action_never_claims_contact() {
    let found = [red("already in touch", Some(AckAction::NoAction)), amber("above target")];
    assert_eq!(choose_meaning(&found, None, "what it is"), Meaning::Said("above target".into()));
    let found = [red("already in touch", Some(AckAction::NoAction))];
    assert_eq!(
        choose_meaning(&found, Some(None), "what it is"),
        Meaning::Explanation("what it is".into())
    );
}

#[test]
fn words_follow_where_the_value_falls() {
    assert_eq!(
        choose_meaning(&[amber("above")], Some(Some("within")), "x"),
        Meaning::Said("above".into())
    );
    assert_eq!(choose_meaning(&[], Some(Some("within")), "x"), Meaning::Said("within".into()));
    assert_eq!(choose_meaning(&[], Some(None), "x"), Meaning::Explanation("x".into()));
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
