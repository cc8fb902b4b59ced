//! Crash safety. The process is killed (SIGKILL) at random moments, many times over, during a
//! large register import, a results import, a batch of letters printed with confirmation and
//! the conversation screen's autosave. After every kill the database passes `PRAGMA
//! integrity_check` and holds each change wholly or not at all (its contents are exactly those
//! before or after the change, never in between), and running the operation again finishes
//! it. A full disk and a read-only database give a clear message and lose nothing.
//!
//! The kill moment is never a sleep: the test waits for the child to finish with a deadline
//! (a random moment within an uninterrupted run's duration, measured first) or until the
//! database and its journal have grown by a random number of bytes, and kills it then. The
//! seed is printed; `ALONGSIDE_CRASH_SEED=<seed>` replays the same choices.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::{Datelike, Days};
use rusqlite::types::ValueRef;
use rusqlite::Connection;

use alongside::domain::careplan::PlanDocument;
use alongside::domain::nhs_number::NhsNumber;
use alongside::domain::person::RegistrationStatus;
use alongside::exchange::careplans::{conversation, open_draft, save_draft};
use alongside::store::{Actor, Store};

use super::ipc::Window;
use super::support::{catalogue, numbers, today, Sandbox};

/// Kills wanted of each operation; over a hundred in all.
const REGISTER_KILLS: usize = 30;
const RESULTS_KILLS: usize = 30;
const INVITATION_KILLS: usize = 20;
const PACK_KILLS: usize = 10;
const AUTOSAVE_KILLS: usize = 40;

/// Rows in the large register file, and people given lab results.
const REGISTER_ROWS: usize = 3_000;
const RESULTS_PEOPLE: usize = 1_500;
/// People in the practice whose month's invitations are printed (about a twelfth are due).
const INVITATION_PRACTICE: usize = 1_500;
/// Saves each autosave child makes before it finishes by itself.
const AUTOSAVES: usize = 300;

/// A small seeded generator (SplitMix64), so a failure can be replayed from its seed.
struct Dice(u64);

impl Dice {
    fn for_operation(operation: &str) -> Dice {
        let seed = match std::env::var("ALONGSIDE_CRASH_SEED") {
            Ok(seed) => seed.parse().expect("ALONGSIDE_CRASH_SEED is a number"),
            Err(_) => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64),
        };
        println!("{operation}: seed {seed} (ALONGSIDE_CRASH_SEED={seed} replays these choices)");
        let mut hasher = DefaultHasher::new();
        operation.hash(&mut hasher);
        Dice(seed ^ hasher.finish())
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number from 1 to `n`.
    fn up_to(&mut self, n: u64) -> u64 {
        1 + self.next() % n.max(1)
    }

    /// A moment within `span`.
    fn within(&mut self, span: Duration) -> Duration {
        span.mul_f64((self.next() >> 11) as f64 / (1u64 << 53) as f64)
    }
}

/// What a database holds, table by table: how many rows and a digest of their values. Times,
/// and the audit trail's hashes (made from its times), count only as set or not (they differ
/// between two runs of the same change); everything else counts exactly, so two databases with
/// the same contents hold the same things.
#[derive(Clone, PartialEq, Eq)]
struct Contents(BTreeMap<String, (u64, u64)>);

impl Contents {
    fn read(conn: &Connection) -> Contents {
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let mut contents = BTreeMap::new();
        for table in tables {
            let mut statement = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
            let times: Vec<bool> = statement
                .column_names()
                .map(|name| name == "at" || name.ends_with("_at") || name == "hash")
                .collect();
            let mut rows = statement.query([]).unwrap();
            let mut hasher = DefaultHasher::new();
            let mut count = 0;
            while let Some(row) = rows.next().unwrap() {
                count += 1;
                for (i, time) in times.iter().enumerate() {
                    match row.get_ref(i).unwrap() {
                        ValueRef::Null => 0u8.hash(&mut hasher),
                        _ if *time => 1u8.hash(&mut hasher),
                        ValueRef::Integer(n) => (2u8, n).hash(&mut hasher),
                        ValueRef::Real(x) => (3u8, x.to_bits()).hash(&mut hasher),
                        ValueRef::Text(t) => (4u8, t).hash(&mut hasher),
                        ValueRef::Blob(b) => (5u8, b).hash(&mut hasher),
                    }
                }
            }
            contents.insert(table, (count, hasher.finish()));
        }
        Contents(contents)
    }

