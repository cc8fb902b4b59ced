//! The command line, run as a practice would run it: the real binary, real files, JSON out.

use serde_json::json;

use super::support::{numbers, register, Sandbox};

#[test]
fn import_reports_every_rejected_row_with_its_line_and_reason() {
    let sandbox = Sandbox::new();
    let file = register(&[
        "9990000018,Okafor,Grace,02/03/1950,44054006", // line 2: fine
        "999 000 0026,Nowak,Piotr,1961-07-15,38341003;195967001", // line 3: fine
        "9990000035,Smith,Jane,1970-01-01,44054006",   // line 4: bad check digit
        "9990000042,Khan,Imran,2090-05-05,44054006",   // line 5: born in the future
        "9990000050,Evans,Mary,1948-12-01,73211009",   // line 6: unknown condition
        "9990000018,Okafor,Grace,02/03/1950,44054006", // line 7: repeated NHS number
        "9991112227,,Tom,1955-05-05,44054006",         // line 8: no family name
        "9996543218,Hill,Ann,1944-04-04,49436004",     // line 9: fine
    ]);
    let report = sandbox.import("register.csv", &file);
    assert_eq!(
        report,
        json!({
            "imported": 3,
            "updated": 0,
            "unchanged": 0,
            "rejected": [
                {"line": 4, "nhs_number": "9990000035",
                 "reason": "'999 000 0035' is not a valid NHS number: the check digit does not match, so it was probably mistyped"},
                {"line": 5, "nhs_number": "9990000042",
                 "reason": "the date of birth 5 May 2090 is in the future"},
                {"line": 6, "nhs_number": "9990000050",
                 "reason": "condition code 73211009 is not one of the long-term conditions Alongside knows"},
                {"line": 7, "nhs_number": "9990000018",
                 "reason": "the NHS number 999 000 0018 is already used on line 2 of this file; the first row is kept"},
                {"line": 8, "nhs_number": "9991112227", "reason": "the family name is missing"}
            ],
            "warnings": ["3 row(s) use NHS numbers from the 999 test range, which are never issued to real people"]
        }),
        "every bad row is named by its line, the header being line 1"
    );
    assert_eq!(
        numbers(&sandbox.list(&[])),
        ["9996543218", "9990000026", "9990000018"],
        "only valid rows were written, in name order (Hill, Nowak, Okafor)"
    );
}

