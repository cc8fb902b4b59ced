//! Signing in at the command line, the permission each command needs, and the commands that
//! manage staff accounts and read the audit trail.

use std::path::Path;

use chrono::NaiveDate;

use super::{parse_day, print_json, AuditCommand, AuditFilterArgs, Failure, UsersCommand};
use crate::domain::access::{refusal, Need, Role};
use crate::exchange::access::{
    add_account, change_password, create_practice, export_audit, sign_in_for_command, AccessError,
    SignedIn,
};
use crate::store::{Actor, AuditFilter, Store, StoreError};

/// Where a signed-in user's password is read from.
pub const PASSWORD_VARIABLE: &str = "ALONGSIDE_PASSWORD";
/// Where a new account's password (or an account's new password) is read from.
pub const NEW_PASSWORD_VARIABLE: &str = "ALONGSIDE_NEW_PASSWORD";

impl From<AccessError> for Failure {
    fn from(error: AccessError) -> Failure {
        match error {
            AccessError::MustWait { username, until, seconds } => Failure::BadInput(format!(
                "too many wrong passwords for '{username}': wait {seconds} seconds (until \
                 {until} UTC) before trying again"
            )),
            AccessError::WrongPassword
            | AccessError::Disabled(_)
            | AccessError::Invalid(_)
            | AccessError::NotFound(_) => Failure::BadInput(error.to_string()),
            AccessError::Store(StoreError::Refused(message)) => Failure::BadInput(message),
            AccessError::Store(e) => Failure::Failed(e.to_string()),
            AccessError::Open(e) => e.into(),
        }
    }
}

/// Signs `user` in with the password from `ALONGSIDE_PASSWORD` or typed at the terminal.
pub fn sign_in_as(store: &mut Store, user: Option<&str>) -> Result<SignedIn, Failure> {
    let Some(user) = user.filter(|u| !u.trim().is_empty()) else {
        return Err(Failure::BadInput(
            "sign in first: give your username with --user USERNAME (or set ALONGSIDE_USER) \
             and your password in ALONGSIDE_PASSWORD; nothing was read or changed"
                .into(),
        ));
    };
    let password = password_from(PASSWORD_VARIABLE, &format!("Password for {}: ", user.trim()))?;
    Ok(sign_in_for_command(
        store,
        user,
        &password,
        "at the command line",
        chrono::Utc::now().naive_utc(),
    )?)
}

/// Refuses a signed-in user whose role lacks what the command needs.
pub fn check_need(signed: &SignedIn, need: Need) -> Result<(), Failure> {
    let table = crate::assets::permissions().map_err(Failure::Failed)?;
    if table.permits(Some(signed.role), need) {
        Ok(())
    } else {
        Err(Failure::BadInput(format!(
            "{}; nothing was read or changed",
            refusal(Some(signed.role), need, &table)
        )))
    }
}

/// A password from the environment variable, or typed at the terminal without being shown.
fn password_from(variable: &str, prompt: &str) -> Result<String, Failure> {
    match std::env::var(variable) {
        Ok(password) if !password.is_empty() => return Ok(password),
        Ok(_) | Err(std::env::VarError::NotPresent) => {}
        Err(std::env::VarError::NotUnicode(_)) => {
            return Err(Failure::BadInput(format!("{variable} is not readable text")))
        }
    }
    use std::io::IsTerminal as _;
    if !std::io::stdin().is_terminal() {
        return Err(Failure::BadInput(format!(
            "no password: set {variable}, or run the command at a terminal to type it"
        )));
    }
    read_hidden(prompt)
}