    fn rows(&self, table: &str) -> u64 {
        self.0.get(table).map_or(0, |(count, _)| *count)
    }

    /// The tables whose contents differ, with their row counts, for a failure message.
    fn differences(&self, other: &Contents) -> String {
        let mut text = String::new();
        for (table, (count, digest)) in &self.0 {
            let theirs = other.0.get(table).copied().unwrap_or_default();
            if (*count, *digest) != theirs {
                let _ = write!(text, "{table}: {count} rows here, {} there; ", theirs.0);
            }
        }
        text
    }
}

/// Checks the database (below) and reads what it holds.
fn intact(db: &Path) -> Contents {
    Contents::read(&checked(db))
}

/// Opens the database as Alongside would after a kill (recovering its journal) and checks
/// that it is intact and that every reference points at a row that exists.
fn checked(db: &Path) -> Connection {
    let conn = Connection::open(db).unwrap();
    let integrity: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(integrity, ["ok"], "PRAGMA integrity_check of {}", db.display());
    let broken_links: i64 =
        conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
    assert_eq!(broken_links, 0, "every reference points at a row that exists");
    conn
}

/// When to kill the child.
#[derive(Clone, Copy, Debug)]
enum KillAt {
    /// Let it finish (measuring how long it took and how far the files grew).
    Never,
    /// This long after it started.
    After(Duration),
    /// Once the database and its journal together have grown by this many bytes.
    Grown(u64),
}

/// What became of a child process.
struct Outcome {
    killed: bool,
    code: Option<i32>,
    stdout: String,
    stderr: String,
    took: Duration,
    /// The most the database and its journal grew by while it ran, as far as was seen.
    grew: u64,
    /// When they were first seen to grow: when the child first wrote.
    first_wrote: Option<Duration>,
}

impl Outcome {
    fn expect_success(&self, what: &str) {
        assert_eq!(
            self.code,
            Some(0),
            "{what} failed\nstdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
    }
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn footprint(db: &Path) -> u64 {
    size(db) + size(&sidecar(db, "-wal"))
}

/// How often the files are looked at while waiting for the child.
const LOOK: Duration = Duration::from_micros(250);

/// Runs `command`, waiting for it to end (a thread reads its output until the pipe closes),
/// and kills it with SIGKILL at the moment `at` says if it has not ended by then.
fn run(command: &mut Command, db: &Path, at: KillAt) -> Outcome {
    command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let before = footprint(db);
    let started = Instant::now();
    let mut child = command.spawn().expect("the child process starts");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let (ended, wait) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let _ = stdout.read_to_end(&mut out);
        let _ = stderr.read_to_end(&mut err);
        let _ = ended.send(());
        (out, err)
    });
    let mut grew = 0;
    let mut first_wrote = None;
    let ended_by_itself = loop {
        let timeout = match at {
            KillAt::After(moment) => moment.saturating_sub(started.elapsed()),
            KillAt::Never | KillAt::Grown(_) => LOOK,
        };
        match wait.recv_timeout(timeout) {
            Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => break true,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                grew = grew.max(footprint(db).saturating_sub(before));
                if grew > 0 && first_wrote.is_none() {
                    first_wrote = Some(started.elapsed());
                }
                match at {
                    KillAt::After(_) => break false,
                    KillAt::Grown(bytes) if grew >= bytes => break false,
                    _ => {}
                }
            }
        }
    };
    if !ended_by_itself {
        // SIGKILL on Unix; harmless if the child ended a moment ago.
        let _ = child.kill();
    }
    let status = child.wait().unwrap();
    let took = started.elapsed();
    let (out, err) = reader.join().unwrap();
    Outcome {
        killed: status.signal() == Some(9),
        code: status.code(),
        stdout: String::from_utf8_lossy(&out).into_owned(),
        stderr: String::from_utf8_lossy(&err).into_owned(),
        took,
        grew,
        first_wrote,
    }
}

/// Puts a fresh copy of `base` where the operation's database lives, with no journal left over
/// from a killed run (it would otherwise be replayed onto the copy).
fn reset(base: &Path, db: &Path) {
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(sidecar(db, suffix));
    }
    assert!(!sidecar(base, "-wal").exists(), "the prepared database was closed cleanly");
    std::fs::copy(base, db).unwrap();
}

/// A state a kill may leave the database in, and what running the operation again from it
/// must leave.
struct Settled {
    name: &'static str,
    contents: Contents,
    then: Contents,
}