#[test]
fn reimporting_the_same_file_changes_nothing() {
    let sandbox = Sandbox::new();
    let file = register(&[
        "9990000018,Okafor,Grace,02/03/1950,44054006:2012-04-01",
        "9990000026,Nowak,Piotr,1961-07-15,38341003;195967001",
    ]);
    sandbox.import("register.csv", &file);
    let before = sandbox.list(&[]);
    let again = sandbox.import("register.csv", &file);
    assert_eq!(
        (again["imported"].as_u64(), again["updated"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(0), Some(2))
    );
    assert_eq!(sandbox.list(&[]), before, "the register is exactly as it was");
}

#[test]
fn a_later_file_updates_people_and_keeps_those_it_leaves_out() {
    let sandbox = Sandbox::new();
    let first = "nhs_number,family_name,given_name,date_of_birth,conditions,postcode\n\
                 9990000018,Okafor,Grace,1950-03-02,44054006,LS1 4AB\n\
                 9990000026,Nowak,Piotr,1961-07-15,38341003,LS2 7XY\n\
                 9990000034,Hill,Ann,1944-04-04,49436004,LS3 1AA\n";
    sandbox.import("january.csv", first);
    let later = "nhs_number,family_name,given_name,date_of_birth,conditions,postcode\n\
                 9990000018,Okafor,Grace,1950-03-02,44054006;195967001,ls6 2qq\n\
                 9990000026,Nowak,Piotr,1961-07-15,38341003,LS2 7XY\n";
    let report = sandbox.import("february.csv", later);
    assert_eq!(
        (report["imported"].as_u64(), report["updated"].as_u64(), report["unchanged"].as_u64()),
        (Some(0), Some(1), Some(1))
    );
    let warnings = report["warnings"].to_string();
    assert!(warnings.contains("1 people on the register are not in this file"), "{warnings}");
    let list = sandbox.list(&[]);
    assert_eq!(numbers(&list).len(), 3, "Ann Hill is kept although the later file leaves her out");
    let grace = list.as_array().unwrap().iter().find(|p| p["nhs_number"] == "9990000018").unwrap();
    assert_eq!(grace["postcode"], "LS6 2QQ", "the postcode is updated and normalised");
    assert_eq!(grace["conditions"], json!(["44054006", "195967001"]), "asthma is added");

    let store = alongside::store::Store::open(&sandbox.db()).unwrap();
    let grace_number = alongside::domain::nhs_number::NhsNumber::parse("9990000018").unwrap();
    let timeline = store.timeline(&grace_number).unwrap();
    assert_eq!(timeline[0].action, "register.updated");
    assert!(timeline[0].summary.contains("postcode: LS1 4AB → LS6 2QQ"), "{}", timeline[0].summary);
    assert!(timeline[0].summary.contains("february.csv, line 2"), "{}", timeline[0].summary);
    assert_eq!(
        timeline[0].actor, "t-admin",
        "changes are recorded against the person who made them"
    );
    let ann = store
        .patient(&alongside::domain::nhs_number::NhsNumber::parse("9990000034").unwrap())
        .unwrap()
        .unwrap();
    assert!(ann.missing_from_latest_import, "Ann is marked missing from the latest import");
}

#[test]
fn a_dry_run_reports_the_same_and_writes_nothing() {
    let sandbox = Sandbox::new();
    let file = sandbox.write(
        "register.csv",
        register(&["9990000018,Okafor,Grace,1950-03-02,44054006", "bad,row,,,"]),
    );
    let dry = sandbox
        .alongside(&["import", "register", "--dry-run", file.to_str().unwrap()])
        .expect_code(0)
        .json();
    assert_eq!(dry["imported"], 1);
    assert_eq!(dry["rejected"][0]["line"], 3);
    assert_eq!(sandbox.list(&[]), json!([]), "a dry run writes nothing");
    let real =
        sandbox.alongside(&["import", "register", file.to_str().unwrap()]).expect_code(0).json();
    assert_eq!(real, dry, "the real import does what the dry run said");
}

#[test]
fn files_that_cannot_be_imported_are_refused_with_exit_code_2() {
    let sandbox = Sandbox::new();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.csv", b"".to_vec(), "the file is empty"),
        ("only-bom.csv", b"\xEF\xBB\xBF\r\n".to_vec(), "the file is empty"),
        ("binary.csv", vec![0x89, b'P', b'N', b'G', 0, 0, 1, 2, 3], "not a CSV text file"),
        ("utf16.csv", b"\xFF\xFEn\0h\0s\0".to_vec(), "UTF-16"),
        ("no-conditions.csv", b"nhs_number,family_name,given_name,date_of_birth\n9990000018,A,B,1950-01-01\n".to_vec(),
         "missing the required column conditions"),
        ("few-columns.csv", b"nhs_number;family_name;given_name\n".to_vec(),
         "missing the required columns nhs_number, family_name, given_name, date_of_birth, conditions"),
        ("twice.csv", b"nhs_number,family_name,given_name,date_of_birth,conditions,NHS_NUMBER\n".to_vec(),
         "the column nhs_number appears more than once"),
    ];
    for (name, bytes, expected) in cases {
        let path = sandbox.write(name, bytes);
        let run = sandbox.alongside(&["import", "register", path.to_str().unwrap()]).expect_code(2);
        assert!(run.stderr.contains(expected), "{name}: expected {expected:?} in {:?}", run.stderr);
        assert!(run.stdout.is_empty(), "{name}: nothing on stdout when the file is refused");
    }
    let missing = sandbox
        .alongside(&["import", "register", sandbox.path("nowhere.csv").to_str().unwrap()])
        .expect_code(2);
    assert!(missing.stderr.contains("nowhere.csv: there is no such file"), "{}", missing.stderr);
    let folder =
        sandbox.alongside(&["import", "register", sandbox.root().to_str().unwrap()]).expect_code(2);
    assert!(folder.stderr.contains("cannot read"), "{}", folder.stderr);
    assert_eq!(sandbox.list(&[]), json!([]), "nothing was written by any refused file");
}

