//! The demonstration practice: a fictional register file, made from a seed, with test-range
//! NHS numbers and a realistic mix of ages and conditions. It is imported like a real file.

use chrono::{Datelike, Duration, NaiveDate};

use crate::domain::catalogue::{Catalogue, FrailtyGrade};
use crate::domain::nhs_number::NhsNumber;
use crate::domain::practice::{Letterhead, PracticeSettings};
use crate::domain::register::Column;
use crate::exchange::register_import::{import_register, ImportError, ImportReport, RegisterFile};
use crate::store::{Actor, Store, StoreError};

mod history;
mod packs;
mod plans;
mod results;

pub const DEMO_PRACTICE_NAME: &str = "Riverside Surgery (demonstration)";

/// A small, fast, seeded generator (SplitMix64): the same seed always gives the same practice.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const FAMILY_NAMES: &[&str] = &[
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Khan",
    "Hussain",
    "Ahmed",
    "Begum",
    "Ali",
    "Singh",
    "Kaur",
    "O'Brien",
    "O'Neill",
    "McDonald",
    "Murphy",
    "Kelly",
    "Nowak",
    "Kowalska",
    "Wiśniewski",
    "Okafor",
    "Adeyemi",
    "Mensah",
    "Osei",
    "Campbell",
    "Stewart",
    "Morris",
    "Hughes",
    "Edwards",
    "Turner",
    "Hill",
    "Cooper",
    "Ward",
    "Morgan",
    "Harris",
    "Lewis",
    "Young",
    "King",
    "Baker",
    "Allen",
    "Scott",
    "Mitchell",
    "Carter",
    "Phillips",
    "Shaw",
    "Lloyd",
    "Bennett",
    "Price",
    "Chapman",
    "Fletcher",
    "Dixon",
    "Harrison",
    "Gill",
    "Sharma",
    "Chowdhury",
    "Rahman",
    "Nguyen",
    "Chen",
    "Wong",
    "Popescu",
    "Silva",
    "Santos",
    "Smith-Jones",
    "Fitzgerald",
    "Doherty",
    "Ferguson",
    "Marshall",
    "Holmes",
    "Pearson",
    "Atkinson",
    "Barker",
    "Booth",
    "Brennan",
];

const FEMALE_NAMES: &[&str] = &[
    "Margaret",
    "Patricia",
    "Susan",
    "Linda",
    "Barbara",
    "Elizabeth",
    "Jean",
    "Christine",
    "Janet",
    "Sandra",
    "Carol",
    "Pauline",
    "Mary",
    "Anne",
    "Helen",
    "Sarah",
    "Emma",
    "Claire",
    "Rachel",
    "Nicola",
    "Joanne",
    "Amanda",
    "Grace",
    "Zoë",
    "Aisha",
    "Fatima",
    "Priya",
    "Agnieszka",
    "Siobhán",
    "Chloé",
    "Ngozi",
    "Abena",
    "Mei",
    "Irene",
    "Doreen",
    "Brenda",
    "Gillian",
    "Lesley",
    "Hazel",
    "Maureen",
    "Shirley",
    "Kathleen",
    "Jennifer",
    "Alison",
    "Lucy",
];

const MALE_NAMES: &[&str] = &[
    "John", "David", "Michael", "Peter", "Robert", "Paul", "Stephen", "Andrew", "Ian", "Alan",
    "Brian", "Keith", "Colin", "Graham", "Kevin", "Gary", "Mark", "James", "Richard", "Thomas",
    "Mohammed", "Imran", "Tariq", "Rajesh", "Sanjay", "Piotr", "Łukasz", "Seán", "Chidi", "Kwame",
    "Wei", "Dennis", "Derek", "Roy", "Terence", "Raymond", "Malcolm", "Neil", "Martin", "Simon",
];

const STREETS: &[&str] = &[
    "Mill Lane",
    "Church Street",
    "Station Road",
    "Victoria Road",
    "Park Avenue",
    "The Green",
    "Riverside Walk",
    "Orchard Close",
    "Chapel Row",
    "Canal Street",
    "Willow Drive",
    "Beech Grove",
    "Market Place",
    "School Lane",
    "Meadow View",
    "Ashby Road",
];

const TOWNS: &[(&str, &str)] =
    &[("Ashby Marsh", "AM1"), ("Ashby Marsh", "AM2"), ("Lowfold", "AM3"), ("Kettleby", "AM4")];

const CLINICIANS: &[&str] =
    &["Dr A Rahman", "Dr S Whitfield", "Dr E Mensah", "Nurse J Okoye", "Nurse P Gallagher"];

const LANGUAGES: &[&str] = &["Polish", "Urdu", "Punjabi", "Bengali", "Romanian", "Arabic"];