/// One of the operations a person starts from the command line.
struct CliOperation<'a> {
    name: &'static str,
    sandbox: &'a Sandbox,
    /// The database as it was before the operation, closed cleanly.
    base: PathBuf,
    args: Vec<String>,
}

impl CliOperation<'_> {
    fn db(&self) -> PathBuf {
        self.sandbox.db()
    }

    fn command(&self, args: &[String]) -> Command {
        let db = self.db().display().to_string();
        let mut full = vec!["--db", db.as_str()];
        full.extend(args.iter().map(String::as_str));
        self.sandbox.command_for(&full, &[])
    }

    /// Runs the operation (or `args` instead) to the end from the database as it is now.
    fn finish(&self, args: &[String]) -> (Outcome, Contents) {
        let outcome = run(&mut self.command(args), &self.db(), KillAt::Never);
        outcome.expect_success(self.name);
        (outcome, intact(&self.db()))
    }
}

/// What a series of kills found.
struct Tally {
    kills: usize,
    /// Kills after which the operation was run again to the end.
    reruns: usize,
    left: BTreeMap<&'static str, usize>,
    took: Duration,
}

impl Tally {
    fn report(&self, name: &str) {
        let left: Vec<String> = self.left.iter().map(|(state, n)| format!("{n} {state}")).collect();
        println!(
            "{name}: survived {} kills in {:.1} s (the database held {}; run again to the end \
             after {} of them)",
            self.kills,
            self.took.as_secs_f64(),
            left.join(", "),
            self.reruns
        );
    }
}

/// Kills the operation `wanted` times, half at a random moment of an uninterrupted run's
/// duration and half once the files have grown by a random amount of an uninterrupted run's
/// growth. After each kill the database must be intact and in one of the `settled` states, and
/// running the operation again must succeed and leave that state's successor.
fn kill_repeatedly(
    op: &CliOperation,
    settled: &[Settled],
    mut took: Duration,
    grew: u64,
    wanted: usize,
    dice: &mut Dice,
) -> Tally {
    let started = Instant::now();
    let db = op.db();
    let mut tally = Tally { kills: 0, reruns: 0, left: BTreeMap::new(), took: Duration::ZERO };
    let mut attempts = 0;
    while tally.kills < wanted {
        attempts += 1;
        assert!(
            attempts <= wanted * 5,
            "{}: only {} of {attempts} runs could be killed before they finished",
            op.name,
            tally.kills
        );
        reset(&op.base, &db);
        let at = if attempts % 2 == 0 {
            KillAt::After(dice.within(took))
        } else {
            KillAt::Grown(dice.up_to(grew))
        };
        let outcome = run(&mut op.command(&op.args), &db, at);
        if !outcome.killed {
            outcome.expect_success(op.name);
            // It ran quicker than the first time: later moments are drawn from this run.
            took = took.min(outcome.took);
            continue;
        }
        tally.kills += 1;
        let found = intact(&db);
        let Some(state) = settled.iter().find(|s| s.contents == found) else {
            let near: Vec<String> = settled
                .iter()
                .map(|s| format!("{}: {}", s.name, found.differences(&s.contents)))
                .collect();
            panic!(
                "{}: killed at {at:?} ({:?} in), the database is neither before nor after:\n{}",
                op.name,
                outcome.took,
                near.join("\n")
            );
        };
        let times_left = tally.left.entry(state.name).or_default();
        *times_left += 1;
        // Running it again is checked for the first few kills that leave each state, then
        // for every fourth kill, to keep the time down.
        if *times_left <= 3 || tally.kills % 4 == 0 {
            let (_, again) = op.finish(&op.args);
            assert!(
                again == state.then,
                "{}: after a kill that left it {}, running it again left something else: {}",
                op.name,
                state.name,
                again.differences(&state.then)
            );
            tally.reruns += 1;
        }
    }
    tally.took = started.elapsed();
    tally
}

/// Makes the demonstration practice with `alongside demo --create` as the sandbox's `name`.
fn demo(sandbox: &Sandbox, name: &str, patients: usize, history: bool) -> PathBuf {
    let path = sandbox.path(name);
    let mut args = vec!["demo".to_string(), "--create".into(), path.display().to_string()];
    args.extend(["--patients".into(), patients.to_string()]);
    if !history {
        args.push("--no-history".into());
    }
    let outcome = run(sandbox.command().args(&args), &path, KillAt::Never);
    outcome.expect_success("demo --create");
    path
}

