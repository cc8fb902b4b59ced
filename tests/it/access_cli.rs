//! Signing in at the command line: a new practice with `init`, refusals without a user or with
//! a wrong password, every role against every command as the permission table says, staff
//! accounts managed with `users`, and the audit trail's `verify`, `list` and `export`.

use std::path::{Path, PathBuf};

use alongside::domain::access::{refusal, Need, Permission, PermissionTable, Role};
use alongside::exchange::access::{demo_password, DEMO_ACCOUNTS};

use crate::support::{register, run, sql_rows, Run, Sandbox};

const BOSS_PASSWORD: &str = "boss-password-1";

/// Runs `alongside --db DB ARGS` with these variables and nothing else signed in.
fn run_env(sandbox: &Sandbox, db: &Path, env: &[(&str, &str)], args: &[&str]) -> Run {
    let mut command = sandbox.command();
    command.envs(env.iter().copied()).arg("--db").arg(db).args(args);
    run(command)
}

/// A new practice made with `init`, its administrator `boss`.
fn practice(sandbox: &Sandbox) -> PathBuf {
    let db = sandbox.path("new.sqlite");
    let made = run_env(
        sandbox,
        &db,
        &[("ALONGSIDE_PASSWORD", BOSS_PASSWORD)],
        &["init", "--admin", "Boss", "--name", "Bo Boss"],
    )
    .expect_code(0);
    assert_eq!(made.json()["administrator"], "boss");
    db
}

fn as_boss(sandbox: &Sandbox, db: &Path, args: &[&str]) -> Run {
    run_env(sandbox, db, &[("ALONGSIDE_USER", "boss"), ("ALONGSIDE_PASSWORD", BOSS_PASSWORD)], args)
}

fn count(db: &Path, sql: &str) -> i64 {
    sql_rows(db, sql)[0][0].parse().unwrap()
}

