//! Helpers shared by the tests: a temporary folder per test, register files written as a
//! practice would export them, and running the real `alongside` binary.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use alongside::domain::access::{Need, Role};
use alongside::domain::catalogue::Catalogue;
use alongside::exchange::access::{add_account, create_practice, demo_password, DEMO_ACCOUNTS};
use alongside::store::{Actor, Store};
use chrono::NaiveDate;

/// The password of every sandbox account (`t-admin`, `t-nurse` …).
pub const SANDBOX_PASSWORD: &str = "sandbox-password-1";

/// A temporary folder that holds one test's database and files, removed afterwards.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

/// What the binary did: exit code and its output as text.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!("stdout is not JSON ({e}):\n{}\nstderr:\n{}", self.stdout, self.stderr)
        })
    }

    /// Fails with everything the program said unless it exited with `code`.
    pub fn expect_code(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "the program panicked:\n{}", self.stderr);
        self
    }
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox { dir: tempfile::tempdir().expect("a temporary folder") }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, contents).expect("writing a test file");
        path
    }

    /// The practice database this sandbox's commands use.
    pub fn db(&self) -> PathBuf {
        self.path("practice.sqlite")
    }

    /// Runs `alongside --db <sandbox db> ARGS` with the sandbox as home and data directory,
    /// signed in as a sandbox account whose role may run the command.
    pub fn alongside(&self, args: &[&str]) -> Run {
        let db = self.db();
        let mut full = vec!["--db", db.to_str().expect("a UTF-8 sandbox path")];
        full.extend_from_slice(args);
        run(self.command_for(&full, &[]))
    }

    /// Runs `alongside --db <sandbox db> ARGS` with these environment variables set as well.
    pub fn alongside_with(&self, env: &[(&str, &str)], args: &[&str]) -> Run {
        let db = self.db();
        let mut full = vec!["--db", db.to_str().expect("a UTF-8 sandbox path")];
        full.extend_from_slice(args);
        run(self.command_for(&full, env))
    }

    /// Runs `alongside ARGS` with no `--db`, signed in as for `alongside`.
    pub fn alongside_plain(&self, args: &[&str]) -> Run {
        run(self.command_for(args, &[]))
    }

    /// Runs `alongside ARGS` (no `--db` added) signed in as `user` with `password`.
    pub fn alongside_as(&self, user: &str, password: &str, args: &[&str]) -> Run {
        let mut command = self.command();
        command.env("ALONGSIDE_USER", user).env("ALONGSIDE_PASSWORD", password).args(args);
        run(command)
    }

    /// Runs `alongside ARGS` (no `--db` added) with no user and no password.
    pub fn alongside_anonymous(&self, args: &[&str]) -> Run {
        let mut command = self.command();
        command.args(args);
        run(command)
    }

    /// Runs `alongside ARGS` (no `--db` added) with no user, and these environment variables.
    pub fn alongside_anonymous_with(&self, env: &[(&str, &str)], args: &[&str]) -> Run {
        let mut command = self.command();
        for (key, value) in env {
            command.env(key, value);
        }
        command.args(args);
        run(command)
    }

    /// `alongside` with the sandbox as home and data directory, ready for arguments, with no
    /// user signed in.
    pub fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_alongside"));
        command
            .env_remove("ALONGSIDE_DB")
            .env_remove("ALONGSIDE_USER")
            .env_remove("ALONGSIDE_PASSWORD")
            .env_remove("ALONGSIDE_NEW_PASSWORD")
            .env("HOME", self.root())
            .env("XDG_DATA_HOME", self.path("data"))
            .env("USER", "test.receptionist")
            .env_remove("ALONGSIDE_BACKUP_PASSPHRASE")
            .stdin(Stdio::null());
        command
    }

    /// `alongside ARGS` with `env` set, signed in (through ALONGSIDE_USER and
    /// ALONGSIDE_PASSWORD) as an account whose role has the permission the command needs: the
    /// demonstration account of that role in a demonstration database, otherwise a sandbox
    /// account `t-<role>` made for it (the database, with its administrator `t-admin`, is
    /// made first when it is missing).
    pub fn command_for(&self, args: &[&str], env: &[(&str, &str)]) -> Command {
        let mut command = self.command();
        command.envs(env.iter().copied());
        if let Some((user, password)) = self.account_for(args, env) {
            command.env("ALONGSIDE_USER", user).env("ALONGSIDE_PASSWORD", password);
        }
        command.args(args);
        command
    }

    /// The practice database `alongside ARGS` would use in this sandbox.
    fn db_in(&self, args: &[&str], env: &[(&str, &str)]) -> PathBuf {
        let given = args.iter().position(|a| *a == "--db").and_then(|i| args.get(i + 1));
        let given = given
            .map(|p| PathBuf::from(*p))
            .or_else(|| args.iter().find_map(|a| a.strip_prefix("--db=").map(PathBuf::from)));
        let from_env =
            env.iter().find(|(k, _)| *k == "ALONGSIDE_DB").map(|(_, v)| PathBuf::from(v));
        given
            .or(from_env)
            .unwrap_or_else(|| self.path("data").join("alongside").join("practice.sqlite"))
    }

    /// The user and password for a role that may run `args`, the account made when needed;
    /// `None` when the command needs no one or the database cannot be opened.
    fn account_for(&self, args: &[&str], env: &[(&str, &str)]) -> Option<(String, String)> {
        let Ok(Need::Permission(permission)) = alongside::cli::cli_need(args) else {
            return None;
        };
        let table = alongside::assets::permissions().expect("the shipped permission table");
        let role = Role::ALL.into_iter().find(|r| table.allows(*r, permission))?;
        let db = self.db_in(args, env);
        if db.is_dir() {
            return None;
        }
        let mut store = if db.exists() {
            Store::open(&db).ok()?
        } else {
            if let Some(parent) = db.parent() {
                std::fs::create_dir_all(parent).ok()?;
            }
            create_practice(&db, "t-admin", "Sandbox Administrator", SANDBOX_PASSWORD).ok()?
        };
        let demo = DEMO_ACCOUNTS.iter().find(|(_, _, r)| *r == role);
        if let Some((username, _, _)) = demo {
            if store.account(username).ok()?.is_some_and(|a| a.role == role && a.active) {
                return Some((username.to_string(), demo_password(username)));
            }
        }
        let username = if role == Role::Administrator {
            "t-admin".to_string()
        } else {
            format!("t-{}", role.id())
        };
        if store.account(&username).ok()?.is_none() {
            let actor = Actor::new("t-admin");
            let name = format!("Sandbox {}", role.name());
            add_account(&mut store, &actor, &username, &name, role, SANDBOX_PASSWORD).ok()?;
        }
        Some((username, SANDBOX_PASSWORD.to_string()))
    }

    /// Imports a register file into the sandbox database and returns the JSON report.
    pub fn import(&self, name: &str, contents: &str) -> serde_json::Value {
        let file = self.write(name, contents);
        self.alongside(&["import", "register", file.to_str().unwrap()]).expect_code(0).json()
    }

    pub fn list(&self, extra: &[&str]) -> serde_json::Value {
        let mut args = vec!["patients", "list"];
        args.extend_from_slice(extra);
        self.alongside(&args).expect_code(0).json()
    }
}