/// The tests that kill, the kills they have survived so far, and how many have finished: the
/// last to finish prints the total.
const KILLING_TESTS: usize = 5;
const _: () = assert!(
    REGISTER_KILLS + RESULTS_KILLS + INVITATION_KILLS + PACK_KILLS + AUTOSAVE_KILLS >= 100,
    "over a hundred kills in all"
);
static KILLS: AtomicUsize = AtomicUsize::new(0);
static FINISHED: AtomicUsize = AtomicUsize::new(0);

/// Prints a test's total and, once every killing test has finished, the total of them all.
fn survived(name: &str, tallies: &[&Tally]) -> usize {
    let kills = tallies.iter().map(|t| t.kills).sum();
    let took: f64 = tallies.iter().map(|t| t.took.as_secs_f64()).sum();
    println!("{name}: survived {kills} kills ({took:.1} s)");
    let all = KILLS.fetch_add(kills, Ordering::SeqCst) + kills;
    if FINISHED.fetch_add(1, Ordering::SeqCst) + 1 == KILLING_TESTS {
        println!("crash safety: survived {all} kills in all");
    }
    kills
}

#[test]
fn a_large_register_import_killed_at_random_moments_is_wholly_there_or_not_at_all() {
    let mut dice = Dice::for_operation("register import");
    let sandbox = Sandbox::new();
    let base = demo(&sandbox, "base.sqlite", 250, false);
    let file = sandbox.write(
        "register.csv",
        alongside::exchange::demo::demo_register_csv(&catalogue(), REGISTER_ROWS, 1, today()),
    );
    let op = CliOperation {
        name: "register import",
        sandbox: &sandbox,
        base,
        args: vec!["import".into(), "register".into(), file.display().to_string()],
    };
    reset(&op.base, &op.db());
    let before = intact(&op.db());
    let (first, after) = op.finish(&op.args);
    let (_, again) = op.finish(&op.args);
    let added = first.json_u64("imported");
    assert_eq!(added as usize, REGISTER_ROWS - 250, "the file adds everyone the demo lacks");
    assert_eq!(after.rows("patient"), before.rows("patient") + added);
    let updated = first.json_u64("updated");
    assert_eq!(
        after.rows("audit_event"),
        before.rows("audit_event") + 1 + added + updated,
        "one entry for the file and one for each person added or changed"
    );
    let settled = [
        Settled { name: "nothing", contents: before, then: after.clone() },
        Settled { name: "the whole import", contents: after, then: again },
    ];
    let tally = kill_repeatedly(&op, &settled, first.took, first.grew, REGISTER_KILLS, &mut dice);
    tally.report("register import");
    assert!(survived("register import", &[&tally]) >= REGISTER_KILLS);
}

#[test]
fn a_results_import_killed_at_random_moments_is_wholly_there_or_not_at_all() {
    let mut dice = Dice::for_operation("results import");
    let sandbox = Sandbox::new();
    let base = demo(&sandbox, "base.sqlite", RESULTS_PEOPLE, false);
    let people = Store::open(&base).unwrap().all_patients().unwrap();
    let mut csv = String::from("nhs_number,code,value,unit,taken_on,comment\n");
    let mut registered = 0;
    for (i, person) in people.iter().enumerate() {
        if person.details.status != RegistrationStatus::Registered {
            continue;
        }
        registered += 1;
        let nhs = person.details.nhs_number.as_str();
        let taken_on = (today() - Days::new((i % 60) as u64)).format("%Y-%m-%d");
        let rows = [
            ("999791000000106", format!("{}", 38 + i % 50), "mmol/mol"),
            ("1005671000000105", format!("{}.{:02}", 3 + i % 4, i % 100), "mmol/L"),
            ("1011481000000105", format!("{}", 30 + i % 60), "mL/min/1.73m2"),
            ("163030003", format!("{}", 110 + i % 60), "mmHg"),
            ("163031004", format!("{}", 60 + i % 30), "mmHg"),
        ];
        for (code, value, unit) in rows {
            let _ = writeln!(csv, "{nhs},{code},{value},{unit},{taken_on},");
        }
    }
    let file = sandbox.write("results.csv", csv);
    let op = CliOperation {
        name: "results import",
        sandbox: &sandbox,
        base,
        args: vec!["import".into(), "results".into(), file.display().to_string()],
    };
    reset(&op.base, &op.db());
    let before = intact(&op.db());
    let (first, after) = op.finish(&op.args);
    let (_, again) = op.finish(&op.args);
    let imported = first.json_u64("imported");
    assert_eq!(imported, registered * 4, "a blood pressure's two rows are one reading");
    assert_eq!(after.rows("observation"), before.rows("observation") + imported);
    assert!(after.rows("cycle") > before.rows("cycle"), "results open reviews");
    let settled = [
        Settled { name: "nothing", contents: before, then: after.clone() },
        Settled { name: "the whole import", contents: after, then: again },
    ];
    let tally = kill_repeatedly(&op, &settled, first.took, first.grew, RESULTS_KILLS, &mut dice);
    tally.report("results import");
    assert!(survived("results import", &[&tally]) >= RESULTS_KILLS);
}