#[test]
fn init_makes_a_practice_with_its_administrator_and_never_overwrites_a_file() {
    let sandbox = Sandbox::new();
    let missing = sandbox.path("missing.sqlite");
    let refused = sandbox
        .alongside_anonymous(&["--db", missing.to_str().unwrap(), "patients", "list"])
        .expect_code(2);
    assert!(
        refused.stderr.contains("no practice database at")
            && refused.stderr.contains("alongside init --admin USERNAME"),
        "{}",
        refused.stderr
    );
    assert!(!missing.exists(), "a command other than init creates no database");

    let no_password =
        sandbox.alongside_anonymous(&["--db", missing.to_str().unwrap(), "init", "--admin", "bo"]);
    let no_password = no_password.expect_code(2);
    assert!(no_password.stderr.contains("ALONGSIDE_PASSWORD"), "{}", no_password.stderr);
    assert!(!missing.exists(), "no database without the administrator's password");

    let db = practice(&sandbox);
    assert_eq!(
        sql_rows(&db, "SELECT username, full_name, role, active FROM staff_account"),
        [["boss", "Bo Boss", "administrator", "1"]]
    );
    let before = std::fs::read(&db).unwrap();
    let again = run_env(
        &sandbox,
        &db,
        &[("ALONGSIDE_PASSWORD", "another-password-2")],
        &["init", "--admin", "other"],
    )
    .expect_code(2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(std::fs::read(&db).unwrap(), before, "the existing file is untouched");
    let listed = sandbox.alongside_as(
        "boss",
        BOSS_PASSWORD,
        &["--db", db.to_str().unwrap(), "patients", "list"],
    );
    assert_eq!(listed.expect_code(0).json(), serde_json::json!([]));
}

#[test]
fn a_command_without_a_user_or_with_a_wrong_password_is_refused_and_changes_nothing() {
    let sandbox = Sandbox::new();
    let db = practice(&sandbox);
    let file =
        sandbox.write("register.csv", register(&["9990000018,Hill,Grace,1950-03-04,44054006"]));
    let args = ["import", "register", file.to_str().unwrap()];
    let entries = count(&db, "SELECT count(*) FROM audit_event");

    let anonymous = run_env(&sandbox, &db, &[], &args).expect_code(2);
    assert!(anonymous.stderr.contains("sign in first"), "{}", anonymous.stderr);
    let no_password = run_env(&sandbox, &db, &[("ALONGSIDE_USER", "boss")], &args).expect_code(2);
    assert!(no_password.stderr.contains("ALONGSIDE_PASSWORD"), "{}", no_password.stderr);
    assert_eq!(count(&db, "SELECT count(*) FROM patient"), 0, "nothing was imported");
    assert_eq!(count(&db, "SELECT count(*) FROM audit_event"), entries, "nothing was recorded");

    for attempt in 1..=3 {
        let wrong = run_env(
            &sandbox,
            &db,
            &[("ALONGSIDE_USER", "boss"), ("ALONGSIDE_PASSWORD", "not-the-password")],
            &args,
        )
        .expect_code(2);
        assert!(wrong.stderr.contains("not right"), "attempt {attempt}: {}", wrong.stderr);
    }
    // The third wrong password makes the next attempt wait at least 5 seconds, so the right
    // password given at once is refused with how long to wait.
    let waiting = as_boss(&sandbox, &db, &args).expect_code(2);
    assert!(
        waiting.stderr.contains("too many wrong passwords") && waiting.stderr.contains("seconds"),
        "{}",
        waiting.stderr
    );
    assert_eq!(count(&db, "SELECT count(*) FROM patient"), 0, "nothing was imported");
    assert_eq!(
        count(&db, "SELECT count(*) FROM audit_event WHERE action = 'session.sign_in_failed'"),
        3,
        "each wrong password is audited"
    );
}

/// One representative command line per command, and what the practice expects it to need.
fn every_command(sandbox: &Sandbox, nhs: &str) -> Vec<(Vec<String>, Permission)> {
    let file = |name: &str| sandbox.path(name).display().to_string();
    let register_file = sandbox
        .write("matrix-register.csv", register(&["9990000018,Hill,Grace,1950-03-04,44054006"]));
    let results = sandbox.write(
        "matrix-results.csv",
        format!("nhs_number,code,value,unit,taken_on\n{nhs},hba1c,48,mmol/mol,2026-01-05\n"),
    );
    let directory = sandbox.write(
        "matrix-directory.csv",
        "name,category,offers,for_whom,access,phone,email,website,address,opening_times,cost,\
         accessibility,last_checked\n",
    );
    let month = chrono::Local::now().format("%Y-%m").to_string();
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let year_ago = (chrono::Local::now() - chrono::Duration::days(365)).format("%Y-%m-%d");
    let year_ago = year_ago.to_string();
    use Permission as P;
    let v = |args: &[&str]| args.iter().map(|a| a.to_string()).collect::<Vec<String>>();
    vec![
        (v(&["import", "register", register_file.to_str().unwrap()]), P::RegisterImport),
        (v(&["import", "results", results.to_str().unwrap(), "--dry-run"]), P::ResultsImport),
        (v(&["patients", "list"]), P::PeopleFind),
        (v(&["patients", "export", "--out", &file("register.csv")]), P::RegisterExport),
        (v(&["recall", "due", "--month", &month]), P::RecallWork),
        (v(&["recall", "invite", "--month", &month, "--out", &file("letters.pdf")]), P::RecallWork),
        (v(&["triage", "list"]), P::TriageReview),
        (v(&["packs", "list"]), P::PacksPrint),
        (v(&["packs", "print", "--out", &file("packs.pdf")]), P::PacksPrint),
        (v(&["packs", "reprint", nhs, "--out", &file("pack.pdf")]), P::PacksPrint),
        (v(&["careplan", "pdf", nhs, "--out", &file("plan.pdf")]), P::CareplanView),
        (
            v(&["careplan", "export", nhs, "--format", "fhir", "--out", &file("plan.json")]),
            P::CareplanWrite,
        ),
        (v(&["directory", "list"]), P::DirectoryView),
        (v(&["directory", "import", directory.to_str().unwrap(), "--dry-run"]), P::DirectoryManage),
        (v(&["directory", "export", "--out", &file("directory.csv")]), P::DirectoryManage),
        (v(&["report", "--from", &year_ago, "--to", &today]), P::ReportsView),
        (
            v(&["report", "--from", &year_ago, "--to", &today, "--csv", &file("figures.csv")]),
            P::ReportsView,
        ),
        (
            v(&["report", "--from", &year_ago, "--to", &today, "--people", "pack_in_time"]),
            P::ReportsPeople,
        ),
        (
            v(&[
                "feedback",
                "add",
                nhs,
                "--on",
                &today,
                "--collaborate",
                "443",
                "--care",
                "5554n45555",
            ]),
            P::FeedbackEnter,
        ),
        (v(&["backup", &file("practice.alongside-backup")]), P::BackupMake),
        (v(&["restore", &file("no-such.alongside-backup"), "--check"]), P::BackupRestore),
        (v(&["restore", &file("no-such.alongside-backup")]), P::BackupRestore),
        (v(&["users", "list"]), P::UsersManage),
        (v(&["users", "add", "newbie", "--name", "New Bie", "--role", "nurse"]), P::UsersManage),
        (v(&["users", "disable", "nurse"]), P::UsersManage),
        (v(&["users", "enable", "nurse"]), P::UsersManage),
        (v(&["users", "role", "nurse", "gp"]), P::UsersManage),
        (v(&["users", "password", "nurse"]), P::UsersManage),
        (v(&["audit", "verify"]), P::AuditView),
        (v(&["audit", "list", "--action", "session"]), P::AuditView),
        (v(&["audit", "export", "--out", &file("audit.csv")]), P::AuditView),
    ]
}

#[test]
fn every_role_may_run_exactly_the_commands_the_permission_table_gives_it() {
    let sandbox = Sandbox::new();
    let demo = sandbox.path("demo.sqlite");
    sandbox
        .alongside_anonymous(&[
            "demo",
            "--create",
            demo.to_str().unwrap(),
            "--patients",
            "20",
            "--no-history",
        ])
        .expect_code(0);
    let nhs = sql_rows(&demo, "SELECT nhs_number FROM patient ORDER BY id LIMIT 1")[0][0].clone();
    let table = alongside::assets::permissions().unwrap();
    let commands = every_command(&sandbox, &nhs);
    for (args, permission) in &commands {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_eq!(
            alongside::cli::cli_need(&args),
            Ok(Need::Permission(*permission)),
            "what `alongside {}` needs",
            args.join(" ")
        );
    }
    std::thread::scope(|scope| {
        for (index, (username, _, role)) in DEMO_ACCOUNTS.iter().enumerate() {
            let (sandbox, demo, table, commands) = (&sandbox, &demo, &table, &commands);
            scope.spawn(move || {
                for (number, (args, permission)) in commands.iter().enumerate() {
                    let copy = sandbox.path(&format!("run-{index}-{number}.sqlite"));
                    std::fs::copy(demo, &copy).unwrap();
                    check_one(sandbox, &copy, username, *role, args, *permission, table);
                    let _ = std::fs::remove_file(&copy);
                }
            });
        }
    });
}

fn check_one(
    sandbox: &Sandbox,
    db: &Path,
    username: &str,
    role: Role,
    args: &[String],
    permission: Permission,
    table: &PermissionTable,
) {
    let password = demo_password(username);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let ran = run_env(
        sandbox,
        db,
        &[
            ("ALONGSIDE_USER", username),
            ("ALONGSIDE_PASSWORD", &password),
            ("ALONGSIDE_NEW_PASSWORD", "a-new-password-3"),
        ],
        &args,
    );
    let what = format!("`alongside {}` as {username} ({})", args.join(" "), role.id());
    assert!(!ran.stderr.contains("panicked"), "{what} panicked:\n{}", ran.stderr);
    assert!(
        !ran.stderr.contains("not right") && !ran.stderr.contains("sign in first"),
        "{what} did not sign in:\n{}",
        ran.stderr
    );
    if table.allows(role, permission) {
        assert!(!ran.stderr.contains("may not"), "{what} was refused:\n{}", ran.stderr);
    } else {
        let refused = refusal(Some(role), Need::Permission(permission), table);
        assert_eq!(ran.code, 2, "{what} exit code\n{}", ran.stderr);
        assert!(ran.stderr.contains(&refused), "{what} says why:\n{}", ran.stderr);
        assert!(ran.stdout.is_empty(), "{what} printed nothing:\n{}", ran.stdout);
    }
}

#[test]
fn an_administrator_adds_changes_disables_and_enables_accounts() {
    let sandbox = Sandbox::new();
    let db = practice(&sandbox);
    let with_new = |password: &str, args: &[&str]| {
        run_env(
            &sandbox,
            &db,
            &[
                ("ALONGSIDE_USER", "boss"),
                ("ALONGSIDE_PASSWORD", BOSS_PASSWORD),
                ("ALONGSIDE_NEW_PASSWORD", password),
            ],
            args,
        )
    };
    let nina = |password: &str| {
        run_env(
            &sandbox,
            &db,
            &[("ALONGSIDE_USER", "nina"), ("ALONGSIDE_PASSWORD", password)],
            &["triage", "list"],
        )
    };
    with_new(
        "nina-password-1",
        &["users", "add", "Nina", "--name", "Nina Nurse", "--role", "nurse"],
    )
    .expect_code(0);
    let listed = as_boss(&sandbox, &db, &["users", "list"]).expect_code(0).json();
    let entry = listed.as_array().unwrap().iter().find(|a| a["username"] == "nina").unwrap();
    assert_eq!(
        (&entry["full_name"], &entry["role"], &entry["active"]),
        (&"Nina Nurse".into(), &"nurse".into(), &true.into())
    );
    assert!(entry["created_at"].as_str().is_some_and(|t| !t.is_empty()));
    nina("nina-password-1").expect_code(0);

    let short = with_new("short", &["users", "add", "sam", "--name", "Sam", "--role", "gp"]);
    assert!(short.expect_code(2).stderr.contains("at least 10 characters"));

    as_boss(&sandbox, &db, &["users", "role", "nina", "receptionist"]).expect_code(0);
    let refused = nina("nina-password-1").expect_code(2);
    assert!(
        refused.stderr.contains("may not"),
        "a receptionist may not triage: {}",
        refused.stderr
    );
    as_boss(&sandbox, &db, &["users", "role", "nina", "gp"]).expect_code(0);

    with_new("nina-password-2", &["users", "password", "nina"]).expect_code(0);
    assert!(nina("nina-password-1").expect_code(2).stderr.contains("not right"));
    nina("nina-password-2").expect_code(0);

    as_boss(&sandbox, &db, &["users", "disable", "nina"]).expect_code(0);
    let disabled = nina("nina-password-2").expect_code(2);
    assert!(disabled.stderr.contains("disabled"), "{}", disabled.stderr);
    as_boss(&sandbox, &db, &["users", "enable", "nina"]).expect_code(0);
    nina("nina-password-2").expect_code(0);

    let last = as_boss(&sandbox, &db, &["users", "disable", "boss"]).expect_code(2);
    assert!(last.stderr.contains("only active administrator"), "{}", last.stderr);
    let demoted = as_boss(&sandbox, &db, &["users", "role", "boss", "gp"]).expect_code(2);
    assert!(demoted.stderr.contains("only active administrator"), "{}", demoted.stderr);
    as_boss(&sandbox, &db, &["users", "list"]).expect_code(0);

    let actions = sql_rows(
        &db,
        "SELECT action FROM audit_event WHERE action LIKE 'account.%' AND actor = 'boss' ORDER BY id",
    );
    let actions: Vec<&str> = actions.iter().map(|r| r[0].as_str()).collect();
    // The first is boss's own account, made by `init`.
    assert_eq!(
        actions,
        [
            "account.added",
            "account.added",
            "account.role_changed",
            "account.role_changed",
            "account.password_changed",
            "account.disabled",
            "account.enabled"
        ]
    );
}

#[test]
fn audit_verify_finds_a_changed_entry_and_removed_entries() {
    let sandbox = Sandbox::new();
    let db = practice(&sandbox);
    as_boss(&sandbox, &db, &["patients", "list"]).expect_code(0);
    let listed =
        sql_rows(&db, "SELECT action, summary FROM audit_event WHERE action = 'record.listed'");
    assert_eq!(listed, [["record.listed", "register listed: 0 people"]], "reading is audited");

    // More entries after, so that entry 3 is in the middle of the trail.
    as_boss(&sandbox, &db, &["patients", "list"]).expect_code(0);
    as_boss(&sandbox, &db, &["patients", "list"]).expect_code(0);
    let whole = as_boss(&sandbox, &db, &["audit", "verify"]).expect_code(0).json();
    assert_eq!(whole["intact"], true);
    assert_eq!(whole["first_break"], serde_json::Value::Null);
    assert_eq!(whole["checked"], whole["last_id"], "every entry checked: {whole}");
    assert!(whole["checked"].as_u64().unwrap() >= 5, "{whole}");

    let changed = sandbox.path("changed.sqlite");
    std::fs::copy(&db, &changed).unwrap();
    let connection = rusqlite::Connection::open(&changed).unwrap();
    connection
        .execute_batch(
            "DROP TRIGGER audit_event_is_never_changed;
             UPDATE audit_event SET summary = 'nothing happened' WHERE id = 2;",
        )
        .unwrap();
    drop(connection);
    let broken = as_boss(&sandbox, &changed, &["audit", "verify"]).expect_code(1);
    assert_eq!(broken.json()["intact"], false);
    assert!(broken.stderr.contains("entry 2 does not match its hash"), "{}", broken.stderr);

    let removed = sandbox.path("removed.sqlite");
    std::fs::copy(&db, &removed).unwrap();
    let connection = rusqlite::Connection::open(&removed).unwrap();
    connection
        .execute_batch(
            "DROP TRIGGER audit_event_is_never_deleted;
             DELETE FROM audit_event WHERE id = 3;",
        )
        .unwrap();
    drop(connection);
    let broken = as_boss(&sandbox, &removed, &["audit", "verify"]).expect_code(1);
    assert!(broken.stderr.contains("entries 3 to 3 are missing"), "{}", broken.stderr);
}

#[test]
fn audit_list_and_export_read_the_trail_and_the_export_is_audited() {
    let sandbox = Sandbox::new();
    let db = practice(&sandbox);
    let listed = as_boss(&sandbox, &db, &["audit", "list", "--action", "practice", "--by", "boss"]);
    let listed = listed.expect_code(0).json();
    let actions: Vec<&str> =
        listed.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["practice.created"]);
    let newest = as_boss(&sandbox, &db, &["audit", "list", "--limit", "2"]).expect_code(0).json();
    let ids: Vec<i64> =
        newest.as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert!(ids.len() == 2 && ids[0] > ids[1], "newest first: {ids:?}");

    let out = sandbox.path("audit.csv");
    let exported =
        as_boss(&sandbox, &db, &["audit", "export", "--out", out.to_str().unwrap()]).expect_code(0);
    let written = exported.json()["entries"].as_u64().unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("\u{feff}id,at,user,action,nhs_number,name,summary\r\n"), "{text}");
    assert_eq!(text.lines().count() as u64, written + 1, "one line an entry: {text}");
    assert!(text.contains("practice.created"), "{text}");
    assert_eq!(
        sql_rows(&db, "SELECT actor FROM audit_event WHERE action = 'audit.exported'"),
        [["boss"]]
    );
}