#[test]
fn the_header_is_forgiving_and_quoting_follows_rfc_4180() {
    let sandbox = Sandbox::new();
    let mut file = b"\xEF\xBB\xBF".to_vec();
    file.extend_from_slice(
        " Conditions , DATE_OF_BIRTH,Given_Name,family_name, NHS_Number ,Ethnicity,address_line_1,postcode,communication_needs\r\n\
         \"44054006;38341003\",02/03/1950,\"Grace, Adaeze\",\"O\"\"Brien\",943 476 5919,unused,\"Flat 2\r\n12 Mill Lane\",ls14ab,large_print;interpreter:Igbo\r\n\
         195967001,1990-07-15,Zoë,Nowak-Smith,9990000026,,,,\r\n"
            .as_bytes(),
    );
    let path = sandbox.write("emis-export.csv", file);
    let report =
        sandbox.alongside(&["import", "register", path.to_str().unwrap()]).expect_code(0).json();
    assert_eq!(report["imported"], 2, "{report}");
    assert_eq!(report["rejected"], json!([]));
    assert!(report["warnings"]
        .to_string()
        .contains("the column 'Ethnicity' is not used by Alongside and was ignored"));
    let list = sandbox.list(&[]);
    let grace = &list[1];
    assert_eq!(grace["family_name"], "O\"Brien", "doubled quotes are one quote");
    assert_eq!(grace["given_name"], "Grace, Adaeze", "a quoted comma is part of the value");
    assert_eq!(grace["nhs_number"], "9434765919");
    assert_eq!(grace["date_of_birth"], "1950-03-02");
    assert_eq!(grace["postcode"], "LS1 4AB");
    assert_eq!(grace["communication_needs"], json!(["large_print", "interpreter:Igbo"]));
    assert_eq!(list[0]["given_name"], "Zoë", "UTF-8 names are kept exactly");
}

#[test]
fn optional_columns_are_checked_and_bad_values_named() {
    let sandbox = Sandbox::new();
    let file = "nhs_number,family_name,given_name,date_of_birth,conditions,sex,postcode,status,recall_month,communication_needs,email,phone\n\
        9990000018,Okafor,Grace,1950-03-02,44054006,F,LS1 4AB,registered,4,braille,grace@example.com,07700 900123\n\
        9990000026,Nowak,Piotr,1961-07-15,38341003,M,,left,,,,\n\
        9990000034,Hill,Ann,1944-04-04,49436004,U,,deceased,,bsl,,\n\
        9990000042,Khan,Imran,1955-05-05,44054006,man,L1,gone,13,big_print,imran@,12\n";
    let report = sandbox.import("register.csv", file);
    assert_eq!(report["imported"], 3);
    let reason = report["rejected"][0]["reason"].as_str().unwrap();
    for part in [
        "sex 'man' is not one of female, male, other, unknown (or F, M, O, U)",
        "'L1' is not a UK postcode",
        "'imran@' is not an email address",
        "'12' is not a telephone number",
        "'big_print' is not a communication need",
        "status 'gone' is not one of registered, left, deceased",
        "recall month '13' is not a month number from 1 to 12",
    ] {
        assert!(reason.contains(part), "expected {part:?} in {reason:?}");
    }
    assert_eq!(report["rejected"][0]["line"], 5);
    assert_eq!(numbers(&sandbox.list(&["--status", "left"])), ["9990000026"]);
    assert_eq!(numbers(&sandbox.list(&["--status", "deceased"])), ["9990000034"]);
    let grace = &sandbox.list(&["--status", "registered"])[0];
    assert_eq!(grace["recall_month"], 4);
    assert_eq!(grace["sex"], "female");
}