/// Kills a batch printed with `--confirm` (`args`); `printed` is the same without it. The
/// batch is two changes, recorded as printed and then as confirmed, so a kill may leave it
/// printed and not yet confirmed: running the command again then prints and confirms a second
/// batch, and the first stays waiting to be confirmed or cancelled, as after a window closed
/// at that step. `recorded_in` is the table that gains a row for each letter confirmed.
fn kill_a_batch(
    op: &CliOperation,
    printed: &[String],
    recorded_in: &str,
    wanted: usize,
    dice: &mut Dice,
) -> Tally {
    reset(&op.base, &op.db());
    let before = intact(&op.db());
    let (first, after) = op.finish(&op.args);
    let (_, again) = op.finish(&op.args);
    reset(&op.base, &op.db());
    let (_, only_printed) = op.finish(printed);
    let (_, only_printed_then) = op.finish(&op.args);
    let recorded = first.json_u64("recorded");
    assert!(recorded >= 5, "{}: a batch worth killing ({recorded} letters)", op.name);
    assert_eq!(after.rows(recorded_in), before.rows(recorded_in) + recorded);
    assert_eq!(only_printed.rows(recorded_in), before.rows(recorded_in), "printed, not sent");
    assert!(only_printed != before && only_printed != after);
    let settled = [
        Settled { name: "nothing", contents: before, then: after.clone() },
        Settled {
            name: "the batch printed, not confirmed",
            contents: only_printed,
            then: only_printed_then,
        },
        Settled { name: "the batch confirmed", contents: after, then: again },
    ];
    kill_repeatedly(op, &settled, first.took, first.grew, wanted, dice)
}

#[test]
fn a_batch_of_invitations_printed_with_confirmation_killed_at_random_moments_is_whole_or_absent() {
    let mut dice = Dice::for_operation("invitations printed and confirmed");
    let sandbox = Sandbox::new();
    let base = demo(&sandbox, "base.sqlite", INVITATION_PRACTICE, false);
    let month = format!("{:04}-{:02}", today().year(), today().month());
    let out = sandbox.path("invitations.pdf").display().to_string();
    let printed: Vec<String> =
        ["recall", "invite", "--month", &month, "--out", &out].map(String::from).to_vec();
    let op = CliOperation {
        name: "invitations printed and confirmed",
        sandbox: &sandbox,
        base,
        args: [printed.clone(), vec!["--confirm".into()]].concat(),
    };
    let tally = kill_a_batch(&op, &printed, "invitation", INVITATION_KILLS, &mut dice);
    tally.report(op.name);
    assert!(survived(op.name, &[&tally]) >= INVITATION_KILLS);
}

#[test]
fn a_batch_of_preparation_packs_printed_with_confirmation_killed_at_random_is_whole_or_absent() {
    let mut dice = Dice::for_operation("preparation packs printed and confirmed");
    let sandbox = Sandbox::new();
    let base = demo(&sandbox, "base.sqlite", 250, true);
    let out = sandbox.path("packs.pdf").display().to_string();
    let printed: Vec<String> = ["packs", "print", "--out", &out].map(String::from).to_vec();
    let op = CliOperation {
        name: "preparation packs printed and confirmed",
        sandbox: &sandbox,
        base,
        args: [printed.clone(), vec!["--confirm".into()]].concat(),
    };
    let tally = kill_a_batch(&op, &printed, "cycle_event", PACK_KILLS, &mut dice);
    tally.report(op.name);
    assert!(survived(op.name, &[&tally]) >= PACK_KILLS);
}

/// What the child process saving the conversation is told, through its environment.
const AUTOSAVE_DB: &str = "ALONGSIDE_CRASH_AUTOSAVE_DB";
const AUTOSAVE_PERSON: &str = "ALONGSIDE_CRASH_AUTOSAVE_PERSON";
const AUTOSAVE_RUN: &str = "ALONGSIDE_CRASH_AUTOSAVE_RUN";