/// Chance of each condition by age band (under 40, 40 to 64, 65 and over).
const PREVALENCE: &[(&str, [f64; 3])] = &[
    ("hypertension", [0.08, 0.45, 0.62]),
    ("type-2-diabetes", [0.06, 0.24, 0.28]),
    ("type-1-diabetes", [0.06, 0.02, 0.01]),
    ("asthma", [0.40, 0.16, 0.10]),
    ("copd", [0.0, 0.07, 0.13]),
    ("chronic-kidney-disease", [0.01, 0.06, 0.24]),
    ("coronary-heart-disease", [0.0, 0.07, 0.19]),
    ("heart-failure", [0.0, 0.02, 0.08]),
    ("atrial-fibrillation", [0.0, 0.03, 0.14]),
    ("stroke-tia", [0.0, 0.03, 0.08]),
    ("depression", [0.30, 0.20, 0.12]),
];

/// Ages and diagnosis dates count back from this day, not from today, so that a seed makes the
/// same practice whenever it is made (and the sample files in `assets/samples/` match it).
fn reference_day(today: NaiveDate) -> NaiveDate {
    today.min(NaiveDate::from_ymd_opt(2026, 6, 1).expect("a real date"))
}

/// A fictional register file of `patients` people, as a practice's clinical system would
/// export it. Each row is a valid row: the demo exercises the same import as a real file.
pub fn demo_register_csv(
    catalogue: &Catalogue,
    patients: usize,
    seed: u64,
    today: NaiveDate,
) -> Vec<u8> {
    let mut dice = Dice(seed ^ 0xA1_0A95_1DE5);
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(Column::ALL.map(Column::name)).expect("writing to memory");
    let mut stems = 999_000_001u32..;
    for _ in 0..patients {
        let nhs_number = loop {
            let stem = stems.next().expect("the test range holds a million stems");
            if let Some(number) = NhsNumber::from_stem(stem) {
                break number;
            }
        };
        let record = demo_person(&mut dice, catalogue, &nhs_number, reference_day(today));
        writer.write_record(&record).expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}

fn demo_person(
    dice: &mut Dice,
    catalogue: &Catalogue,
    nhs_number: &NhsNumber,
    day: NaiveDate,
) -> Vec<String> {
    // People on an LTC register are older than the population: weight ages towards 50 to 85.
    let age = match dice.below(100) {
        0..=14 => 18 + dice.below(22),
        15..=44 => 40 + dice.below(25),
        45..=89 => 65 + dice.below(20),
        _ => 85 + dice.below(14),
    } as i64;
    let date_of_birth = day - Duration::days(age * 365 + dice.below(365) as i64);
    let band = if age < 40 {
        0
    } else if age < 65 {
        1
    } else {
        2
    };
    let sex = match dice.below(100) {
        0..=48 => "female",
        49..=97 => "male",
        98 => "other",
        _ => "unknown",
    };
    let given = if sex == "female" || (sex != "male" && dice.chance(0.5)) {
        dice.pick(FEMALE_NAMES)
    } else {
        dice.pick(MALE_NAMES)
    };
    let family = dice.pick(FAMILY_NAMES);

    let mut conditions: Vec<String> = Vec::new();
    let add = |dice: &mut Dice, conditions: &mut Vec<String>, id: &str| {
        let Some(condition) = catalogue.condition(id) else {
            return;
        };
        let codes = condition.codes();
        let code = &codes[dice.below(codes.len())];
        let years_ago = dice.below((age as usize).saturating_sub(16).clamp(1, 30));
        let diagnosed = day - Duration::days(years_ago as i64 * 365 + dice.below(300) as i64);
        if dice.chance(0.7) {
            conditions.push(format!("{}:{}", code.code(), diagnosed.max(date_of_birth)));
        } else {
            conditions.push(code.code().to_string());
        }
    };
    for (id, chances) in PREVALENCE {
        if dice.chance(chances[band]) {
            add(dice, &mut conditions, id);
        }
    }
    if conditions.is_empty() {
        add(dice, &mut conditions, if age < 40 { "asthma" } else { "hypertension" });
    }
    if age >= 65 {
        let frailty = match dice.below(100) as i64 + (age - 65) {
            0..=44 => None,
            45..=69 => Some(FrailtyGrade::Mild),
            70..=86 => Some(FrailtyGrade::Moderate),
            _ => Some(FrailtyGrade::Severe),
        };
        if let Some(grade) = frailty {
            let code = catalogue
                .condition("frailty")
                .and_then(|f| f.codes().iter().find(|c| c.grade() == Some(grade)));
            if let Some(code) = code {
                conditions.push(code.code().to_string());
            }
        }
    }

    let mut needs: Vec<String> = Vec::new();
    if dice.chance(if age >= 75 { 0.08 } else { 0.02 }) {
        needs.push("large_print".into());
    }
    if dice.chance(0.01) {
        needs.push("easy_read".into());
    }
    if dice.chance(0.003) {
        needs.push("braille".into());
    }
    if dice.chance(0.004) {
        needs.push("bsl".into());
    }
    if dice.chance(0.02) {
        needs.push(format!("interpreter:{}", dice.pick(LANGUAGES)));
    }
    let status = match dice.below(1000) {
        0..=959 => "registered",
        960..=984 => "left",
        _ => "deceased",
    };
    let (town, district) = TOWNS[dice.below(TOWNS.len())];
    let inward_letters = b"ABDEFGHJLNPQRSTUWXYZ";
    let postcode = format!(
        "{district} {}{}{}",
        dice.below(10),
        inward_letters[dice.below(inward_letters.len())] as char,
        inward_letters[dice.below(inward_letters.len())] as char
    );
    // Ofcom keeps 07700 900000 to 900999 and 0113 496 0000 to 0999 for drama: never real.
    let phone = if dice.chance(0.8) {
        format!("07700 900{:03}", dice.below(1000))
    } else {
        format!("0113 496 0{:03}", dice.below(1000))
    };
    let email = if dice.chance(0.4) {
        format!(
            "{}.{}@example.com",
            crate::domain::search::fold(given),
            crate::domain::search::fold(family)
        )
    } else {
        String::new()
    };
    let recall_month =
        if dice.chance(0.15) { (1 + dice.below(12)).to_string() } else { String::new() };
    let date_of_birth = if dice.chance(0.5) {
        date_of_birth.format("%Y-%m-%d").to_string()
    } else {
        format!("{:02}/{:02}/{}", date_of_birth.day(), date_of_birth.month(), date_of_birth.year())
    };

    Column::ALL
        .map(|column| match column {
            Column::NhsNumber => nhs_number.as_str().to_string(),
            Column::FamilyName => family.to_string(),
            Column::GivenName => given.to_string(),
            Column::DateOfBirth => date_of_birth.clone(),
            Column::Conditions => conditions.join(";"),
            Column::Sex => sex.to_string(),
            Column::AddressLine1 => format!("{} {}", 1 + dice.below(120), dice.pick(STREETS)),
            Column::AddressLine2 => String::new(),
            Column::Town => town.to_string(),
            Column::Postcode => postcode.clone(),
            Column::Phone => phone.clone(),
            Column::Email => email.clone(),
            Column::UsualClinician => dice.pick(CLINICIANS).to_string(),
            Column::CommunicationNeeds => needs.join(";"),
            Column::Status => status.to_string(),
            Column::RecallMonth => recall_month.clone(),
        })
        .to_vec()
}

/// Fills a new database with the demonstration practice and marks it as the demo, so it can
/// never be mistaken for a practice's real register. With `history`, its reviews have two
/// years of history and this year's at every stage, made through the same transitions staff use.
pub fn create_demo(
    store: &mut Store,
    actor: &Actor,
    catalogue: &Catalogue,
    today: NaiveDate,
    patients: usize,
    seed: u64,
    history: bool,
) -> Result<ImportReport, ImportError> {
    let file = RegisterFile::read(&demo_register_csv(catalogue, patients, seed, today))?;
    let starting = PracticeSettings::starting();
    let settings = PracticeSettings {
        letterhead: Letterhead {
            practice_name: DEMO_PRACTICE_NAME.to_string(),
            address: vec!["1 Mill Lane".into(), "Ashby Marsh".into(), "AM1 1AB".into()],
            phone: "0113 496 0000".into(),
            email: "riverside.surgery@example.com".into(),
            logo: None,
        },
        review_name: "Year of Care review".into(),
        booking_instructions: "Please phone us between 10am and 4pm to book, or ask at reception. Say \
                               that you are booking the first appointment of your Year of Care review."
            .into(),
        ..starting.clone()
    };
    // The register was there before the two years of history began.
    if history {
        let began =
            NaiveDate::from_ymd_opt(today.year() - 2, 1, 1).expect("a day") - Duration::days(30);
        store.set_demo_clock(began.and_hms_opt(8, 30, 0));
    }
    store.write::<_, StoreError>(actor, |w| {
        w.mark_as_demo()?;
        w.save_practice_settings(&starting, &settings)?;
        Ok(())
    })?;
    // One account per role, with the passwords README gives.
    crate::exchange::access::add_demo_accounts(store, actor).map_err(|e| match e {
        crate::exchange::access::AccessError::Store(e) => ImportError::Store(e),
        other => ImportError::Store(StoreError::Refused(other.to_string())),
    })?;
    let report = import_register(
        store,
        actor,
        catalogue,
        today,
        &file,
        "the demonstration register",
        false,
    )?;
    if history {
        history::write_history(store, &Actor::new("demo"), catalogue, &settings, today, seed)?;
        store.set_demo_clock(None);
        packs::stage_packs(store, &Actor::new("demo"), catalogue, &settings, today)?;
        plans::stage_plans(store, &Actor::new("demo"), today, seed)?;
    }
    Ok(report)
}