#[test]
fn a_file_cannot_bring_back_someone_who_died() {
    let sandbox = Sandbox::new();
    sandbox.import("a.csv", "nhs_number,family_name,given_name,date_of_birth,conditions,status\n9990000018,Okafor,Grace,1950-03-02,44054006,deceased\n");
    let report =
        sandbox.import("b.csv", &register(&["9990000018,Okafor,Grace,1950-03-02,44054006"]));
    assert_eq!(report["updated"], 0);
    assert!(report["rejected"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("records this person as deceased"));
    assert_eq!(sandbox.list(&[])[0]["status"], "deceased");
}

#[test]
fn rejected_rows_can_be_saved_to_fix_and_import_again() {
    let sandbox = Sandbox::new();
    let file = sandbox.write(
        "register.csv",
        register(&[
            "9990000018,Okafor,Grace,1950-03-02,44054006",
            "9990000019,\"Smith, Jr\",Jo,1950-03-02,44054006",
        ]),
    );
    let out = sandbox.path("rejected.csv");
    sandbox
        .alongside(&[
            "import",
            "register",
            file.to_str().unwrap(),
            "--rejected",
            out.to_str().unwrap(),
        ])
        .expect_code(0);
    let saved = std::fs::read_to_string(out).unwrap();
    let mut lines = saved.lines();
    assert_eq!(
        lines.next(),
        Some("line,reason,nhs_number,family_name,given_name,date_of_birth,conditions")
    );
    let row = lines.next().unwrap();
    assert!(row.starts_with("3,\"'999 000 0019' is not a valid NHS number"), "{row}");
    assert!(
        row.ends_with(",9990000019,\"Smith, Jr\",Jo,1950-03-02,44054006"),
        "the row is kept exactly: {row}"
    );
    assert_eq!(lines.next(), None);
}

#[test]
fn patients_list_filters_by_condition_and_status() {
    let sandbox = Sandbox::new();
    sandbox.import(
        "register.csv",
        "nhs_number,family_name,given_name,date_of_birth,conditions,status\n\
         9990000018,Adams,Amy,1950-03-02,709044004;44054006,registered\n\
         9990000026,Brown,Bill,1951-03-02,433144002,left\n\
         9990000034,Clark,Cat,1952-03-02,195967001,registered\n",
    );
    assert_eq!(
        numbers(&sandbox.list(&["--condition", "433144002"])),
        ["9990000018", "9990000026"],
        "any CKD code finds all CKD"
    );
    assert_eq!(
        numbers(&sandbox.list(&["--condition", "709044004", "--status", "registered"])),
        ["9990000018"]
    );
    assert_eq!(numbers(&sandbox.list(&["--status", "left"])), ["9990000026"]);
    let amy = &sandbox.list(&[])[0];
    let mut keys: Vec<&str> = amy.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "communication_needs",
            "conditions",
            "date_of_birth",
            "family_name",
            "given_name",
            "nhs_number",
            "postcode",
            "recall_month",
            "sex",
            "status"
        ],
        "the fields scripts rely on"
    );
    let bad = sandbox.alongside(&["patients", "list", "--condition", "4405400"]).expect_code(2);
    assert!(bad.stderr.contains("'4405400' is not a valid SNOMED CT code"), "{}", bad.stderr);
    let unknown =
        sandbox.alongside(&["patients", "list", "--condition", "73211009"]).expect_code(2);
    assert!(
        unknown.stderr.contains("73211009 is not the code of a condition Alongside knows"),
        "{}",
        unknown.stderr
    );
    sandbox.alongside(&["patients", "list", "--status", "moved"]).expect_code(2);
}

