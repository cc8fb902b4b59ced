//! The upgrade a practice makes on its Linux PCs, with the real packages: the previous
//! release's Debian package is installed, the practice's data is made with it, this version's
//! package is installed over it, and the real window finds everything where it was, with a copy
//! of the database from before the update beside it.
//!
//! Built only with the feature `installed-package`, as `.ci/package-upgrade` builds it: that
//! script builds both packages first and passes them in ALONGSIDE_PREVIOUS_DEB and
//! ALONGSIDE_CURRENT_DEB. It installs and removes the system package `alongside`, so it needs
//! root or password-less sudo.

use std::path::{Path, PathBuf};
use std::process::Command;

use rusqlite::{Connection, OpenFlags};

use super::e2e::{choose, go_to, try_password, Display, Driver};
use super::support::{contents, kept_every_row, run, today, Run, Sandbox, Tables};

const GRACE: &str = "9990000018";
const PIOTR: &str = "9990000026";
const INSTALLED: &str = "/usr/bin/alongside";

/// The previous release, as tests/package/previous names it.
struct Previous {
    version: String,
    schema: u32,
}

fn previous() -> Previous {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/package/previous");
    let text = std::fs::read_to_string(&file).unwrap();
    // As bash reads it: `key=value`, the value perhaps in quotes.
    let value = |key: &str| {
        text.lines()
            .find_map(|line| line.trim().strip_prefix(&format!("{key}=")))
            .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
            .unwrap_or_else(|| panic!("{} names the previous {key}", file.display()))
    };
    Previous { version: value("version"), schema: value("schema").parse().unwrap() }
}

fn package_file(variable: &str) -> PathBuf {
    let path = std::env::var_os(variable).map(PathBuf::from).unwrap_or_else(|| {
        panic!("{variable} names no package: run this test through bash .ci/package-upgrade")
    });
    assert!(path.is_file(), "{variable}: {} is not a file", path.display());
    std::fs::canonicalize(path).unwrap()
}

/// A command run as root: directly when the test is root, otherwise through sudo.
fn as_root(program: &str) -> Command {
    let mut id = Command::new("id");
    id.arg("-u");
    let root = run(id).stdout.trim() == "0";
    // sudo does not pass the environment on: env sets it on the other side.
    let mut command = Command::new(if root { "env" } else { "sudo" });
    if !root {
        command.args(["-n", "env"]);
    }
    command.arg("DEBIAN_FRONTEND=noninteractive").arg(program);
    command
}

/// dpkg's state of the package `alongside` ("installed", "half-configured" …) and its version,
/// when anything of it is on the machine.
fn package_state() -> Option<(String, String)> {
    let out = run({
        let mut c = Command::new("dpkg-query");
        c.args(["--show", "--showformat=${db:Status-Status} ${Version}", "alongside"]);
        c
    });
    let (state, version) = out.stdout.trim().split_once(' ')?;
    (!["not-installed", "config-files"].contains(&state))
        .then(|| (state.to_string(), version.to_string()))
}

/// The installed version of the package `alongside`, if it is installed and configured.
fn installed_version() -> Option<String> {
    package_state().filter(|(state, _)| state == "installed").map(|(_, version)| version)
}

/// apt-get as root, waiting for another apt (unattended upgrades, say) to finish first.
fn apt_get(args: &[&str]) -> Run {
    let mut command = as_root("apt-get");
    command.args(["-o", "DPkg::Lock::Timeout=300"]).args(args);
    run(command)
}

fn install(deb: &Path) {
    let done = apt_get(&["install", "--yes", "--no-install-recommends", deb.to_str().unwrap()]);
    assert_eq!(done.code, 0, "installing {}:\n{}\n{}", deb.display(), done.stdout, done.stderr);
}

fn remove() {
    let done = apt_get(&["remove", "--yes", "alongside"]);
    assert_eq!(done.code, 0, "removing alongside:\n{}\n{}", done.stdout, done.stderr);
}

/// Removes the package when the test ends, pass or fail, so the machine is as it was
/// (.ci/package-upgrade also removes it on exit, for a test that was killed).
struct Installed;

impl Drop for Installed {
    fn drop(&mut self) {
        if package_state().is_some() {
            let done = apt_get(&["remove", "--yes", "alongside"]);
            if done.code != 0 {
                eprintln!("could not remove alongside:\n{}\n{}", done.stdout, done.stderr);
            }
        }
    }
}

/// The installed program run at the command line by someone at the practice whose home folder
/// is `home`: its data folder is the usual one, ~/.local/share/alongside.
fn installed(home: &Path, args: &[&str]) -> Run {
    let mut command = Command::new(INSTALLED);
    command
        .args(args)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", home)
        .env("USER", "m.patel")
        .env("LANG", "C.UTF-8");
    run(command)
}