/// Reads one line from the terminal with echo turned off, and always turns it back on.
#[cfg(unix)]
fn read_hidden(prompt: &str) -> Result<String, Failure> {
    use std::io::{BufRead as _, Write as _};
    let stty = |setting: &str| -> bool {
        std::fs::File::open("/dev/tty")
            .and_then(|tty| std::process::Command::new("stty").arg(setting).stdin(tty).status())
            .is_ok_and(|status| status.success())
    };
    let tty = std::fs::OpenOptions::new().read(true).write(true).open("/dev/tty").map_err(|e| {
        Failure::BadInput(format!("cannot open the terminal to ask for the password: {e}"))
    })?;
    let mut writer = &tty;
    let _ = write!(writer, "{prompt}");
    let _ = writer.flush();
    let hidden = stty("-echo");
    let mut line = String::new();
    let read = std::io::BufReader::new(&tty).read_line(&mut line);
    if hidden {
        stty("echo");
    }
    let _ = writeln!(writer);
    read.map_err(|e| Failure::BadInput(format!("cannot read the password: {e}")))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// Reads one line from the terminal (where echo cannot be turned off here, it is shown).
#[cfg(not(unix))]
fn read_hidden(prompt: &str) -> Result<String, Failure> {
    use std::io::Write as _;
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| Failure::BadInput(format!("cannot read the password: {e}")))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// A new password: from `ALONGSIDE_NEW_PASSWORD`, or typed twice at the terminal.
fn new_password(username: &str) -> Result<String, Failure> {
    if std::env::var_os(NEW_PASSWORD_VARIABLE).is_some_and(|v| !v.is_empty()) {
        return password_from(NEW_PASSWORD_VARIABLE, "");
    }
    let first = password_from(NEW_PASSWORD_VARIABLE, &format!("New password for {username}: "))?;
    let again = read_hidden(&format!("The same password again for {username}: "))?;
    if first != again {
        return Err(Failure::BadInput(
            "the two passwords typed are not the same; nothing was changed".into(),
        ));
    }
    Ok(first)
}

/// `alongside init`: a new practice database with its first administrator.
pub fn init(path: &Path, admin: &str, name: Option<&str>) -> Result<(), Failure> {
    let full_name = name.map(str::trim).filter(|n| !n.is_empty()).unwrap_or(admin.trim());
    if path.exists() {
        // A database made before staff accounts existed gets its first administrator; any
        // other existing file is never touched.
        let mut store = super::open_store(path)?;
        if store.has_accounts()? {
            return Err(Failure::BadInput(format!(
                "{} already exists and has staff accounts: sign in with yours (an \
                 administrator adds others with `alongside users add`); nothing was changed",
                path.display()
            )));
        }
        let password = password_from(PASSWORD_VARIABLE, &format!("Password for {admin}: "))?;
        let actor = Actor::new(&admin.trim().to_ascii_lowercase());
        add_account(&mut store, &actor, admin, full_name, Role::Administrator, &password)?;
        eprintln!(
            "alongside: '{}' is the first administrator of {}",
            admin.trim().to_ascii_lowercase(),
            path.display()
        );
    } else {
        let password = password_from(PASSWORD_VARIABLE, &format!("Password for {admin}: "))?;
        create_practice(path, admin, full_name, &password)?;
        eprintln!(
            "alongside: created the practice database {} with '{}' as its administrator",
            path.display(),
            admin.trim().to_ascii_lowercase()
        );
    }
    print_json(&serde_json::json!({
        "database": path.display().to_string(),
        "administrator": admin.trim().to_ascii_lowercase(),
    }))
}

/// A change the store refused (such as disabling the last administrator) is bad input.
fn refused(error: StoreError) -> Failure {
    AccessError::Store(error).into()
}

fn role(text: &str) -> Result<Role, Failure> {
    Role::parse(text).map_err(Failure::BadInput)
}

/// `alongside users …`.
pub fn users(store: &mut Store, actor: &Actor, what: UsersCommand) -> Result<(), Failure> {
    let done = |username: &str, what: &str| {
        print_json(&serde_json::json!({ "username": username, "done": what }))
    };
    match what {
        UsersCommand::List => {
            let accounts = store.accounts()?;
            let listed: Vec<serde_json::Value> = accounts
                .iter()
                .map(|a| {
                    serde_json::json!({
                        "username": a.username,
                        "full_name": a.full_name,
                        "role": a.role.id(),
                        "active": a.active,
                        "created_at": a.created_at,
                    })
                })
                .collect();
            print_json(&listed)
        }
        UsersCommand::Add { username, name, role: role_text } => {
            let role = role(&role_text)?;
            let password = new_password(&username)?;
            let account = add_account(store, actor, &username, &name, role, &password)?;
            done(&account.username, "added")
        }
        UsersCommand::Disable { username } => {
            let username = username.trim().to_ascii_lowercase();
            store
                .write::<_, StoreError>(actor, |w| w.set_account_active(&username, false))
                .map_err(refused)?;
            done(&username, "disabled")
        }
        UsersCommand::Enable { username } => {
            let username = username.trim().to_ascii_lowercase();
            store
                .write::<_, StoreError>(actor, |w| w.set_account_active(&username, true))
                .map_err(refused)?;
            done(&username, "enabled")
        }
        UsersCommand::Role { username, role: role_text } => {
            let username = username.trim().to_ascii_lowercase();
            let role = role(&role_text)?;
            store
                .write::<_, StoreError>(actor, |w| w.set_account_role(&username, role))
                .map_err(refused)?;
            done(&username, "role changed")
        }
        UsersCommand::Password { username } => {
            let username = username.trim().to_ascii_lowercase();
            if store.account(&username)?.is_none() {
                return Err(Failure::BadInput(format!("there is no account called '{username}'")));
            }
            let password = new_password(&username)?;
            change_password(store, actor, &username, &password)?;
            done(&username, "password changed")
        }
    }
}

/// The filter the options describe; an NHS number not on the register is refused.
fn audit_filter(store: &Store, args: AuditFilterArgs) -> Result<AuditFilter, Failure> {
    let day = |option: &str, text: Option<String>| -> Result<Option<NaiveDate>, Failure> {
        text.map(|t| parse_day(option, &t)).transpose()
    };
    let (from, to) = (day("--from", args.from)?, day("--to", args.to)?);
    Ok(crate::exchange::access::audit_filter(
        store,
        args.patient.as_deref(),
        args.by.as_deref(),
        args.action.as_deref(),
        from,
        to,
    )?)
}

/// `alongside audit …`.
pub fn audit(store: &mut Store, actor: &Actor, what: AuditCommand) -> Result<(), Failure> {
    match what {
        AuditCommand::Verify => {
            let checked = store.check_audit_chain()?;
            print_json(&serde_json::json!({
                "checked": checked.checked,
                "last_id": checked.last_id,
                "last_hash": checked.last_hash,
                "intact": checked.first_break.is_none(),
                "first_break": checked.first_break.as_ref().map(ToString::to_string),
            }))?;
            match checked.first_break {
                None => Ok(()),
                Some(broken) => Err(Failure::Failed(format!(
                    "the audit trail is not whole: {broken} ({} entries checked before it)",
                    checked.checked
                ))),
            }
        }
        AuditCommand::List { filter, limit } => {
            let filter = audit_filter(store, filter)?;
            let rows = store.audit_entries(&filter, limit, 0)?;
            let listed: Vec<serde_json::Value> = rows
                .iter()
                .map(|row| {
                    let (nhs_number, name) = row.person.clone().unzip();
                    serde_json::json!({
                        "id": row.entry.id,
                        "at": row.entry.at,
                        "user": row.entry.actor,
                        "action": row.entry.action,
                        "nhs_number": nhs_number,
                        "name": name,
                        "summary": row.entry.summary,
                    })
                })
                .collect();
            print_json(&listed)
        }
        AuditCommand::Export { out, filter } => {
            let filter = audit_filter(store, filter)?;
            let entries = export_audit(store, actor, &filter, &out)?;
            print_json(&serde_json::json!({
                "file": out.display().to_string(),
                "entries": entries,
            }))
        }
    }
}