/// The plan as typed at the `save`th pause of the `run`th child: each save a different
/// document, which says which save it was.
fn typed(run: usize, save: usize) -> PlanDocument {
    PlanDocument {
        agenda: (0..=save % 4).map(|k| format!("thing {k} to talk about")).collect(),
        what_matters: format!(
            "run {run}, save {save}: {}",
            "walking the dog by the river with my grandson; ".repeat(1 + save % 60)
        ),
        ..PlanDocument::default()
    }
}

/// Which run and save a document says it is.
fn which_save(doc: &PlanDocument) -> Option<(usize, usize)> {
    let rest = doc.what_matters.strip_prefix("run ")?;
    let (run, rest) = rest.split_once(", save ")?;
    let (save, _) = rest.split_once(':')?;
    Some((run.parse().ok()?, save.parse().ok()?))
}

/// The conversation screen's autosave in a process of its own, for the test below to kill:
/// it opens the person's plan and saves it `AUTOSAVES` times as `typed` says, as the screen
/// does at each pause in typing. It does nothing unless that test started it.
#[test]
fn autosave_child() {
    let Some(db) = std::env::var_os(AUTOSAVE_DB) else { return };
    let nhs = NhsNumber::parse(&std::env::var(AUTOSAVE_PERSON).unwrap()).unwrap();
    let run: usize = std::env::var(AUTOSAVE_RUN).unwrap().parse().unwrap();
    let actor = Actor::new("nurse.autosave");
    let mut store = Store::open(Path::new(&db)).unwrap();
    let draft = open_draft(&mut store, &actor, &nhs).unwrap();
    let mut revision = draft.revision;
    for save in 0..AUTOSAVES {
        revision = save_draft(&mut store, &actor, draft.id, revision, &typed(run, save)).unwrap();
    }
}