#[test]
fn every_subcommand_has_help_and_usage_errors_exit_2() {
    let sandbox = Sandbox::new();
    for args in [
        vec!["--help"],
        vec!["demo", "--help"],
        vec!["import", "--help"],
        vec!["import", "register", "--help"],
        vec!["patients", "--help"],
        vec!["patients", "list", "--help"],
        vec!["backup", "--help"],
        vec!["restore", "--help"],
    ] {
        let mut with_help = args.clone();
        with_help.retain(|a| *a != "--help");
        with_help.push("--help");
        let run = sandbox.alongside_plain(&with_help).expect_code(0);
        assert!(run.stdout.contains("Usage: alongside"), "{args:?}: {}", run.stdout);
    }
    sandbox.alongside_plain(&["frobnicate"]).expect_code(2);
    sandbox.alongside_plain(&["import", "register"]).expect_code(2);
    sandbox.alongside_plain(&["import", "register", "a.csv", "--dry-rum"]).expect_code(2);
    let version = sandbox.alongside_plain(&["--version"]).expect_code(0);
    assert_eq!(version.stdout.trim(), format!("alongside {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn the_demo_practice_is_made_from_its_seed() {
    let sandbox = Sandbox::new();
    let make = |name: &str, seed: &str| {
        let path = sandbox.path(name);
        sandbox
            .alongside_plain(&[
                "demo",
                "--create",
                path.to_str().unwrap(),
                "--patients",
                "300",
                "--seed",
                seed,
            ])
            .expect_code(0);
        let mut list = sandbox.command_list(&path);
        list.sort();
        list
    };
    let first = make("one.sqlite", "7");
    let again = make("two.sqlite", "7");
    let other = make("three.sqlite", "8");
    assert_eq!(first.len(), 300);
    assert_eq!(first, again, "the same seed makes the same practice");
    assert_ne!(first, other, "another seed makes another practice");
    let existing = sandbox.path("one.sqlite");
    let refused =
        sandbox.alongside_plain(&["demo", "--create", existing.to_str().unwrap()]).expect_code(2);
    assert!(refused.stderr.contains("already exists"), "{}", refused.stderr);
}

#[test]
fn the_demo_practice_has_a_realistic_mix() {
    let sandbox = Sandbox::new();
    let path = sandbox.path("demo.sqlite");
    sandbox.alongside_plain(&["demo", "--create", path.to_str().unwrap()]).expect_code(0);
    let store = alongside::store::Store::open(&path).unwrap();
    assert!(store.is_demo().unwrap(), "the demo database says it is the demo");
    let people = store.all_patients().unwrap();
    assert_eq!(people.len(), 250);
    let catalogue = super::support::catalogue();
    let several =
        people.iter().filter(|p| p.details.long_term_condition_count(&catalogue) >= 2).count();
    let frail = people.iter().filter(|p| p.details.frailty(&catalogue).is_some()).count();
    let needs = people.iter().filter(|p| !p.details.communication_needs.is_empty()).count();
    let not_registered = people.iter().filter(|p| !p.details.status.may_be_contacted()).count();
    assert!(people.iter().all(|p| p.details.nhs_number.is_test()), "only test-range NHS numbers");
    assert!((60..200).contains(&several), "many live with several conditions: {several}");
    assert!((15..120).contains(&frail), "some are frail: {frail}");
    assert!((3..60).contains(&needs), "some have communication needs: {needs}");
    assert!((1..40).contains(&not_registered), "a few have left or died: {not_registered}");
    for condition in catalogue.conditions() {
        let with = people
            .iter()
            .filter(|p| p.details.conditions.iter().any(|d| d.condition_id == condition.id()))
            .count();
        assert!(with > 0, "someone has {}", condition.id());
    }
}

#[test]
fn a_register_of_100000_people_can_be_created() {
    let sandbox = Sandbox::new();
    let path = sandbox.path("big.sqlite");
    sandbox
        .alongside_plain(&[
            "demo",
            "--create",
            path.to_str().unwrap(),
            "--patients",
            "100000",
            "--no-history",
        ])
        .expect_code(0);
    let store = alongside::store::Store::open(&path).unwrap();
    let page = store
        .search(
            &alongside::domain::search::SearchText::Everyone,
            &alongside::domain::search::RegisterFilter { status: None, ..Default::default() },
            0,
            1,
        )
        .unwrap();
    assert_eq!(page.total, 100_000);
}

#[test]
fn databases_that_are_not_alongside_or_are_newer_are_refused_untouched() {
    let sandbox = Sandbox::new();
    let text = sandbox.write("notes.txt", "not a database at all\n");
    let run = sandbox
        .alongside_plain(&["--db", text.to_str().unwrap(), "patients", "list"])
        .expect_code(2);
    assert!(
        run.stderr.contains("is not an Alongside database (it is not a SQLite database file)"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(&text).unwrap(), "not a database at all\n");

    let other = sandbox.path("other.sqlite");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE invoices (id INTEGER)")
        .unwrap();
    let before = std::fs::read(&other).unwrap();
    let run = sandbox
        .alongside_plain(&["--db", other.to_str().unwrap(), "patients", "list"])
        .expect_code(2);
    assert!(run.stderr.contains("holds other data"), "{}", run.stderr);
    assert_eq!(
        std::fs::read(&other).unwrap(),
        before,
        "the other database is byte for byte the same"
    );

    sandbox.import("r.csv", &register(&["9990000018,Okafor,Grace,1950-03-02,44054006"]));
    rusqlite::Connection::open(sandbox.db())
        .unwrap()
        .execute_batch("PRAGMA user_version = 99")
        .unwrap();
    let before = std::fs::read(sandbox.db()).unwrap();
    let run = sandbox.alongside(&["patients", "list"]).expect_code(1);
    assert!(
        run.stderr.contains("written by a newer version of Alongside (database version 99"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read(sandbox.db()).unwrap(),
        before,
        "the newer database is left untouched"
    );
}

#[test]
fn the_database_comes_from_the_environment_when_no_flag_is_given() {
    let sandbox = Sandbox::new();
    sandbox.import("r.csv", &register(&["9990000018,Okafor,Grace,1950-03-02,44054006"]));
    let db = sandbox.db().display().to_string();
    let output = sandbox
        .command_for(&["patients", "list"], &[("ALONGSIDE_DB", &db)])
        .env("XDG_DATA_HOME", sandbox.path("elsewhere"))
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(numbers(&list), ["9990000018"], "ALONGSIDE_DB names the database");
    let default = sandbox.alongside_plain(&["patients", "list"]).expect_code(0).json();
    assert_eq!(
        default,
        json!([]),
        "without it, the practice database in the data directory is used"
    );
    assert!(sandbox.path("data/alongside/practice.sqlite").exists());
}

#[test]
fn the_cli_never_panics_on_hostile_files() {
    let sandbox = Sandbox::new();
    let mut seed = 0x5EED_u64;
    let mut noise = |n: usize| super::support::noise(&mut seed, b",;\"\n\r 09aZ\xC3\xA9\xFF:/-", n);
    let mut files: Vec<Vec<u8>> = vec![
        format!("{}\n\"9990000018,Okafor,Grace,1950-03-02,44054006\n", super::support::HEADER)
            .into_bytes(),
        format!("{}\n{}\n", super::support::HEADER, "x".repeat(1_000_000)).into_bytes(),
        format!("{}\n,,,,\n,,,,\n", super::support::HEADER).into_bytes(),
        format!("{},{}\n", super::support::HEADER, ",".repeat(5000)).into_bytes(),
        format!("{}\n9990000018,\u{0}A,B,1950-01-01,44054006\n", super::support::HEADER)
            .into_bytes(),
        format!(
            "{}\n9990000018,Okafor,Grace,1950-03-02,44054006:\n9990000026,A,B,1950-03-02,:\n",
            super::support::HEADER
        )
        .into_bytes(),
        format!(
            "{}\n\u{FEFF}9990000018,Okafor,Grace,29/02/1900,44054006;;;\n",
            super::support::HEADER
        )
        .into_bytes(),
    ];
    for n in [1, 10, 100, 1000, 10_000] {
        let mut file = super::support::HEADER.as_bytes().to_vec();
        file.push(b'\n');
        file.extend(noise(n));
        files.push(file);
        files.push(noise(n));
    }
    for (i, bytes) in files.into_iter().enumerate() {
        let path = sandbox.write(&format!("hostile-{i}.csv"), bytes);
        let run = sandbox.alongside(&["import", "register", path.to_str().unwrap()]);
        assert!(
            run.code == 0 || run.code == 2,
            "file {i}: exit {} stderr {}",
            run.code,
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "file {i}: {}", run.stderr);
        if run.code == 0 {
            run.json();
        }
    }
}

impl Sandbox {
    /// Everyone listed by a database, as the CLI prints them.
    fn command_list(&self, db: &std::path::Path) -> Vec<String> {
        let list = self
            .alongside_plain(&["--db", db.to_str().unwrap(), "patients", "list"])
            .expect_code(0)
            .json();
        list.as_array().unwrap().iter().map(|p| p.to_string()).collect()
    }
}

/// The sample file the README offers a new user: into the demonstration practice it adds three
/// people, updates two, and shows six kinds of mistake.
#[test]
fn the_sample_register_file_shows_what_an_import_does_in_the_demo() {
    let sandbox = Sandbox::new();
    let demo = sandbox.path("demo.sqlite");
    sandbox.alongside_plain(&["demo", "--create", demo.to_str().unwrap()]).expect_code(0);
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/samples/register-with-mistakes.csv");
    let report = sandbox
        .alongside_plain(&["--db", demo.to_str().unwrap(), "import", "register", sample])
        .expect_code(0)
        .json();
    assert_eq!(
        (report["imported"].as_u64(), report["updated"].as_u64()),
        (Some(3), Some(2)),
        "{report}"
    );
    let lines: Vec<u64> = report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [7, 8, 9, 10, 11, 12]);
    let simon = sandbox.alongside_plain(&[
        "--db",
        demo.to_str().unwrap(),
        "patients",
        "list",
        "--condition",
        "13645005",
    ]);
    assert!(
        numbers(&simon.json()).contains(&"9990000018".to_string()),
        "Simon Shaw's COPD was added"
    );
}

#[test]
fn a_practice_edited_catalogue_is_checked_at_start_and_a_broken_file_is_named() {
    let sandbox = Sandbox::new();
    let folder = sandbox.path("catalogue");
    std::fs::create_dir_all(folder.join("conditions")).unwrap();
    let shipped = include_str!("../../assets/catalogue/conditions/type-2-diabetes.json");
    let run = |args: &[&str]| {
        let db = sandbox.db().display().to_string();
        let mut full = vec!["--db", db.as_str()];
        full.extend_from_slice(args);
        let output =
            sandbox.command_for(&full, &[]).env("ALONGSIDE_CATALOGUE", &folder).output().unwrap();
        (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
    };
    // A practice that edits a condition file correctly runs with its change.
    let edited = shipped.replace("\"audit-c\",\n", "");
    assert_ne!(edited, shipped, "the edit removes one item");
    std::fs::write(folder.join("conditions/type-2-diabetes.json"), &edited).unwrap();
    assert_eq!(run(&["patients", "list"]).0, Some(0));
    // A mistake stops the app before it touches the database, naming the file and the problem.
    let broken = shipped.replace("\"hba1c\"", "\"hba1cx\"");
    std::fs::write(folder.join("conditions/type-2-diabetes.json"), broken).unwrap();
    let (code, stderr) = run(&["patients", "list"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("type-2-diabetes.json: item 'hba1cx' is not in items.json"),
        "{stderr}"
    );
    std::fs::write(folder.join("items.json"), "{\"about\": \"\"").unwrap();
    let (_, stderr) = run(&["patients", "list"]);
    assert!(stderr.contains("items.json: not valid"), "{stderr}");
}
