//! Register search checked against an oracle: for many queries and filters, every page of the
//! store's answer together must be exactly the people a plain scan of the register finds.

use alongside::domain::catalogue::FrailtyGrade;
use alongside::domain::person::RegistrationStatus;
use alongside::domain::search::{
    name_words, ConditionCount, FrailtyFilter, RegisterFilter, SearchText,
};
use alongside::store::{Actor, PatientRow, Store};

use super::support::{catalogue, today, Sandbox};

fn matches(p: &PatientRow, text: &SearchText, filter: &RegisterFilter) -> bool {
    let c = catalogue();
    let d = &p.details;
    let text_ok = match text {
        SearchText::Everyone => true,
        SearchText::NhsNumber(n) => &d.nhs_number == n,
        SearchText::NhsNumberStart(digits) => d.nhs_number.as_str().starts_with(digits.as_str()),
        SearchText::DateOfBirth(date) => d.date_of_birth == *date,
        SearchText::Name(words) => {
            let own = name_words(&d.name);
            words.iter().all(|w| own.iter().any(|o| o.starts_with(w.as_str())))
        }
    };
    let count = d.long_term_condition_count(&c);
    let frailty = d.frailty(&c);
    text_ok
        && filter
            .condition_id
            .as_ref()
            .is_none_or(|id| d.conditions.iter().any(|x| &x.condition_id == id))
        && match filter.condition_count {
            ConditionCount::Any => true,
            ConditionCount::One => count == 1,
            ConditionCount::TwoOrMore => count >= 2,
        }
        && match filter.frailty {
            FrailtyFilter::Any => true,
            FrailtyFilter::Frail => frailty.is_some(),
            FrailtyFilter::ModerateOrSevere => frailty >= Some(FrailtyGrade::Moderate),
            FrailtyFilter::NotFrail => frailty.is_none(),
        }
        && filter.status.is_none_or(|s| d.status == s)
}

#[test]
fn every_query_finds_exactly_the_people_a_scan_finds() {
    let sandbox = Sandbox::new();
    let mut store = Store::open(&sandbox.db()).unwrap();
    alongside::exchange::demo::create_demo(
        &mut store,
        &Actor::new("test"),
        &catalogue(),
        today(),
        600,
        11,
        true,
    )
    .unwrap();
    let everyone = store.all_patients().unwrap();
    let sample = &everyone[everyone.len() / 3].details;
    let other = &everyone[everyone.len() / 2].details;
    let texts = [
        String::new(),
        sample.name.family()[..3].to_string(),
        sample.name.given().to_string(),
        format!("{} {}", other.name.given(), &other.name.family()[..2]),
        format!("{}, {}", other.name.family(), other.name.given()),
        sample.nhs_number.to_string(),
        sample.nhs_number.as_str()[..6].to_string(),
        sample.date_of_birth.format("%d/%m/%Y").to_string(),
        other.date_of_birth.format("%Y-%m-%d").to_string(),
        "zoe".into(),
        "O'Br".into(),
        "obr".into(),
        "smith-j".into(),
        "qqqq".into(),
    ];
    let filters = [
        RegisterFilter::default(),
        RegisterFilter { status: None, ..RegisterFilter::default() },
        RegisterFilter { status: Some(RegistrationStatus::Left), ..RegisterFilter::default() },
        RegisterFilter {
            condition_id: Some("type-2-diabetes".into()),
            ..RegisterFilter::default()
        },
        RegisterFilter { condition_count: ConditionCount::One, ..RegisterFilter::default() },
        RegisterFilter {
            condition_count: ConditionCount::TwoOrMore,
            frailty: FrailtyFilter::Frail,
            ..RegisterFilter::default()
        },
        RegisterFilter {
            frailty: FrailtyFilter::ModerateOrSevere,
            status: None,
            ..RegisterFilter::default()
        },
        RegisterFilter {
            condition_id: Some("chronic-kidney-disease".into()),
            frailty: FrailtyFilter::NotFrail,
            status: Some(RegistrationStatus::Registered),
            condition_count: ConditionCount::TwoOrMore,
        },
    ];
    let mut non_empty = 0;
    for text in &texts {
        let parsed = SearchText::parse(text);
        for filter in &filters {
            let expected: Vec<&str> = everyone
                .iter()
                .filter(|p| matches(p, &parsed, filter))
                .map(|p| p.details.nhs_number.as_str())
                .collect();
            let mut found = Vec::new();
            let mut offset = 0;
            loop {
                let page = store.search(&parsed, filter, offset, 7).unwrap();
                assert_eq!(
                    page.total as usize,
                    expected.len(),
                    "count for {text:?} with {filter:?}"
                );
                if page.people.is_empty() {
                    break;
                }
                found.extend(page.people.into_iter().map(|p| p.nhs_number));
                offset += 7;
            }
            assert_eq!(found, expected, "people, in name order, for {text:?} with {filter:?}");
            non_empty += usize::from(!expected.is_empty());
        }
    }
    assert!(
        non_empty > 40,
        "most queries find someone ({non_empty}), so the check means something"
    );
}

#[test]
fn search_results_carry_what_the_list_shows() {
    let sandbox = Sandbox::new();
    let mut store = Store::open(&sandbox.db()).unwrap();
    let file = alongside::exchange::register_import::RegisterFile::read(
        "nhs_number,family_name,given_name,date_of_birth,conditions,postcode,communication_needs\n\
         9990000018,Okafor,Grace,1950-03-02,44054006;38341003;925861000000102,ls1 4ab,large_print\n"
            .as_bytes(),
    )
    .unwrap();
    alongside::exchange::register_import::import_register(
        &mut store,
        &Actor::new("t"),
        &catalogue(),
        today(),
        &file,
        "f",
        false,
    )
    .unwrap();
    let page =
        store.search(&SearchText::parse("grace"), &RegisterFilter::default(), 0, 25).unwrap();
    let grace = &page.people[0];
    assert_eq!(grace.condition_ids, ["frailty", "hypertension", "type-2-diabetes"]);
    assert_eq!(grace.frailty.as_deref(), Some("severe"));
    assert_eq!(grace.communication_needs, ["large_print"]);
    assert_eq!(grace.postcode.as_deref(), Some("LS1 4AB"));
}