/// Every row of every table in `before` is in `db` with every value as it was, and none was
/// added: only the audit trail has grown.
fn assert_all_kept(before: &Tables, db: &Path) {
    let after = contents(db);
    kept_every_row(before, &after).unwrap_or_else(|e| panic!("{}: {e}", db.display()));
    for (table, rows) in before {
        let now = after[table].len();
        if table == "audit_event" {
            assert!(now > rows.len(), "{}: the audit trail has grown", db.display());
        } else {
            assert_eq!(now, rows.len(), "{}: {table}: no row added", db.display());
        }
    }
}

/// A registered person whose latest care plan is agreed (no draft open), and its version.
fn agreed_plan_without_draft(db: &Path) -> (String, i64) {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    conn.query_row(
        "SELECT p.nhs_number, max(c.version) FROM care_plan c JOIN patient p ON p.id = c.patient_id
         WHERE p.status = 'registered' AND NOT EXISTS (SELECT 1 FROM care_plan_draft d
             WHERE d.patient_id = p.id AND d.agreed_as IS NULL AND d.set_aside_at IS NULL)
         GROUP BY p.id ORDER BY max(c.version) DESC, p.nhs_number LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .expect("the demonstration practice has an agreed plan")
}

fn schema_of(db: &Path) -> u32 {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap()
}

fn files_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn installing_this_version_over_the_previous_package_keeps_the_practice_and_brings_it_up_to_date() {
    let previous = previous();
    let current = env!("CARGO_PKG_VERSION");
    let (previous_deb, current_deb) =
        (package_file("ALONGSIDE_PREVIOUS_DEB"), package_file("ALONGSIDE_CURRENT_DEB"));
    let sandbox = Sandbox::new();
    let home = sandbox.path("home");
    let data_home = home.join(".local/share");
    let folder = data_home.join("alongside");
    std::fs::create_dir_all(&home).unwrap();
    // A version of alongside the test did not install is someone's: it is not replaced.
    if let Some((state, version)) = package_state() {
        assert!(
            [previous.version.as_str(), current].contains(&version.as_str()),
            "alongside {version} ({state}) is installed on this machine and the test would \
             replace it: remove it first (sudo apt remove alongside)"
        );
        remove();
    }
    let _installed = Installed;

    // The practice installs the previous release.
    install(&previous_deb);
    assert_eq!(installed_version().as_deref(), Some(previous.version.as_str()));
    let said = installed(&home, &["--version"]).expect_code(0).stdout;
    assert_eq!(said.trim(), format!("alongside {}", previous.version));

    // It imports its register and a month of results with the previous release.
    let month = chrono::Datelike::month(&today());
    let register = sandbox.write(
        "register.csv",
        format!(
            "nhs_number,family_name,given_name,date_of_birth,conditions,recall_month\n\
             {GRACE},Okafor,Grace,1950-03-02,44054006;38341003,{month}\n\
             {PIOTR},Nowak,Piotr,1961-07-15,38341003,{month}\n"
        ),
    );
    let imported =
        installed(&home, &["import", "register", register.to_str().unwrap()]).expect_code(0);
    assert_eq!(imported.json()["imported"], 2, "{}", imported.stdout);
    let taken = (today() - chrono::Days::new(7)).format("%Y-%m-%d").to_string();
    let results = sandbox.write(
        "results.csv",
        format!(
            "nhs_number,code,value,unit,taken_on\n\
             {GRACE},999791000000106,58,mmol/mol,{taken}\n\
             {PIOTR},999791000000106,41,mmol/mol,{taken}\n"
        ),
    );
    let imported =
        installed(&home, &["import", "results", results.to_str().unwrap()]).expect_code(0);
    assert_eq!(imported.json()["imported"], 2, "{}", imported.stdout);
    let db = folder.join("practice.sqlite");
    assert_eq!(schema_of(&db), previous.schema, "the previous release's database");
    // Someone also tried the demonstration practice, with two years of reviews and plans.
    let demo = folder.join("demo.sqlite");
    let created = ["demo", "--create", demo.to_str().unwrap(), "--patients", "60", "--seed", "7"];
    installed(&home, &created).expect_code(0);
    let (planned, plan_version) = agreed_plan_without_draft(&demo);
    let (before, demo_before) = (contents(&db), contents(&demo));
    let bytes = (std::fs::read(&db).unwrap(), std::fs::read(&demo).unwrap());
    let files = files_in(&folder);

    // This version's package is installed over it: an upgrade, which leaves the data alone.
    install(&current_deb);
    assert_eq!(installed_version().as_deref(), Some(current));
    let said = installed(&home, &["--version"]).expect_code(0).stdout;
    assert_eq!(said.trim(), format!("alongside {current}"));
    assert_eq!(files_in(&folder), files, "the data folder is as it was");
    let untouched = (std::fs::read(&db).unwrap(), std::fs::read(&demo).unwrap());
    assert!(untouched == bytes, "the databases are untouched until the app opens them");

    // The real window opens on the practice's own database. The previous release had no staff
    // accounts, so it asks for the first administrator.
    let display = Display::start();
    let driver = Driver::start(&display, &data_home);
    let session = driver.session_of(Path::new(INSTALLED), &[]);
    session.find("#first-admin-form");
    session.type_into(&session.find("#first-admin-username"), "m.patel");
    session.type_into(&session.find("#first-admin-name"), "Mina Patel");
    session.type_into(&session.find("#first-admin-password"), "practice-admin-password");
    session
        .type_into(&session.find("#first-admin-password-again"), "practice-admin-password\u{E007}");
    session.find("#lock-screen[hidden]");

    // It says the database was brought up to date, and where the copy from before is.
    let notice = session.text(&session.find("#upgrade-notice:not([hidden])"));
    let schema = alongside::store::schema_version();
    let updated =
        format!("for Alongside {current} (database version {} to {schema})", previous.schema);
    assert!(notice.contains(&updated), "{notice}");
    let kept = notice
        .split_once("A copy from before was kept at ")
        .and_then(|(_, rest)| rest.strip_suffix('.'))
        .unwrap_or_else(|| panic!("the notice says where the copy is: {notice}"));
    let kept = PathBuf::from(kept);
    assert_eq!(kept.parent(), Some(folder.as_path()), "beside the database");
    let name = kept.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("practice-before-upgrade-"), "{name}");
    assert!(name.ends_with(&format!("-v{}-to-v{schema}.sqlite", previous.schema)), "{name}");
    assert_eq!(schema_of(&kept), previous.schema, "the copy is the database from before");
    assert!(contents(&kept) == before, "the copy holds every row from before, value for value");
    display.screenshot("package-upgraded.png");

    // The register has both people.
    session.find(&format!("tr[data-nhs='{GRACE}']"));
    session.find(&format!("tr[data-nhs='{PIOTR}']"));

    // The trail from before the update is there, and the chain checks whole.
    go_to(&session, "#/audit");
    session.type_into(&session.find("#audit-nhs"), &format!("{GRACE}\u{E007}"));
    session.find(&format!("#audit-table[data-nhs='{GRACE}'][aria-busy='false']"));
    session
        .find_xpath("//table[@id='audit-table']//tr[td[.='m.patel'] and td[.='results.import']]");
    session.click(&session.find("#audit-check"));
    session.find("#audit-check-result .message-success");

    // A nurse, added by the administrator, finds Grace's HbA1c exactly as it was imported.
    go_to(&session, "#/settings/staff");
    session.type_into(&session.find("#new-username"), "k.lee");
    session.type_into(&session.find("#new-full-name"), "Kim Lee");
    choose(&session, "#new-role", "nurse");
    session.type_into(&session.find("#new-password"), "nurse-password-kim");
    session.click(&session.find("#add-account"));
    session.find("#staff-status .message-success");
    session.click(&session.find("#switch-button"));
    session.find("#lock-screen:not([hidden])");
    try_password(&session, "k.lee", "nurse-password-kim");
    session.find("#lock-screen[hidden]");
    go_to(&session, &format!("#/patient/{GRACE}"));
    assert_eq!(session.text(&session.find("#patient-name")), "Grace Okafor");
    let timeline = session.text(&session.find("#patient-timeline"));
    assert!(timeline.contains("HbA1c") && timeline.contains("58 mmol/mol"), "{timeline}");
    display.screenshot("package-record.png");
    drop(session);
    // Every row from before is still there; only staff accounts and audit entries were added.
    assert_eq!(schema_of(&db), schema);
    assert_all_kept(&before, &db);

    // The demonstration practice opens on its own accounts, brought up to date the same way,
    // and a person's agreed care plan is there at the version it had.
    let session = driver.session_of(Path::new(INSTALLED), &["demo"]);
    session.sign_in("nurse");
    let notice = session.text(&session.find("#upgrade-notice:not([hidden])"));
    assert!(
        notice.contains(&folder.join("demo-before-upgrade-").display().to_string()),
        "{notice}"
    );
    go_to(&session, &format!("#/conversation/{planned}"));
    let state = session.text(&session.find("#plan-state"));
    assert_eq!(state, format!("Agreed: version {plan_version}"));
    display.screenshot("package-demo-plan.png");
    drop(session);
    assert_eq!(schema_of(&demo), schema);
    assert_all_kept(&demo_before, &demo);

    // Removing the package leaves the practice's data on the PC.
    remove();
    assert_eq!(installed_version(), None);
    assert!(db.is_file() && kept.is_file() && demo.is_file(), "the data stays on the PC");
}