pub fn run(mut command: Command) -> Run {
    let Output { status, stdout, stderr } = command.output().expect("the alongside binary runs");
    Run {
        code: status.code().expect("exited, not killed by a signal"),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// The columns every register file must have.
pub const HEADER: &str = "nhs_number,family_name,given_name,date_of_birth,conditions";

/// A register file: the required header, then the rows given.
pub fn register(rows: &[&str]) -> String {
    let mut text = String::from(HEADER);
    for row in rows {
        text.push('\n');
        text.push_str(row);
    }
    text.push('\n');
    text
}

pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

pub fn catalogue() -> Catalogue {
    alongside::assets::catalogue().expect("the shipped catalogue is valid")
}

/// The NHS numbers in a `patients list` result, in order.
pub fn numbers(list: &serde_json::Value) -> Vec<String> {
    list.as_array()
        .expect("a JSON array")
        .iter()
        .map(|p| p["nhs_number"].as_str().unwrap().to_string())
        .collect()
}

/// Gives a practice database the letterhead every letter needs.
pub fn fill_in_letterhead(store: &mut alongside::store::Store) {
    let before = store.practice_settings(&catalogue()).unwrap();
    let mut after = before.clone();
    after.letterhead.practice_name = "Riverside Surgery".into();
    after.letterhead.address = vec!["1 Mill Lane".into(), "Ashby Marsh".into(), "AM1 1AB".into()];
    after.letterhead.phone = "0113 496 0000".into();
    store
        .write::<_, alongside::store::StoreError>(&alongside::store::Actor::new("test"), |w| {
            w.save_practice_settings(&before, &after)
        })
        .unwrap();
}

/// `n` bytes drawn from `alphabet` by a xorshift generator: the same noise for the same seed,
/// for feeding hostile files to the importers.
pub fn noise(seed: &mut u64, alphabet: &[u8], n: usize) -> Vec<u8> {
    (0..n)
        .map(|_| {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            alphabet[(*seed % alphabet.len() as u64) as usize]
        })
        .collect()
}

/// Every row a query returns, each value as text (integers in decimal, NULL as empty).
pub fn sql_rows(db: &Path, sql: &str) -> Vec<Vec<String>> {
    let connection = rusqlite::Connection::open(db).unwrap();
    let mut statement = connection.prepare(sql).unwrap();
    let columns = statement.column_count();
    statement
        .query_map([], |row| {
            (0..columns)
                .map(|i| {
                    Ok(match row.get::<_, rusqlite::types::Value>(i)? {
                        rusqlite::types::Value::Text(t) => t,
                        rusqlite::types::Value::Integer(n) => n.to_string(),
                        rusqlite::types::Value::Null => String::new(),
                        other => format!("{other:?}"),
                    })
                })
                .collect()
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Every table's rows, each row its columns by name, in a stable order.
pub type Tables = BTreeMap<String, Vec<BTreeMap<String, String>>>;

pub fn contents(db: &Path) -> Tables {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut tables = Tables::new();
    for name in names {
        let mut statement = conn.prepare(&format!("SELECT * FROM \"{name}\"")).unwrap();
        let columns: Vec<String> = statement.column_names().map(|c| c.to_string()).collect();
        let mut rows: Vec<BTreeMap<String, String>> = statement
            .query_map([], |r| {
                let mut row = BTreeMap::new();
                for (i, column) in columns.iter().enumerate() {
                    let value: rusqlite::types::Value = r.get(i)?;
                    row.insert(column.clone(), format!("{value:?}"));
                }
                Ok(row)
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows.sort();
        tables.insert(name, rows);
    }
    tables
}

/// Whether every row of `before` is in `after` with the same value in each column it had
/// (an update may add columns, never change or drop a value).
pub fn kept_every_row(before: &Tables, after: &Tables) -> Result<(), String> {
    for (table, rows) in before {
        let Some(now) = after.get(table) else { return Err(format!("table {table} is gone")) };
        let mut now: Vec<BTreeMap<String, String>> = now
            .iter()
            .map(|row| {
                row.iter()
                    .filter(|(column, _)| rows.first().is_none_or(|r| r.contains_key(*column)))
                    .map(|(c, v)| (c.clone(), v.clone()))
                    .collect()
            })
            .collect();
        now.sort();
        let mut missing = rows.iter().filter(|row| now.binary_search(row).is_err());
        if let Some(row) = missing.next() {
            return Err(format!("{table}: a row was changed or lost: {row:?}"));
        }
        if now.len() < rows.len() {
            return Err(format!("{table}: {} rows before, {} after", rows.len(), now.len()));
        }
    }
    Ok(())
}