/// The draft as the screen would find it after a kill, with its audit entries checked: one
/// per save since `audited` entries at `revision` (so no save is half there), the last
/// written with the draft.
fn draft_after(db: &Path, nhs: &NhsNumber, start: (i64, i64)) -> (i64, PlanDocument, i64) {
    let conn = checked(db);
    let store = Store::open(db).unwrap();
    let draft = conversation(&store, nhs).unwrap().draft.expect("the draft is still open");
    let (audited, last_at): (i64, String) = conn
        .query_row(
            "SELECT count(*), max(at) FROM audit_event
             WHERE action = 'careplan.draft_saved' AND summary LIKE ?1",
            [format!("draft {}:%", draft.id)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(audited - start.0, draft.revision - start.1, "one audit entry for each save");
    assert_eq!(last_at, draft.saved_at, "the last save's audit entry was written with it");
    (draft.id, draft.doc, draft.revision)
}

#[test]
fn conversation_autosave_killed_at_random_moments_keeps_exactly_one_whole_save() {
    let mut dice = Dice::for_operation("conversation autosave");
    let sandbox = Sandbox::new();
    let db = demo(&sandbox, "practice.sqlite", 250, true);
    let person = Store::open(&db)
        .unwrap()
        .all_patients()
        .unwrap()
        .into_iter()
        .find(|p| p.details.status == RegistrationStatus::Registered)
        .unwrap();
    let nhs = person.details.nhs_number;
    let (draft_id, start) = {
        let mut store = Store::open(&db).unwrap();
        let draft = open_draft(&mut store, &Actor::new("nurse.autosave"), &nhs).unwrap();
        let audited: i64 = checked(&db)
            .query_row(
                "SELECT count(*) FROM audit_event
                 WHERE action = 'careplan.draft_saved' AND summary LIKE ?1",
                [format!("draft {}:%", draft.id)],
                |r| r.get(0),
            )
            .unwrap();
        (draft.id, (audited, draft.revision))
    };
    let child = |run: usize| {
        let mut command = Command::new(std::env::current_exe().unwrap());
        command
            .args(["--exact", "crash::autosave_child", "--nocapture", "--test-threads=1"])
            .env(AUTOSAVE_DB, &db)
            .env(AUTOSAVE_PERSON, nhs.as_str())
            .env(AUTOSAVE_RUN, run.to_string());
        command
    };
    // Run 0 is not interrupted: it measures how long a run takes, and when it starts saving
    // (before that the child is starting and opening the database). Kills fall between its
    // first save and its end.
    let first = run(&mut child(0), &db, KillAt::Never);
    first.expect_success("the autosave child");
    let saving_from = first.first_wrote.expect("the child saved").min(first.took);
    let mut took = first.took;
    let (id, mut doc, mut revision) = draft_after(&db, &nhs, start);
    assert_eq!((id, &doc), (draft_id, &typed(0, AUTOSAVES - 1)));
    assert_eq!(revision, start.1 + AUTOSAVES as i64);

    let started = Instant::now();
    let mut tally = Tally { kills: 0, reruns: 0, left: BTreeMap::new(), took: Duration::ZERO };
    let mut runs = 0;
    while tally.kills < AUTOSAVE_KILLS {
        runs += 1;
        assert!(runs <= AUTOSAVE_KILLS * 5, "the children finished before they could be killed");
        let at = KillAt::After(saving_from + dice.within(took.saturating_sub(saving_from)));
        let outcome = run(&mut child(runs), &db, at);
        if !outcome.killed {
            outcome.expect_success("the autosave child");
            took = took.min(outcome.took);
        }
        let (id, found, found_revision) = draft_after(&db, &nhs, start);
        assert_eq!(id, draft_id, "the same draft stays open");
        let left = if found == doc {
            assert_eq!(found_revision, revision, "the document and its revision go together");
            "the save before the run"
        } else {
            let (run_found, save) = which_save(&found).unwrap_or_else(|| {
                panic!("killed at {at:?}: the draft is none of the saved documents")
            });
            assert_eq!(run_found, runs, "the draft was saved by this run");
            assert!(found == typed(runs, save), "save {save} is whole, as it was typed");
            assert_eq!(found_revision, revision + 1 + save as i64, "save {save}'s revision");
            "a save of the run"
        };
        doc = found;
        revision = found_revision;
        if outcome.killed {
            tally.kills += 1;
            *tally.left.entry(left).or_default() += 1;
        }
    }
    // Each run after a kill opened the draft and saved again; so does the screen now.
    let mut store = Store::open(&db).unwrap();
    let actor = Actor::new("nurse.autosave");
    let saved = save_draft(&mut store, &actor, draft_id, revision, &typed(runs + 1, 0)).unwrap();
    assert_eq!(saved, revision + 1);
    tally.reruns = tally.kills;
    tally.took = started.elapsed();
    tally.report("conversation autosave");
    assert!(survived("conversation autosave", &[&tally]) >= AUTOSAVE_KILLS);
}

impl Outcome {
    fn json_u64(&self, key: &str) -> u64 {
        let json: serde_json::Value = serde_json::from_str(&self.stdout).unwrap();
        json[key].as_u64().unwrap_or_else(|| panic!("{key} in {json}"))
    }
}

/// A register file of `rows` people of the demonstration practice (its first 250 are the demo's
/// own people, unchanged).
fn register_file(sandbox: &Sandbox, rows: usize) -> PathBuf {
    sandbox.write(
        "register.csv",
        alongside::exchange::demo::demo_register_csv(&catalogue(), rows, 1, today()),
    )
}

#[test]
fn a_full_disk_stops_an_import_with_a_clear_message_and_loses_nothing() {
    let sandbox = Sandbox::new();
    let db = demo(&sandbox, "practice.sqlite", 250, false);
    let before = intact(&db);
    let file = register_file(&sandbox, 2_000);
    // No file the import writes may grow past 64 KiB, as when the disk is full: bash sets the
    // limit and ignores SIGXFSZ, so a write past it fails (EFBIG) instead of ending the process.
    let db_text = db.display().to_string();
    let file_text = file.display().to_string();
    let alongside = sandbox.command_for(&["--db", &db_text, "import", "register", &file_text], &[]);
    let mut command = Command::new("bash");
    command
        .args(["-c", r#"trap '' XFSZ; ulimit -f 64; exec "$@""#, "bash"])
        .arg(alongside.get_program());
    for (key, value) in alongside.get_envs() {
        match value {
            Some(value) => command.env(key, value),
            None => command.env_remove(key),
        };
    }
    command.args(alongside.get_args());
    let outcome = run(&mut command, &db, KillAt::Never);
    assert_eq!(outcome.code, Some(1), "stdout:\n{}\nstderr:\n{}", outcome.stdout, outcome.stderr);
    assert!(!outcome.stderr.contains("panicked"), "{}", outcome.stderr);
    // The system refuses to let the file grow (EFBIG), which SQLite reports as a failed write;
    // a disk truly full (ENOSPC) it reports as full. Both messages say what to do.
    assert!(
        outcome.stderr.contains("the disk may be full (or the file cannot grow)")
            && outcome.stderr.contains("Free some space and try again"),
        "{}",
        outcome.stderr
    );
    assert!(outcome.stderr.contains("nothing from this change was saved"), "{}", outcome.stderr);
    println!("a full disk: {}", outcome.stderr.trim());
    let after = intact(&db);
    assert!(
        after == before,
        "nothing saved is lost, nothing half-saved: {}",
        after.differences(&before)
    );
    // With room again, the same import succeeds.
    let report = sandbox.alongside(&["import", "register", file.to_str().unwrap()]).expect_code(0);
    assert_eq!(report.json()["imported"], 2_000 - 250);
}

/// Takes every write permission off a file, as a practice might to keep a copy unchanged. As
/// root (in CI) the file could still be written; Alongside must not.
fn make_read_only(path: &Path) {
    let mut permissions = std::fs::metadata(path).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(path, permissions).unwrap();
}

#[test]
fn a_read_only_database_is_read_and_every_change_is_refused_with_a_clear_message() {
    let sandbox = Sandbox::new();
    let db = demo(&sandbox, "practice.sqlite", 250, false);
    make_read_only(&db);
    let bytes = std::fs::read(&db).unwrap();
    assert_eq!(numbers(&sandbox.list(&[])).len(), 250, "reading works");
    let file = register_file(&sandbox, 300);
    let refused = sandbox.alongside(&["import", "register", file.to_str().unwrap()]).expect_code(1);
    assert!(
        refused.stderr.contains("is read-only") && refused.stderr.contains("nothing was changed"),
        "{}",
        refused.stderr
    );
    println!("a read-only database: {}", refused.stderr.trim());
    let out = sandbox.path("invitations.pdf");
    let month = format!("{:04}-{:02}", today().year(), today().month());
    let refused = sandbox
        .alongside(&["recall", "invite", "--month", &month, "--out", out.to_str().unwrap()])
        .expect_code(1);
    assert!(refused.stderr.contains("is read-only"), "{}", refused.stderr);
    assert!(!out.exists(), "no letters leave a database that could not record them");
    // Nor does any export or backup, which would leave without its audit entry.
    let someone = numbers(&sandbox.list(&[]))[0].clone();
    let exports: [(&str, Vec<&str>); 3] = [
        ("plan.json", vec!["careplan", "export", &someone, "--format", "fhir", "--out"]),
        ("exported-register.csv", vec!["patients", "export", "--out"]),
        ("practice.alongside-backup", vec!["backup"]),
    ];
    for (name, args) in exports {
        let target = sandbox.path(name);
        let mut args = args;
        args.push(target.to_str().unwrap());
        let refused = sandbox.alongside(&args).expect_code(1);
        assert!(refused.stderr.contains("is read-only"), "{args:?}: {}", refused.stderr);
        assert!(!target.exists(), "{args:?} wrote nothing");
    }
    assert!(std::fs::read(&db).unwrap() == bytes, "the file is exactly as it was");
    for suffix in ["-wal", "-shm"] {
        assert!(!sidecar(&db, suffix).exists(), "nothing is written beside it either");
    }
}

#[test]
fn the_window_on_a_read_only_database_shows_everything_and_refuses_changes_in_plain_words() {
    let sandbox = Sandbox::new();
    drop(Window::open(&sandbox));
    make_read_only(&sandbox.db());
    let bytes = std::fs::read(sandbox.db()).unwrap();
    let window = Window::on(Store::open(&sandbox.db()).unwrap());
    // Signing in writes nothing on a read-only database.
    window.sign_in("admin");
    let everyone = window
        .invoke("search_patients", serde_json::json!({"request": {"status": "all"}}))
        .unwrap();
    assert_eq!(everyone["total"], 60, "the register is there to read");
    let mut settings = window.invoke("get_settings", serde_json::json!({})).unwrap();
    settings["phone"] = serde_json::json!("0113 496 0001");
    let refused =
        window.invoke("save_settings", serde_json::json!({"settings": settings})).unwrap_err();
    assert_eq!(refused["code"], "failed");
    let message = refused["message"].as_str().unwrap();
    assert!(
        message.contains("is read-only") && message.contains("nothing was changed"),
        "{message}"
    );
    drop(window);
    assert!(std::fs::read(sandbox.db()).unwrap() == bytes, "the file is exactly as it was");
}
